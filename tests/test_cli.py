"""The command line through the real binary: subcommands, options, exit
codes, output bytes, and the console script writing the same bytes."""
import csv
import io

import pytest

SUBCOMMANDS = [
    ["tokens"], ["sentences"], ["entities"], ["count"], ["cooccur"],
    ["cooccur", "--context", "document"], ["cooccur", "--level", "country"],
    ["count", "--level", "country"], ["cooccur", "--sort", "npmi", "--min-count", "2"],
    ["count", "--types", "GPE,NORP", "--top", "5"], ["cooccur", "--entity", "Iranian"],
    ["tokens", "--format", "tsv"], ["kwic", "--entity", "Iran", "--entity", "Pakistan"],
    ["cooccur", "--context", "window:10", "--count", "weighted"],
    ["cooccur", "--context", "paragraph", "--directed"],
    ["timeline", "--by", "week"], ["matrix", "--context", "document"], ["timeline", "--entity", "Iran", "--entity", "Pakistan"],
]


def rows(out: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(out.decode("utf-8"))))


@pytest.mark.parametrize("args", SUBCOMMANDS, ids=lambda a: " ".join(a))
def test_binary_and_console_script_write_identical_bytes(cli, script, examples, args):
    a = cli(*args, examples, check=True)
    b = script(*args, examples, check=True)
    assert a.stdout == b.stdout
    assert len(a.stdout) > 0


@pytest.mark.parametrize("args", [["gazetteer"], ["version"], ["help"], ["help", "cooccur"],
                                  ["count", "--help"]])
def test_listing_commands_identical(cli, script, args):
    a, b = cli(*args, check=True), script(*args, check=True)
    assert a.stdout == b.stdout and a.stdout


LEADING = {
    "tokens": "doc,index,start,end,kind,text",
    "sentences": "doc,sentence,start,end,text",
    "entities": "doc,sentence,start,end,text,entity,type,country,rule",
    "count": "entity,type,country,mentions,documents",
    "cooccur": "source,target,count,source_type,target_type,pmi,npmi,llr,dice,jaccard",
    "gazetteer": "alias,canonical,type,country",
    "kwic": "doc,sentence,start,end,source,target,text",
    "timeline": "period,entity,mentions,documents,share",
}


@pytest.mark.parametrize("cmd", sorted(LEADING))
def test_column_contract(cli, examples, cmd):
    args = [cmd] if cmd == "gazetteer" else [cmd, examples]
    if cmd == "kwic":
        args += ["--entity", "Iran"]
    out = cli(*args, check=True).stdout.decode()
    assert out.splitlines()[0].startswith(LEADING[cmd])


def test_output_bytes_are_utf8_lf_and_quoted_only_when_needed(cli, examples):
    out = cli("sentences", examples, check=True).stdout
    assert b"\r\n" not in out
    out.decode("utf-8")
    header = out.split(b"\n")[0]
    assert b'"' not in header
    table = rows(out)
    assert all(len(r) == len(table[0]) for r in table)


def test_tokens_offsets_index_the_original_bytes(cli, examples):
    out = cli("tokens", examples, check=True).stdout
    by_doc = {}
    for r in rows(out)[1:]:
        doc, start, end, text = r[0], int(r[2]), int(r[3]), r[5]
        if doc not in by_doc:
            by_doc[doc] = (examples / doc).read_bytes()
        assert by_doc[doc][start:end].decode("utf-8") == text


def test_entities_rows_sorted_by_document_then_offset(cli, examples):
    table = rows(cli("entities", examples, check=True).stdout)[1:]
    keys = [(r[0], int(r[2])) for r in table]
    assert keys == sorted(keys)


def test_count_sorted_by_mentions_then_name(cli, examples):
    table = rows(cli("count", examples, check=True).stdout)[1:]
    keys = [(-int(r[3]), r[0]) for r in table]
    assert keys == sorted(keys)


def test_cooccur_pairs_written_once_source_before_target(cli, examples):
    table = rows(cli("cooccur", examples, check=True).stdout)[1:]
    assert table
    pairs = [(r[0], r[1]) for r in table]
    assert all(s < t for s, t in pairs)
    assert len(set(pairs)) == len(pairs)


def test_output_file_option(cli, examples, tmp_path):
    target = tmp_path / "edges.csv"
    proc = cli("cooccur", examples, "-o", target, check=True)
    assert proc.stdout == b""
    assert target.read_bytes() == cli("cooccur", examples, check=True).stdout


