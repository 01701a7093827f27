"""The built-in gazetteer and user gazetteers."""
import csv
import io

import pytest

from conftest import ROOT, shared_path


def table(out: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(out.decode())))


@pytest.fixture(scope="module")
def builtin(binary):
    import subprocess
    out = subprocess.run([str(binary), "gazetteer"], capture_output=True, check=True).stdout
    return table(out)


def test_builtin_has_every_ungdc_country(builtin):
    path = shared_path("corpora", "ungdc_1990_2024.csv")
    csv.field_size_limit(1 << 30)
    with open(path, newline="", encoding="utf-8") as fp:
        codes = {row["country"] for row in csv.DictReader(fp)}
    codes.discard("EU")  # the European Union: an organisation
    countries = {r["country"] for r in builtin if r["type"] == "GPE" and r["alias"] == r["canonical"]}
    missing = sorted(codes - countries)
    assert not missing, f"no country entity for {missing}"
    assert len(codes) > 190


def test_builtin_has_names_abbreviations_demonyms_capitals_orgs(builtin):
    alias = {(r["alias"], r["canonical"], r["type"]) for r in builtin}
    for row in [("U.S.", "United States", "GPE"), ("US", "United States", "GPE"),
                ("USA", "United States", "GPE"), ("America", "United States", "GPE"),
                ("Iranians", "Iran", "NORP"), ("Iranian", "Iran", "NORP"),
                ("Tehran", "Tehran", "GPE"), ("USSR", "Soviet Union", "GPE"),
                ("Yugoslavia", "Yugoslavia", "GPE"), ("Czechoslovakia", "Czechoslovakia", "GPE"),
                ("East Germany", "East Germany", "GPE")]:
        assert row in alias, row
    orgs = {r["alias"] for r in builtin if r["type"] == "ORG"}
    for acronym in ["UN", "ECO", "SCO", "NATO", "EU", "OPEC", "IAEA", "ASEAN", "BRICS", "GCC", "OIC"]:
        assert acronym in orgs, acronym


def test_capital_has_its_country(builtin):
    tehran = next(r for r in builtin if r["alias"] == "Tehran")
    assert tehran["country"] == "IRN"


def test_gazetteer_tsv_is_well_formed():
    lines = (ROOT / "csrc" / "data" / "gazetteer.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "alias\tcanonical\ttype\tcountry"
    for n, line in enumerate(lines[1:], 2):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        assert len(fields) == 4, f"line {n}: {line!r}"
        assert fields[2] in {"PERSON", "ORG", "GPE", "LOC", "NORP", "MISC"}, f"line {n}"


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_user_gazetteer_adds_entity_alias_retypes_and_blocks(cli, tmp_path):
    gz = write(tmp_path, "mine.csv",
               "alias,canonical,type,country\n"
               "Kamrani,Dariush Kamrani,PERSON,IRN\n"   # a new entity
               "the Islamic Republic,Iran,GPE,IRN\n"    # an alias of a built-in one
               "Jordan,Jordan,PERSON,\n"                # a type change
               "Chad,-,-,\n")                           # a blocked false positive
    text = "Kamrani said the Islamic Republic and Jordan and Chad agreed.\n"
    out = cli("entities", "-", "--gazetteer", gz, input=text.encode(), check=True).stdout
    got = [(r["text"], r["entity"], r["type"], r["rule"]) for r in table(out)]
    assert got == [("Kamrani", "Dariush Kamrani", "PERSON", "user"),
                   ("the Islamic Republic", "Iran", "GPE", "user"),
                   ("Jordan", "Jordan", "PERSON", "user")]


def test_user_gazetteer_tsv_and_no_builtin(cli, tmp_path):
    gz = write(tmp_path, "mine.tsv", "alias\tcanonical\ttype\tcountry\nFoo Corp\tFoo Corporation\tORG\t\n")
    out = cli("gazetteer", "--no-builtin", "--gazetteer", gz, check=True).stdout
    assert table(out) == [{"alias": "Foo Corp", "canonical": "Foo Corporation", "type": "ORG",
                           "country": ""}]
    out = cli("entities", "-", "--no-builtin", input=b"Iran met Pakistan.\n", check=True).stdout
    assert all(r["rule"] not in ("gazetteer", "demonym") for r in table(out))


@pytest.mark.parametrize("content, message", [
    ("alias,canonical,type,country\nFoo,Foo,BANANA,\n", "line 2"),
    ("alias,canonical,type,country\nFoo,Foo,ORG,IRN\nBar,Bar,ORG,12345\n", "line 3"),
    ("name,type\nFoo,ORG\n", "missing column"),
])
def test_malformed_user_gazetteer_names_the_line(cli, tmp_path, content, message):
    gz = write(tmp_path, "bad.csv", content)
    proc = cli("gazetteer", "--gazetteer", gz)
    assert proc.returncode == 1
    assert message in proc.stderr.decode()
    assert "bad.csv" in proc.stderr.decode()
