-- A repost's event carries the original post's text: the original's deletion must find it. Null for every event
-- but reposts; on PostgreSQL only the non-null entries are indexed (V15), H2 (development) scans.
ALTER TABLE activity_event ADD COLUMN origin_post_id VARCHAR(19);
