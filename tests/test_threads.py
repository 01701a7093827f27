"""--threads: documents analysed on several threads give the very same
output, byte for byte, for every subcommand (chunks of 64 documents or
1 MB are analysed apart and appended in reading order)."""
import csv
import string
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import shared_path

COMMANDS = [
    ["entities"], ["count"], ["count", "--by", "month"], ["cooccur"],
    ["cooccur", "--context", "window:10", "--count", "weighted"],
    ["cooccur", "--terms", "--context", "window:10"],
    ["cooccur", "--level", "country", "--sort", "llr"],
    ["kwic", "--entity", "United States"], ["timeline", "--by", "week"],
    ["matrix", "--top", "30"],
]


def run(cli, args, threads):
    return cli(*args, "--threads", threads, "-q", check=True).stdout


def test_every_command_is_the_same_on_any_thread_count(cli):
    bbc = shared_path("corpora", "bbc")
    parts = [bbc / "business", bbc / "politics"]  # 928 articles: 15 chunks
    for args in COMMANDS:
        one = run(cli, [*args, *parts], 1)
        assert one.count(b"\n") > 2, args
        for threads in (2, 5):
            assert run(cli, [*args, *parts], threads) == one, (args, threads)


def test_a_csv_corpus_is_the_same_on_any_thread_count(cli, examples, tmp_path):
    """Rows with metadata (copied across threads) and --source-col."""
    import csv
    texts = sorted(p.read_text() for p in examples.glob("*.txt"))
    with open(tmp_path / "speeches.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "country", "year", "text"])
        for i in range(150):
            w.writerow([f"s{i}", ["IRN", "PAK", "TUR", "SAU"][i % 4], 2000 + i % 7,
                        texts[i % len(texts)]])
    for args in (["cooccur", "--source-col", "country", "--level", "country"],
                 ["count", "--by-meta", "year"], ["entities"]):
        one = run(cli, [*args, tmp_path / "speeches.csv"], 1)
        assert one.count(b"\n") > 10, args
        assert run(cli, [*args, tmp_path / "speeches.csv"], 3) == one, args


def test_pairs_counted_on_threads_are_the_same(cli, examples, tmp_path):
    """1,680 rows, some 33,000 mentions and 104,000 terms: enough that
    cooccur also counts its pairs (and, for terms, its rows) on every
    thread (a share of at least 8,192 occurrences each), summed after."""
    import csv
    texts = sorted(p.read_text() for p in examples.glob("*.txt"))
    path = tmp_path / "repeated.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        for i in range(120 * len(texts)):
            w.writerow([f"r{i}", texts[(i * 7) % len(texts)]])
    mentions = run(cli, ["entities", path], 1).count(b"\n") - 1
    assert mentions > 3 * 8192
    for args in (["cooccur"], ["cooccur", "--context", "window:10", "--count", "weighted"],
                 ["cooccur", "--directed", "--count", "frequency"],
                 ["cooccur", "--level", "country", "--context", "document", "--sort", "llr"],
                 ["matrix", "--top", "20"],
                 ["cooccur", "--terms", "--context", "window:5", "--top", "50"],
                 ["cooccur", "--terms", "--context", "document", "--count", "frequency",
                  "--top", "100"],
                 ["cooccur", "--terms", "--context", "sentence", "--min-count", "30"]):
        one = run(cli, [*args, path], 1)
        assert one.count(b"\n") > 10, args
        for threads in (2, 3):
            assert run(cli, [*args, path], threads) == one, (args, threads)


def test_bad_thread_counts_are_usage_errors(cli, examples):
    for bad in ("0", "-1", "x", "1000"):
        proc = cli("count", "--threads", bad, examples)
        assert proc.returncode == 2 and b"--threads" in proc.stderr


WORDS = ["Iran", "Pakistan", "Tehran", "Islamabad", "Ali Larijani", "the", "minister",
         "said", "talks", "border", "Turkey", "Saudi Arabia", "met", "in", "on", "and",
         "President", "Hassan Rouhani", "United Nations", "trade", "."]


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=0, max_size=60),
                min_size=1, max_size=160),
       st.integers(min_value=2, max_value=6))
def test_thread_count_never_changes_results(tmp_path_factory, docs, threads):
    import relcore
    folder = tmp_path_factory.mktemp("corpus")
    for i, words in enumerate(docs):
        (folder / f"{i:04d}.txt").write_text(" ".join(words) + "\n")
    one = relcore.Corpus(folder, threads=1, terms=True)
    many = relcore.Corpus(folder, threads=threads, terms=True)
    assert len(one) == len(many)
    assert one.mentions().equals(many.mentions())
    assert one.cooccurrence(context="window:5").equals(many.cooccurrence(context="window:5"))
    assert one.cooccurrence(terms=True).equals(many.cooccurrence(terms=True))


