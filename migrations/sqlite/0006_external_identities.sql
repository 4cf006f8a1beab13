-- Users who sign in through an external identity provider (Amazon Cognito): the provider's
-- subject id links to one local user, created on first sight.
CREATE TABLE external_identities (
  provider TEXT NOT NULL CHECK (provider IN ('cognito')),
  subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
  user_id TEXT NOT NULL UNIQUE REFERENCES users (id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (provider, subject)
) STRICT, WITHOUT ROWID;

-- A stream ticket binds to the caller's sign-in: a refresh-token family for Mercato's own
-- login, "cognito:<origin_jti>" for a Cognito token, which has no row to reference. SQLite
-- cannot drop a foreign key, so the table is rebuilt (tickets live 60 s; none are kept).
DROP TABLE stream_tickets;
CREATE TABLE stream_tickets (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  session_id TEXT NOT NULL CHECK (length(session_id) BETWEEN 1 AND 300),
  expires_at TEXT NOT NULL,
  used_at TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX stream_tickets_expires_idx ON stream_tickets (expires_at);
