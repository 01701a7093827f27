"""What one call of relcore.tokenize / sentences / extract costs.

    python bench/one_text.py [--calls 3000] [--runs 5]

These functions take one text at a time (a DataFrame column mapped through
relcore.extract, say), so what they cost a call matters besides MB/s.  For a
sentence of 103 characters and for the first article of examples/corpus,
each function is called --calls times in a row, --runs times; the best run
is printed in microseconds a call (the machine is shared and noisy: the
best run is the least disturbed).
"""
from __future__ import annotations

import argparse
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=3000)
    ap.add_argument("--runs", type=int, default=5)
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
