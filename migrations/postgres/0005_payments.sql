-- Payments: the gateway's intent, refunds by their own id, the transaction log, and the
-- webhook events already processed (each recorded once).

ALTER TABLE payments ADD COLUMN intent_id text;
-- Encrypted with the field-encryption key: whoever reads the table cannot pay with it.
ALTER TABLE payments ADD COLUMN client_secret text;
-- What succeeded refunds gave back; `refunded` once it reaches the amount.
ALTER TABLE payments ADD COLUMN amount_refunded bigint NOT NULL DEFAULT 0;
ALTER TABLE payments ADD CONSTRAINT payments_amount_refunded CHECK (amount_refunded BETWEEN 0 AND amount);
ALTER TABLE payments ADD CONSTRAINT payments_refunded_in_full CHECK (status <> 'refunded' OR amount_refunded = amount);
ALTER TABLE payments ADD COLUMN failure_code text CHECK (char_length(failure_code) <= 100);
ALTER TABLE payments ADD COLUMN failure_message text CHECK (char_length(failure_message) <= 500);
CREATE UNIQUE INDEX payments_gateway_intent_key ON payments (payment_gateway, intent_id) WHERE intent_id IS NOT NULL;
-- One attempt in progress per order: two initiations racing resume the same attempt.
CREATE UNIQUE INDEX payments_one_pending_per_order ON payments (order_id) WHERE status = 'pending';

CREATE TABLE refunds (
  id uuid PRIMARY KEY,
  payment_id uuid NOT NULL REFERENCES payments (id),
  amount bigint NOT NULL CHECK (amount > 0),
  currency char(3) NOT NULL CHECK (currency = lower(currency)),
  status text NOT NULL CHECK (status IN ('pending', 'requires_action', 'succeeded', 'failed', 'canceled')),
  reason text CHECK (char_length(reason) <= 500),
  gateway_refund_id text UNIQUE,
  -- Stored before the gateway is called, so that every retry sends the same key.
  idempotency_key text NOT NULL UNIQUE,
  requested_by uuid REFERENCES users (id),  -- null: the system (a cancellation)
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX refunds_payment_idx ON refunds (payment_id, created_at, id);
CREATE INDEX refunds_unsettled_idx ON refunds (created_at) WHERE status IN ('pending', 'requires_action');

-- The transaction log: every attempt, gateway call, webhook and status change.
CREATE TABLE payment_events (
  id uuid PRIMARY KEY,
  payment_id uuid NOT NULL REFERENCES payments (id),
  type text NOT NULL CHECK (type IN ('attempt_created', 'gateway_call', 'gateway_error', 'webhook',
                                     'status_changed', 'refund_requested', 'refund_updated')),
  from_status text,
  to_status text,
  gateway_id text,  -- the intent, charge, refund or event id concerned
  amount bigint,
  detail text CHECK (char_length(detail) <= 1000),
  actor_id uuid REFERENCES users (id),  -- null: the gateway or the system
  created_at timestamptz NOT NULL
);
CREATE INDEX payment_events_payment_idx ON payment_events (payment_id, created_at, id);

-- Gateways deliver at least once: an event id seen before changes nothing.
CREATE TABLE webhook_events (
  gateway text NOT NULL CHECK (gateway IN ('stripe', 'paypal')),
  event_id text NOT NULL CHECK (char_length(event_id) BETWEEN 1 AND 255),
  type text NOT NULL,
  payload text NOT NULL,  -- encrypted with the field-encryption key
  received_at timestamptz NOT NULL,
  PRIMARY KEY (gateway, event_id)
);
CREATE INDEX webhook_events_received_idx ON webhook_events (received_at);
