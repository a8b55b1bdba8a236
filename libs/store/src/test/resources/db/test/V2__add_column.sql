ALTER TABLE item ADD COLUMN created_at TEXT;
CREATE INDEX item_created ON item(created_at);
