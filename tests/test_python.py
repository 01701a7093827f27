"""The Python module: functions, Corpus, DataFrames, errors, doctests."""
import doctest
import math

import pytest

import relcore
from conftest import in_threads


def test_tokenize_character_offsets():
    text = "Pakistan’s “envoy” met U.S.–Israeli officials in Tehran."
    toks = relcore.tokenize(text)
    assert [t.text for t in toks][:4] == ["Pakistan", "’s", "“", "envoy"]
    assert all(text[t.start:t.end] == t.text for t in toks)
    assert {"U.S.", "–", "Israeli"} <= {t.text for t in toks}


def test_extract_character_offsets_and_fields():
    text = "Über Iranians: Iran-Pakistan talks, said the UN."
    mentions = relcore.extract(text)
    assert all(text[m.start:m.end] == m.text for m in mentions)
    got = [(m.text, m.entity, m.type, m.country) for m in mentions]
    assert ("Iranians", "Iran", "NORP", "IRN") in got
    assert ("Iran", "Iran", "GPE", "IRN") in got
    assert ("Pakistan", "Pakistan", "GPE", "PAK") in got
    assert any(m.text == "UN" and m.type == "ORG" for m in mentions)


def test_sentences():
    sents = relcore.sentences("Iran spoke. Pakistan answered!\n\nA new paragraph")
    assert [s.text for s in sents] == ["Iran spoke.", "Pakistan answered!", "A new paragraph"]
    assert [s.paragraph for s in sents] == [0, 0, 1]


# The one-text functions keep the built-in gazetteer, the tagger and an
# idle analysis between calls (csrc/pyext/relcore_module.c): nothing of one
# text may reach the next, whatever the thread.

ONE_TEXTS = [
    "Larijani spoke in Tehran on Monday.",
    "Ali Larijani met Shehbaz Sharif. Larijani spoke of the ECO.",
    "Pakistan’s Interior Minister Mohsin Naqvi met Iranian officials.",
    "Dr. Ali said the U.S. and the E.U. would meet\n\nin Geneva.",
]


def one_text_results(text):
    return (relcore.extract(text), relcore.extract(text, ner="rules"),
            relcore.tokenize(text), relcore.sentences(text))


def test_one_text_calls_keep_nothing_of_the_last_text():
    alone = [one_text_results(t) for t in ONE_TEXTS]
    assert [m.entity for m in alone[0][0] if m.text == "Larijani"] == ["Larijani"]
    long_text = ONE_TEXTS[1] * 2_000  # past the 64 KB an idle analysis keeps
    assert len(long_text.encode()) > 1 << 16
    relcore.extract(long_text)
    for text, want in zip(reversed(ONE_TEXTS), reversed(alone)):
        assert one_text_results(text) == want


def test_one_text_calls_from_four_threads():
    expected = [one_text_results(t) for t in ONE_TEXTS]

    def work(i):
        for round_ in range(30):
            k = (i + round_) % len(ONE_TEXTS)
            assert one_text_results(ONE_TEXTS[k]) == expected[k], f"thread {i}, text {k}"

    in_threads(4, work)


def test_shared_gazetteers_stay_apart(tmp_path):
    """Corpora and one-text calls with no gazetteer files share the
    module's two gazetteers (with and without the built-in rows); a
    gazetteer of files is a corpus's own.  Taken in turn, none leaks into
    another."""
    text = "Tehran welcomed the ECO envoy from Zorbania."
    gaz = tmp_path / "zorbania.csv"
    gaz.write_text("alias,canonical,type,country\nZorbania,Republic of Zorbania,GPE,\n")

    def entities(**kw):
        return sorted(relcore.Corpus.from_texts([text], **kw).entities()["entity"])

    for _ in range(2):
        assert "Economic Cooperation Organization" in entities()
        assert "ECO" in entities(builtin=False)
        assert "Republic of Zorbania" in entities(gazetteer=gaz)
        assert "Republic of Zorbania" not in entities()
        assert [m.entity for m in relcore.extract(text, builtin=False)][1] == "ECO"
        assert [m.entity for m in relcore.extract(text)][1] == "Economic Cooperation Organization"


def test_corpus_from_path_matches_cli(cli, examples):
    import csv, io
    corpus = relcore.Corpus(examples)
    df = corpus.cooccurrence()
    out = cli("cooccur", examples, check=True).stdout.decode()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(df) == len(rows)
    assert list(df.columns[:10]) == ["source", "target", "count", "source_type", "target_type",
                                     "pmi", "npmi", "llr", "dice", "jaccard"]
    for (_, a), b in zip(df.iterrows(), rows):
        assert (a["source"], a["target"], a["count"]) == (b["source"], b["target"], int(b["count"]))
        assert math.isclose(a["npmi"], float(b["npmi"]), rel_tol=1e-8)


def test_corpus_entities_and_mentions(examples):
    corpus = relcore.Corpus(examples)
    ents = corpus.entities()
    assert list(ents.columns[:5]) == ["entity", "type", "country", "mentions", "documents"]
    mentions = corpus.mentions()
    assert mentions["entity"].value_counts().max() == ents["mentions"].max()
    assert len(corpus) >= 12
    assert "documents" in repr(corpus)


def test_corpus_from_texts_and_options():
    c = relcore.Corpus.from_texts(["Iran and Pakistan met. Iran thanked Saudi Arabia.",
                                   "Pakistan and Iran talked."], ids=["a", "b"])
    df = c.cooccurrence(context="document")
    pairs = {(r.source, r.target): r.count for r in df.itertuples()}
    assert pairs[("Iran", "Pakistan")] == 2
    assert pairs[("Iran", "Saudi Arabia")] == 1
    top = c.cooccurrence(top=1, sort="npmi")
    assert len(top) == 1
    assert c.entities(entity="Iranian")["entity"].tolist() == ["Iran"]


def test_bad_options_raise_value_error():
    c = relcore.Corpus.from_texts(["Iran."])
    with pytest.raises(ValueError, match="context"):
        c.cooccurrence(context="galaxy")
    with pytest.raises(ValueError, match="unknown entity"):
        c.cooccurrence(entity="Atlantis Nowhere")
    with pytest.raises(TypeError):
        c._core.count(colour="red")


def test_missing_path_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        relcore.Corpus(tmp_path / "absent")


def test_error_base_class_exists():
    assert issubclass(relcore.Error, Exception)


def test_threads_get_the_same_results(examples):
    expected = relcore.Corpus(examples).cooccurrence().to_dict("list")
    results = [None] * 4

    def work(i):
        results[i] = relcore.Corpus(examples).cooccurrence().to_dict("list")

    in_threads(4, work)
    assert all(r == expected for r in results)


def test_doctests_run():
    failures, tests = doctest.testmod(relcore, verbose=False)
    assert tests > 0
    assert failures == 0


def test_matrix_and_graph(examples):
    c = relcore.Corpus(examples)
    m, labels = c.matrix()
    df = c.cooccurrence()
    assert m.shape == (len(labels), len(labels))
    assert (m != m.T).nnz == 0
    i, j = labels.index("Iran"), labels.index("Pakistan")
    iran_pak = df[(df.source == "Iran") & (df.target == "Pakistan")]["count"].item()
    assert m[i, j] == iran_pak
    g = c.graph()
    assert g.number_of_edges() == len(df)
    assert g.nodes["Iran"]["country"] == "IRN"
    assert c.graph(directed=True).is_directed()
