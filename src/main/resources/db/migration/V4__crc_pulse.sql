-- When a CRC was last answered, by any replica: X's checks (hourly, and on every re-validation) are the
-- webhook's pulse; a long silence means X stopped checking, or cannot reach us. One row, moved forward only.
CREATE TABLE crc_pulse (
    id           INTEGER PRIMARY KEY,
    answered_at  TIMESTAMP WITH TIME ZONE,
    CHECK (id = 1)
);
INSERT INTO crc_pulse (id, answered_at) VALUES (1, NULL);
