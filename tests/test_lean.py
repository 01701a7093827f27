"""The CLI's counts run over a lean corpus (no text kept, SPEC §10): every
answer equals the one from a full corpus (loaded back from a store, which
keeps everything), on one thread or two, for articles and CSV rows."""
import os
import subprocess

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
    ["count", "--terms"],
    ["cooccur", "--terms", "--context", "document"],
    ["cooccur", "--terms", "--context", "document", "--count", "frequency"],
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


def _spilling_csv(d):
    """360,000 mentions and 600,000 words: more than a block (1 MB, 262,144
    entries of 4 bytes) of the mention stream and of the term stream, which
    then go to temporary files."""
    csv = d / "big.csv"
    text = "Iran met Iraq in Oman. " * 20
    csv.write_text("id,text\n" + "".join(f'{i},"{text}"\n' for i in range(6000)),
                   encoding="utf-8")
    return csv


def _tmpdir_env(tmp_path):
    """A fresh TMPDIR for the spill files, and the environment naming it."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    return tmp, dict(os.environ, TMPDIR=str(tmp))


@pytest.mark.parametrize("threads", ["1", "2"])
def test_spilled_mention_stream_counts_every_mention(binary, tmp_path, threads):
    csv = _spilling_csv(tmp_path)
    tmp, env = _tmpdir_env(tmp_path)
    out = subprocess.run([binary, "count", "--ner", "rules", "-q", "--threads", threads,
                          csv], env=env, capture_output=True, check=True).stdout
    assert b"Iran,GPE,IRN,120000,6000\n" in out, out[:300]
    assert not list(tmp.iterdir())  # the file was unlinked at once


@pytest.mark.parametrize("threads", ["1", "2"])
def test_unwritable_tmpdir_fails_with_a_message(binary, tmp_path, threads):
    csv = _spilling_csv(tmp_path)
    missing = tmp_path / "no-such-dir"
    env = dict(os.environ, TMPDIR=str(missing))
    proc = subprocess.run([binary, "count", "--ner", "rules", "-q", "--threads", threads,
                           csv], env=env, capture_output=True)
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "cannot write the mention stream" in err and str(missing) in err, err
    assert "TMPDIR" in err


@pytest.mark.parametrize("threads", ["1", "2"])
def test_spilled_term_stream_counts_every_word(binary, tmp_path, threads):
    csv = _spilling_csv(tmp_path)
    tmp, env = _tmpdir_env(tmp_path)
    run = [binary, "-q", "--threads", threads, "--terms", csv]
    count = subprocess.run([run[0], "count", *run[1:]], env=env, capture_output=True,
                           check=True).stdout
    assert b"\niran,TERM,,120000,6000\n" in count, count[:300]
    pairs = subprocess.run([run[0], "cooccur", "--context", "window:2", *run[1:]],
                           env=env, capture_output=True, check=True).stdout
    assert b"\niran,met,6000," in pairs and b"\niraq,oman,6000," in pairs, pairs[:300]
    assert not list(tmp.iterdir())  # the file was unlinked at once


def test_unwritable_tmpdir_fails_for_terms_too(binary, tmp_path):
    csv = _spilling_csv(tmp_path)
    missing = tmp_path / "no-such-dir"
    env = dict(os.environ, TMPDIR=str(missing))
    proc = subprocess.run([binary, "cooccur", "--terms", "--context", "window:2", "-q",
                           "--threads", "1", csv], env=env, capture_output=True)
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "cannot write the term stream" in err and str(missing) in err, err
    # a term count keeps per-term tallies, no stream: no temporary file needed
    count = subprocess.run([binary, "count", "--terms", "-q", "--threads", "1", csv],
                           env=env, capture_output=True)
    assert count.returncode == 0, count.stderr
    assert b"\niran,TERM,,120000,6000\n" in count.stdout, count.stdout[:300]
