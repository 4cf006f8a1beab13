-- Accounts: encrypted email with a blind index, refresh-token families, one-time tokens,
-- the audit log and the outbound email queue.

-- No plaintext email: AES-256-GCM ciphertext (with key id) plus an HMAC-SHA256 blind
-- index for lookup and uniqueness. No user rows can exist before this migration.
DROP INDEX users_email_key;
ALTER TABLE users DROP COLUMN email;
ALTER TABLE users ADD COLUMN email_encrypted TEXT NOT NULL DEFAULT '' CHECK (email_encrypted <> '');
ALTER TABLE users ADD COLUMN email_index TEXT NOT NULL DEFAULT '' CHECK (length(email_index) = 64);
CREATE UNIQUE INDEX users_email_index_key ON users (email_index);

-- One family per login; every refresh spends a token and adds the next one to the family.
CREATE TABLE refresh_token_families (
  id TEXT PRIMARY KEY CHECK (length(id) = 36),
  user_id TEXT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT,
  revoked_reason TEXT CHECK (revoked_reason IN ('logout', 'reuse_detected', 'password_changed',
                                                'password_reset', 'user_disabled'))
) STRICT;
CREATE INDEX refresh_token_families_user_idx ON refresh_token_families (user_id);

CREATE TABLE refresh_tokens (
  id TEXT PRIMARY KEY CHECK (length(id) = 36),
  family_id TEXT NOT NULL REFERENCES refresh_token_families (id),
  token_hash TEXT NOT NULL CHECK (length(token_hash) = 64),
  created_at TEXT NOT NULL,
  spent_at TEXT
) STRICT;
CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

CREATE TABLE one_time_tokens (
  id TEXT PRIMARY KEY CHECK (length(id) = 36),
  user_id TEXT NOT NULL REFERENCES users (id),
  purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
  token_hash TEXT NOT NULL CHECK (length(token_hash) = 64),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  voided_at TEXT
) STRICT;
CREATE UNIQUE INDEX one_time_tokens_hash_key ON one_time_tokens (token_hash);
CREATE INDEX one_time_tokens_user_purpose_idx ON one_time_tokens (user_id, purpose);

CREATE TABLE audit_log (
  id TEXT PRIMARY KEY CHECK (length(id) = 36),
  occurred_at TEXT NOT NULL,
  event TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
  actor_id TEXT,
  subject_id TEXT,
  ip TEXT,
  request_id TEXT,
  details TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at, id);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_id, occurred_at);

-- Emails wait here until sent, so a failed send is retried, never lost. The payload
-- (recipient, subject, body with its one-time link) is encrypted like users' emails.
CREATE TABLE outbound_emails (
  id TEXT PRIMARY KEY CHECK (length(id) = 36),
  payload_encrypted TEXT NOT NULL,
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at TEXT NOT NULL,
  sent_at TEXT,
  last_error TEXT
) STRICT;
CREATE INDEX outbound_emails_pending_idx ON outbound_emails (next_attempt_at) WHERE sent_at IS NULL;
