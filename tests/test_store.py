"""The SQLite store: every query answers from a database exactly as from the
files, however the documents arrived (batches, repeats, merges, kills)."""
import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from conftest import shared_path

QUERIES = [
    ["count"], ["count", "--by", "month"], ["count", "--level", "country"],
    ["entities"],
    ["cooccur"], ["cooccur", "--context", "paragraph", "--count", "frequency"],
    ["cooccur", "--context", "document", "--sort", "npmi"],
    ["cooccur", "--context", "window:8", "--count", "weighted"],
    ["cooccur", "--context", "window:8", "--directed"],
    ["cooccur", "--terms", "--context", "window:5"],
    ["kwic", "--entity", "Iran", "--entity", "Pakistan"],
    ["timeline", "--by", "week"], ["timeline", "--by", "month", "--entity", "Iran",
                                   "--entity", "Pakistan"],
    ["matrix", "--top", "20"],
]


def out(cli, *args):
    return cli(*args, check=True).stdout


def ingest(cli, db, *paths, extra=()):
    return cli("ingest", "--db", db, "--terms", *extra, *paths, check=True)


def statuses(proc):
    return [line.split(",")[-1] for line in proc.stdout.decode().splitlines()[1:]]


def assert_same_answers(cli, db, *paths):
    for q in QUERIES:
        assert out(cli, *q, "--db", db) == out(cli, *q, *paths), q


def test_batches_with_a_repeat_equal_the_files(cli, examples, tmp_path):
    files = sorted(p for p in examples.iterdir() if p.suffix == ".txt")
    batches = [files[:5], files[5:10], files[10:]]
    db = tmp_path / "news.db"
    first = ingest(cli, db, *batches[0])
    assert statuses(first) == ["added"] * 5
    ingest(cli, db, *batches[1])
    again = ingest(cli, db, *batches[1])
    assert statuses(again) == ["skipped"] * 5
    assert b"0 added, 5 skipped" in again.stderr
    ingest(cli, db, *batches[2])
    assert_same_answers(cli, db, examples)


def test_python_open_gives_the_same_corpus(cli, examples, tmp_path):
    import relcore
    db = tmp_path / "news.db"
    ingest(cli, db, examples)
    from_db = relcore.open(db, terms=True)
    from_files = relcore.Corpus(examples, terms=True)
    assert len(from_db) == len(from_files) == 14
    for method, kw in [("entities", {}), ("cooccurrence", {"context": "window:5"}),
                       ("cooccurrence", {"terms": True}), ("kwic", {"a": "Iran"}),
                       ("timeline", {"by": "month"}), ("mentions", {})]:
        a = getattr(from_db, method)(**kw) if "a" not in kw else from_db.kwic("Iran")
        b = getattr(from_files, method)(**kw) if "a" not in kw else from_files.kwic("Iran")
        assert a.equals(b), method


def test_same_id_other_content_and_replace(cli, tmp_path):
    db = tmp_path / "news.db"
    one, two = tmp_path / "a", tmp_path / "b"
    one.mkdir()
    two.mkdir()
    (one / "story.txt").write_text("Iran and Pakistan met in Tehran.\n")
    (two / "story.txt").write_text("Turkey and Egypt met in Cairo.\n")
    cli("ingest", "--db", db, one / "story.txt", check=True)
    kept = cli("ingest", "--db", db, two / "story.txt", check=True)
    assert statuses(kept) == ["added (same id)"]
    assert b"already in the database with other content" in kept.stderr
    names = out(cli, "count", "--db", db).decode()
    assert "Iran" in names and "Turkey" in names
    (two / "story.txt").write_text("Chile and Peru met in Lima.\n")
    replaced = cli("ingest", "--db", db, "--replace", two / "story.txt", check=True)
    assert statuses(replaced) == ["replaced"]
    names = out(cli, "count", "--db", db).decode()
    assert "Chile" in names and "Iran" not in names and "Turkey" not in names
    rows = sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()
    assert rows == (1,)


def test_merge_equals_one_ingest(cli, examples, tmp_path):
    files = sorted(p for p in examples.iterdir() if p.suffix == ".txt")
    a, b, whole, merged = (tmp_path / n for n in ("a.db", "b.db", "whole.db", "merged.db"))
    ingest(cli, a, *files[:8])
    ingest(cli, b, *files[6:])  # overlapping shards: the overlap is skipped
    ingest(cli, whole, *files)
    proc = cli("merge", "--db", merged, a, b, check=True)
    assert statuses(proc).count("skipped") == 2
    for q in QUERIES:
        assert out(cli, *q, "--db", merged) == out(cli, *q, "--db", whole), q
    assert_same_answers(cli, merged, examples)


