-- Accounts: encrypted email with a blind index, refresh-token families, one-time tokens,
-- the audit log and the outbound email queue.

-- No plaintext email: AES-256-GCM ciphertext (with key id) plus an HMAC-SHA256 blind
-- index for lookup and uniqueness. No user rows can exist before this migration.
DROP INDEX users_email_key;
ALTER TABLE users DROP COLUMN email;
ALTER TABLE users ADD COLUMN email_encrypted text NOT NULL CHECK (email_encrypted <> '');
ALTER TABLE users ADD COLUMN email_index char(64) NOT NULL;
CREATE UNIQUE INDEX users_email_index_key ON users (email_index);

CREATE TABLE refresh_token_families (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text CHECK (revoked_reason IN ('logout', 'reuse_detected', 'password_changed',
                                                'password_reset', 'user_disabled'))
);
CREATE INDEX refresh_token_families_user_idx ON refresh_token_families (user_id);

CREATE TABLE refresh_tokens (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES refresh_token_families (id),
  token_hash char(64) NOT NULL,
  created_at timestamptz NOT NULL,
  spent_at timestamptz
);
CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

CREATE TABLE one_time_tokens (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
  token_hash char(64) NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  voided_at timestamptz
);
CREATE UNIQUE INDEX one_time_tokens_hash_key ON one_time_tokens (token_hash);
CREATE INDEX one_time_tokens_user_purpose_idx ON one_time_tokens (user_id, purpose);

CREATE TABLE audit_log (
  id uuid PRIMARY KEY,
  occurred_at timestamptz NOT NULL,
  event text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('success', 'failure')),
  actor_id uuid,
  subject_id uuid,
  ip text,
  request_id text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at, id);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_id, occurred_at);

CREATE TABLE outbound_emails (
  id uuid PRIMARY KEY,
  payload_encrypted text NOT NULL,
  created_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL,
  sent_at timestamptz,
  last_error text
);
CREATE INDEX outbound_emails_pending_idx ON outbound_emails (next_attempt_at) WHERE sent_at IS NULL;
