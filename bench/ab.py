"""Two builds of relcore, or any two commands, timed in turn.

    python bench/ab.py [--runs 40] OLD_BIN NEW_BIN -- ARGS...
    python bench/ab.py --runs 40 /tmp/old/relcore ./relcore -- \\
        cooccur --context sentence --top 10 --ner rules --threads 1 ../shared/corpora/bbc

On a shared machine the speed of the host drifts over minutes, so two
tables taken apart compare the host as much as the builds.  Here the two
binaries run the same arguments alternately (old, new, then new, old, ...)
and each one's median wall time, first quartile and median CPU time (user +
system, from getrusage of the children) are printed with the ratio of the
medians.  Output goes to /dev/null; the first run of each is a warm-up.

With --mbps the two are builds of bench/bench_core and what is compared
is the throughput they print (the MB/s of every stage line), not the
process's time: the loading of the corpus and the start of the process
stay out, and with bench_core's --repeat each run adds several figures:

    python bench/ab.py --mbps --runs 6 /tmp/old/bench_core bench/bench_core -- \\
        --stage entities --repeat 30 ../shared/corpora/bbc
"""
import argparse
import resource
import statistics
import subprocess
import sys
import time


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU milliseconds of one run of argv."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = (time.perf_counter() - t0) * 1e3
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"ab.py: {' '.join(argv)} exited with {proc.returncode}")
    cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1e3
    return wall, cpu


def stage_mbps(argv: list[str]) -> list[float]:
    """The MB/s of every stage line bench_core printed (name, MB, seconds,
    MB/s, count; peak_rss_mb has two fields)."""
    proc = subprocess.run(argv, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"ab.py: {' '.join(argv)} exited with {proc.returncode}: {proc.stderr.strip()}")
    rows = [line.split("\t") for line in proc.stdout.splitlines()]
    return [float(f[3]) for f in rows if len(f) >= 5]


def compare_mbps(bins: list[str], args: list[str], runs: int) -> None:
    """bench_core's MB/s of the two builds, runs of each in turn."""
    mbps: list[list[float]] = [[], []]
    for r in range(runs):
        for k in (0, 1) if r % 2 == 0 else (1, 0):
            mbps[k].extend(stage_mbps([bins[k], *args]))
    if not mbps[0] or not mbps[1]:
        sys.exit("ab.py: bench_core printed no stage line")
    for k, name in enumerate(("old", "new")):
        v = mbps[k]
        print(f"{name} {bins[k]}: MB/s median {statistics.median(v):.1f} "
              f"(third quartile {statistics.quantiles(v, n=4)[2]:.1f}, best {max(v):.1f}, "
              f"{len(v)} figures)")
    ratio = statistics.median(mbps[1]) / statistics.median(mbps[0])
    print(f"new / old, median MB/s: {ratio:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=40, help="timed runs of each (default 40)")
    ap.add_argument("--mbps", action="store_true",
                    help="compare the MB/s two bench_core builds print, not the time")
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("args", nargs=argparse.REMAINDER, help="-- then the arguments")
    opts = ap.parse_args()
    args = opts.args[1:] if opts.args[:1] == ["--"] else opts.args
    if opts.runs < 2 or not args:
        ap.error("need --runs of at least 2 and the arguments after --")
    bins = [opts.old, opts.new]
    if opts.mbps:
        compare_mbps(bins, args, opts.runs)
        return
    for b in bins:
        timed([b, *args])  # warm-up: page cache, the binary's pages
    wall: list[list[float]] = [[], []]
    cpu: list[list[float]] = [[], []]
    for r in range(opts.runs):
        for k in (0, 1) if r % 2 == 0 else (1, 0):
            w, c = timed([bins[k], *args])
            wall[k].append(w)
            cpu[k].append(c)
    for k, name in enumerate(("old", "new")):
        print(f"{name} {bins[k]}: wall median {statistics.median(wall[k]):.2f} ms "
              f"(first quartile {statistics.quantiles(wall[k], n=4)[0]:.2f}), "
              f"cpu median {statistics.median(cpu[k]):.2f} ms")
    ratio = statistics.median(wall[1]) / statistics.median(wall[0])
    print(f"new / old, median wall: {ratio:.3f}")


if __name__ == "__main__":
    main()
