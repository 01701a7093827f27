"""Input (SPEC §3): article layout, CSV documents, ids (bad input: test_bad_input.py)."""
import csv
import io

import pytest


def table(out: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(out.decode())))


def write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_article_layout(cli, tmp_path):
    text = ("Iran and Pakistan meet\n\nOctober 29, 2025 - 19:50\n\n"
            "TEHRAN – Iran hosted Pakistan.\n\nLeave a Comment\n").encode()
    f = write(tmp_path / "a.txt", text)
    sents = table(cli("sentences", f, check=True).stdout)
    assert [s["text"] for s in sents] == ["Iran and Pakistan meet", "Iran hosted Pakistan."]
    assert [s["doc"] for s in sents] == ["a.txt", "a.txt"]
    assert text[int(sents[1]["start"]):int(sents[1]["end"])].decode() == "Iran hosted Pakistan."


@pytest.mark.parametrize("date_line", ["2025-10-29", "29 October 2025", "26-FEB-1987 15:01:01.79",
                                       "2024", "Wednesday, 29 October 2025", "Oct. 29, 2025"])
def test_date_lines_are_not_text(cli, tmp_path, date_line):
    f = write(tmp_path / "a.txt", f"Title here\n{date_line}\nBody sentence.\n".encode())
    sents = table(cli("sentences", f, check=True).stdout)
    assert [s["text"] for s in sents] == ["Title here", "Body sentence."]


def test_hard_wrapped_text_and_hyphen_rejoined(cli, tmp_path):
    f = write(tmp_path / "a.txt", b"Title\n\nThe Secretary-\nGeneral met the\ndelegates today.\n")
    sents = table(cli("sentences", f, check=True).stdout)
    assert len(sents) == 2 and sents[1]["text"].startswith("The Secretary-\nGeneral")
    toks = table(cli("tokens", f, check=True).stdout)
    assert "Secretary-\nGeneral" in [t["text"] for t in toks]


def test_folder_walk_sorted_recursive_hidden_skipped_and_ids(cli, tmp_path):
    (tmp_path / "b").mkdir()
    write(tmp_path / "b" / "z.txt", b"Iran.\n")
    write(tmp_path / "a.TXT", b"Iran.\n")
    write(tmp_path / "noext", b"Iran.\n")
    write(tmp_path / ".hidden.txt", b"Iran.\n")
    write(tmp_path / "notes.md", b"Iran.\n")
    docs = [r["doc"] for r in table(cli("entities", tmp_path, check=True).stdout)]
    assert docs == ["a.TXT", "b/z.txt", "noext"]


def test_a_tree_is_listed_depth_first_in_byte_order_across_batches(cli, tmp_path):
    """The walk lists files as the reading reaches them, a batch (64 files)
    ahead: a tree of nested folders, of more files than three batches,
    given with a file and another folder after it, is read in the order of
    a whole listing (depth first, names in byte order; "a.b" < "a/" < "a0"
    as names, not as paths), on one and two threads, and the Python API's
    list of files is the same."""
    import os

    import relcore._core as core

    tree = tmp_path / "tree"
    layout = {"": 3, "a": 40, "a/deep": 2, "a/deep/er": 70, "a.b": 5, "a0": 1, "m": 90, "z": 0}
    for folder, n in layout.items():
        (tree / folder).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            write(tree / folder / f"f{i:03d}.txt", f"Iran met Pakistan {folder} {i}.\n".encode())
    write(tree / "a" / "skip.md", b"Iran.\n")
    write(tmp_path / "single.txt", b"Iran and Pakistan.\n")
    (tmp_path / "other").mkdir()
    write(tmp_path / "other" / "last.txt", b"Iran and Pakistan.\n")

    def listing(root, prefix):
        out = []
        for name in sorted(os.listdir(root), key=os.fsencode):
            path = os.path.join(root, name)
            if os.path.isdir(path):
                out += listing(path, f"{prefix}{name}/")
            elif name.endswith(".txt"):
                out.append(prefix + name)
        return out

    want = listing(tree, "tree/") + ["single.txt"] + listing(tmp_path / "other", "other/")
    assert len(want) > 3 * 64
    roots = [tree, tmp_path / "single.txt", tmp_path / "other"]
    for threads in ("1", "2"):
        out = cli("kwic", "--entity", "Iran", "--ner", "rules", "--threads", threads, *roots,
                  check=True).stdout
        docs = list(dict.fromkeys(r["doc"] for r in table(out)))
        assert docs == want
    files, ids = core.list_files([os.fspath(r) for r in roots])
    assert ids == want and all(os.path.isfile(f) for f in files)


