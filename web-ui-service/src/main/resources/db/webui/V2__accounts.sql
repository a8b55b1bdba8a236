-- Accounts (issue 14 #6): optional TOTP second factor with one-time recovery codes; sessions remember
-- the browser and address they were opened from, so a user can tell their sessions apart.
ALTER TABLE app_user ADD COLUMN totp_secret TEXT;
-- The last accepted TOTP time step (a code is accepted once: replays are refused).
ALTER TABLE app_user ADD COLUMN totp_last_step INTEGER;

-- Only the SHA-256 of each recovery code is stored; a code works once.
CREATE TABLE recovery_code (
  username TEXT NOT NULL REFERENCES app_user (username) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at INTEGER,
  PRIMARY KEY (username, code_hash)
);

ALTER TABLE session ADD COLUMN user_agent TEXT;
ALTER TABLE session ADD COLUMN address TEXT;
