-- Alerts that cannot be starved (issue 12 #3). Each delivery row says whether it was drawn from the
-- device's security reserve (security notices, camera offline, flood reports) or from its general hourly
-- budget; the two are counted apart, so no other traffic can use up the reserve.
ALTER TABLE delivery ADD COLUMN reserved INTEGER NOT NULL DEFAULT 0;
CREATE INDEX delivery_target_reserved ON delivery(target, reserved, created_at, status);
-- Per-camera limits and alert cool-downs look notifications up by tag (flood reports, repeated alerts).
CREATE INDEX notification_tag ON notification(tag, created_at);
