"""The Python API against the CLI on the same job: a co-occurrence table.

    python bench/python_api.py [CSV] [--runs 5] [--binary ./relcore]

CSV defaults to the UN General Debate corpus (../shared/corpora/
ungdc_1990_2024.csv).  Each run, interleaved so that the shared machine's
noise falls on both alike:

  cli      `relcore cooccur CSV -o FILE`: read, analyse, count, write CSV
  python   `Corpus.from_csv(CSV).cooccurrence()`: read, analyse, count, and
           the pandas DataFrame (in this process)

and, to see where the time goes, the CLI's `count --top 1` (the same read
and analysis with a one-row output) and, on the loaded corpus, the core's
columns alone (`_core.cooccur`) and the whole `cooccurrence()` call.
Prints medians and the ratio python / cli (the issue's budget: 1.5).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UN = ROOT.parent / "shared" / "corpora" / "ungdc_1990_2024.csv"


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", nargs="?", default=str(UN))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--binary", default=str(ROOT / "relcore"))
    args = ap.parse_args()
    if not os.path.exists(args.csv):
        sys.exit(f"{args.csv}: no such file (the UN corpus lives in ../shared)")
    subprocess.run(["make", "-s", "-C", str(ROOT), "relcore"], check=True)
    import relcore

    out = os.path.join(tempfile.mkdtemp(), "edges.csv")
    times: dict[str, list[float]] = {}
    rows = 0
    for _ in range(args.runs):
        times.setdefault("cli cooccur -o FILE", []).append(timed(lambda: subprocess.run(
            [args.binary, "cooccur", args.csv, "-o", out, "--quiet"], check=True)))
        times.setdefault("cli count --top 1", []).append(timed(lambda: subprocess.run(
            [args.binary, "count", args.csv, "--top", "1", "--quiet"], check=True,
            stdout=subprocess.DEVNULL)))
        t0 = time.perf_counter()
        corpus = relcore.Corpus.from_csv(args.csv, progress=False)
        t1 = time.perf_counter()
        df = corpus.cooccurrence()
        t2 = time.perf_counter()
        times.setdefault("python from_csv + cooccurrence()", []).append(t2 - t0)
        times.setdefault("python from_csv", []).append(t1 - t0)
        times.setdefault("python cooccurrence() (loaded)", []).append(t2 - t1)
        times.setdefault("python _core.cooccur columns (loaded)", []).append(
            timed(lambda: corpus._core.cooccur()))
        rows = len(df)
        del corpus, df
    with open(out, encoding="utf-8") as f:
        cli_rows = sum(1 for _ in f) - 1
    assert rows == cli_rows, (rows, cli_rows)
    med = {k: statistics.median(v) for k, v in times.items()}
    mb = os.path.getsize(args.csv) / 1e6
    print(f"{args.csv}: {mb:.0f} MB, {rows} pairs, median of {args.runs} runs")
    print(f"{'':42s} {'seconds':>8s}")
    for k, v in med.items():
        print(f"{k:42s} {v:8.3f}")
    ratio = med["python from_csv + cooccurrence()"] / med["cli cooccur -o FILE"]
    cli_query = med["cli cooccur -o FILE"] - med["cli count --top 1"]
    print(f"ratio python / cli, whole job:            {ratio:.2f}")
    print(f"cli count+write phase (cooccur - count):  {cli_query:.3f} s; "
          f"python cooccurrence() on a loaded corpus: "
          f"{med['python cooccurrence() (loaded)']:.3f} s")
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: python {self_rss:.0f} MB, cli {child_rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
