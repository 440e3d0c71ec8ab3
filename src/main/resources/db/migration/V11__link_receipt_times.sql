-- A link row carries its delivery's receipt time, so on PostgreSQL it lives in its delivery's daily partition and
-- leaves with it (db/postgresql/V12). Same portable SQL as V1-V10 (ADR 0002).
ALTER TABLE delivery_post ADD COLUMN received_at TIMESTAMP WITH TIME ZONE;
UPDATE delivery_post SET received_at = (SELECT r.received_at FROM raw_delivery r WHERE r.id = delivery_post.delivery_id);
ALTER TABLE delivery_post ALTER COLUMN received_at SET NOT NULL;
ALTER TABLE delivery_account ADD COLUMN received_at TIMESTAMP WITH TIME ZONE;
UPDATE delivery_account
SET received_at = (SELECT r.received_at FROM raw_delivery r WHERE r.id = delivery_account.delivery_id);
ALTER TABLE delivery_account ALTER COLUMN received_at SET NOT NULL;
