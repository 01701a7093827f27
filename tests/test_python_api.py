"""The notebook API of SPEC §8: columns from the extension, constructors,
documents, options by the CLI's names, threads, Ctrl-C, progress, errors."""
import csv
import io
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from array import array
from pathlib import Path

import pytest

import relcore
from conftest import in_threads
from relcore import _core

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus(examples):
    return relcore.Corpus(examples)


BIG_ROWS = 48000


@pytest.fixture(scope="session")
def big_csv(tmp_path_factory) -> Path:
    """A CSV of ~33 MB made by repeating our own example articles, for calls
    that must run long enough to be interrupted or to report progress (a
    load on one thread takes about 2 s here; progress first reports after
    0.5 s)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(
        (ROOT / "examples" / "corpus").glob("*.txt"))]
    path = tmp_path_factory.mktemp("big") / "big.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "country", "date", "text"])
        for i in range(BIG_ROWS):
            w.writerow([f"d{i}", ["IRN", "PAK", "SAU"][i % 3], f"{2000 + i % 25}",
                        texts[i % len(texts)]])
    return path


# MARK: - columns

def test_extension_returns_columns_not_rows(corpus):
    cols = corpus._core.cooccur()
    assert isinstance(cols["count"], array) and cols["count"].typecode == "q"
    assert all(isinstance(cols[k], array) and cols[k].typecode == "d"
               for k in ("pmi", "npmi", "llr", "dice", "jaccard"))
    assert isinstance(cols["source"], list) and isinstance(cols["source"][0], str)
    assert len({len(c) for c in cols.values()}) == 1
    # a name repeated down a column is one object, not one per row
    names = cols["source"] + cols["target"]
    iran = [n for n in names if n == "Iran"]
    assert len(iran) > 2 and all(n is iran[0] for n in iran)
    weighted = corpus._core.cooccur(context="window:5", count="weighted")
    assert weighted["count"].typecode == "d"


def test_dataframe_dtypes(corpus):
    df = corpus.cooccurrence()
    assert str(df["count"].dtype) == "int64"
    assert all(str(df[k].dtype) == "float64" for k in ("pmi", "npmi", "llr", "dice", "jaccard"))
    assert df["source"].map(type).eq(str).all()
    ents = corpus.entities()
    assert str(ents["mentions"].dtype) == "int64"


def test_cooccurrence_dataframe_equals_cli_csv_every_option(cli, examples, corpus):
    """Every cooccur option of the CLI, under the same name, gives the CLI's rows."""
    cases = [
        {},
        {"context": "paragraph", "count": "frequency"},
        {"context": "window:5", "count": "weighted", "sort": "llr"},
        {"context": "document", "directed": True, "min_count": 2},
        {"level": "country", "sort": "npmi", "top": 5},
        {"types": ["PERSON", "GPE"], "entity": ["Iran", "Pakistan"]},
        {"since": "2025-03-01", "until": "2025-09-30"},
    ]
    for opts in cases:
        argv = []
        for k, v in opts.items():
            name = "--" + k.replace("_", "-")
            if v is True:
                argv.append(name)
            elif isinstance(v, list) and k == "entity":
                for e in v:
                    argv += [name, e]
            else:
                argv += [name, ",".join(v) if isinstance(v, list) else str(v)]
        out = cli("cooccur", examples, *argv, check=True).stdout.decode()
        rows = list(csv.DictReader(io.StringIO(out)))
        df = corpus.cooccurrence(**opts)
        assert len(df) == len(rows) > 0, opts
        got = [(r.source, r.target, round(float(r.count), 6)) for r in df.itertuples()]
        want = [(r["source"], r["target"], round(float(r["count"]), 6)) for r in rows]
        assert got == want, opts


# MARK: - offsets

