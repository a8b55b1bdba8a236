-- One webhook URL per user (settings_set webhook_url): notifications are POSTed there, signed.
CREATE TABLE webhook (
  user_name TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  sent_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhook_url ON webhook(url);