def test_stdin_is_one_document(cli):
    proc = cli("entities", "-", input="Iran and Pakistan met in Tehran.\n".encode(), check=True)
    table = rows(proc.stdout)[1:]
    assert [r[0] for r in table] == ["-", "-", "-"]
    assert [r[5] for r in table] == ["Iran", "Pakistan", "Tehran"]


@pytest.mark.parametrize("args, message", [
    ([], "no command"),
    (["frobnicate"], "unknown command"),
    (["count"], "no input path"),
    (["count", "--bogus", "x"], "unknown option"),
    (["cooccur", "--context", "galaxy", "x"], "invalid value"),
    (["count", "--top", "-3", "x"], "invalid value"),
    (["count", "--context", "document", "x"], "does not apply"),
    (["count", "--types"], "needs a value"),
    (["help", "nope"], "unknown command"),
])
def test_usage_errors_exit_2(cli, args, message):
    proc = cli(*args)
    assert proc.returncode == 2
    assert message in proc.stderr.decode()
    assert proc.stdout == b""


def test_unknown_entity_exits_1(cli, examples):
    proc = cli("cooccur", examples, "--entity", "Atlantis Republic of Nowhere")
    assert proc.returncode == 1
    assert "unknown entity" in proc.stderr.decode()


def test_failed_output_file_is_removed(cli, tmp_path):
    target = tmp_path / "out.csv"
    proc = cli("count", tmp_path / "missing", "-o", target)
    assert proc.returncode == 1
    assert not target.exists()


def test_help_for_every_command(cli):
    for cmd in ["tokens", "sentences", "entities", "count", "cooccur", "kwic", "timeline",
                "gazetteer",
                "version", "help"]:
        proc = cli(cmd, "--help", check=True)
        assert f"relcore {cmd}" in proc.stdout.decode()


def test_version(cli):
    assert cli("version", check=True).stdout.decode().startswith("relcore ")


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_network_formats_load_with_networkx(cli, examples, tmp_path, fmt):
    import json

    import networkx as nx
    target = tmp_path / f"g.{fmt}"
    cli("cooccur", examples, "--format", fmt, "-o", target, check=True)
    if fmt == "graphml":
        g = nx.read_graphml(target)
    elif fmt == "gexf":
        g = nx.read_gexf(target)
    else:
        g = nx.node_link_graph(json.loads(target.read_text()), edges="links")
    edges = rows(cli("cooccur", examples, check=True).stdout)[1:]
    assert g.number_of_edges() == len(edges)
    assert g.nodes["Iran"]["type"] == "GPE" and g.nodes["Iran"]["country"] == "IRN"
    assert int(g.nodes["Iran"]["mentions"]) > 0
    assert float(g["Iran"]["Pakistan"]["count"]) == float(
        next(e[2] for e in edges if (e[0], e[1]) == ("Iran", "Pakistan")))


def test_json_lines_for_tables(cli, examples):
    import json
    out = cli("count", examples, "--format", "json", check=True).stdout.decode()
    objs = [json.loads(line) for line in out.splitlines()]
    table = rows(cli("count", examples, check=True).stdout)
    assert len(objs) == len(table) - 1
    assert objs[0] == {"entity": table[1][0], "type": table[1][1], "country": table[1][2],
                       "mentions": int(table[1][3]), "documents": int(table[1][4])}


def test_graph_formats_only_for_cooccur(cli, examples):
    proc = cli("count", examples, "--format", "graphml")
    assert proc.returncode == 2


def test_matrix_is_the_wide_cooccur_table(cli, examples):
    wide = rows(cli("matrix", examples, check=True).stdout)
    labels = wide[0][1:]
    assert labels == sorted(labels) and [r[0] for r in wide[1:]] == labels
    cells = {(r[0], labels[j]): int(v) for r in wide[1:] for j, v in enumerate(r[1:])}
    edges = rows(cli("cooccur", examples, check=True).stdout)[1:]
    assert sum(cells.values()) == 2 * sum(int(e[2]) for e in edges)
    for e in edges:
        assert cells[(e[0], e[1])] == cells[(e[1], e[0])] == int(e[2])


def test_matrix_json_is_pandas_split(cli, examples):
    import json
    wide = rows(cli("matrix", "--count", "frequency", examples, check=True).stdout)
    doc = json.loads(cli("matrix", "--count", "frequency", "--format", "json", examples,
                         check=True).stdout)
    assert doc["columns"] == doc["index"] == wide[0][1:]
    assert doc["data"] == [[int(v) for v in r[1:]] for r in wide[1:]]
    weighted = json.loads(cli("matrix", "--context", "window:5", "--count", "weighted",
                              "--format", "json", examples, check=True).stdout)
    assert any(isinstance(v, float) and v != int(v) for r in weighted["data"] for v in r)
