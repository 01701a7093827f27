"""Texts from Python memory: what one call of relcore.tokenize /
sentences / extract costs, and Corpus.from_texts's MB/s on 1 and N threads.

    python bench/one_text.py [--calls 3000] [--runs 5] [--corpus DIR]

The one-text functions take one text at a time (a DataFrame column mapped
through relcore.extract, say), so what they cost a call matters besides
MB/s.  For a sentence of 104 characters and for the first article of
examples/corpus, each function is called --calls times in a row, --runs
times; the best run is printed in microseconds a call (the machine is
shared and noisy: the best run is the least disturbed).  Then the .txt
files under --corpus (default ../shared/corpora/bbc; skipped when absent)
are read into a list and Corpus.from_texts analyses them on 1 thread and
on one per core, in turn, --runs times: median MB/s.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import relcore

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = ("Iranian President Masoud Pezeshkian met Pakistan's Prime Minister "
            "Shehbaz Sharif in Islamabad on Monday.")


def per_call(fn, text: str, calls: int, runs: int, **kw) -> float:
    fn(text, **kw)  # the first call makes what later calls keep
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn(text, **kw)
        best = min(best, (time.perf_counter() - t0) / calls)
    return best * 1e6


def from_texts_mbps(corpus: Path, runs: int) -> None:
    texts = [p.read_text(errors="replace") for p in sorted(corpus.rglob("*.txt"))]
    mb = sum(len(t.encode()) for t in texts) / 1e6
    cores = os.cpu_count() or 1
    times: dict[int, list[float]] = {1: [], cores: []}
    for _ in range(runs):
        for threads in times:
            t0 = time.perf_counter()
            relcore.Corpus.from_texts(texts, threads=threads, progress=False)
            times[threads].append(time.perf_counter() - t0)
    print(f"\nCorpus.from_texts, {len(texts):,} texts of {corpus} ({mb:.1f} MB):")
    for threads, ts in times.items():
        print(f"  {threads} thread{'s' if threads > 1 else ''}: "
              f"{mb / statistics.median(ts):.1f} MB/s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=3000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--corpus", type=Path,
                    default=ROOT.parent / "shared" / "corpora" / "bbc")
    args = ap.parse_args()
    article = sorted((ROOT / "examples" / "corpus").glob("*.txt"))[0].read_text()
    texts = [(f"sentence ({len(SENTENCE)} chars)", SENTENCE, args.calls),
             (f"article ({len(article):,} chars)", article, max(1, args.calls // 20))]
    funcs = [("tokenize", relcore.tokenize, {}), ("sentences", relcore.sentences, {}),
             ("extract", relcore.extract, {}),
             ("extract ner='rules'", relcore.extract, {"ner": "rules"})]
    print(f"{'function':22} " + " ".join(f"{name:>24}" for name, _, _ in texts))
    for fname, fn, kw in funcs:
        cells = [per_call(fn, text, calls, args.runs, **kw) for _, text, calls in texts]
        print(f"{fname:22} " + " ".join(f"{c:>21.1f} µs" for c in cells))
    if args.corpus.is_dir():
        from_texts_mbps(args.corpus, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
