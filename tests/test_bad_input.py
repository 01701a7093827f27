"""Bad input (SPEC §12): one test a row of the README's table, through the
command line's two front doors (the binary and the console script, which
runs the same C code inside Python) and through the Python module.

Each row says what relcore does: a clear message naming the file, the
bad part skipped or repaired, nothing else lost.  --strict (strict=True)
turns every warning into a failure."""
import csv
import io
import os
import signal
import subprocess
import sys
import time
import warnings

import pytest

import relcore

SUMMARY = "relcore: {} warning{} ({})"


@pytest.fixture(params=["binary", "script"])
def front(request, cli, script):
    """The command line, through the binary and the console script."""
    return cli if request.param == "binary" else script


def table(out: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(out.decode())))


def warning_lines(err: bytes) -> list[str]:
    return [ln for ln in err.decode().splitlines() if ln.startswith("relcore: warning: ")]


def corpus_with_warnings(*args, **kw):
    """A Corpus and the RuntimeWarnings its reading raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        c = relcore.Corpus(*args, **kw)
    return c, [str(w.message) for w in caught if w.category is RuntimeWarning]


def entities_of(c) -> list[str]:
    return c.mentions()["entity"].tolist()


# MARK: missing path: exit 1 naming it, nothing written

def test_missing_path(front, tmp_path):
    proc = front("count", tmp_path / "nope")
    assert proc.returncode == 1 and proc.stdout == b""
    assert proc.stderr.decode() == f"relcore: {tmp_path / 'nope'}: no such file or directory\n"


def test_missing_path_python(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope: no such file"):
        relcore.Corpus(tmp_path / "nope")


# MARK: unreadable file: skipped with a warning, the other files analysed

@pytest.fixture
def unreadable(tmp_path):
    """A file whose read fails.  As root, permissions do not stop a read,
    so root gets /proc/self/mem, whose first page cannot be read."""
    if os.geteuid() == 0:
        return "/proc/self/mem"
    path = tmp_path / "locked.txt"
    path.write_bytes(b"Iran met Oman.\n")
    path.chmod(0)
    return str(path)


def test_unreadable_file(front, tmp_path, unreadable):
    ok = tmp_path / "ok.txt"
    ok.write_bytes(b"Pakistan spoke.\n")
    proc = front("entities", unreadable, ok)
    assert proc.returncode == 0
    assert [r["entity"] for r in table(proc.stdout)] == ["Pakistan"]
    [line] = warning_lines(proc.stderr)
    assert line.startswith(f"relcore: warning: {unreadable}: cannot read: ")
    assert line.endswith("(skipped)")
    assert proc.stderr.decode().splitlines()[-1] == SUMMARY.format(1, "", "1 unreadable")


def test_unreadable_file_python(tmp_path, unreadable):
    ok = tmp_path / "ok.txt"
    ok.write_bytes(b"Pakistan spoke.\n")
    c, caught = corpus_with_warnings([unreadable, ok])
    assert len(c) == 1 and entities_of(c) == ["Pakistan"]
    assert len(caught) == 1 and "cannot read" in caught[0] and unreadable in caught[0]
    with pytest.raises(relcore.Error, match="cannot read"):
        relcore.Corpus([unreadable, ok], strict=True)


@pytest.mark.parametrize("threads", ["1", "2"])
def test_file_that_cannot_be_opened_first(front, tmp_path, threads):
    """A file that fails to open (a socket, even for root) before any
    other was read, so before any buffer was made: skipped with a
    warning like any unreadable file."""
    import socket
    path = tmp_path / "socket.txt"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(path))
    except OSError as exc:
        pytest.skip(f"no unix socket here: {exc}")
    ok = tmp_path / "ok.txt"
    ok.write_bytes(b"Pakistan spoke.\n")
    try:
        for args in (["entities"], ["count", "--threads", threads]):
            proc = front(*args, path, ok)
            assert proc.returncode == 0, proc.stderr
            assert [r["entity"] for r in table(proc.stdout)] == ["Pakistan"]
            [line] = warning_lines(proc.stderr)
            assert line.startswith(f"relcore: warning: {path}: cannot read: ")
            assert line.endswith("(skipped)")
    finally:
        sock.close()


# MARK: empty file: skipped with a warning

def test_empty_file(front, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ok.txt").write_bytes(b"Iran.\n")
    proc = front("count", tmp_path)
    assert proc.returncode == 0
    assert [r["entity"] for r in table(proc.stdout)] == ["Iran"]
    assert warning_lines(proc.stderr) == [
        f"relcore: warning: {tmp_path / 'empty.txt'}: empty file (skipped)"]
    assert proc.stderr.decode().splitlines()[-1] == SUMMARY.format(1, "", "1 empty file")


def test_empty_file_python(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    c, caught = corpus_with_warnings(tmp_path)
    assert len(c) == 0 and len(caught) == 1 and "empty file" in caught[0]
    with pytest.raises(relcore.Error, match="empty.txt: empty file"):
        relcore.Corpus(tmp_path, strict=True)


# MARK: a folder with no articles: the header only, exit 0, no message

def test_folder_without_articles(front, tmp_path):
    (tmp_path / "notes.md").write_bytes(b"Iran.\n")
    (tmp_path / "sub").mkdir()
    for args, header in [
            (["count"], "entity,type,country,mentions,documents"),
            (["cooccur"], "source,target,count,source_type,target_type,pmi,npmi,llr,dice,"
                          "jaccard"),
            (["tokens"], "doc,index,start,end,kind,text,sentence"),
            (["sentences"], "doc,sentence,start,end,text,paragraph"),
            (["entities"], "doc,sentence,start,end,text,entity,type,country,rule"),
            (["kwic", "--entity", "Iran"], "doc,sentence,start,end,source,target,text,"
                                           "source_spans,target_spans"),
            (["timeline"], "period,entity,mentions,documents,share"),
            (["matrix"], "entity")]:
        proc = front(*args, tmp_path, "--strict")
        assert proc.returncode == 0 and proc.stderr == b""
        assert proc.stdout.decode() == header + "\n"


def test_folder_without_articles_python(tmp_path):
    (tmp_path / "notes.md").write_bytes(b"Iran.\n")
    c = relcore.Corpus(tmp_path, strict=True)
    assert len(c) == 0
    df = c.entities()
    assert len(df) == 0 and list(df.columns)[:5] == [
        "entity", "type", "country", "mentions", "documents"]
    assert len(c.cooccurrence()) == 0


# MARK: invalid UTF-8: repaired for analysis, one warning with file and byte

BAD_UTF8 = b"Title\n\nIran \xff\xfe and Pakistan met. Oman \xc3 too.\n"


def test_invalid_utf8(front, tmp_path):
    f = tmp_path / "bad.txt"
    f.write_bytes(BAD_UTF8)
    proc = front("entities", f)
    assert proc.returncode == 0
    assert [e["entity"] for e in table(proc.stdout)] == ["Iran", "Pakistan", "Oman"]
    assert warning_lines(proc.stderr) == [
        f"relcore: warning: {f}: invalid utf-8 at byte 12 (repaired)"]
    tokens = table(front("tokens", f, check=True).stdout)
    # each bad byte is a '?' in place, so every offset still indexes the file
    assert [(t["start"], t["text"]) for t in tokens if "?" in t["text"]] == [
        ("12", "?"), ("13", "?"), ("38", "?")]
    repaired = bytes(b if b < 0x80 else 0x3F for b in BAD_UTF8)
    assert all(repaired[int(t["start"]):int(t["end"])].decode() == t["text"] for t in tokens)


@pytest.mark.parametrize("at", [15, 16, 63, 64, 65, 127, 128, 1000, (64 << 10) - 1,
                                (64 << 10) + 1])
def test_invalid_utf8_offset(cli, tmp_path, at):
    """The first bad byte is found wherever it falls against the checks'
    blocks: sixty-four and sixteen bytes at a time over ASCII, and a CSV
    file's 64 KB reads (a valid two-byte sequence just before it)."""
    body = bytearray(b"Iran spoke. " * ((at + 200) // 12 + 1))
    body[at - 3:at - 1] = "\u00e9".encode()
    body[at] = 0xFF
    art = tmp_path / "a.txt"
    art.write_bytes(bytes(body))
    proc = cli("count", art)
    assert warning_lines(proc.stderr) == [
        f"relcore: warning: {art}: invalid utf-8 at byte {at} (repaired)"]
    head = b"id,text\nr1,"
    doc = tmp_path / "d.csv"
    doc.write_bytes(head + bytes(body[len(head):]).replace(b",", b" ") + b"\n")
    proc = cli("count", doc)
    assert warning_lines(proc.stderr) == [
        f"relcore: warning: {doc}: invalid utf-8 at byte {at} (repaired)"]


def test_invalid_utf8_python(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_bytes(BAD_UTF8)
    c, caught = corpus_with_warnings(f)
    assert entities_of(c) == ["Iran", "Pakistan", "Oman"]
    assert caught == [f"{f}: invalid utf-8 at byte 12 (repaired)"]
    with pytest.raises(relcore.Error, match="invalid utf-8 at byte 12"):
        relcore.Corpus(f, strict=True)


# MARK: NUL bytes, a binary file: skipped with a warning

def test_nul_bytes(front, tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"Iran\x00\x01\x02")
    (tmp_path / "ok.txt").write_bytes(b"Oman.\n")
    proc = front("entities", tmp_path)
    assert proc.returncode == 0
    assert [e["doc"] for e in table(proc.stdout)] == ["ok.txt"]
    assert warning_lines(proc.stderr) == [
        f"relcore: warning: {tmp_path / 'bin.txt'}: binary file: NUL bytes, the first "
        "at byte 4 (skipped)"]
    strict = front("entities", tmp_path, "--strict")
    assert strict.returncode == 1 and warning_lines(strict.stderr) == []
    assert "bin.txt: binary file" in strict.stderr.decode()


def test_nul_bytes_python(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"Iran\x00\x01\x02")
    (tmp_path / "ok.txt").write_bytes(b"Oman.\n")
    c, caught = corpus_with_warnings(tmp_path)
    assert len(c) == 1 and entities_of(c) == ["Oman"]
    assert len(caught) == 1 and "binary file" in caught[0]


# MARK: a 50 MB single line: analysed like any text

LINE_UNIT = b"Iran met Pakistan and Oman in Tehran, said the minister of Qatar; "
LINE_REPEAT = 50_000_000 // len(LINE_UNIT) + 1


@pytest.fixture(scope="module")
def long_line(tmp_path_factory):
    f = tmp_path_factory.mktemp("long") / "line.txt"
    f.write_bytes(LINE_UNIT * LINE_REPEAT)
    assert f.stat().st_size >= 50_000_000 and b"\n" not in f.read_bytes()
    return f


def test_50mb_line(cli, long_line):
    """The binary only: the console script runs the same C code, and 50 MB
    costs time in the sanitizer pass."""
    rows = {r["entity"]: r for r in table(cli("count", long_line, check=True).stdout)}
    for name in ("Iran", "Pakistan", "Oman", "Tehran", "Qatar"):
        assert rows[name]["mentions"] == str(LINE_REPEAT) and rows[name]["documents"] == "1"


def test_50mb_line_python(long_line):
    df = relcore.Corpus(long_line, strict=True).entities()
    counts = dict(zip(df["entity"], df["mentions"]))
    assert counts["Iran"] == counts["Qatar"] == LINE_REPEAT


# MARK: extremely long tokens: cut every RC_MAX_TOKEN_BYTES (4096) bytes

LONG_TOKEN = "Iran " + "x" * 1_000_000 + " Pakistan."


def test_long_token(front, tmp_path):
    f = tmp_path / "t.txt"
    f.write_text(LONG_TOKEN)
    toks = table(front("tokens", f, check=True).stdout)
    pieces = [t for t in toks if t["text"].startswith("x")]
    assert [(int(t["start"]), int(t["end"])) for t in pieces] == [
        (s, min(s + 4096, 1_000_005)) for s in range(5, 1_000_005, 4096)]
    assert [e["entity"] for e in table(front("entities", f, check=True).stdout)] == [
        "Iran", "Pakistan"]


def test_long_token_python():
    toks = relcore.tokenize(LONG_TOKEN)
    assert "".join(t.text for t in toks[1:-2]) == "x" * 1_000_000
    assert max(len(t.text) for t in toks) == 4096
    assert all(LONG_TOKEN[t.start:t.end] == t.text for t in toks)
    assert [m.entity for m in relcore.extract(LONG_TOKEN)] == ["Iran", "Pakistan"]


# MARK: CSV with an unterminated quote: only that row is lost

BROKEN_CSV = b'id,text\n1,Iran spoke.\n2,"Pakistan spoke.\n3,Oman spoke.\n'


def test_csv_unterminated_quote(front, tmp_path):
    f = tmp_path / "d.csv"
    f.write_bytes(BROKEN_CSV)
    proc = front("entities", f)
    assert proc.returncode == 0
    assert [(e["doc"], e["entity"]) for e in table(proc.stdout)] == [
        ("1", "Iran"), ("3", "Oman")]
    assert warning_lines(proc.stderr) == [
        "relcore: warning: d.csv:3: unterminated quoted field (row skipped)"]
    assert proc.stderr.decode().splitlines()[-1] == SUMMARY.format(1, "", "1 bad csv row")
    strict = front("entities", f, "--strict")
    assert strict.returncode == 1 and "d.csv:3: unterminated quoted field" in strict.stderr.decode()


def test_csv_unterminated_quote_python(tmp_path):
    f = tmp_path / "d.csv"
    f.write_bytes(BROKEN_CSV)
    c, caught = corpus_with_warnings(f)
    assert len(c) == 2 and entities_of(c) == ["Iran", "Oman"]
    assert caught == ["d.csv:3: unterminated quoted field (row skipped)"]
    with pytest.raises(relcore.Error, match="d.csv:3"):
        relcore.Corpus(f, strict=True)


# MARK: CSV missing the text column: exit 1 naming the column and the fix

def test_csv_missing_text_column(front, tmp_path):
    f = tmp_path / "d.csv"
    f.write_bytes(b"id,body\n1,Iran\n")
    proc = front("count", f)
    assert proc.returncode == 1 and proc.stdout == b""
    assert proc.stderr.decode() == (
        "relcore: d.csv: no column 'text' (name the text column with --text-col)\n")
    assert front("count", f, "--text-col", "body", check=True).stdout.count(b"Iran") == 1


def test_csv_missing_text_column_python(tmp_path):
    f = tmp_path / "d.csv"
    f.write_bytes(b"id,body\n1,Iran\n")
    with pytest.raises(relcore.Error, match="no column 'text'"):
        relcore.Corpus(f)
    assert len(relcore.Corpus(f, text_col="body")) == 1


# MARK: mixed line endings and a byte-order mark: read as plain text

MIXED = "\ufeffIran talks\r\n\r\nIran met Pakistan.\rOman spoke.\nQatar too.\r\n"


def test_mixed_line_endings_and_bom(front, tmp_path):
    f = tmp_path / "m.txt"
    f.write_bytes(MIXED.encode())
    sents = table(front("sentences", f, check=True).stdout)
    assert [s["text"] for s in sents] == [
        "Iran talks", "Iran met Pakistan.", "Oman spoke.", "Qatar too."]
    data = MIXED.encode()
    assert all(data[int(s["start"]):int(s["end"])].decode() == s["text"] for s in sents)
    c = tmp_path / "m.csv"
    c.write_bytes("\ufeffid,text\r\nA,Iran met Oman.\nB,\"Qatar\r\nspoke.\"\r\n".encode())
    ents = table(front("entities", c, check=True).stdout)
    assert [(e["doc"], e["entity"]) for e in ents] == [("A", "Iran"), ("A", "Oman"),
                                                       ("B", "Qatar")]


def test_mixed_line_endings_and_bom_python(tmp_path):
    f = tmp_path / "m.txt"
    f.write_bytes(MIXED.encode())
    m = relcore.Corpus(f, strict=True).mentions()
    assert m["entity"].tolist() == ["Iran", "Iran", "Pakistan", "Oman", "Qatar"]
    assert [MIXED[s:e] for s, e in zip(m["start"], m["end"])] == m["text"].tolist()


# MARK: unknown option or subcommand: exit 2 with usage

def test_unknown_option_or_subcommand(front):
    proc = front("count", "--colour", "red", ".")
    assert proc.returncode == 2 and proc.stdout == b""
    assert proc.stderr.decode() == ("relcore: unknown option '--colour'\n"
                                    "usage: relcore count [OPTIONS] PATH...\n"
                                    "try 'relcore count --help'\n")
    proc = front("frobnicate", ".")
    assert proc.returncode == 2 and proc.stdout == b""
    assert proc.stderr.decode() == ("relcore: unknown command 'frobnicate'\n"
                                    "try 'relcore help'\n")


def test_unknown_option_python():
    c = relcore.Corpus.from_texts(["Iran met Oman."])
    with pytest.raises(TypeError, match="colour"):
        c.cooccurrence(colour="red")
    with pytest.raises(ValueError, match="context"):
        c.cooccurrence(context="galaxy")


# MARK: a gazetteer with malformed rows: exit 1, file and line in the message

@pytest.mark.parametrize("rows, message", [
    (b"Foo,Foo,GPE,IRN\nBar,Bar,NOTATYPE,IRN\n", "g.csv: line 3: unknown type 'NOTATYPE'"),
    (b"Foo,Foo,GPE,IRNX\n", "g.csv: line 2: bad country code 'IRNX'"),
    (b"Foo,Foo,GPE,IRN\nBar\n", "g.csv: line 3: row has 1 fields"),
    (b'Foo,Foo,GPE,IRN\n"Bar,Bar,GPE,IRN\n', "g.csv:3: unterminated quoted field"),
])
def test_gazetteer_malformed_rows(front, tmp_path, rows, message):
    g = tmp_path / "g.csv"
    g.write_bytes(b"alias,canonical,type,country\n" + rows)
    proc = front("count", tmp_path, "--gazetteer", g)
    assert proc.returncode == 1 and proc.stdout == b""
    assert message in proc.stderr.decode()
    with pytest.raises(relcore.Error, match=message.split(": ", 1)[1].split("'")[0]):
        relcore.gazetteer(g)
    with pytest.raises(relcore.Error, match="line|:3:"):
        relcore.Corpus(tmp_path, gazetteer=g)


# MARK: output to a full disk: exit 1 with a message, no file passed off as complete

def test_full_disk(front, examples, tmp_path):
    proc = front("tokens", examples, "-o", "/dev/full")
    assert proc.returncode == 1
    assert proc.stderr.decode().endswith(
        "relcore: /dev/full: write failed: No space left on device\n")
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(front.argv0 + ["count", str(examples)], stdout=full,
                              stderr=subprocess.PIPE)
    assert proc.returncode == 1
    assert b"standard output: write failed: No space left on device" in proc.stderr


def test_failed_run_removes_its_output_file(front, tmp_path):
    target = tmp_path / "out.csv"
    target.write_bytes(b"old contents\n")
    (tmp_path / "bin.txt").write_bytes(b"\x00")
    proc = front("count", tmp_path, "--strict", "-o", target)
    assert proc.returncode == 1 and not target.exists()


# MARK: a closed standard output (| head): a quiet exit

def test_closed_stdout(front, tmp_path):
    f = tmp_path / "big.txt"
    f.write_bytes(b"Iran met Pakistan in Tehran. " * 40_000)
    proc = subprocess.Popen(front.argv0 + ["tokens", str(f)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout.read(100).startswith(b"doc,index,start,end,kind,text")
    proc.stdout.close()  # the reader goes away, like head
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert proc.returncode in (141, -signal.SIGPIPE)  # as a shell reports it
    assert err == b""


# MARK: Ctrl-C during a run: exit 130 with one message

def blocked_in_pipe_read(pid: int, timeout: float = 30) -> None:
    """Wait until pid waits on its standard input (a pipe): seen twice,
    0.2 s apart (start-up may wait on a pipe for a moment too)."""
    end = time.monotonic() + timeout
    seen = 0
    while time.monotonic() < end and seen < 2:
        try:
            with open(f"/proc/{pid}/wchan") as f:
                seen = seen + 1 if "pipe_read" in f.read() else 0
        except OSError:
            time.sleep(1)  # no wchan here: give it time
            return
        time.sleep(0.2)


def test_ctrl_c(front):
    proc = subprocess.Popen(front.argv0 + ["count", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdin.write(b"Iran met Oman. ")
    proc.stdin.flush()
    blocked_in_pipe_read(proc.pid)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err == b"relcore: interrupted\n" and out == b""


def test_ctrl_c_python():
    code = ("import sys, relcore\nsys.stdout.write('ready\\n')\nsys.stdout.flush()\n"
            "relcore.Corpus('-')\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline() == b"ready\n"
    blocked_in_pipe_read(proc.pid)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0, err
    assert err.decode().rstrip().endswith("KeyboardInterrupt")


# MARK: warnings: one line each, a summary by kind, --strict

def test_warning_summary_counts_by_kind(front, tmp_path):
    (tmp_path / "a.txt").write_bytes(b"Iran \xff.\n")
    (tmp_path / "b.txt").write_bytes(b"Oman \xfe.\n")
    (tmp_path / "c.txt").write_bytes(b"")
    (tmp_path / "d.txt").write_bytes(b"\x00")
    (tmp_path / "e.csv").write_bytes(BROKEN_CSV)
    proc = front("count", tmp_path)
    assert proc.returncode == 0
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 6 and len(warning_lines(proc.stderr)) == 5
    assert lines[-1] == SUMMARY.format(
        5, "s", "2 invalid utf-8, 1 binary file, 1 empty file, 1 bad csv row")
    quiet = front("count", tmp_path, "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == b"" and quiet.stdout == proc.stdout
    strict = front("count", tmp_path, "--strict")
    assert strict.returncode == 1 and strict.stdout == b""
    assert strict.stderr.decode() == f"relcore: {tmp_path / 'a.txt'}: invalid utf-8 at byte 5\n"
