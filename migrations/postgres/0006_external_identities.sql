-- Users who sign in through an external identity provider (Amazon Cognito): the provider's
-- subject id links to one local user, created on first sight.
CREATE TABLE external_identities (
  provider text NOT NULL CHECK (provider IN ('cognito')),
  subject text NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 255),
  user_id uuid NOT NULL UNIQUE REFERENCES users (id),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (provider, subject)
);

-- A stream ticket binds to the caller's sign-in: a refresh-token family for Mercato's own
-- login, "cognito:<origin_jti>" for a Cognito token, which has no row to reference.
ALTER TABLE stream_tickets DROP CONSTRAINT stream_tickets_session_id_fkey;
ALTER TABLE stream_tickets ALTER COLUMN session_id TYPE text;
ALTER TABLE stream_tickets ADD CONSTRAINT stream_tickets_session_id_check CHECK (char_length(session_id) BETWEEN 1 AND 300);