def test_texts_in_memory_are_the_same_on_any_thread_count(examples):
    """Corpus.from_texts borrows the texts into chunks (no copy) that the
    threads analyse apart: more texts than a chunk holds, with ids,
    titles, dates and metadata, give what one thread gives, document for
    document."""
    import relcore
    bodies = sorted(p.read_text() for p in examples.glob("*.txt"))
    texts = [bodies[i % len(bodies)] + f" Oman answered {i}." for i in range(300)]
    kwargs = dict(ids=[f"t{i}" for i in range(300)],
                  titles=[f"Title {i}" if i % 3 else None for i in range(300)],
                  dates=[f"2025-{1 + i % 12:02d}-01" if i % 5 else None for i in range(300)],
                  metadata=[{"outlet": "AB"[i % 2]} if i % 4 else None for i in range(300)],
                  progress=False)
    one = relcore.Corpus.from_texts(texts, threads=1, **kwargs)
    two = relcore.Corpus.from_texts(texts, threads=2, **kwargs)
    assert len(one) == len(two) == 300
    assert list(one) == list(two)
    assert one.mentions().equals(two.mentions())
    assert one.documents().equals(two.documents())
    assert one.cooccurrence().equals(two.cooccurrence())
    assert one.entities(by_meta="outlet").equals(two.entities(by_meta="outlet"))


def test_texts_that_are_not_str_are_refused():
    import relcore
    with pytest.raises(TypeError, match="must be str"):
        relcore.Corpus.from_texts(["Iran met Oman.", float("nan")], threads=2)


def test_files_read_into_chunks_keep_their_texts(cli, examples, tmp_path):
    """On threads an article file is read straight into its chunk's text
    arena, which grows (and may move) as later files come: a file larger
    than a chunk among small ones, files skipped with a warning in
    between (empty, binary, one repaired) and a CSV file whose rows are
    copied into the same arena.  Every text (kwic shows them), mention
    and warning is the one a single thread gives."""
    texts = sorted(p.read_text() for p in examples.glob("*.txt"))
    for i in range(40):
        (tmp_path / f"a{i:02d}.txt").write_text(texts[i % len(texts)])
    big = "\n\n".join(texts)
    (tmp_path / "a07b.txt").write_text(big * (1_300_000 // len(big) + 1))
    (tmp_path / "a10b.txt").write_bytes(b"")
    (tmp_path / "a20b.txt").write_bytes(b"Iran\x00Oman")
    (tmp_path / "a30b.txt").write_bytes("Iran and Oman \xff met.\n".encode("latin-1"))
    with open(tmp_path / "a25.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        for i in range(30):
            w.writerow([f"r{i}", texts[(i * 3) % len(texts)]])
    runs = {}
    for threads in ("1", "2", "3"):
        out = []
        for args in (["entities"], ["kwic", "--entity", "Iran"], ["count"]):
            proc = cli(*args, tmp_path, "--threads", threads)
            assert proc.returncode == 0, proc.stderr
            out.append((proc.stdout, proc.stderr))
        runs[threads] = out
    entities, kwic, _ = runs["1"]
    assert entities[0].count(b"\n") > 1000 and kwic[0].count(b"\n") > 100
    assert entities[1].count(b"relcore: warning: ") == 3
    assert b"a30b.txt: invalid utf-8" in entities[1]
    assert runs["2"] == runs["1"] and runs["3"] == runs["1"]


def test_threads_n_runs_on_n_threads(binary, examples, tmp_path):
    """--threads 2 analyses on two threads in all: one worker and the
    calling thread, which reads and takes chunks itself, not a reader
    beside two workers.  The process's thread count, polled while it runs
    (/proc), reaches 2 and never 3."""
    if not Path("/proc/self/status").exists():
        pytest.skip("no /proc to count a process's threads")
    texts = sorted(p.read_text() for p in examples.glob("*.txt"))
    with open(tmp_path / "many.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        for i in range(6000):
            w.writerow([f"d{i}", texts[i % len(texts)]])
    proc = subprocess.Popen([str(binary), "count", "--ner", "rules", "--threads", "2", "-q",
                             str(tmp_path / "many.csv")], stdout=subprocess.DEVNULL)
    seen = set()
    while proc.poll() is None:
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
        except (FileNotFoundError, ProcessLookupError):
            break
        seen.update(int(line.split()[1]) for line in status.splitlines()
                    if line.startswith("Threads:"))
        time.sleep(0.0005)
    assert proc.wait() == 0
    assert max(seen) == 2, seen
