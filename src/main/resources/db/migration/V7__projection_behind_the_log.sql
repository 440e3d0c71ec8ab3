-- The ack path writes the raw delivery alone; what it means is projected behind it, in id order (ADR 0009).
-- Same portable SQL as V1-V6 (ADR 0002).
ALTER TABLE raw_delivery ALTER COLUMN family DROP NOT NULL;
ALTER TABLE raw_delivery ALTER COLUMN parse_status DROP NOT NULL;
ALTER TABLE raw_delivery ALTER COLUMN event_count DROP NOT NULL;
DROP INDEX raw_delivery_status_ix;

-- How far the projection has read the log: every delivery up to this id is projected or quarantined.
CREATE TABLE projection_position (
    name        VARCHAR(32) PRIMARY KEY,
    delivery_id BIGINT NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
-- Deliveries stored before this version were projected as they were stored.
INSERT INTO projection_position (name, delivery_id, updated_at)
SELECT 'events', COALESCE(MAX(id), 0), CURRENT_TIMESTAMP FROM raw_delivery;

-- Deliveries the projection could not handle: kept, shown, re-projectable, never in the log's way.
CREATE TABLE quarantine (
    delivery_id     BIGINT PRIMARY KEY REFERENCES raw_delivery (id) ON DELETE CASCADE,
    reason          VARCHAR(500) NOT NULL,
    quarantined_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 1
);

-- Every account a delivery carries, so a user's purge reaches each of its deliveries.
CREATE TABLE delivery_account (
    delivery_id BIGINT NOT NULL REFERENCES raw_delivery (id) ON DELETE CASCADE,
    account_id  VARCHAR(64) NOT NULL,
    PRIMARY KEY (account_id, delivery_id)
);
CREATE INDEX delivery_account_delivery_ix ON delivery_account (delivery_id);
INSERT INTO delivery_account (delivery_id, account_id)
SELECT id, account_id FROM raw_delivery WHERE account_id IS NOT NULL;
