-- PostgreSQL only (H2 in dev keeps plain tables): the raw log and its links partitioned by receipt day, so
-- retention detaches and drops a day's partitions instead of deleting its rows one by one (ADR 0010). The service
-- keeps a week of days ahead (rawlog.Partitions); there is deliberately no DEFAULT partition, whose presence would
-- forbid detaching a day without blocking the ack path (DETACH ... CONCURRENTLY). Rows stored before this version
-- keep their table, attached as the partition of everything up to tomorrow; retention empties it row by row.

-- A partitioned table references no other and is referenced by none: the links cascade no more, retention
-- removes them with their deliveries. Events keep the id of a delivery retention removed (never reused).
ALTER TABLE activity_event DROP CONSTRAINT IF EXISTS activity_event_delivery_id_fkey;
ALTER TABLE quarantine DROP CONSTRAINT IF EXISTS quarantine_delivery_id_fkey;
ALTER TABLE delivery_post DROP CONSTRAINT IF EXISTS delivery_post_delivery_id_fkey;
ALTER TABLE delivery_account DROP CONSTRAINT IF EXISTS delivery_account_delivery_id_fkey;

ALTER TABLE raw_delivery RENAME TO raw_delivery_legacy;
ALTER TABLE raw_delivery_legacy ALTER COLUMN id DROP IDENTITY IF EXISTS;
ALTER TABLE raw_delivery_legacy DROP CONSTRAINT raw_delivery_pkey; -- the parent's key (with the day) replaces it
ALTER INDEX raw_delivery_received_at_ix RENAME TO raw_delivery_legacy_received_at_ix;
ALTER TABLE delivery_post RENAME TO delivery_post_legacy;
ALTER TABLE delivery_post_legacy DROP CONSTRAINT delivery_post_pkey; -- the parent's key (with the day) replaces it
ALTER INDEX delivery_post_post_ix RENAME TO delivery_post_legacy_post_ix;
ALTER TABLE delivery_account RENAME TO delivery_account_legacy;
ALTER TABLE delivery_account_legacy DROP CONSTRAINT delivery_account_pkey; -- the parent's key (with the day) replaces it
ALTER INDEX delivery_account_delivery_ix RENAME TO delivery_account_legacy_delivery_ix;

CREATE SEQUENCE raw_delivery_id_seq AS BIGINT;
CREATE TABLE raw_delivery (
    id                 BIGINT NOT NULL DEFAULT nextval('raw_delivery_id_seq'),
    received_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    body               BYTEA NOT NULL,
    body_sha256        VARCHAR(64) NOT NULL,
    headers            TEXT NOT NULL,
    secret_fingerprint VARCHAR(16) NOT NULL,
    family             VARCHAR(16),
    parse_status       VARCHAR(16),
    parse_problem      VARCHAR(500),
    event_count        INTEGER,
    account_id         VARCHAR(64),
    purged_at          TIMESTAMP WITH TIME ZONE,
    CONSTRAINT raw_delivery_pkey PRIMARY KEY (id, received_at),
    CONSTRAINT raw_delivery_family_ck CHECK (family IN ('AAA', 'XAA', 'STREAM', 'REPLAY', 'UNKNOWN')),
    CONSTRAINT raw_delivery_status_ck CHECK (parse_status IN ('PARSED', 'UNKNOWN', 'UNPARSEABLE'))
) PARTITION BY RANGE (received_at);
ALTER SEQUENCE raw_delivery_id_seq OWNED BY raw_delivery.id;
CREATE INDEX raw_delivery_received_at_ix ON raw_delivery (received_at);

CREATE TABLE delivery_post (
    delivery_id BIGINT NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    post_id     VARCHAR(19) NOT NULL,
    CONSTRAINT delivery_post_pkey PRIMARY KEY (delivery_id, post_id, received_at)
) PARTITION BY RANGE (received_at);
CREATE INDEX delivery_post_post_ix ON delivery_post (post_id);

CREATE TABLE delivery_account (
    delivery_id BIGINT NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    account_id  VARCHAR(64) NOT NULL,
    CONSTRAINT delivery_account_pkey PRIMARY KEY (account_id, delivery_id, received_at)
) PARTITION BY RANGE (received_at);
CREATE INDEX delivery_account_delivery_ix ON delivery_account (delivery_id);

DO $$
DECLARE
    today TIMESTAMP WITH TIME ZONE := date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    legacy_rows BIGINT;
    day TIMESTAMP WITH TIME ZONE;
    t TEXT;
BEGIN
    SELECT count(*) INTO legacy_rows FROM raw_delivery_legacy;
    PERFORM setval('raw_delivery_id_seq', COALESCE((SELECT max(id) FROM raw_delivery_legacy), 0) + 1, false);
    IF legacy_rows = 0 THEN
        DROP TABLE delivery_post_legacy, delivery_account_legacy, raw_delivery_legacy;
        day := today;
    ELSE
        -- Everything stored so far, up to the end of today, stays where it is.
        FOREACH t IN ARRAY ARRAY['raw_delivery', 'delivery_post', 'delivery_account'] LOOP
            EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (MINVALUE) TO (%L)',
                           t, t || '_legacy', today + interval '1 day');
        END LOOP;
        day := today + interval '1 day';
    END IF;
    -- Today and the week ahead; the service keeps a week ahead from then on.
    WHILE day < today + interval '8 days' LOOP
        FOREACH t IN ARRAY ARRAY['raw_delivery', 'delivery_post', 'delivery_account'] LOOP
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                           t || '_p' || to_char(day AT TIME ZONE 'UTC', 'YYYYMMDD'), t, day, day + interval '1 day');
        END LOOP;
        day := day + interval '1 day';
    END LOOP;
END
$$;
