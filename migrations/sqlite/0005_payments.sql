-- Payments: the gateway's intent, refunds by their own id, the transaction log, and the
-- webhook events already processed (each recorded once).

ALTER TABLE payments ADD COLUMN intent_id TEXT;
-- Encrypted with the field-encryption key: whoever reads the table cannot pay with it.
ALTER TABLE payments ADD COLUMN client_secret TEXT;
-- What succeeded refunds gave back; `refunded` once it reaches the amount.
ALTER TABLE payments ADD COLUMN amount_refunded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN failure_code TEXT CHECK (length(failure_code) <= 100);
ALTER TABLE payments ADD COLUMN failure_message TEXT CHECK (length(failure_message) <= 500);
-- SQLite cannot add a table CHECK to an existing table: triggers say the same.
CREATE TRIGGER payments_refund_limits_insert BEFORE INSERT ON payments
WHEN NEW.amount_refunded < 0 OR NEW.amount_refunded > NEW.amount
  OR (NEW.status = 'refunded' AND NEW.amount_refunded <> NEW.amount)
BEGIN SELECT RAISE(ABORT, 'payments_amount_refunded'); END;
CREATE TRIGGER payments_refund_limits_update BEFORE UPDATE ON payments
WHEN NEW.amount_refunded < 0 OR NEW.amount_refunded > NEW.amount
  OR (NEW.status = 'refunded' AND NEW.amount_refunded <> NEW.amount)
BEGIN SELECT RAISE(ABORT, 'payments_amount_refunded'); END;
CREATE UNIQUE INDEX payments_gateway_intent_key ON payments (payment_gateway, intent_id) WHERE intent_id IS NOT NULL;
-- One attempt in progress per order: two initiations racing resume the same attempt.
CREATE UNIQUE INDEX payments_one_pending_per_order ON payments (order_id) WHERE status = 'pending';

CREATE TABLE refunds (
  id TEXT PRIMARY KEY CHECK (length(id) = 36),
  payment_id TEXT NOT NULL REFERENCES payments (id),
  amount INTEGER NOT NULL CHECK (amount > 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3 AND currency = lower(currency)),
  status TEXT NOT NULL CHECK (status IN ('pending', 'requires_action', 'succeeded', 'failed', 'canceled')),
  reason TEXT CHECK (length(reason) <= 500),
  gateway_refund_id TEXT UNIQUE,
  -- Stored before the gateway is called, so that every retry sends the same key.
  idempotency_key TEXT NOT NULL UNIQUE,
  requested_by TEXT REFERENCES users (id),  -- null: the system (a cancellation)
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX refunds_payment_idx ON refunds (payment_id, created_at, id);
CREATE INDEX refunds_unsettled_idx ON refunds (created_at) WHERE status IN ('pending', 'requires_action');

-- The transaction log: every attempt, gateway call, webhook and status change.
CREATE TABLE payment_events (
  id TEXT PRIMARY KEY CHECK (length(id) = 36),
  payment_id TEXT NOT NULL REFERENCES payments (id),
  type TEXT NOT NULL CHECK (type IN ('attempt_created', 'gateway_call', 'gateway_error', 'webhook',
                                     'status_changed', 'refund_requested', 'refund_updated')),
  from_status TEXT,
  to_status TEXT,
  gateway_id TEXT,  -- the intent, charge, refund or event id concerned
  amount INTEGER,
  detail TEXT CHECK (length(detail) <= 1000),
  actor_id TEXT REFERENCES users (id),  -- null: the gateway or the system
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX payment_events_payment_idx ON payment_events (payment_id, created_at, id);

-- Gateways deliver at least once: an event id seen before changes nothing.
CREATE TABLE webhook_events (
  gateway TEXT NOT NULL CHECK (gateway IN ('stripe', 'paypal')),
  event_id TEXT NOT NULL CHECK (length(event_id) BETWEEN 1 AND 255),
  type TEXT NOT NULL,
  payload TEXT NOT NULL,  -- encrypted with the field-encryption key
  received_at TEXT NOT NULL,
  PRIMARY KEY (gateway, event_id)
) STRICT;
CREATE INDEX webhook_events_received_idx ON webhook_events (received_at);
