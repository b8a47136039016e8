-- doorlog's long export in PostgreSQL: one row per centre, period and
-- metric. Load files with load.sh (an upsert: loading a file again, or a
-- corrected one, replaces its rows).
CREATE TABLE IF NOT EXISTS doorlog_counts (
    centre       text    NOT NULL,
    period_start date    NOT NULL,
    period_end   date    NOT NULL,
    period_kind  text    NOT NULL
        CHECK (period_kind IN ('day', 'week', 'month', 'year', 'range')),
    metric       text    NOT NULL,
    -- NULL where the count was suppressed (small numbers).
    value        bigint,
    suppressed   boolean NOT NULL,
    PRIMARY KEY (centre, period_start, period_kind, metric),
    CHECK (suppressed = (value IS NULL))
);
