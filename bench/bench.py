"""Throughput of relcore's C core on a corpus given on the command line.

    python bench/bench.py ../shared/corpora/bbc [--runs 5]

Builds bench/bench_core (the core linked into a small timing program; the
documents are read into memory first, output is excluded), runs it several
times and prints the median MB/s of each stage with the peak memory, and a
plain byte scan of the same files (the physical floor) for scale.  The
machine is shared and noisy: medians of several runs, never a single time.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build() -> Path:
    subprocess.run(["make", "-s", "-C", str(ROOT), "bench/bench_core"], check=True)
    return ROOT / "bench" / "bench_core"


def byte_scan(paths: list[str]) -> tuple[float, float]:
    """Read every file and count newlines: MB and seconds."""
    files = []
    for p in paths:
        p = Path(p)
        files += sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
    data = [f.read_bytes() for f in files]
    t0 = time.perf_counter()
    lines = sum(d.count(b"\n") for d in data)
    dt = time.perf_counter() - t0
    assert lines >= 0
    return sum(map(len, data)) / 1e6, dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    exe = build()
    stages: dict[str, list[float]] = {}
    rss = []
    for _ in range(args.runs):
        out = subprocess.run([str(exe), *args.paths], check=True, capture_output=True,
                             text=True).stdout
        for line in out.splitlines():
            name, *vals = line.split("\t")
            if name == "peak_rss_mb":
                rss.append(float(vals[0]))
            elif name == "model_load_ms":
                stages.setdefault("model load (ms)", []).append(float(vals[0]))
            elif name == "read_cpu_ms":
                stages.setdefault("read: system CPU (ms)", []).append(float(vals[1]))
            elif name == "tagger":
                stages.setdefault("tagger", []).append(float(vals[2]))
                stages.setdefault("tagger (M tokens/s)", []).append(float(vals[3]) / 1e6)
            else:
                stages.setdefault(name, []).append(float(vals[2]))
                mb = float(vals[0])
    scans = [byte_scan(args.paths) for _ in range(args.runs)]
    scan_mbs = statistics.median(m / s for m, s in scans)
    print(f"corpus: {' '.join(args.paths)}  ({mb:.1f} MB, {args.runs} runs, "
          f"{os.cpu_count()} cores, 1 thread)")
    print(f"{'stage':<22}{'median MB/s':>14}{'min':>10}{'max':>10}")
    for name, vals in stages.items():
        print(f"{name:<22}{statistics.median(vals):>14.1f}{min(vals):>10.1f}{max(vals):>10.1f}")
    print(f"{'byte scan':<22}{scan_mbs:>14.1f}   (bytes.count, Python, same data)")
    print(f"peak RSS: {statistics.median(rss):.1f} MB (median)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
