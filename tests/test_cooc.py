"""Co-occurrence contexts, count modes and direction (SPEC §6), on tiny
texts whose values are worked out by hand from quanteda fcm's rules."""
import csv
import io
import math

import pytest

import relcore

# Tokens: Iran(0) met(1) Oman(2) .(3) Oman(4) met(5) Iran(6) and(7) Iran(8) .(9)
TEXT = "Iran met Oman. Oman met Iran and Iran."


def pairs(texts, **opts):
    df = relcore.Corpus.from_texts(texts).cooccurrence(**opts)
    return {(r.source, r.target): r.count for r in df.itertuples()}


@pytest.mark.parametrize("opts, expected", [
    (dict(context="sentence"), 2),                       # both sentences hold both
    (dict(context="sentence", count="frequency"), 3),    # 1*1 + 1*2
    (dict(context="document"), 1),
    (dict(context="document", count="frequency"), 6),    # 3 Iran x 2 Oman
    (dict(context="window:2"), 1),                       # documents with a pair <= 2 apart
    (dict(context="window:2", count="frequency"), 2),    # (0,2) and (4,6)
    (dict(context="window:2", count="weighted"), 1.0),   # 1/2 + 1/2
    (dict(context="window:4", count="frequency"), 5),
    (dict(context="window:4", count="weighted"), 1.75),  # 1/2+1/4+1/4+1/2+1/4
    (dict(context="window:1"), None),                    # nothing within 1 token
])
def test_counts_by_hand(opts, expected):
    got = pairs([TEXT], **opts)
    if expected is None:
        assert got == {}
    else:
        assert got == {("Iran", "Oman"): expected}


def test_directed_boolean_sentence():
    assert pairs([TEXT], context="sentence", directed=True) == {
        ("Iran", "Oman"): 1, ("Oman", "Iran"): 1}


def test_directed_frequency_document():
    assert pairs([TEXT], context="document", count="frequency", directed=True) == {
        ("Iran", "Oman"): 2, ("Oman", "Iran"): 4}


def test_paragraph_context():
    text = "Iran spoke.\n\nOman spoke. Iran replied."
    assert pairs([text], context="paragraph") == {("Iran", "Oman"): 1}
    assert pairs([text], context="sentence") == {}


def test_boolean_window_counts_documents():
    texts = [TEXT, TEXT, "Iran and Oman."]
    assert pairs(texts, context="window:2") == {("Iran", "Oman"): 3}


def test_weighted_needs_a_window():
    with pytest.raises(ValueError, match="window"):
        relcore.Corpus.from_texts([TEXT]).cooccurrence(count="weighted")


def test_measures_by_hand_through_the_cli(cli, tmp_path):
    (tmp_path / "a.csv").write_text(
        "id,text\n1,\"" + TEXT + " Pakistan waited.\"\n", encoding="utf-8")
    out = cli("cooccur", tmp_path / "a.csv", check=True).stdout.decode()
    row = next(csv.DictReader(io.StringIO(out)))
    n, ca, cb, cab = 3, 2, 2, 2  # sentences; Iran in 2, Oman in 2, both in 2
    pmi = math.log2(cab * n / (ca * cb))
    npmi = pmi / -math.log2(cab / n)
    cells = [(cab, ca * cb / n), (ca - cab, ca * (n - cb) / n),
             (cb - cab, (n - ca) * cb / n), (n - ca - cb + cab, (n - ca) * (n - cb) / n)]
    llr = 2 * sum(o * math.log(o / e) for o, e in cells if o > 0)
    expected = {"pmi": pmi, "npmi": npmi, "llr": llr, "dice": 2 * cab / (ca + cb),
                "jaccard": cab / (ca + cb - cab)}
    for name, value in expected.items():
        assert math.isclose(float(row[name]), value, rel_tol=1e-8), name


def test_cli_contexts_and_modes(cli, examples):
    for args in (["--context", "paragraph"], ["--context", "window:10", "--count", "weighted"],
                 ["--directed", "--count", "frequency"]):
        out = cli("cooccur", examples, *args, check=True).stdout.decode()
        assert out.startswith("source,target,count,")
        assert len(out.splitlines()) > 10


def test_kwic_lists_the_sentences_naming_both(cli, seeds):
    out = cli("kwic", seeds, "--entity", "Iran", "--entity", "Pakistan", check=True).stdout
    rows = list(csv.DictReader(io.StringIO(out.decode())))
    assert rows and all("Iran" in r["text"] or "Iranian" in r["text"] for r in rows)
    for r in rows:
        doc = (seeds / r["doc"]).read_bytes()
        assert doc[int(r["start"]):int(r["end"])].decode() == r["text"]
        for span in r["source_spans"].split(";") + r["target_spans"].split(";"):
            a, b = map(int, span.split("-"))
            assert int(r["start"]) <= a < b <= int(r["end"])


