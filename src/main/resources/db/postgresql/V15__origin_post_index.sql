-- Only reposts have an origin post: a partial index costs the other events nothing.
CREATE INDEX activity_event_origin_post_ix ON activity_event (origin_post_id) WHERE origin_post_id IS NOT NULL;
