-- Bodies of X's posts (2 to 6 KB with their user objects) are compressed when stored. PostgreSQL's default, pglz,
-- spent about half of the raw log's insert time; lz4 stores the same bytes (same WAL, same size) at nearly twice
-- the insert rate, and reads back faster. Only servers built with lz4 (Debian's and most packages are) take it;
-- elsewhere the bodies stay pglz-compressed. SET COMPRESSION does not recurse: the parent (which new days copy,
-- rawlog.Partitions) and every existing partition are set one by one. Rows already stored keep their compression.
DO $$
DECLARE
    t REGCLASS;
BEGIN
    ALTER TABLE raw_delivery ALTER COLUMN body SET COMPRESSION lz4;
    FOR t IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'raw_delivery'::regclass LOOP
        EXECUTE format('ALTER TABLE %s ALTER COLUMN body SET COMPRESSION lz4', t);
    END LOOP;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not built into this server: raw delivery bodies stay pglz-compressed';
END
$$;
