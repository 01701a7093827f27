#!/bin/sh
# fuzz/run.sh SECONDS TARGET... -- run each built libFuzzer target for a
# bounded time on a working copy of its seed corpus (fuzz/seeds/TARGET; the
# repository's seeds are never written to), then print one line per target
# with the executions it made.  A crash, a leak or a failed invariant stops
# with status 1; libFuzzer saves the input under build/fuzz/crashes/ (add it
# to fuzz/seeds/TARGET/ as a regression seed once it is fixed).
set -e
secs=$1
shift
summary=""
for t in "$@"; do
    work=build/fuzz/corpus/$t
    rm -rf "$work"
    mkdir -p "$work" build/fuzz/crashes
    cp fuzz/seeds/$t/* "$work"/
    log=build/fuzz/$t.log
    if ! build/fuzz/$t -max_total_time="$secs" -max_len=8192 -timeout=10 \
            -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix=build/fuzz/crashes/$t- "$work" >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        echo "fuzz: $t failed (input saved in build/fuzz/crashes/)" >&2
        exit 1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    summary="$summary
fuzz: $t: $runs executions in ${secs}s, $cov, corpus $(ls "$work" | wc -l) inputs, no crash"
done
echo "$summary" | sed '/^$/d'
