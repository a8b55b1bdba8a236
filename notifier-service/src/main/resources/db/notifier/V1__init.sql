-- Messages already handled, by message id: at-least-once delivery becomes exactly-once effect.
CREATE TABLE processed_message (
  id TEXT PRIMARY KEY,
  topic TEXT NOT NULL,
  received_at INTEGER NOT NULL
);

-- One row per notification the service decided on (sent, grouped, quiet or suppressed).
CREATE TABLE notification (
  id TEXT PRIMARY KEY,
  source_id TEXT,
  topic TEXT,
  camera TEXT,
  event_id TEXT,
  category TEXT NOT NULL,
  urgency TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  tag TEXT,
  media_id TEXT,
  status TEXT NOT NULL,
  targets INTEGER NOT NULL DEFAULT 0,
  suppressed INTEGER NOT NULL DEFAULT 0,
  dropped INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX notification_created ON notification(created_at);
CREATE INDEX notification_event ON notification(event_id);
CREATE INDEX notification_camera_category ON notification(camera, category, created_at);

-- What the service knows about each camera: armed state, availability, snooze.
CREATE TABLE camera (
  camera TEXT PRIMARY KEY,
  armed INTEGER,
  availability TEXT,
  snoozed_until INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);

-- Browser push subscriptions (RFC 8030 endpoint plus RFC 8291 keys).
CREATE TABLE webpush_subscription (
  endpoint TEXT PRIMARY KEY,
  p256dh TEXT NOT NULL,
  auth TEXT NOT NULL,
  device_name TEXT NOT NULL,
  user_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  sent_count INTEGER NOT NULL DEFAULT 0
);

-- FCM registration tokens of phones and browsers.
CREATE TABLE fcm_token (
  token TEXT PRIMARY KEY,
  platform TEXT NOT NULL,
  device_name TEXT NOT NULL,
  user_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  sent_count INTEGER NOT NULL DEFAULT 0
);

-- Per-user notification preferences.
CREATE TABLE preference (
  user_name TEXT PRIMARY KEY,
  motion INTEGER NOT NULL,
  security INTEGER NOT NULL,
  system INTEGER NOT NULL,
  daily_summary INTEGER NOT NULL,
  include_snapshots INTEGER NOT NULL,
  quiet_start TEXT,
  quiet_end TEXT,
  timezone TEXT NOT NULL
);

-- One row per (notification, target): the durable outbox and the rate-limit ledger.
CREATE TABLE delivery (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  notification_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  target TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  finished_at INTEGER,
  with_image INTEGER NOT NULL DEFAULT 0,
  detail TEXT
);
CREATE INDEX delivery_target_created ON delivery(target, created_at);
CREATE INDEX delivery_pending ON delivery(status, next_attempt_at);
CREATE INDEX delivery_notification ON delivery(notification_id);

-- Replies to commands already answered, so a redelivered command gets the same answer.
CREATE TABLE command_reply (
  command_id TEXT PRIMARY KEY,
  reply TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- Small durable facts (e.g. the day the last daily summary went out).
CREATE TABLE setting (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
