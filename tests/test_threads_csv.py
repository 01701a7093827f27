"""--threads on CSV files that libcsv reads in odd ways.

With several threads the reading thread only finds where rows end and the
workers parse the rows (rc_csv_docs_part, rc_csv_segment_docs), from the
first row boundary after the header.  The large files here (a few MB, every
odd row again and again, so some fall on the segments' ends) and the small
ones must give the very same output and the very same warnings on 1, 2 and
3 threads.
"""
import pytest

COMMANDS = [["cooccur", "--context", "sentence", "--top", "10"], ["count"],
            ["entities"], ["timeline"], ["kwic", "--entity", "Iran"]]

# Raw rows (bytes): libcsv's corners, each self-contained.
ROWS = [
    b'r{i},Title {i},2020-01-0{d},"Iran and Pakistan met in Tehran.\nThe talks, '
    b'said Ali Larijani, went on.",x\n',
    b'r{i},T,2020-02-0{d},"Turkey met Saudi Arabia ""today"".\r\nMore in Islamabad.",y\r\n',
    b'r{i},,2021-03-0{d},Iran met Turkey in Tehran,z\rr{i}b,,,Pakistan said,w\n',
    b'r{i},A "quoted" title,2020-01-0{d},Iran"s minister met Turkey,q\n',
    b'r{i},  "T"  ,2020-05-0{d},"Saudi Arabia met Iran"  ,e\n',
    b'r{i},"a" "b",2020,"Pakistan" "and" Iran",x\n',
    b'r{i},T,2020,"Iran met" "\nTurkey in Ankara",x\n',
    b'r{i},Only a title\n',
    b'r{i},T,2020-01-0{d},"Iran met Pakistan"\n',
    b'r{i},T,2020,Iran met Turkey,x,extra1,"extra ""2"""\n',
    b'\n   \n\t\n\r\n',
    b'r{i},T,2020,"Caf\xe9 in Tehran \xe2\x82 cut, Pakistan",x\n',
    b',T,2020-04-0{d},"Iran met Turkey in Ankara.",x\n',
    b',\n',
    b'r{i},"\n\n",2020,"\n",x\n',
    b'r{i}, "Iran, Turkey" ,2020,  "Pakistan, with a comma" ,x\n',
    b'r{i},T,2020,"Iran met ""Saudi Arabia"" in\r\nRiyadh.\r\n\r\nTurkey said.",\r\n',
]
HEADER = b'\xef\xbb\xbfid,title,date,text,extra\r\n'


def nasty_csv(path, size, tail=b"", middle=b"", delim=b","):
    """About size bytes of ROWS over and over, middle at half way, then tail."""
    out, n, i = [HEADER.replace(b",", delim)], len(HEADER), 0
    while n < size:
        row = ROWS[i % len(ROWS)].replace(b"{i}", str(i).encode())
        row = row.replace(b"{d}", str(1 + i % 9).encode()).replace(b",", delim)
        if middle and n < size // 2 <= n + len(row):
            out.append(middle)
        out.append(row)
        n += len(row)
        i += 1
    out.append(tail)
    path.write_bytes(b"".join(out))
    return path


def same_on_any_thread_count(cli, path):
    for args in COMMANDS:
        one = cli(*args, "--ner", "rules", "--threads", 1, path)
        assert one.returncode == 0, one.stderr
        assert one.stdout.count(b"\n") > 5, args
        for threads in (2, 3):
            other = cli(*args, "--ner", "rules", "--threads", threads, path)
            assert (other.returncode, other.stdout, other.stderr) == \
                (0, one.stdout, one.stderr), (args, threads)
    return one.stderr


@pytest.mark.parametrize("delim", [b",", b"\t"])
def test_odd_rows_are_read_alike_on_any_thread_count(cli, tmp_path, delim):
    name = "odd.tsv" if delim == b"\t" else "odd.csv"
    path = nasty_csv(tmp_path / name, 3_500_000, delim=delim)
    stderr = same_on_any_thread_count(cli, path)
    assert b"invalid utf-8" in stderr


def test_a_bad_last_row_is_lost_alike(cli, tmp_path):
    """An unterminated quote on the last row: warned once, the row lost."""
    path = nasty_csv(tmp_path / "bad_last.csv", 2_500_000,
                     tail=b'last,T,2020,"Iran met Pakistan\nand never\nclosed\n')
    stderr = same_on_any_thread_count(cli, path)
    assert b"unterminated quoted field" in stderr


def test_an_unterminated_quote_half_way_resumes_alike(cli, tmp_path):
    """Half way, a quote left open: libcsv reads on to the end of the file,
    loses that row and reads again from the line after it began on."""
    path = nasty_csv(tmp_path / "half.csv", 2_500_000,
                     middle=b'open,T,2020,"Iran met Turkey\n',
                     tail=b'end,T,2020,"one more"" quote\n')
    stderr = same_on_any_thread_count(cli, path)
    assert b"unterminated quoted field" in stderr


def test_a_row_ending_without_a_newline_is_kept_alike(cli, tmp_path):
    path = nasty_csv(tmp_path / "no_newline.csv", 1_500_000,
                     tail=b'end,T,2020-06-01,"Pakistan met Iran in Islamabad"  ')
    same_on_any_thread_count(cli, path)
    out = cli("entities", "--ner", "rules", "--threads", 2, path, check=True).stdout
    assert b"\nend," in out


SMALL = {
    "lone_cr.csv": b'text\rIran met Turkey\rPakistan said\n"Tehran, Iran"\n',
    "open_before_header.csv": b'"broken\ntext,id\nIran met Turkey,1\n',
    "header_only.csv": b'text,id',
    "open_last.csv": b'text,id\n"Iran met Turkey',
    "crlf.csv": b'text,id\r\n"Iran\r\nmet Turkey",1\r\n\r\n  ,\r\n"Pakistan ""x"" said"  ,2\r\n',
    "tabs.tsv": b'id\ttext\n1\t"Iran\tmet" x\n2\tTurkey said\n',
    "blank_lines.csv": b'\n\n  \ntext\n"Iran"  "met" Turkey\nlast row no newline Pakistan',
    "cr_then_open.csv": b'text\nIran\r"open\nmore Turkey\n"x"\n',
}


@pytest.mark.parametrize("name", sorted(SMALL))
@pytest.mark.parametrize("strict", [[], ["--strict"]])
def test_small_odd_files_are_read_alike(cli, tmp_path, name, strict):
    """Small files too: the workers parse all rows after the header's."""
    path = tmp_path / name
    path.write_bytes(SMALL[name])
    for args in (["entities"], ["count"]):
        one = cli(*args, *strict, "--ner", "rules", "--threads", 1, path)
        for threads in (2, 3):
            other = cli(*args, *strict, "--ner", "rules", "--threads", threads, path)
            assert (other.returncode, other.stdout, other.stderr) == \
                (one.returncode, one.stdout, one.stderr), (args, threads)


@pytest.mark.parametrize("threads", [1, 2])
def test_a_file_without_its_text_column_is_refused_before_its_rows(cli, tmp_path, threads):
    """No text column: the file is refused, and none of its rows is read
    (so none is warned of), on one thread as on several."""
    path = tmp_path / "notext.csv"
    path.write_bytes(b'id,body\n1,"Iran met Turkey\n2,Pakistan\n')
    proc = cli("count", "--ner", "rules", "--threads", threads, path)
    assert proc.returncode != 0
    assert b"no column 'text'" in proc.stderr
    assert b"unterminated" not in proc.stderr
