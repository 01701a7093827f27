"""The learned entity tagger (issue 9): training, model files, --ner.

tests/data/ner_tiny.conll is CoNLL-format text we wrote for these tests;
the test that retrains the shipped model needs CoNLL-2003 in ../shared and
skips without it.
"""
import csv
import io
import re
import struct

import pytest

import relcore
from conftest import ROOT, shared_path

TINY = ROOT / "tests" / "data" / "ner_tiny.conll"
SHIPPED = ROOT / "csrc" / "data" / "ner_model.bin"


def table(out: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(out.decode())))


def train(cli, out, *extra):
    return cli("train-ner", TINY, "-o", out, *extra, check=True)


def test_training_twice_gives_identical_model_files(cli, tmp_path):
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    train(cli, a, "--epochs", "5", "--dev", TINY)
    train(cli, b, "--epochs", "5", "--dev", TINY)
    assert a.read_bytes() == b.read_bytes()
    assert len(a.read_bytes()) > 32


def test_the_seed_changes_the_order_of_training(cli, tmp_path):
    outs = []
    for seed in ["1", "2", "3"]:
        train(cli, tmp_path / f"{seed}.bin", "--epochs", "3", "--seed", seed)
        outs.append((tmp_path / f"{seed}.bin").read_bytes())
    assert len(set(outs)) > 1


def test_each_epoch_prints_dev_scores_and_the_best_is_kept(cli, tmp_path):
    err = train(cli, tmp_path / "m.bin", "--epochs", "4", "--dev", TINY).stderr.decode()
    lines = re.findall(r"epoch (\d+): dev precision [\d.]+ recall [\d.]+ f1 ([\d.]+)", err)
    assert [int(e) for e, _ in lines] == [1, 2, 3, 4]
    assert "(best)" in err


def test_model_file_header(cli, tmp_path):
    m = tmp_path / "m.bin"
    train(cli, m, "--epochs", "2")
    data = m.read_bytes()
    magic, version, features, classes, log2, rows = struct.unpack_from("<8sIIIII", data)
    assert magic == b"RCTAGGER" and version == 1 and classes == 17
    assert len(data) == 32 + 8 * (1 << log2) + rows * classes * 2


def test_a_trained_model_is_used_with_model(cli, tmp_path):
    m = tmp_path / "m.bin"
    train(cli, m, "--epochs", "10")
    doc = tmp_path / "d.txt"
    doc.write_text("Kowal\n\nJonas Petrauskas of Nordline Ferries agreed.\n")
    rows = table(cli("entities", "--model", m, doc, check=True).stdout)
    assert ("Jonas Petrauskas", "PERSON", "model") in [(r["entity"], r["type"], r["rule"])
                                                     for r in rows]


def test_a_model_of_another_version_is_refused(cli, tmp_path):
    bad = bytearray(SHIPPED.read_bytes())
    bad[8:12] = struct.pack("<I", 7)
    path = tmp_path / "v7.bin"
    path.write_bytes(bytes(bad))
    proc = cli("count", "--model", path, ROOT / "examples" / "corpus")
    assert proc.returncode == 1
    msg = proc.stderr.decode()
    assert "format version 7" in msg and "reads version 1" in msg and "train-ner" in msg
    assert proc.stdout == b""


@pytest.mark.parametrize("content", [b"", b"RCTAGGER", b"not a model at all, really not"])
def test_a_file_that_is_not_a_model_is_refused(cli, tmp_path, content):
    path = tmp_path / "bad.bin"
    path.write_bytes(content)
    proc = cli("count", "--model", path, ROOT / "examples" / "corpus")
    assert proc.returncode == 1
    assert str(path) in proc.stderr.decode()


def test_a_truncated_model_is_refused(cli, tmp_path):
    path = tmp_path / "cut.bin"
    path.write_bytes(SHIPPED.read_bytes()[:-2])
    proc = cli("count", "--model", path, ROOT / "examples" / "corpus")
    assert proc.returncode == 1 and "truncated" in proc.stderr.decode()


def test_malformed_training_data_names_the_line(cli, tmp_path):
    path = tmp_path / "bad.conll"
    path.write_text("Tallinn X X I-LOC\nport X X I-PLACE\n")
    proc = cli("train-ner", path, "-o", tmp_path / "m.bin")
    assert proc.returncode == 1
    assert "line 2" in proc.stderr.decode() and "I-PLACE" in proc.stderr.decode()
    assert not (tmp_path / "m.bin").exists()


def test_train_ner_needs_an_output(cli):
    proc = cli("train-ner", TINY)
    assert proc.returncode == 2 and "-o" in proc.stderr.decode()


def test_ner_option_values(cli, examples):
    model = table(cli("entities", examples, check=True).stdout)
    rules = table(cli("entities", "--ner", "rules", examples, check=True).stdout)
    assert any(r["rule"] == "model" for r in model)
    assert not any(r["rule"] == "model" for r in rules)
    assert model == table(cli("entities", "--ner", "model", examples, check=True).stdout)
    proc = cli("entities", "--ner", "crf", examples)
    assert proc.returncode == 2 and "model or rules" in proc.stderr.decode()


def test_python_takes_ner(examples):
    text = "Aid came from the Iranian Red Lion Society yesterday."
    assert {m.rule for m in relcore.extract(text, ner="rules")} == {"name"}
    assert {m.rule for m in relcore.extract(text)} == {"model"}
    with pytest.raises(ValueError, match="model or rules"):
        relcore.extract(text, ner="crf")
    rules = relcore.Corpus(examples, ner="rules").mentions()
    assert "model" not in set(rules["rule"])


def test_version_names_the_built_in_model(cli):
    out = cli("version", check=True).stdout.decode()
    assert re.fullmatch(r"relcore \S+ \(tagger model [0-9a-f]{16}\)\n", out)


def test_shipped_model_is_small():
    assert SHIPPED.stat().st_size <= 20 * 1024 * 1024


def test_make_model_reproduces_the_shipped_model(cli, tmp_path):
    conll = shared_path("ner/conll2003")
    out = tmp_path / "model.bin"
    cli("train-ner", conll / "eng.train", "--dev", conll / "eng.testa", "-o", out,
        check=True)
    assert out.read_bytes() == SHIPPED.read_bytes()


def test_both_builds_train_and_tag_alike(cli, script, tmp_path, examples):
    """The make build (./relcore) and the setuptools build (the extension
    behind the console script) give the same model bytes and the same tags."""
    a, b = tmp_path / "make.bin", tmp_path / "setuptools.bin"
    train(cli, a, "--epochs", "4", "--dev", TINY)
    script("train-ner", TINY, "-o", b, "--epochs", "4", "--dev", TINY, check=True)
    assert a.read_bytes() == b.read_bytes()
    assert (cli("entities", examples, check=True).stdout ==
            script("entities", examples, check=True).stdout)