def test_offsets_are_python_character_offsets():
    texts = ["Über café talks, the Iranian envoy met 🇵🇰 Pakistan’s minister.",
             "Ñandú: Saudi Arabia and Iran."]
    c = relcore.Corpus.from_texts(texts)
    m = c.mentions()
    assert len(m) >= 4
    for r in m.itertuples():
        assert texts[int(r.doc)][r.start:r.end] == r.text
    k = c.kwic("Iran")
    for r in k.itertuples():
        text = texts[int(r.doc)]
        assert text[r.start:r.end] == r.text
        for span in r.source_spans.split(";"):
            a, b = map(int, span.split("-"))
            assert text[a:b] in ("Iranian", "Iran")


# MARK: - constructors and documents

def test_from_csv_metadata_and_source_col(tmp_path, cli):
    f = tmp_path / "speeches.csv"
    f.write_text("id,country,date,text\n"
                 "a,IRN,2020,Pakistan and Saudi Arabia were praised.\n"
                 "b,PAK,2021,Iran is a neighbour. India too.\n"
                 "c,IRN,2021,Pakistan again.\n", encoding="utf-8")
    c = relcore.Corpus.from_csv(f)
    assert len(c) == 3
    docs = c.documents()
    assert docs["doc"].tolist() == ["a", "b", "c"]
    assert docs["country"].tolist() == ["IRN", "PAK", "IRN"]
    assert docs["date"].tolist() == ["2020", "2021", "2021"]
    assert [d.metadata["country"] for d in c] == ["IRN", "PAK", "IRN"]
    df = c.cooccurrence(source_col="country", level="country")
    rows = list(csv.DictReader(io.StringIO(cli(
        "cooccur", f, "--source-col", "country", "--level", "country",
        check=True).stdout.decode())))
    assert [(r.source, r.target, r.count) for r in df.itertuples()] == \
        [(r["source"], r["target"], int(r["count"])) for r in rows]
    assert ("Iran", "Pakistan", 2) in [(r.source, r.target, r.count) for r in df.itertuples()]
    by_country = c.entities(by_meta="country")
    # the group column is renamed where it would clash with a count column
    assert list(by_country.columns[:2]) == ["by_country", "entity"]
    by_year = c.entities(by="year")
    assert set(by_year["period"]) == {"2020", "2021"}


