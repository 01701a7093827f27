"""An independent plain-Python reference for every context and count mode,
built from relcore's own tokens, sentences and mentions, must equal the
cooccur table for every pair (examples/corpus and, when present, the seeds)."""
import csv
import io
from collections import Counter, defaultdict
from fractions import Fraction

import pytest

from conftest import SHARED


def table(cli, *args):
    return list(csv.DictReader(io.StringIO(cli(*args, check=True).stdout.decode())))


def load(cli, path):
    tokens = defaultdict(dict)
    for t in table(cli, "tokens", path):
        tokens[t["doc"]][int(t["start"])] = int(t["index"])
    paragraph = {(s["doc"], s["sentence"]): s["paragraph"] for s in table(cli, "sentences", path)}
    mentions = defaultdict(list)
    for m in table(cli, "entities", path):
        mentions[m["doc"]].append({
            "entity": m["entity"], "sentence": m["sentence"],
            "paragraph": paragraph[(m["doc"], m["sentence"])],
            # the token holding the mention's first byte
            "tok": max(i for s, i in tokens[m["doc"]].items() if s <= int(m["start"]))})
    return mentions


def reference(mentions, context, mode):
    value = Counter()
    for doc, ms in mentions.items():
        if context.startswith("window:"):
            n = int(context.split(":")[1])
            seen = set()
            for i, a in enumerate(ms):
                for b in ms[i + 1:]:
                    d = b["tok"] - a["tok"]
                    if d > n or a["entity"] == b["entity"]:
                        continue
                    pair = tuple(sorted((a["entity"], b["entity"])))
                    if mode == "boolean":
                        seen.add(pair)
                    elif mode == "frequency":
                        value[pair] += 1
                    else:
                        value[pair] += Fraction(1, max(d, 1))
            for pair in seen:
                value[pair] += 1
            continue
        groups = defaultdict(Counter)
        for m in ms:
            key = doc if context == "document" else m[context]
            groups[key][m["entity"]] += 1
        for counts in groups.values():
            names = sorted(counts)
            for i, a in enumerate(names):
                for b in names[i + 1:]:
                    value[(a, b)] += 1 if mode == "boolean" else counts[a] * counts[b]
    return {k: v for k, v in value.items()}


CASES = [("sentence", "boolean"), ("sentence", "frequency"), ("paragraph", "boolean"),
         ("paragraph", "frequency"), ("document", "boolean"), ("document", "frequency"),
         ("window:5", "boolean"), ("window:5", "frequency"), ("window:5", "weighted")]


@pytest.mark.parametrize("corpus", ["examples", "seeds"])
def test_reference_equals_cooccur(cli, examples, corpus):
    path = examples if corpus == "examples" else SHARED / "seeds"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    mentions = load(cli, path)
    for context, mode in CASES:
        got = {(r["source"], r["target"]): float(r["count"])
               for r in table(cli, "cooccur", path, "--context", context, "--count", mode)}
        want = {tuple(sorted(k)): float(v) for k, v in reference(mentions, context, mode).items()}
        assert got.keys() == want.keys(), (context, mode)
        for k in want:
            assert got[k] == pytest.approx(want[k], rel=1e-8), (context, mode, k)
