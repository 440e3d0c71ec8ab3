-- The outbox keeps the event's own type (post.created); the CloudEvents type prefix is applied when a row is
-- published, so a changed xwr.outbox.type-prefix reaches the rows still waiting and ce_dataschema follows from the
-- type. Rows written under the former default prefix lose it; a custom prefix of a waiting row is kept (and
-- published behind the new one).
ALTER TABLE outbox RENAME COLUMN ce_type TO event_type;
UPDATE outbox SET event_type = SUBSTRING(event_type, 16) WHERE event_type LIKE 'com.x.activity.%';
