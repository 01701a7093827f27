"""Property tests (hypothesis): tokenizer offsets, mentions in order and
apart, the CSV round trip, and two ingests answering as one."""
import csv
import io
import subprocess

from hypothesis import example, given, settings, strategies as st

import relcore

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
NEWSY = st.lists(st.sampled_from(
    ["Iran", "U.S.", "Pakistan’s", "said", "“", "”", ",", ".", " ", "\n", "\n\n", "12-day",
     "$3", "3.5%", "–", "Dr.", "https://x.org/a", "@MFA", "#Iran", "Guinea-Bissau", "é",
     "\u00a0", "\u200b", "a-\nb", "'s"]), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, NEWSY))
def test_token_offsets_round_trip(text):
    toks = relcore.tokenize(text)
    last = 0
    for t in toks:
        assert text[t.start:t.end] == t.text
        assert t.start >= last and t.end > t.start
        assert not t.text.isspace()
        last = t.end


@settings(max_examples=200, deadline=None)
@given(st.one_of(TEXT, NEWSY))
def test_sentences_are_in_order_and_inside_the_text(text):
    last = 0
    for s in relcore.sentences(text):
        assert s.start >= last and text[s.start:s.end] == s.text
        last = s.end


NAMED = st.lists(st.sampled_from(
    ["Northern Grain Cooperative", "(NGC)", "NGC", "Shares of", "Mr", "Okafor", "and",
     "on Friday", "Bank of England", "Iran", "Iranians", "Tehran", "said", "the", "'",
     ",", ".", " ", " ", "\n\n", "Ali Larijani", "Larijani", "U.S.", "Minister"]),
    max_size=40).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(NAMED, st.sampled_from(["model", "rules"]))
@example("Northern Grain Cooperative (NGC) said . Shares of NGC fell", "rules")
def test_mentions_are_in_order_and_never_overlap(text, ner):
    last = 0
    for m in relcore.extract(text, ner=ner):
        assert m.start >= last and text[m.start:m.end] == m.text
        last = m.end


@settings(max_examples=60, deadline=None)
@given(NEWSY.filter(lambda s: s.strip() != ""))
def test_csv_output_reads_back_equal(binary_path, text):
    out = subprocess.run([str(binary_path), "tokens", "-"], input=text.encode(),
                         capture_output=True, check=True).stdout.decode()
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0][:6] == ["doc", "index", "start", "end", "kind", "text"]
    data = text.encode()
    for row in rows[1:]:
        assert data[int(row[2]):int(row[3])].decode() == row[5]


DOC_TEXT = st.one_of(TEXT, NEWSY).filter(lambda s: "\x00" not in s)


@settings(max_examples=40, deadline=None)
@given(st.lists(DOC_TEXT, min_size=1, max_size=6))
def test_csv_documents_written_and_read_back_equal(binary_path, tmp_path_factory, texts):
    """Documents written as CSV by Python's csv module and read by relcore
    (quotes, commas, line breaks inside fields) give each document the
    tokens of its text; relcore's own CSV output reads back equal."""
    path = tmp_path_factory.mktemp("csv") / "docs.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)  # CRLF rows; fields holding CR or LF are quoted
        w.writerow(["id", "text"])
        w.writerows([[f"d{i}", t] for i, t in enumerate(texts)])
    out = subprocess.run([str(binary_path), "tokens", "--strict", str(path)],
                         capture_output=True, check=True).stdout.decode()
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    for i, text in enumerate(texts):
        got = [r["text"] for r in rows if r["doc"] == f"d{i}"]
        assert got == [t.text for t in relcore.tokenize(text)]


NAMES = st.lists(st.sampled_from(
    ["Iran", "Pakistan", "Tehran", "Islamabad", "Ali Larijani", "Larijani", "Oman", "UN",
     "Foreign Minister Dariush Kamrani", "Kamrani", "Iranians", "said", "met", "the",
     "talks", ",", ".", " ", " ", "\n\n"]), min_size=1, max_size=40).map("".join)


def run(binary, *args):
    return subprocess.run([str(binary), *map(str, args)], capture_output=True,
                          check=True).stdout


def write_docs(path, texts, first_id):
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, quoting=csv.QUOTE_ALL)  # unquoted, libcsv trims spaces
        out.writerow(["id", "text"])
        for i, text in enumerate(texts):
            out.writerow([f"d{first_id + i:03d}", text])


@settings(max_examples=25, deadline=None)
@given(st.lists(NAMES, min_size=2, max_size=8), st.data())
def test_two_ingests_equal_one(binary_path, tmp_path_factory, texts, data):
    """Splitting a corpus into two ingests never changes a query's answer:
    the database filled in two runs answers as the one filled at once, and
    as the files read directly when no two texts are the same (the store
    keeps a text once, SPEC §9); corpus-wide facts such as surname folding
    included."""
    split = data.draw(st.integers(min_value=1, max_value=len(texts) - 1))
    tmp = tmp_path_factory.mktemp("ingests")
    first, second = tmp / "a.csv", tmp / "b.csv"
    write_docs(first, texts[:split], 0)
    write_docs(second, texts[split:], split)
    run(binary_path, "ingest", "--db", tmp / "two.db", first)
    run(binary_path, "ingest", "--db", tmp / "two.db", second)
    run(binary_path, "ingest", "--db", tmp / "one.db", first, second)
    for query in (["count"], ["cooccur", "--context", "document"],
                  ["cooccur", "--level", "country"]):
        once = run(binary_path, *query, "--db", tmp / "one.db")
        assert run(binary_path, *query, "--db", tmp / "two.db") == once
        if len(set(texts)) == len(texts):
            assert run(binary_path, *query, first, second) == once
