"""The store on a real corpus: ingest speed and database size.

    python bench/store.py ../shared/corpora/bbc [--runs 3]

Ingests the corpus into a new database (in a temporary folder) several
times with the release binary, and prints the median documents/s and MB/s
of `relcore ingest`, the database size per 1,000 documents (with and
without --terms), the time of re-running the ingest (every document
skipped), and a `count` answered from the database against one answered
from the files (the database stores an identical text once, so its counts
differ where a corpus repeats an article, as BBC News does).  Medians, because the machine is shared and noisy.
"""
import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(*argv) -> tuple[float, bytes]:
    t0 = time.perf_counter()
    proc = subprocess.run([str(a) for a in argv], check=True, capture_output=True)
    return time.perf_counter() - t0, proc.stdout


def db_bytes(db: Path) -> int:
    return sum(f.stat().st_size for f in db.parent.glob(db.name + "*"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    subprocess.run(["make", "-s", "-C", str(ROOT), "relcore"], check=True)
    exe = ROOT / "relcore"
    files = [f for p in map(Path, args.paths)
             for f in (sorted(p.rglob("*")) if p.is_dir() else [p]) if f.is_file()]
    mb = sum(f.stat().st_size for f in files) / 1e6
    rows: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            for terms in (False, True):
                db = Path(tmp) / f"run{run}{'t' if terms else ''}.db"
                extra = ["--terms"] if terms else []
                secs, report = timed(exe, "ingest", "-q", "--db", db, *extra, *args.paths)
                ndocs = report.count(b"\n") - 1
                subprocess.run(["sqlite3", str(db), "PRAGMA wal_checkpoint(TRUNCATE)"],
                               capture_output=True)
                tag = " --terms" if terms else ""
                rows.setdefault(f"ingest{tag}: documents/s", []).append(ndocs / secs)
                rows.setdefault(f"ingest{tag}: MB/s", []).append(mb / secs)
                rows.setdefault(f"database{tag}: MB per 1,000 documents", []).append(
                    db_bytes(db) / 1e6 / ndocs * 1000)
                if not terms:
                    again, _ = timed(exe, "ingest", "-q", "--db", db, *args.paths)
                    rows.setdefault("re-ingest (all skipped): s", []).append(again)
                    from_db, _ = timed(exe, "count", "--db", db)
                    from_files, _ = timed(exe, "count", "-q", *args.paths)
                    rows.setdefault("documents stored (identical texts once)", []).append(
                        ndocs - report.count(b",skipped\n"))
                    rows.setdefault("count --db: s", []).append(from_db)
                    rows.setdefault("count from the files: s", []).append(from_files)
    print(f"corpus: {' '.join(args.paths)}  ({len(files)} files, {mb:.1f} MB, "
          f"{args.runs} runs)")
    print(f"{'measure':<42}{'median':>10}{'min':>10}{'max':>10}")
    for name, vals in rows.items():
        print(f"{name:<42}{statistics.median(vals):>10.2f}{min(vals):>10.2f}{max(vals):>10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
