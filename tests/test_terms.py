"""--terms: co-occurrence of lower-cased words, stop words out.

Counts worked out by hand on tiny texts, an independent reference built
from relcore's own tokens on examples/corpus, and the stop-word options."""
import csv
import io
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from conftest import ROOT

STOPWORDS = {line.strip() for line in (ROOT / "csrc/data/stopwords.tsv").read_text().splitlines()
             if line.strip() and not line.startswith("#")}


def table(cli, *args, input=None):
    proc = cli(*args, input=input, check=True)
    return list(csv.DictReader(io.StringIO(proc.stdout.decode())))


def pairs(rows):
    return {(r["source"], r["target"]): float(r["count"]) for r in rows}


def test_hand_counted_sentence_and_window(cli):
    text = b"The Cat sat on the mat. The cat ran, and the DOG ran.\n\nA dog sat."
    # sentence 1 terms: cat sat mat; sentence 2: cat ran dog ran; 3: dog sat
    rows = table(cli, "cooccur", "--terms", "-", input=text)
    got = pairs(rows)
    assert got == {("cat", "mat"): 1, ("cat", "sat"): 1, ("mat", "sat"): 1,
                   ("cat", "ran"): 1, ("dog", "ran"): 1, ("cat", "dog"): 1,
                   ("dog", "sat"): 1}
    assert all(r["source_type"] == r["target_type"] == "TERM" for r in rows)
    freq = pairs(table(cli, "cooccur", "--terms", "--count", "frequency", "-", input=text))
    assert freq[("cat", "ran")] == 2 and freq[("dog", "ran")] == 2
    # window:2 over token positions (stop words and punctuation keep their
    # places): The0 Cat1 sat2 on3 the4 mat5 .6 The7 cat8 ran9 ,10 and11 the12 DOG13 ran14 .15 A16 dog17 sat18
    win = pairs(table(cli, "cooccur", "--terms", "--context", "window:2", "--count",
                      "frequency", "-", input=text))
    assert win == {("cat", "sat"): 1, ("cat", "ran"): 1, ("dog", "ran"): 1, ("dog", "sat"): 1}


def test_stopwords_file_replaces_the_list(cli, tmp_path):
    text = b"The cat and the hat.\n"
    none = tmp_path / "none.txt"
    none.write_text("")
    got = pairs(table(cli, "cooccur", "--terms", "--stopwords", none, "-", input=text))
    assert ("cat", "the") in got and ("and", "the") in got and ("cat", "hat") in got
    mine = tmp_path / "mine.txt"
    mine.write_text("# my list\n  HAT  \nand\n")
    got = pairs(table(cli, "cooccur", "--terms", "--stopwords", mine, "-", input=text))
    assert ("cat", "the") in got and not any("hat" in p or "and" in p for p in got)


def test_terms_errors(cli, tmp_path):
    bad = cli("cooccur", "--terms", "--types", "PERSON", "-", input=b"A cat.")
    assert bad.returncode == 1 and b"--terms counts words" in bad.stderr
    missing = cli("cooccur", "--terms", "--stopwords", tmp_path / "nope", "-", input=b"A cat.")
    assert missing.returncode == 1 and b"nope" in missing.stderr
    kwic = cli("kwic", "--terms", "--entity", "cat", "-", input=b"A cat.")
    assert kwic.returncode == 2  # not an option of kwic


def test_entity_filter_names_a_term(cli):
    text = b"Iranian ministers met. Pakistani ministers left. Dogs barked.\n"
    got = pairs(table(cli, "cooccur", "--terms", "--entity", "Ministers", "-", input=text))
    assert set(got) == {("iranian", "ministers"), ("left", "ministers"),
                        ("met", "ministers"), ("ministers", "pakistani")}