def test_every_edge_is_reproduced_by_kwic(seeds):
    corpus = relcore.Corpus(seeds)
    edges = corpus.cooccurrence()
    for e in edges.itertuples():
        assert len(corpus.kwic(e.source, e.target)) == e.count, (e.source, e.target)


def test_kwic_needs_an_entity(cli, examples):
    proc = cli("kwic", examples)
    assert proc.returncode == 1
    assert "--entity" in proc.stderr.decode()


def test_timeline_periods_share_and_undated():
    c = relcore.Corpus.from_texts(
        ["Iran spoke.", "Iran and Oman met.", "Oman waited.", "Iran again.", "Iran."],
        dates=["2025-01-05", "2025-01-20", "2025-01-21", "2025", None])
    df = c.timeline("month")
    rows = [tuple(r) for r in df[["period", "entity", "mentions", "documents", "share"]].values]
    assert rows == [("2025-01", "Iran", 2, 2, 2 / 3), ("2025-01", "Oman", 2, 2, 2 / 3),
                    ("undated", "Iran", 2, 2, 1.0)]
    years = c.timeline("year", entity="Iran")
    assert years[["period", "mentions"]].values.tolist() == [["2025", 3], ["undated", 1]]


@pytest.mark.parametrize("date, week", [("2024-12-30", "2025-W01"), ("2021-01-03", "2020-W53"),
                                        ("2025-10-29", "2025-W44")])
def test_timeline_iso_weeks(date, week):
    c = relcore.Corpus.from_texts(["Iran spoke."], dates=[date])
    assert c.timeline("week")["period"].tolist() == [week]


def test_timeline_pair(cli, examples):
    out = cli("timeline", examples, "--by", "month", "--entity", "Iran", "--entity",
              "Pakistan", check=True).stdout.decode()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0] == {"period": "2025-01", "source": "Iran", "target": "Pakistan", "count": "5"}
    assert rows[-1]["period"] == "undated"
    total = sum(int(r["count"]) for r in rows)
    edges = list(csv.DictReader(io.StringIO(cli("cooccur", examples, check=True).stdout.decode())))
    assert total == next(int(e["count"]) for e in edges
                         if (e["source"], e["target"]) == ("Iran", "Pakistan"))


def test_since_until_select_dated_documents():
    c = relcore.Corpus.from_texts(["Iran and Oman.", "Iran and Oman.", "Iran and Oman."],
                                  dates=["2025-01-05", "2025-03-01", None])
    df = c.cooccurrence(context="document")
    assert df["count"].tolist() == [3]
    both = relcore.Corpus.from_texts(["Iran and Oman.", "Iran and Oman.", "Iran and Oman."],
                                     dates=["2025-01-05", "2025-03-01", None])
    assert both.cooccurrence(context="document", since="2025-02-01")["count"].tolist() == [1]
    assert both.cooccurrence(context="document", until="2025-02-01")["count"].tolist() == [1]
    assert both.entities(since="2025")["documents"].tolist() == [2, 2]


def test_since_rejects_a_bad_date(cli, examples):
    proc = cli("count", examples, "--since", "yesterday")
    assert proc.returncode == 2
    assert "since" in proc.stderr.decode()


def test_source_col_edges_per_document(cli, tmp_path):
    (tmp_path / "speeches.csv").write_text(
        "id,country,text\n"
        "a,PAK,Iran and Iran again. Pakistan thanks Oman.\n"
        "b,PAK,Oman spoke.\n"
        "c,IRN,Pakistan and Iran.\n"
        "d,,Iran.\n", encoding="utf-8")
    out = cli("cooccur", tmp_path / "speeches.csv", "--source-col", "country",
              check=True).stdout.decode()
    got = {(r["source"], r["target"]): int(r["count"])
           for r in csv.DictReader(io.StringIO(out))}
    # documents per (source, mentioned entity); a country is not its own edge
    assert got == {("Pakistan", "Iran"): 1, ("Pakistan", "Oman"): 2, ("Iran", "Pakistan"): 1}
    rows = {(r["source"], r["target"]): r for r in csv.DictReader(io.StringIO(out))}
    # N = 3 documents with a source; c(Pakistan as source) = 2, c(Oman) = 2, c(ab) = 2
    assert float(rows[("Pakistan", "Oman")]["pmi"]) == pytest.approx(math.log2(2 * 3 / (2 * 2)))
    freq = cli("cooccur", tmp_path / "speeches.csv", "--source-col", "country", "--count",
               "frequency", check=True).stdout.decode()
    assert {(r["source"], r["target"]): int(r["count"])
            for r in csv.DictReader(io.StringIO(freq))}[("Pakistan", "Iran")] == 2


