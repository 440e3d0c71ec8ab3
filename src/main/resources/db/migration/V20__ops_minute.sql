-- The operator page's time axis: each replica's figures per minute (deliveries acknowledged, events recorded, ack
-- latency percentiles, outbox lag), rewritten while the minute lasts; read summed or maxed over replicas.
CREATE TABLE ops_minute (
    minute_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    replica      VARCHAR(128) NOT NULL,
    deliveries   BIGINT NOT NULL,
    events       BIGINT NOT NULL,
    ack_p50_ms   DOUBLE PRECISION,
    ack_p99_ms   DOUBLE PRECISION,
    outbox_lag_s DOUBLE PRECISION,
    CONSTRAINT ops_minute_pk PRIMARY KEY (minute_at, replica)
);
