"""Golden tests on our own example corpus: every table command's output on
examples/corpus is pinned byte for byte in tests/golden/.

After an intended change of behaviour, regenerate and review the diff:

    RELCORE_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""
import os

import pytest

from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
CASES = {
    "count": ["count"],
    "count_country": ["count", "--level", "country"],
    "cooccur": ["cooccur"],
    "cooccur_document": ["cooccur", "--context", "document"],
    "cooccur_country": ["cooccur", "--level", "country"],
    "entities": ["entities"],
    "sentences": ["sentences"],
    "kwic": ["kwic", "--entity", "Iran", "--entity", "Pakistan"],
    "timeline_month": ["timeline", "--by", "month"],
    "cooccur_window": ["cooccur", "--context", "window:10", "--count", "weighted"],
    "cooccur_paragraph_directed": ["cooccur", "--context", "paragraph", "--directed",
                                   "--count", "frequency"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(cli, examples, name):
    out = cli(*CASES[name], examples, check=True, cwd=ROOT).stdout
    path = GOLDEN / f"{name}.csv"
    if os.environ.get("RELCORE_UPDATE_GOLDEN"):
        path.write_bytes(out)
    assert path.exists(), f"{path} missing: run with RELCORE_UPDATE_GOLDEN=1"
    assert out == path.read_bytes(), f"{name} differs from {path}"