def test_count_by_period_and_by_meta(cli, tmp_path):
    (tmp_path / "d.csv").write_text(
        "id,date,outlet,text\n"
        "a,2025-01-03,north,Iran and Iran.\n"
        "b,2025-02-01,south,Iran and Oman.\n"
        "c,,north,Oman.\n", encoding="utf-8")
    by_month = list(csv.DictReader(io.StringIO(
        cli("count", tmp_path / "d.csv", "--by", "month", check=True).stdout.decode())))
    assert [(r["period"], r["entity"], r["mentions"], r["documents"]) for r in by_month] == [
        ("2025-01", "Iran", "2", "1"), ("2025-02", "Iran", "1", "1"),
        ("2025-02", "Oman", "1", "1"), ("undated", "Oman", "1", "1")]
    by_outlet = list(csv.DictReader(io.StringIO(
        cli("count", tmp_path / "d.csv", "--by-meta", "outlet", check=True).stdout.decode())))
    assert [(r["outlet"], r["entity"], r["mentions"]) for r in by_outlet] == [
        ("north", "Iran", "2"), ("north", "Oman", "1"), ("south", "Iran", "1"),
        ("south", "Oman", "1")]
    assert by_outlet[0]["type"] == "GPE" and by_outlet[0]["country"] == "IRN"


def entity_rows(texts):
    counts = relcore.Corpus.from_texts(texts).entities()
    return {(r.entity, r.type): (r.mentions, r.documents) for r in counts.itertuples()}


def test_a_misc_name_takes_the_type_a_title_gives_it_elsewhere():
    """A name the rules type MISC in one document (an untitled word) is
    the PERSON that titled mentions elsewhere make of it, when that
    person is named at least as often; named more often as MISC, it
    stays its own entity."""
    titled = ["Interior Minister Rahimi spoke in Oman.", "Interior Minister Rahimi left Oman."]
    untitled = ["Officials in Muscat met Rahimi on Monday.", "Oman said it hosted Rahimi."]
    alone = relcore.Corpus.from_texts(untitled[:1], ner="rules").entities()
    assert ("Rahimi", "MISC") in {(r.entity, r.type) for r in alone.itertuples()}
    rows = {(r.entity, r.type): (r.mentions, r.documents) for r in
            relcore.Corpus.from_texts(titled + untitled[:1], ner="rules").entities().itertuples()}
    assert rows[("Rahimi", "PERSON")] == (3, 3)
    assert ("Rahimi", "MISC") not in rows
    rows = {(r.entity, r.type): (r.mentions, r.documents) for r in
            relcore.Corpus.from_texts(titled[:1] + untitled, ner="rules").entities().itertuples()}
    assert rows[("Rahimi", "PERSON")] == (1, 1)
    assert rows[("Rahimi", "MISC")] == (2, 2)


def test_a_bare_surname_is_the_full_name_named_elsewhere():
    rows = entity_rows(["Foreign Minister Dariush Kamrani arrived in Oman on Monday.",
                        "Kamrani met officials in Muscat.",
                        "Oman said Kamrani left."])
    assert rows[("Dariush Kamrani", "PERSON")] == (3, 3)
    assert not any(name == "Kamrani" for name, _ in rows)


def test_a_surname_two_people_share_stays_itself():
    rows = entity_rows(["President George Bush spoke in Texas.",
                        "Governor Jeb Bush spoke in Florida.",
                        "Bush said the talks would go on."])
    assert rows[("George Bush", "PERSON")] == (1, 1)
    assert rows[("Jeb Bush", "PERSON")] == (1, 1)
    assert ("Bush", "PERSON") in rows


def test_a_surname_follows_the_dominant_full_name():
    texts = ["Prime Minister Tony Blair spoke.", "Tony Blair left.", "Tony Blair returned.",
             "Cherie Blair smiled.", "Mr Blair said it was over."]
    rows = entity_rows(texts)
    assert rows[("Tony Blair", "PERSON")] == (4, 4)
    assert rows[("Cherie Blair", "PERSON")] == (1, 1)


def test_a_word_more_often_a_first_name_is_not_folded_as_a_surname():
    texts = ["Ray Charles toured.", "Ray Charles sang.", "Ray Charles left.",
             "Minister Charles Kennedy spoke.", "Charles Kennedy left.", "Charles Kennedy won.",
             "Charles Clarke voted.", "Charles Clarke spoke.",
             "Charles said it was over."]
    rows = entity_rows(texts)
    assert rows[("Ray Charles", "PERSON")] == (3, 3)
    assert ("Charles", "PERSON") in rows