def test_several_roots_ids_relative_to_common_parent(cli, tmp_path):
    for d in ("x", "y"):
        (tmp_path / d).mkdir()
        write(tmp_path / d / "1.txt", b"Iran.\n")
    docs = [r["doc"] for r in table(cli("entities", tmp_path / "x", tmp_path / "y",
                                        check=True).stdout)]
    assert docs == ["x/1.txt", "y/1.txt"]


def test_include_exclude(cli, tmp_path):
    for n in ("keep.txt", "drop.txt"):
        write(tmp_path / n, b"Iran.\n")
    docs = {r["doc"] for r in table(cli("entities", tmp_path, "--exclude", "drop*",
                                        check=True).stdout)}
    assert docs == {"keep.txt"}
    docs = {r["doc"] for r in table(cli("entities", tmp_path, "--include", "drop*",
                                        check=True).stdout)}
    assert docs == {"drop.txt"}


def test_csv_documents_columns_metadata_bom_crlf_multiline(cli, tmp_path):
    data = ("\ufeffid,country,date,text\r\n"
            "A1,PAK,2024,\"Pakistan thanked Iran.\r\nIran replied.\"\r\n"
            "A2,IRN,2023,Saudi Arabia met Iran.\r\n").encode()
    f = write(tmp_path / "speeches.csv", data)
    ents = table(cli("entities", f, check=True).stdout)
    assert [(e["doc"], e["entity"]) for e in ents] == [
        ("A1", "Pakistan"), ("A1", "Iran"), ("A1", "Iran"), ("A2", "Saudi Arabia"), ("A2", "Iran")]
    edges = table(cli("cooccur", f, "--context", "document", check=True).stdout)
    assert {(e["source"], e["target"], e["count"]) for e in edges} == {
        ("Iran", "Pakistan", "1"), ("Iran", "Saudi Arabia", "1")}


def test_csv_text_col_option_and_row_ids(cli, tmp_path):
    f = write(tmp_path / "d.csv", b"body,source\nIran spoke.,x\nPakistan spoke.,y\n")
    ents = table(cli("entities", f, "--text-col", "body", check=True).stdout)
    assert [e["doc"] for e in ents] == ["d.csv:1", "d.csv:2"]


def test_tsv_documents(cli, tmp_path):
    f = write(tmp_path / "d.tsv", b"id\ttext\nt1\tIran and Pakistan.\n")
    ents = table(cli("entities", f, check=True).stdout)
    assert [e["entity"] for e in ents] == ["Iran", "Pakistan"]


def test_csv_streamed_in_blocks_reads_every_row_whole(cli, tmp_path):
    """A CSV of several 1 MB blocks: rows, multi-line quoted fields and UTF-8
    sequences cut by a block's end come out whole; one invalid byte is
    repaired at its offset in the file; an unterminated quote in the last
    block loses only its row."""
    words = ["Café", "Zürich", "naïve", "Škoda", "😀x"]
    rows, size = [], 0
    for i in range(9000):
        text = " ".join(words[(i + k) % 5] for k in range(40 + i % 37))
        if i % 7 == 0:
            text += "\nsecond line"
        rows.append((f"r{i}", text))
    def encode():
        return ("id,text\n" + "".join(f'{r},"{t}"\n' for r, t in rows)).encode()
    data = encode()
    # pad the first row so that the reader's first block (1 MB) ends inside
    # a multi-byte sequence
    pad = next(d for d in range(16) if 0x80 <= data[(1 << 20) - d] < 0xC0)
    rows[0] = (rows[0][0], rows[0][1] + " " * pad)
    data = encode()
    assert 0x80 <= data[1 << 20] < 0xC0
    assert len(data) > 3 * (1 << 20)
    bad_row = 5000  # its text begins "Café": the "a" becomes a bad byte
    bad_at = data.index(f'r{bad_row},"'.encode()) + len(f'r{bad_row},"') + 1
    data = data[:bad_at] + b"\xff" + data[bad_at + 1:]
    data += b'late,"open quote\nnext,Iran spoke.\n'
    f = write(tmp_path / "big.csv", data)
    proc = cli("tokens", f)
    assert proc.returncode == 0
    err = proc.stderr.decode()
    assert f"big.csv: invalid utf-8 at byte {bad_at} (repaired)" in err
    late_line = data.count(b"\n") - 1
    assert f"big.csv:{late_line}: unterminated quoted field (row skipped)" in err
    by_doc = {}
    for t in table(proc.stdout):
        by_doc.setdefault(t["doc"], []).append(t["text"])
    assert list(by_doc) == [r for r, _ in rows] + ["next"]
    for r, text in rows:
        if r == f"r{bad_row}":
            text = "C?" + text[2:]
        assert "".join(by_doc[r]) == "".join(text.split()), r
