#!/bin/sh
# Last month's EHC plan deadline report, the way a cron job makes it.
#
#   crontab:  15 6 1 * *  /path/to/examples/monthly-report.sh >>/var/log/ehcp-report.log 2>&1
#
# Environment (all optional):
#   INPUT       the case export to audit       (default: examples/monthly-export.csv)
#   OUT         folder for the reports         (default: reports)
#   MONTH       YYYY-MM to report on           (default: the month before today)
#   EHCP_CHECK  the ehcp-check command         (default: ehcp-check)
#
# Writes "$OUT/$MONTH.json" (summary figures, no case list) and "$OUT/$MONTH.xlsx" (the full
# workbook), judging open cases as of the last day of the month. ehcp-check exits 1 when it
# finds breaches: that is the report's news, not a failure of the job. Exit 2 (bad input,
# unreadable file) or anything else fails the job.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
INPUT=${INPUT:-"$HERE/monthly-export.csv"}
OUT=${OUT:-reports}
EHCP_CHECK=${EHCP_CHECK:-ehcp-check}

if [ -z "${MONTH:-}" ]; then
    # GNU date first; BSD / busybox date lack -d, so fall back to Python.
    MONTH=$(date -d "$(date +%Y-%m-01) -1 month" +%Y-%m 2>/dev/null) || MONTH=$(
        python3 -c 'import datetime as d; t = d.date.today().replace(day=1) - d.timedelta(days=1); print(t.strftime("%Y-%m"))'
    )
fi
case "$MONTH" in
    [0-9][0-9][0-9][0-9]-[0-1][0-9]) ;;
    *) echo "monthly-report: MONTH must be YYYY-MM, not '$MONTH'" >&2; exit 2 ;;
esac

# The last day of MONTH: the day before the first of the next month.
YEAR=${MONTH%-*}
MM=${MONTH#*-}
MM=${MM#0}
if [ "$MM" -eq 12 ]; then
    NEXT=$((YEAR + 1))-01-01
else
    NEXT=$(printf '%s-%02d-01' "$YEAR" $((MM + 1)))
fi
AS_OF=$(date -d "$NEXT -1 day" +%Y-%m-%d 2>/dev/null) || AS_OF=$(
    python3 -c 'import datetime as d, sys; print(d.date.fromisoformat(sys.argv[1]) - d.timedelta(days=1))' "$NEXT"
)

mkdir -p "$OUT"

# Exit 0 (no breach) and 1 (breaches found) are both a successful run.
status=0
"$EHCP_CHECK" audit "$INPUT" --month "$MONTH" --as-of "$AS_OF" --format json --no-cases \
    >"$OUT/$MONTH.json.tmp" || status=$?
if [ "$status" -gt 1 ]; then
    rm -f "$OUT/$MONTH.json.tmp"
    echo "monthly-report: ehcp-check failed (exit $status) on $INPUT" >&2
    exit "$status"
fi
mv "$OUT/$MONTH.json.tmp" "$OUT/$MONTH.json"

"$EHCP_CHECK" audit "$INPUT" --month "$MONTH" --as-of "$AS_OF" \
    -o "$OUT/$MONTH.xlsx" --force --exit-zero >/dev/null || {
    status=$?
    echo "monthly-report: ehcp-check could not write $OUT/$MONTH.xlsx (exit $status)" >&2
    exit "$status"
}

if [ -s "$OUT/$MONTH.json" ]; then
    echo "monthly-report: $MONTH (as of $AS_OF): wrote $OUT/$MONTH.json and $OUT/$MONTH.xlsx"
fi
