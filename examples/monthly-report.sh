#!/bin/sh
# Last month's EHC plan deadline report, the way a cron job makes it.
#
#   crontab (cron's PATH is only /usr/bin:/bin, so say where ehcp-check is):
#   15 6 1 * *  EHCP_CHECK=/opt/ehcp/.venv/bin/ehcp-check INPUT=/data/cases.csv OUT=/data/reports /opt/ehcp/examples/monthly-report.sh
#
# Environment (all optional):
#   INPUT       the case export to audit       (default: monthly-export.csv beside this script)
#   OUT         folder for the reports         (default: reports)
#   MONTH       YYYY-MM to report on           (default: the month before today)
#   CONFIG      an ehcp-check settings file    (default: ehcp-check's own search)
#   EHCP_CHECK  the ehcp-check command         (default: found beside this script, in the
#               checkout's .venv, or on PATH)
#
# Writes "$OUT/$MONTH.json" (summary figures, no case list) and "$OUT/$MONTH.xlsx" (the full
# workbook), judging open cases as of the last day of the month. Quiet when it worked.
#
# Exit status: 0 the report was written (breaches found or not: ehcp-check's exit 1 is the
# report's news, not a failure of the job); 4 the month has no cases (one line on stderr, no
# report written); 2 bad input or usage; 127 ehcp-check not found; anything else fails the job.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
INPUT=${INPUT:-"$HERE/monthly-export.csv"}
OUT=${OUT:-reports}

if [ -z "${EHCP_CHECK:-}" ]; then
    for candidate in "$HERE/ehcp-check" "$HERE/../.venv/bin/ehcp-check" "$HERE/../bin/ehcp-check"; do
        if [ -x "$candidate" ]; then
            EHCP_CHECK=$candidate
            break
        fi
    done
fi
if [ -z "${EHCP_CHECK:-}" ]; then
    EHCP_CHECK=$(command -v ehcp-check 2>/dev/null) || {
        echo "monthly-report: cannot find ehcp-check; set EHCP_CHECK=/path/to/ehcp-check" >&2
        exit 127
    }
fi

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
set -- audit "$INPUT" --month "$MONTH" --as-of "$AS_OF" --quiet
if [ -n "${CONFIG:-}" ]; then
    set -- "$@" --config "$CONFIG"
fi

# One run: the JSON summary on stdout, the workbook with -o. Exit 0 (no breach) and 1
# (breaches found) are both a successful run; 4 is a month with no cases.
status=0
"$EHCP_CHECK" "$@" --format json --no-cases -o "$OUT/$MONTH.xlsx" --force \
    >"$OUT/$MONTH.json.tmp" || status=$?
if [ "$status" -gt 1 ]; then
    rm -f "$OUT/$MONTH.json.tmp"
    if [ "$status" -ne 4 ]; then
        echo "monthly-report: ehcp-check failed (exit $status) on $INPUT" >&2
    fi
    exit "$status"
fi
mv "$OUT/$MONTH.json.tmp" "$OUT/$MONTH.json"
