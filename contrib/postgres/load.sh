#!/bin/sh
# Loads doorlog long exports (`doorlog export --format long`, or `doorlog
# merge --format long`) into doorlog_counts (schema.sql), each file in one
# transaction. Idempotent: a row already there (centre, period start,
# period kind, metric) is replaced. The connection comes from psql's usual
# environment (PGHOST, PGPORT, PGDATABASE, PGUSER, ...).
#
#   contrib/postgres/load.sh counts-2026-11-25-long.csv ...
set -eu
if [ "$#" -eq 0 ]; then
    echo "usage: $0 LONG_EXPORT.csv..." >&2
    exit 1
fi
for f in "$@"; do
    # The first line, without a BOM (--excel) or a carriage return.
    header=$(head -n 1 -- "$f" | sed 's/^\xEF\xBB\xBF//' | tr -d '\r')
    case "$header" in
        "date,centre,metric,value,suppressed")
            cols="period_start, centre, metric, value, suppressed"
            delim="," ;;
        "date;centre;metric;value;suppressed")
            cols="period_start, centre, metric, value, suppressed"
            delim=";" ;;
        "period_start,period_end,period_kind,centre,metric,value,suppressed")
            cols="period_start, period_end, period_kind, centre, metric, value, suppressed"
            delim="," ;;
        "period_start;period_end;period_kind;centre;metric;value;suppressed")
            cols="period_start, period_end, period_kind, centre, metric, value, suppressed"
            delim=";" ;;
        *)
            echo "$f: not a doorlog long export (its first line is: $header)" >&2
            exit 1 ;;
    esac
    case "$f" in
        *"'"* | *"
"*) echo "$f: a file name with a quote or a line break cannot be loaded" >&2; exit 1 ;;
    esac
    psql -X -q -v ON_ERROR_STOP=1 <<SQL
BEGIN;
CREATE TEMP TABLE doorlog_load (
    period_start date, period_end date, period_kind text,
    centre text, metric text, value bigint, suppressed boolean
) ON COMMIT DROP;
\copy doorlog_load ($cols) FROM '$f' WITH (FORMAT csv, HEADER true, DELIMITER '$delim', ENCODING 'UTF8')
UPDATE doorlog_load SET period_end = period_start, period_kind = 'day'
    WHERE period_kind IS NULL;
INSERT INTO doorlog_counts
    SELECT centre, period_start, period_end, period_kind, metric, value, suppressed
    FROM doorlog_load
ON CONFLICT (centre, period_start, period_kind, metric) DO UPDATE
    SET period_end = EXCLUDED.period_end,
        value = EXCLUDED.value,
        suppressed = EXCLUDED.suppressed;
COMMIT;
SQL
done