def test_refusals(cli, examples, tmp_path):
    db = tmp_path / "news.db"
    ingest(cli, db, examples)
    # another schema version
    old = tmp_path / "old.db"
    old.write_bytes(db.read_bytes())
    con = sqlite3.connect(old)
    con.execute("PRAGMA user_version = 7")
    con.commit()
    con.close()
    bad = cli("count", "--db", old)
    assert bad.returncode == 1 and b"schema version 7" in bad.stderr
    # an SQLite file of another application, and a file that is not SQLite
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.commit()
    bad = cli("count", "--db", other)
    assert bad.returncode == 1 and b"not a relcore database" in bad.stderr
    text = tmp_path / "notes.db"
    text.write_text("just some text, not a database\n" * 100)
    bad = cli("count", "--db", text)
    assert bad.returncode == 1 and b"not a relcore database" in bad.stderr
    bad = cli("count", "--db", tmp_path / "missing.db")
    assert bad.returncode == 1 and b"no such file" in bad.stderr
    assert cli("count", "--db", db, examples).returncode == 2  # paths or --db


def test_other_gazetteer_is_refused_until_reprocessed(cli, examples, tmp_path):
    db = tmp_path / "news.db"
    ingest(cli, db, examples)
    gaz = tmp_path / "mine.csv"
    gaz.write_text("alias,canonical,type,country\nJBC,Joint Border Commission,ORG,\n"
                   "Kamrani,Dariush Kamrani,PERSON,IRN\nborder markets,Border Markets,MISC,\n")
    bad = cli("count", "--db", db, "--gazetteer", gaz)
    assert bad.returncode == 1 and b"another gazetteer" in bad.stderr
    bad = cli("ingest", "--db", db, "--gazetteer", gaz, examples)
    assert bad.returncode == 1 and b"--reprocess" in bad.stderr
    cli("ingest", "--db", db, "--gazetteer", gaz, "--reprocess", check=True)
    assert out(cli, "count", "--db", db, "--gazetteer", gaz) == \
        out(cli, "count", "--gazetteer", gaz, examples)
    assert b"Border Markets" in out(cli, "count", "--db", db, "--gazetteer", gaz)
    assert cli("count", "--db", db).returncode == 1  # now the built-in one is other


def integrity(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def test_killed_ingest_completes_with_the_same_counts(binary, cli, tmp_path):
    bbc = shared_path("corpora", "bbc")
    clean = tmp_path / "clean.db"
    cli("ingest", "-q", "--db", clean, bbc, check=True)
    want = [out(cli, *q, "--db", clean) for q in (["count"], ["cooccur", "--top", "500"])]
    start = time.monotonic()
    subprocess.run([binary, "ingest", "-q", "--db", tmp_path / "timing.db", bbc],
                   check=True, capture_output=True)
    full = time.monotonic() - start
    rng = random.Random(20261123)
    db = tmp_path / "killed.db"
    kills = chains = 0
    while kills < 20 or chains < 2:
        # kill one run after another at random moments until one finishes
        while True:
            proc = subprocess.Popen([binary, "ingest", "-q", "--db", db, bbc],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.02, full * 0.35))
            if proc.poll() is not None:
                break
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            assert integrity(db) == "ok", kills
        assert proc.returncode == 0 and integrity(db) == "ok"
        got = [out(cli, *q, "--db", db) for q in (["count"], ["cooccur", "--top", "500"])]
        assert got == want, kills
        chains += 1
        for f in tmp_path.glob("killed.db*"):
            f.unlink()
    assert kills >= 20


def test_readers_during_an_ingest(binary, cli, tmp_path):
    bbc = shared_path("corpora", "bbc")
    db = tmp_path / "live.db"
    cli("ingest", "-q", "--db", db, bbc / "business", check=True)
    writer = subprocess.Popen([binary, "ingest", "-q", "--db", db, bbc],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = []
    while writer.poll() is None:
        proc = cli("count", "--db", db, "--top", "1")
        assert proc.returncode == 0, proc.stderr
        seen.append(int(proc.stdout.decode().splitlines()[1].split(",")[3]))
    assert writer.wait() == 0
    assert seen == sorted(seen) and len(seen) >= 2  # consistent snapshots, growing
