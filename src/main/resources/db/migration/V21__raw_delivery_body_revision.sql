-- Counts the rewrites of a delivery's body (purges): the relay publishes from what the projection read only while
-- the revision it read is still the stored one.
ALTER TABLE raw_delivery ADD COLUMN body_revision INTEGER NOT NULL DEFAULT 0;
