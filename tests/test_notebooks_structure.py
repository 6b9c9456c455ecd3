"""Every notebook follows the series' conventions.

Named ``NN_topic``, stored clean, python3 kernel; first cell: title, Colab badge, what you will learn,
prerequisites and the time table; first code cell: the setup cell (SIZE form field, Colab-only install
that pins Colab's TensorFlow, ``tutorial.setup(SIZE, notebook="NN")``); exercises at the end, each
with a hidden solution cell right after them (nbval runs those, so a broken solution fails the suite);
widget cells that hold one call each. The time table itself is checked in ``test_notebook_plans.py``.
"""

import json
import re
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REPOSITORY = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
SERIES = [
    "00_quickstart",
    "01_data",
    "02_augmentations",
    "03_train_deepstarr",
    "04_low_data",
    "05_chipseq",
    "06_interpretability",
    "07_custom_augmentation",
    "08_hyperparameter_search",
    "09_evoaug_vs_evoaug_tf",
]
SIZE_FIELD = 'SIZE = "class"  # @param ["quick", "offline", "class", "paper"]'
WIDGETS = ("viz.augmentation_explorer(", "viz.batch_explorer(", "viz.attribution_explorer(")
SOLUTION_TITLE = re.compile(r"# @title Solution (\d+)\n")


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def load(path):
    return json.loads(path.read_text())


def code_lines(text):
    return [line for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def exercise_count(text):
    """Numbered items (``1. ...`` at the start of a line) in the exercises cell, before any answers."""
    return len(re.findall(r"^(\d+)\. ", text.split("## Exercises", 1)[1], flags=re.MULTILINE))


def test_the_series_is_complete_and_numbered():
    stems = [path.stem for path in NOTEBOOKS]
    assert stems == SERIES, "notebooks are the series, numbered 00, 01, ... without gaps"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_clean(path):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name)
    assert path.stat().st_size < 1_000_000
    notebook = load(path)
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, "stored with outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_cell(path):
    cell = load(path)["cells"][0]
    first = source(cell)
    assert cell["cell_type"] == "markdown" and first.startswith("# ")
    badge = (
        f"https://colab.research.google.com/github/{REPOSITORY.removeprefix('https://github.com/')}"
        f"/blob/main/notebooks/{path.name}"
    )
    assert "colab-badge.svg" in first and badge in first
    for section in ("What you will learn", "Before you start", "Time needed"):
        assert f"**{section}" in first, f"first cell lacks {section!r}"
    for size in ("quick", "offline", "class", "paper"):
        assert f"| `{size}` |" in first, f"time table lacks a row for {size}"
    assert "estimate" in first and "CPU" in first and "GPU" in first and "T4" in first


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_setup_cell(path):
    cells = load(path)["cells"]
    assert cells[1]["cell_type"] == "code", "the setup cell is the first code cell, right after the title"
    setup = source(cells[1])
    assert setup.startswith(SIZE_FIELD), "a visible size choice (Colab form field), default class"
    assert f'REPOSITORY = "{REPOSITORY}"' in setup, "the repository address comes from pyproject.toml"
    assert 'if "google.colab" in sys.modules:' in setup, "install only inside Colab"
    assert "tensorflow=={tf.__version__}" in setup, "Colab's TensorFlow is pinned, never reinstalled"
    assert f'size = tutorial.setup(SIZE, notebook="{path.name[:2]}")' in setup
    code = "\n".join(source(cell) for cell in cells if cell["cell_type"] == "code")
    assert "is_quick" not in code and not re.search(r"\bQUICK\b", code), "sizes change sizes, never the code path"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_has_a_solution_cell(path):
    cells = load(path)["cells"]
    where = [i for i, cell in enumerate(cells) if cell["cell_type"] == "markdown" and "## Exercises" in source(cell)]
    assert len(where) == 1, "one exercises cell"
    count = exercise_count(source(cells[where[0]]))
    assert count >= 1
    solutions = cells[where[0] + 1 :]
    assert len(solutions) == count, "one solution cell per exercise, right after the exercises, and nothing else"
    for number, cell in enumerate(solutions, start=1):
        text = source(cell)
        assert cell["cell_type"] == "code" and SOLUTION_TITLE.match(text), f"cell {text[:40]!r}"
        assert int(SOLUTION_TITLE.match(text).group(1)) == number
        assert cell["metadata"].get("cellView") == "form", "Colab hides the code until clicked"
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, "so does JupyterLab"
        assert code_lines(text), "a solution runs code"
    markdown = "\n".join(source(cell) for cell in cells if cell["cell_type"] == "markdown")
    assert "<details>" not in markdown, "solutions are cells that run, not code in markdown"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_lesson_cells(path):
    cells = load(path)["cells"]
    code = [source(cell) for cell in cells if cell["cell_type"] == "code"]
    checked = sum("assert" in cell or "tutorial.check(" in cell for cell in code)
    assert checked >= 3, "cells check what they claim (assert or tutorial.check)"
    assert not any("plt.show()" in cell and "tutorial.setup" in cell for cell in code)
    for cell in code:
        calls = sum(cell.count(widget) for widget in WIDGETS)
        if calls:
            assert calls == 1 and len(code_lines(cell)) <= 2, "one widget call per cell, little else"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_glossary_links(path):
    text = "\n".join(source(cell) for cell in load(path)["cells"] if cell["cell_type"] == "markdown")
    anchors = re.findall(r"\]\(\.\./docs/glossary\.md#([^)]*)\)", text)
    for anchor in anchors:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", anchor), f"lowercase-hyphen anchor: {anchor!r}"
    glossary = ROOT / "docs" / "glossary.md"
    if anchors and glossary.exists():
        headings = re.findall(r"^#+ (.+)$", glossary.read_text(), flags=re.MULTILINE)
        slugs = {re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-") for heading in headings}
        explicit = set(re.findall(r"\{#([a-z0-9-]+)\}|<a id=\"([a-z0-9-]+)\"", glossary.read_text()))
        slugs |= {name for pair in explicit for name in pair if name}
        missing = sorted(set(anchors) - slugs)
        assert not missing, f"glossary anchors not found: {missing}"