def test_from_csv_column_names(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("key,body,when\nk1,Iran met Oman.,2024-05-01\n", encoding="utf-8")
    c = relcore.Corpus.from_csv(f, text_col="body", id_col="key", date_col="when")
    (doc,) = list(c)
    assert (doc.id, doc.date, doc.mentions) == ("k1", "2024-05-01", 2)


def test_from_texts_ids_titles_dates_metadata():
    import datetime
    c = relcore.Corpus.from_texts(
        ["Iran spoke.", "Oman and Qatar spoke."], ids=[10, 11],
        titles=["First", None], dates=[datetime.date(2025, 1, 5), "March 2025"],
        metadata=[{"outlet": "X", "n": 1}, None])
    docs = list(c)
    assert [d.id for d in docs] == ["10", "11"]
    assert [d.date for d in docs] == ["2025-01-05", "2025-03"]
    assert docs[0].metadata == {"outlet": "X", "n": "1", "title": "First"}
    assert docs[1].metadata == {}
    assert c.documents()["title"].tolist() == ["First", ""]
    with pytest.raises(ValueError, match="2 dates for 1 texts"):
        relcore.Corpus.from_texts(["Iran."], dates=["2020", "2021"])


def test_corpus_include_exclude(examples):
    only = relcore.Corpus(examples, include=["*iran*"], exclude=["*saudi*"])
    ids = [d.id for d in only]
    assert ids and all("iran" in i and "saudi" not in i for i in ids)
    one = relcore.Corpus(examples, include="*iran*")  # one glob as a str
    assert sorted(d.id for d in one) == sorted(d.id for d in relcore.Corpus(
        examples, include=["*iran*"]))


def test_repr_and_html(corpus):
    r = repr(corpus)
    assert r.startswith("<relcore.Corpus: 14 documents") and "mentions" in r
    h = corpus._repr_html_()
    assert "<table>" in h and "documents" in h and "14" in h


def test_corpus_survives_its_files(tmp_path):
    """A corpus analyses its text once: queries work with the files gone."""
    f = tmp_path / "a.txt"
    f.write_text("Iran and Pakistan met.\n", encoding="utf-8")
    c = relcore.Corpus(f)
    f.unlink()
    assert c.cooccurrence()["count"].tolist() == [1]
    assert c.kwic("Iran", "Pakistan")["text"].tolist() == ["Iran and Pakistan met."]


# MARK: - options and errors

def test_new_core_options_pass_by_name(corpus):
    """An option the core knows goes through without a Python signature
    change; an unknown one is a TypeError naming it."""
    assert corpus.cooccurrence(**{"directed": True}).shape[0] > 0
    with pytest.raises(TypeError, match="colour"):
        corpus.cooccurrence(colour="red")
    with pytest.raises(TypeError, match="colour"):
        corpus.matrix(colour="red")


@pytest.mark.parametrize("call, match", [
    (lambda c: c.cooccurrence(context="galaxy"), "context"),
    (lambda c: c.cooccurrence(count="weighted"), "window"),
    (lambda c: c.cooccurrence(sort="size"), "sort"),
    (lambda c: c.cooccurrence(min_count=-1), "min-count"),
    (lambda c: c.cooccurrence(entity="Atlantis Nowhere"), "unknown entity"),
    (lambda c: c.cooccurrence(source_col="nope"), "nope"),
    (lambda c: c.entities(by="fortnight"), "by"),
    (lambda c: c.entities(by_meta="nope"), "nope"),
    (lambda c: c.entities(types="ANIMAL"), "types"),
    (lambda c: c.timeline(since="yesterday"), "since"),
    (lambda c: c.kwic("Atlantis Nowhere"), "unknown entity"),
])
def test_bad_options_are_option_errors(corpus, call, match):
    with pytest.raises(ValueError, match=match) as info:
        call(corpus)
    assert isinstance(info.value, relcore.Error)
    assert isinstance(info.value, relcore.OptionError)


def test_missing_paths(tmp_path):
    for make in (lambda: relcore.Corpus(tmp_path / "absent"),
                 lambda: relcore.Corpus.from_csv(tmp_path / "absent.csv"),
                 lambda: relcore.Corpus(gazetteer=tmp_path / "absent.tsv")):
        with pytest.raises(FileNotFoundError) as info:
            make()
        assert "absent" in str(info.value)
    with pytest.raises(relcore.Error):
        relcore.Corpus(tmp_path / "absent")
    with pytest.raises(ValueError, match="csv"):
        relcore.Corpus.from_csv(tmp_path / "notes.txt")


def test_csv_without_text_column_is_an_error(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("id,body\n1,Iran.\n", encoding="utf-8")
    with pytest.raises(relcore.Error, match="text"):
        relcore.Corpus.from_csv(f)


def test_warnings_are_runtime_warnings(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_bytes(b"Iran met Pakistan in Quetta \xff today.\n")
    with pytest.warns(RuntimeWarning, match="bad.txt"):
        c = relcore.Corpus(f)
    assert len(c) == 1


# MARK: - threads, Ctrl-C, progress

def test_one_corpus_from_four_threads(corpus):
    """Four threads querying one corpus at once get what one thread gets."""
    def job():
        return (corpus.cooccurrence().to_dict("list"),
                corpus.cooccurrence(context="window:5", count="weighted").to_dict("list"),
                corpus.entities(level="country").to_dict("list"),
                corpus.kwic("Iran", "Pakistan").to_dict("list"),
                corpus.timeline("month", entity=["Iran", "Pakistan"]).to_dict("list"),
                corpus.mentions().to_dict("list"))
    expected = job()
    results: list = [None] * 4

    def work(i):
        for _ in range(5):
            got = job()
            assert got == expected, f"thread {i} got other results"
        results[i] = got

    in_threads(4, work)
    assert all(r == expected for r in results)


def test_loading_releases_the_gil(big_csv):
    """While one thread loads a corpus in C, another keeps running Python."""
    ticks = 0
    done = threading.Event()

    def load():
        relcore.Corpus(big_csv, progress=False)
        done.set()

    t = threading.Thread(target=load)
    t0 = time.perf_counter()
    t.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    t.join()
    elapsed = time.perf_counter() - t0
    # a thread holding the GIL for the whole load would allow a few ticks at most
    assert ticks > 10 * elapsed


def test_adding_and_querying_never_overlap(big_csv):
    """Adding a document while a query runs (or the reverse) is refused
    with a RuntimeError; neither crashes nor sees a half-changed corpus."""
    c = relcore.Corpus(big_csv, progress=False)
    refusals = []

    def query():
        for _ in range(3):
            try:
                c.cooccurrence(context="window:10", count="frequency")
            except RuntimeError as e:
                refusals.append(str(e))

    t = threading.Thread(target=query)
    t.start()
    while t.is_alive():
        try:
            c._core.add_texts(["Iran met Oman."], ["x"], [None], [None])
        except RuntimeError as e:
            refusals.append(str(e))
    t.join()
    assert refusals, "the two threads never overlapped"
    assert all("another thread" in r for r in refusals), refusals


CTRL_C_CHILD = textwrap.dedent("""
    import sys, relcore
    print("loading", flush=True)
    try:  # one thread: a load of seconds, however fast the machine
        relcore.Corpus(sys.argv[1], progress=False, threads=1)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        c = relcore.Corpus.from_texts(["Iran and Pakistan met."])
        print("after", c.cooccurrence()["count"].tolist(), flush=True)
        sys.exit(0)
    print("finished", flush=True)
    sys.exit(3)
""")


def test_ctrl_c_interrupts_a_long_load(big_csv):
    proc = subprocess.Popen([sys.executable, "-c", CTRL_C_CHILD, str(big_csv)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "loading"
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, (out, err)
    assert out.split("\n")[:2] == ["interrupted", "after [1]"], (out, err)


CTRL_C_QUERY_CHILD = textwrap.dedent("""
    import sys, relcore
    c = relcore.Corpus(sys.argv[1], progress=False)
    expected = c.cooccurrence(top=3).to_dict("list")
    print("querying", flush=True)
    try:  # each about 0.3 s: Ctrl-C comes during one of them
        for _ in range(100):
            c.cooccurrence(context="window:1000", count="weighted")
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        print("same", c.cooccurrence(top=3).to_dict("list") == expected, flush=True)
        sys.exit(0)
    sys.exit(3)
""")


def test_ctrl_c_during_a_long_query(big_csv):
    """Ctrl-C during a query raises KeyboardInterrupt (at the latest when
    the core returns) and leaves the corpus usable."""
    proc = subprocess.Popen([sys.executable, "-c", CTRL_C_QUERY_CHILD, str(big_csv)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "querying"
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, (out, err)
    assert out.split("\n")[:2] == ["interrupted", "same True"], (out, err)


def test_progress_callback_reports_documents_and_bytes(big_csv):
    calls = []
    c = relcore.Corpus(big_csv, progress=lambda docs, nbytes: calls.append((docs, nbytes)),
                       threads=1)  # one thread: a load of seconds, however fast the machine
    assert len(c) == BIG_ROWS
    assert calls, "a load of several seconds reports progress"
    assert calls == sorted(calls)
    assert 0 < calls[-1][0] <= BIG_ROWS and 0 < calls[-1][1] <= big_csv.stat().st_size


def test_progress_callback_errors_stop_the_load(big_csv):
    def boom(docs, nbytes):
        raise RuntimeError("stop here")
    with pytest.raises(RuntimeError, match="stop here"):
        relcore.Corpus(big_csv, progress=boom, threads=1)


def test_progress_bar_with_tqdm(big_csv, capsys):
    pytest.importorskip("tqdm")
    relcore.Corpus(big_csv, progress=True)
    assert "relcore" in capsys.readouterr().err


# MARK: - types and docs

def _public_callables():
    for name in relcore.__all__:
        obj = getattr(relcore, name)
        if callable(obj) and not isinstance(obj, type):
            yield name, obj
    for name, obj in vars(relcore.Corpus).items():
        if isinstance(obj, classmethod):
            obj = obj.__func__
        if callable(obj) and (not name.startswith("_") or name in ("__init__", "__len__",
                                                                     "__iter__")):
            yield f"Corpus.{name}", obj


def test_public_api_is_typed_and_documented():
    import inspect
    for name, fn in _public_callables():
        sig = inspect.signature(fn)
        assert sig.return_annotation is not inspect.Signature.empty, name
        for p in sig.parameters.values():
            if p.name not in ("self", "cls"):
                assert p.annotation is not inspect.Parameter.empty, (name, p.name)
        if not name.startswith("Corpus.__") or name == "Corpus.__init__":
            assert (fn.__doc__ or "").strip(), f"{name} has no docstring"


def test_stub_covers_the_extension():
    import ast
    stub = ast.parse((ROOT / "python" / "relcore" / "_core.pyi").read_text())
    top = {n.name for n in stub.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    top |= {t.id for n in stub.body if isinstance(n, ast.AnnAssign) for t in [n.target]}
    public = {n for n in dir(_core) if not n.startswith("_")} | {"__version__"}
    assert public <= top, public - top
    corpus = next(n for n in stub.body if isinstance(n, ast.ClassDef) and n.name == "Corpus")
    methods = {n.name for n in corpus.body if isinstance(n, ast.FunctionDef)}
    assert {n for n in dir(_core.Corpus) if not n.startswith("_")} <= methods


def test_without_pandas_tables_are_columns(monkeypatch):
    """pandas is optional: without it a table is a dict of columns."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    c = relcore.Corpus.from_texts(["Iran met Oman and Qatar."])
    cols = c.cooccurrence()
    assert isinstance(cols, dict)
    assert cols["source"] == ["Iran", "Iran", "Oman"]
    assert list(cols["count"]) == [1, 1, 1]
    assert isinstance(c.entities()["mentions"], array)


def test_files_listed_with_their_ids_and_read_with_them(examples, tmp_path):
    """_core.list_files walks as a Corpus does; add_paths(ids=...) reads a
    part of the list with the ids the whole list gives (relcore.dask)."""
    sub = tmp_path / "desk"
    sub.mkdir()
    for f in sorted(examples.glob("*.txt"))[:4]:
        (sub / f.name).write_bytes(f.read_bytes())
    (sub / ".hidden.txt").write_text("Iran.")
    files, ids = _core.list_files([tmp_path], exclude=["*saudi*"])
    whole = relcore.Corpus(tmp_path, exclude=["*saudi*"])
    assert ids == list(whole.documents()["doc"]) and all(i.startswith("desk/") for i in ids)
    assert all(Path(f).is_file() for f in files) and len(files) == len(ids) >= 2
    part = relcore.Corpus()
    part._core.add_paths(files[1:], ids=ids[1:])
    assert list(part.documents()["doc"]) == ids[1:]
    alone = relcore.Corpus(files[1:])
    assert list(alone.documents()["doc"]) != ids[1:]  # the ids of another list
    with pytest.raises(ValueError, match="every path"):
        relcore.Corpus()._core.add_paths(files, ids=ids[:1])
    with pytest.raises(FileNotFoundError):
        _core.list_files([tmp_path / "missing"])
