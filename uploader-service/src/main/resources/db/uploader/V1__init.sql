-- One row per media id: the durable queue. rowid gives FIFO order within a priority level.
CREATE TABLE media (
  media_id TEXT PRIMARY KEY,
  camera TEXT NOT NULL,
  event_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  path TEXT NOT NULL,
  url TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  media_start TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  priority INTEGER NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  eligible_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  staged_path TEXT,
  staged_at INTEGER,
  backend TEXT,
  remote_id TEXT,
  upload_session TEXT,
  ciphertext_size INTEGER,
  uploaded_at INTEGER
);
CREATE INDEX media_queue ON media(state, priority);
-- Messages to publish, written in the same transaction as the state change they report (outbox).
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  topic TEXT NOT NULL,
  payload BLOB NOT NULL,
  retained INTEGER NOT NULL DEFAULT 0
);
-- Settings changed at run time (set_settings), overriding application.properties.
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- Command ids already answered, so a redelivered command is not executed twice.
CREATE TABLE commands_seen (
  command_id TEXT PRIMARY KEY,
  seen_at INTEGER NOT NULL
);
