-- Times are epoch milliseconds (INTEGER) so they sort and compare correctly.
-- Messages already applied, by payload id: delivery is at-least-once, so every handler records the
-- id in the same transaction as its effect and skips ids it has seen.
CREATE TABLE seen_message (
  id TEXT PRIMARY KEY,
  topic TEXT NOT NULL,
  received_at INTEGER NOT NULL
);

-- One row per motion event (eventId), updated in place by start/update/end.
CREATE TABLE motion_event (
  event_id TEXT PRIMARY KEY,
  camera TEXT NOT NULL,
  phase TEXT NOT NULL,
  phase_rank INTEGER NOT NULL,
  score REAL NOT NULL,
  armed INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  boxes_json TEXT,
  updated_at INTEGER NOT NULL
);
CREATE INDEX motion_event_started ON motion_event (started_at DESC);
CREATE INDEX motion_event_camera_started ON motion_event (camera, started_at DESC);

-- Snapshots and clips announced by cameras, with what the uploader has done with them.
CREATE TABLE media (
  media_id TEXT PRIMARY KEY,
  camera TEXT NOT NULL,
  event_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  url TEXT,
  content_type TEXT,
  size INTEGER,
  sha256 TEXT,
  start_at INTEGER,
  end_at INTEGER,
  stage TEXT NOT NULL,
  backend TEXT,
  updated_at INTEGER NOT NULL
);
CREATE INDEX media_event ON media (event_id, kind);

-- What is known about each camera: retained state, availability, last motion.
CREATE TABLE camera (
  camera TEXT PRIMARY KEY,
  availability TEXT,
  availability_at INTEGER,
  armed INTEGER,
  streaming INTEGER,
  width INTEGER,
  height INTEGER,
  fps REAL,
  source TEXT,
  version TEXT,
  state_at INTEGER,
  last_motion_at INTEGER
);

-- Security and system alerts (cameras and services), latest first.
CREATE TABLE alert (
  id TEXT PRIMARY KEY,
  camera TEXT,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  active INTEGER NOT NULL,
  message TEXT NOT NULL,
  time INTEGER NOT NULL
);
CREATE INDEX alert_time ON alert (time DESC);

-- Notifications the notifier sent, for the notification page's history.
CREATE TABLE notification (
  id TEXT PRIMARY KEY,
  camera TEXT,
  source_id TEXT,
  category TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  delivered INTEGER NOT NULL,
  suppressed INTEGER NOT NULL,
  time INTEGER NOT NULL
);
CREATE INDEX notification_time ON notification (time DESC);

-- Small named values: the uploader's retained statistics (raw JSON), and the like.
CREATE TABLE setting (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

-- The owner (and later other users): Argon2id password hashes in PHC string form.
CREATE TABLE app_user (
  username TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- Login sessions; the cookie holds a random secret, the table only its SHA-256.
CREATE TABLE session (
  token_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL REFERENCES app_user (username) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);

-- API tokens for scripts and other programs (Authorization: Bearer); only the SHA-256 is stored.
CREATE TABLE api_token (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  username TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
