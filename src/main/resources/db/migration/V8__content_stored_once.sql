-- Content is stored once, in the raw delivery: events keep their normalized facts and outbox rows none; the
-- published record is rendered at publish time (ADR 0009). Rows written before keep their payload.
ALTER TABLE outbox ALTER COLUMN payload DROP NOT NULL;
