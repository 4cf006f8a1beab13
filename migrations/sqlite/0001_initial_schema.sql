-- The six tables of the specification. Ids are UUIDv7 text, money integer minor units,
-- timestamps RFC 3339 UTC text with fixed width (so text order is time order).
-- STRICT tables make SQLite enforce the declared column types.

CREATE TABLE users (
  id TEXT PRIMARY KEY CHECK (length(id) = 36),
  email TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'vendor', 'admin')),
  email_verified INTEGER NOT NULL DEFAULT 0 CHECK (email_verified IN (0, 1)),
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_role_created_idx ON users (role, created_at, id);
CREATE INDEX users_created_idx ON users (created_at, id);

CREATE TABLE categories (
  id TEXT PRIMARY KEY CHECK (length(id) = 36),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX categories_name_key ON categories (lower(name));

CREATE TABLE products (
  id TEXT PRIMARY KEY CHECK (length(id) = 36),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description TEXT NOT NULL DEFAULT '',
  price INTEGER NOT NULL CHECK (price >= 0),
  currency TEXT NOT NULL DEFAULT 'usd' CHECK (length(currency) = 3 AND currency = lower(currency)),
  stock_quantity INTEGER NOT NULL CHECK (stock_quantity >= 0),
  category_id TEXT NOT NULL REFERENCES categories (id),
  vendor_id TEXT NOT NULL REFERENCES users (id),
  deleted_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX products_created_idx ON products (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX products_price_idx ON products (price, id) WHERE deleted_at IS NULL;
CREATE INDEX products_category_created_idx ON products (category_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX products_vendor_created_idx ON products (vendor_id, created_at, id) WHERE deleted_at IS NULL;
-- Foreign keys are checked on delete of the parent row; these keep that cheap.
CREATE INDEX products_category_idx ON products (category_id);
CREATE INDEX products_vendor_idx ON products (vendor_id);

CREATE TABLE orders (
  id TEXT PRIMARY KEY CHECK (length(id) = 36),
  user_id TEXT NOT NULL REFERENCES users (id),
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
  total_price INTEGER NOT NULL CHECK (total_price >= 0),
  currency TEXT NOT NULL DEFAULT 'usd' CHECK (length(currency) = 3 AND currency = lower(currency)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX orders_user_created_idx ON orders (user_id, created_at, id);
CREATE INDEX orders_status_created_idx ON orders (status, created_at, id);
CREATE INDEX orders_created_idx ON orders (created_at, id);

CREATE TABLE order_items (
  id TEXT PRIMARY KEY CHECK (length(id) = 36),
  order_id TEXT NOT NULL REFERENCES orders (id),
  product_id TEXT NOT NULL REFERENCES products (id),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  price_at_purchase INTEGER NOT NULL CHECK (price_at_purchase >= 0),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (order_id, product_id)
) STRICT;
CREATE INDEX order_items_product_idx ON order_items (product_id, order_id);

CREATE TABLE payments (
  id TEXT PRIMARY KEY CHECK (length(id) = 36),
  order_id TEXT NOT NULL REFERENCES orders (id),
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'failed', 'refunded')),
  payment_gateway TEXT NOT NULL CHECK (payment_gateway IN ('stripe', 'paypal')),
  transaction_id TEXT,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  currency TEXT NOT NULL DEFAULT 'usd' CHECK (length(currency) = 3 AND currency = lower(currency)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX payments_order_created_idx ON payments (order_id, created_at, id);
CREATE UNIQUE INDEX payments_gateway_transaction_key ON payments (payment_gateway, transaction_id)
  WHERE transaction_id IS NOT NULL;
-- At most one completed payment per order, whatever the code does.
CREATE UNIQUE INDEX payments_one_completed_per_order ON payments (order_id) WHERE status = 'completed';
