-- Only outbox rows written before content was stored once (V8) carry a payload for a purge to overwrite; the rest
-- hold none. Without this index each purge scanned the whole outbox looking for them (20 ms a purge with a
-- quarter of a million rows waiting); a partial index costs the rows without a payload nothing.
CREATE INDEX outbox_legacy_payload_ix ON outbox (event_key) WHERE payload IS NOT NULL;
