-- Every outbox row used to enter the index of parked rows (its NULL included), though only parked rows are ever
-- looked up by it (stats, the parked list, retention of parked rows). Parked rows are rare: indexing only them spares
-- each event's outbox insert one index entry.
CREATE INDEX outbox_parked_only_ix ON outbox (parked_at) WHERE parked_at IS NOT NULL;
DROP INDEX outbox_parked_ix;
