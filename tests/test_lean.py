"""The CLI's counts run over a lean corpus (no text kept, SPEC §10): every
answer equals the one from a full corpus (loaded back from a store, which
keeps everything), on one thread or two, for articles and CSV rows."""
import pytest

QUERIES = [
    ["count"], ["count", "--by", "month"], ["count", "--level", "country"],
    ["count", "--by-meta", "country"],
    ["cooccur"], ["cooccur", "--context", "paragraph", "--count", "frequency"],
    ["cooccur", "--context", "document", "--sort", "npmi", "--types", "GPE,PERSON"],
    ["cooccur", "--context", "window:8", "--count", "weighted"],
    ["cooccur", "--context", "window:8", "--directed"],
    ["cooccur", "--level", "country", "--since", "2020"],
    ["cooccur", "--source-col", "country"],
    ["cooccur", "--terms", "--context", "window:5"],
    ["timeline", "--by", "week"],
    ["timeline", "--by", "month", "--entity", "Iran", "--entity", "Pakistan"],
    ["matrix", "--top", "20"],
]

ROWS = [
    ("u1", "PAK", "2021-03-04", "Pakistan thanked Iran. President Ali Khan of Pakistan "
     "spoke.\n\nIran replied to Pakistan and Saudi Arabia."),
    ("u2", "IRN", "2019-05-06", "Iran met Saudi Arabia in Oman. Iranian officials "
     "welcomed Pakistani envoys."),
    ("u3", "OMN", "2022-07-08", "Oman hosted Iran and Pakistan. Khan said Oman helped."),
]


@pytest.fixture(scope="module")
def corpora(tmp_path_factory, examples):
    d = tmp_path_factory.mktemp("lean")
    rows = "".join(f'{i}-{k},{c},{dt},"{t} Part {k}."\n'  # no two alike: the store
                   for k in range(20) for i, c, dt, t in ROWS)  # keeps one of a kind
    csv = d / "speeches.csv"
    csv.write_text("id,country,date,text\n" + rows, encoding="utf-8")
    return [[examples], [csv]]


@pytest.mark.parametrize("which", [0, 1], ids=["articles", "csv"])
def test_lean_counts_equal_full_corpus(cli, corpora, tmp_path, which):
    paths = corpora[which]
    db = tmp_path / "full.db"
    cli("ingest", "--db", db, "--terms", *paths, check=True)
    for q in QUERIES:
        if which == 0 and ("--by-meta" in q or "--source-col" in q):
            continue
        full = cli(*q, "--db", db, check=True).stdout
        assert full.count(b"\n") > 1, q
        for threads in ("1", "2"):
            lean = cli(*q, "--threads", threads, *paths, check=True).stdout
            assert lean == full, (q, threads)
