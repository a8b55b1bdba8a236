-- The hourly rate limit counts each device's deliveries of the last hour in the planning transaction.
-- Indexes that hold target, created_at and status answer it without reading the table rows: per device
-- (few devices) and for every device at once over the last hour only (large fan-outs).
DROP INDEX delivery_target_created;
CREATE INDEX delivery_target_created_status ON delivery(target, created_at, status);
CREATE INDEX delivery_created_target_status ON delivery(created_at, target, status);
