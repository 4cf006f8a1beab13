-- Orders: who sold each item, the status history, the refund window's start, and the
-- idempotency keys of order (and later payment) creation.

ALTER TABLE orders ADD COLUMN delivered_at TEXT;
CREATE TRIGGER orders_delivered_at BEFORE UPDATE OF status, delivered_at ON orders
  WHEN (NEW.status = 'delivered') != (NEW.delivered_at IS NOT NULL)
  BEGIN SELECT RAISE(ABORT, 'orders_delivered_at'); END;
CREATE INDEX orders_user_status_created_idx ON orders (user_id, status, created_at, id);

-- The vendor at purchase time: an order's history must not change when a product moves to
-- another vendor, and vendors list their orders through this index. No order was ever
-- written before this version, so the table is rebuilt with the new NOT NULL column.
DROP TABLE order_items;
CREATE TABLE order_items (
  id TEXT PRIMARY KEY CHECK (length(id) = 36),
  order_id TEXT NOT NULL REFERENCES orders (id),
  product_id TEXT NOT NULL REFERENCES products (id),
  vendor_id TEXT NOT NULL REFERENCES users (id),
  quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
  price_at_purchase INTEGER NOT NULL CHECK (price_at_purchase >= 0),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (order_id, product_id)
) STRICT;
CREATE INDEX order_items_product_idx ON order_items (product_id, order_id);
CREATE INDEX order_items_vendor_order_idx ON order_items (vendor_id, order_id);
CREATE INDEX order_items_order_idx ON order_items (order_id, id);

CREATE TABLE order_status_history (
  id TEXT PRIMARY KEY CHECK (length(id) = 36),
  order_id TEXT NOT NULL REFERENCES orders (id),
  from_status TEXT CHECK (from_status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
  to_status TEXT NOT NULL CHECK (to_status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
  actor_id TEXT REFERENCES users (id),  -- null: the system (a payment webhook)
  actor_role TEXT NOT NULL CHECK (actor_role IN ('customer', 'vendor', 'admin', 'system')),
  created_at TEXT NOT NULL,
  -- Status changes (not placements) are numbered in commit order: the event ids of the
  -- order event stream, from which a reconnecting client resumes (Last-Event-ID).
  seq INTEGER UNIQUE CHECK ((seq IS NULL) = (from_status IS NULL))
) STRICT;
CREATE INDEX order_status_history_order_idx ON order_status_history (order_id, id);

CREATE TABLE idempotency_keys (
  user_id TEXT NOT NULL REFERENCES users (id),
  scope TEXT NOT NULL CHECK (scope IN ('orders', 'payments')),
  idempotency_key TEXT NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
  fingerprint TEXT NOT NULL,
  claim_token TEXT NOT NULL,  -- who holds the key while it runs
  resource_id TEXT,           -- set once the work committed
  created_at TEXT NOT NULL,
  locked_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  PRIMARY KEY (user_id, scope, idempotency_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);

-- Single-use, 60-second tickets for browsers' EventSource, which cannot send an
-- Authorization header. Only the ticket's SHA-256 is stored; any server process redeems it.
CREATE TABLE stream_tickets (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  session_id TEXT NOT NULL REFERENCES refresh_token_families (id),
  expires_at TEXT NOT NULL,
  used_at TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX stream_tickets_expires_idx ON stream_tickets (expires_at);
