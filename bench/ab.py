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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=40, help="timed runs of each (default 40)")
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("args", nargs=argparse.REMAINDER, help="-- then the arguments")
    opts = ap.parse_args()
    args = opts.args[1:] if opts.args[:1] == ["--"] else opts.args
    if opts.runs < 2 or not args:
        ap.error("need --runs of at least 2 and the arguments after --")
    bins = [opts.old, opts.new]
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
