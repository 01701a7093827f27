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