def normalise(text):
    """A token as SPEC §4 matches it: curly apostrophes straight, and a
    hyphen at a line end dropped (kept before a capital: Secretary-General)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"-\s*\n\s*(\S)", lambda m: ("-" if m[1].isupper() else "") + m[1], text)


def reference(cli, path, context, directed=False, count="boolean"):
    """Pairs of terms from relcore's own token table, lower-cased in Python:
    every pair of occurrences of two terms in a context (a window: at most
    N tokens apart, the document the context), listed one by one.  Directed,
    (a, b) when a comes first; boolean counts each context once."""
    occ = defaultdict(list)
    for t in table(cli, "tokens", path):
        if t["kind"] != "word":
            continue
        term = normalise(t["text"]).lower()
        if term in STOPWORDS:
            continue
        occ[t["doc"]].append((term, int(t["index"]), t["sentence"]))
    value = Counter()
    for doc, ts in occ.items():
        reach = int(context.split(":")[1]) if context.startswith("window:") else None
        contexts = defaultdict(list)
        for term, index, sentence in ts:
            contexts[sentence if context == "sentence" else doc].append((term, index))
        for terms in contexts.values():
            found = Counter()
            for i, (a, ia) in enumerate(terms):
                for b, ib in terms[i + 1:]:
                    if reach is not None and ib - ia > reach:
                        break
                    if a != b:
                        pair = (a, b) if directed else tuple(sorted((a, b)))
                        found[pair] += 1 / (ib - ia) if count == "weighted" else 1
            value.update(found if count != "boolean" else set(found))
    return value


@pytest.mark.parametrize("context", ["sentence", "window:10"])
def test_reference_equals_cooccur_terms(cli, examples, context):
    want = reference(cli, examples, context)
    got = pairs(table(cli, "cooccur", "--terms", "--context", context, examples))
    assert len(got) > 500
    assert got == {k: float(v) for k, v in want.items()}


@pytest.mark.parametrize("count", ["boolean", "frequency"])
@pytest.mark.parametrize("context", ["sentence", "document", "window:5"])
def test_reference_equals_directed_cooccur_terms(cli, examples, context, count):
    """Directed term pairs are counted a row at a time (boolean bags: from
    each term's first and last occurrence in a context); the reference
    lists every ordered pair of occurrences."""
    want = reference(cli, examples, context, directed=True, count=count)
    got = pairs(table(cli, "cooccur", "--terms", "--directed", "--context", context,
                      "--count", count, examples))
    assert len(got) > 500
    assert any(got.get((b, a)) != v for (a, b), v in got.items())  # order matters
    assert got == {k: float(v) for k, v in want.items()}


@pytest.mark.parametrize("directed", [[], ["--directed"]])
def test_reference_equals_weighted_cooccur_terms(cli, examples, directed):
    """Weighted term windows are counted a row at a time, by distance."""
    want = reference(cli, examples, "window:5", directed=bool(directed), count="weighted")
    got = pairs(table(cli, "cooccur", "--terms", *directed, "--context", "window:5",
                      "--count", "weighted", examples))
    assert len(got) > 500 and any(v % 1 for v in got.values())
    assert got == pytest.approx(want, rel=1e-8)


def test_count_of_every_term_sorted_by_mentions_then_name(cli, examples):
    """A count of hundreds of rows is ordered through the ranks of the whole
    vocabulary (a radix sort): mentions descending, then names in byte
    order; the head it keeps with --top is the same."""
    rows = table(cli, "count", "--terms", examples)
    keys = [(-int(r["mentions"]), r["entity"].encode()) for r in rows]
    assert len(rows) > 256 and len({k[0] for k in keys}) < len(keys) / 10  # many ties
    assert keys == sorted(keys)
    assert table(cli, "count", "--terms", "--top", "40", examples) == rows[:40]


@pytest.mark.parametrize("sort", ["pmi", "npmi", "llr", "dice", "jaccard"])
@pytest.mark.parametrize("extra", [[], ["--directed"], ["--context", "document"]])
def test_top_rows_by_a_measure_are_the_head_of_all_rows(cli, examples, sort, extra):
    """--top K by a measure drops most pairs by that measure alone, before
    the others are computed: the rows kept are still the first K of all."""
    args = ["cooccur", "--terms", "--sort", sort] + extra + [examples]
    everything = table(cli, *args)
    assert len(everything) > 500
    for top in (1, 7, 100):
        head = table(cli, *args[:-1], "--top", str(top), examples)
        assert head == everything[:top]


def test_python_matches_cli(cli, examples):
    import relcore
    frame = relcore.Corpus(examples, terms=True).cooccurrence(terms=True, context="window:10",
                                                              sort="llr", top=50)
    rows = table(cli, "cooccur", "--terms", "--context", "window:10", "--sort", "llr",
                 "--top", "50", examples)
    assert frame["source"].tolist() == [r["source"] for r in rows]
    assert frame["count"].tolist() == [int(r["count"]) for r in rows]
    with pytest.raises(ValueError, match="without its terms"):
        relcore.Corpus(examples).cooccurrence(terms=True)
