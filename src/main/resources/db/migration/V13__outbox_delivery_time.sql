-- An outbox row names when its delivery was received, so the relay reading the delivery at publish time reaches
-- only that day's partition of the raw log (db/postgresql/V12) instead of probing every day's index for every id.
-- Rows written before have none and are looked up by id alone. Portable SQL (ADR 0002).
ALTER TABLE outbox ADD COLUMN received_at TIMESTAMP WITH TIME ZONE;
