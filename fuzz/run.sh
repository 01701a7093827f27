#!/bin/sh
# fuzz/run.sh SECONDS TARGET... -- run each built libFuzzer target for a
# bounded time on a working copy of its seed corpus (fuzz/seeds/TARGET; the
# repository's seeds are never written to), FUZZ_JOBS targets at once (one
# a core by default), then print one line per target with the executions it
# made.  A crash, a leak or a failed invariant fails the run with status 1;
# libFuzzer saves the input under build/fuzz/crashes/ (add it to
# fuzz/seeds/TARGET/ as a regression seed once it is fixed).
set -e
secs=$1
shift
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
mkdir -p build/fuzz/crashes

# run_target TARGET: one bounded run; the fuzzer's status goes to TARGET.status.
run_target() {
    work=build/fuzz/corpus/$1
    rm -rf "$work"
    mkdir -p "$work"
    cp fuzz/seeds/$1/* "$work"/
    status=0
    build/fuzz/$1 -max_total_time="$secs" -max_len=8192 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix=build/fuzz/crashes/$1- "$work" >build/fuzz/$1.log 2>&1 || status=$?
    echo $status >build/fuzz/$1.status
}

# report TARGET: its summary line, or its log's end and a failure.
report() {
    log=build/fuzz/$1.log
    if [ "$(cat build/fuzz/$1.status)" != 0 ]; then
        tail -n 40 "$log" >&2
        echo "fuzz: $1 failed (input saved in build/fuzz/crashes/)" >&2
        return 1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    echo "fuzz: $1: $runs executions in ${secs}s, $cov, corpus $(ls build/fuzz/corpus/$1 | wc -l) inputs, no crash"
}

failed=0
while [ $# -gt 0 ]; do
    batch=""
    n=0
    while [ $# -gt 0 ] && [ $n -lt "$jobs" ]; do
        run_target "$1" &
        batch="$batch $1"
        n=$((n + 1))
        shift
    done
    wait
    for t in $batch; do
        report "$t" || failed=1
    done
done
exit $failed
