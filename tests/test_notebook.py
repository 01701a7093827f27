"""notebooks/tour.ipynb runs end to end (nbclient) and draws its figures:
on examples/corpus, and on the UN General Debate corpus when ../shared is
here.  Each figure is saved as a PNG and checked to be a real image.

Not under the sanitizer run: the kernel is a separate Python process that
would inherit the ASan preload (see the Makefile's test-asan)."""
import base64
import io
import os
from pathlib import Path

import pytest

from conftest import ROOT, shared_path

pytestmark = pytest.mark.skipif(os.environ.get("RELCORE_SANITIZE") == "1",
                                reason="notebooks are not run under the sanitizer build")
NOTEBOOK = ROOT / "notebooks" / "tour.ipynb"
SKIP_NOTE = "The UN General Debate corpus is not here"


def execute(monkeypatch, corpus: Path, un: Path | None):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    monkeypatch.setenv("RELCORE_TOUR_CORPUS", str(corpus))
    if un is None:
        monkeypatch.delenv("RELCORE_TOUR_UN", raising=False)
    else:
        monkeypatch.setenv("RELCORE_TOUR_UN", str(un))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(nb, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return nb


def outputs(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            yield from cell.get("outputs", [])


def save_figures(nb, folder: Path) -> list[Path]:
    """Every PNG the notebook drew, written to folder and checked."""
    import matplotlib.image
    paths = []
    for out in outputs(nb):
        png = out.get("data", {}).get("image/png")
        if png is None:
            continue
        path = folder / f"figure{len(paths) + 1}.png"
        path.write_bytes(base64.b64decode(png))
        image = matplotlib.image.imread(io.BytesIO(path.read_bytes()), format="png")
        height, width = image.shape[:2]
        assert width >= 300 and height >= 200, (path, image.shape)
        assert image[..., :3].std() > 0.05, f"{path} is blank"
        paths.append(path)
    return paths


def text_of(nb) -> str:
    parts = []
    for out in outputs(nb):
        parts.append(out.get("text", ""))
        parts.append(out.get("data", {}).get("text/plain", ""))
        parts.append(out.get("evalue", ""))
    return "\n".join(parts)


def test_tour_on_examples(monkeypatch, tmp_path, examples):
    nb = execute(monkeypatch, examples, None)
    assert not [o for o in outputs(nb) if o.output_type == "error"]
    figures = save_figures(nb, tmp_path)
    # top entities, network, country dyads, timeline
    assert len(figures) == 4, figures
    text = text_of(nb)
    assert "<relcore.Corpus: 14 documents" in text
    assert "Iran" in text and "Pakistan" in text
    assert SKIP_NOTE in text


def test_tour_on_un_debates(monkeypatch, tmp_path, examples):
    un = shared_path("corpora", "ungdc_1990_2024.csv")
    nb = execute(monkeypatch, examples, un)
    figures = save_figures(nb, tmp_path)
    assert len(figures) == 5, figures  # plus who talks about whom
    text = text_of(nb)
    assert "6,522 documents" in text
    assert SKIP_NOTE not in text


def test_committed_tour_shows_examples_only():
    """The notebook in the repository carries outputs computed on
    examples/corpus, and nothing from the UN corpus (../shared)."""
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "commit the notebook with its outputs"
    text = text_of(nb)
    assert "<relcore.Corpus: 14 documents" in text
    assert SKIP_NOTE in text
    assert "6,522" not in text and "ungdc" not in text.replace(
        "ungdc_1990_2024.csv to run this section", "")
    assert sum("image/png" in o.get("data", {}) for o in outputs(nb)) == 4
