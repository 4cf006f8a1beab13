-- Orders: who sold each item, the status history, the refund window's start, and the
-- idempotency keys of order (and later payment) creation.

ALTER TABLE orders ADD COLUMN delivered_at timestamptz;
ALTER TABLE orders ADD CONSTRAINT orders_delivered_at CHECK ((status = 'delivered') = (delivered_at IS NOT NULL));
CREATE INDEX orders_user_status_created_idx ON orders (user_id, status, created_at, id);

-- The vendor at purchase time: an order's history must not change when a product moves to
-- another vendor, and vendors list their orders through this index.
ALTER TABLE order_items ADD COLUMN vendor_id uuid NOT NULL REFERENCES users (id);
ALTER TABLE order_items ADD CONSTRAINT order_items_quantity_limit CHECK (quantity <= 1000);
CREATE INDEX order_items_vendor_order_idx ON order_items (vendor_id, order_id);
CREATE INDEX order_items_order_idx ON order_items (order_id, id);

CREATE TABLE order_status_history (
  id uuid PRIMARY KEY,
  order_id uuid NOT NULL REFERENCES orders (id),
  from_status text CHECK (from_status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
  to_status text NOT NULL CHECK (to_status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
  actor_id uuid REFERENCES users (id),  -- null: the system (a payment webhook)
  actor_role text NOT NULL CHECK (actor_role IN ('customer', 'vendor', 'admin', 'system')),
  created_at timestamptz NOT NULL,
  -- Status changes (not placements) are numbered in commit order: the event ids of the
  -- order event stream, from which a reconnecting client resumes (Last-Event-ID).
  seq bigint UNIQUE CHECK ((seq IS NULL) = (from_status IS NULL))
);
CREATE INDEX order_status_history_order_idx ON order_status_history (order_id, id);

CREATE TABLE idempotency_keys (
  user_id uuid NOT NULL REFERENCES users (id),
  scope text NOT NULL CHECK (scope IN ('orders', 'payments')),
  idempotency_key text NOT NULL CHECK (char_length(idempotency_key) BETWEEN 1 AND 255),
  fingerprint text NOT NULL,
  claim_token text NOT NULL,  -- who holds the key while it runs
  resource_id uuid,           -- set once the work committed
  created_at timestamptz NOT NULL,
  locked_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, scope, idempotency_key)
);
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);

-- Single-use, 60-second tickets for browsers' EventSource, which cannot send an
-- Authorization header. Only the ticket's SHA-256 is stored; any server process redeems it.
CREATE TABLE stream_tickets (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  session_id uuid NOT NULL REFERENCES refresh_token_families (id),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX stream_tickets_expires_idx ON stream_tickets (expires_at);
