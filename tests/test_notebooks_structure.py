"""Every notebook follows the series' conventions.

Named ``NN_topic``, stored clean, python3 kernel; first cell: title, Colab badge, what you will learn,
prerequisites and the time table; first code cell: the setup cell (SIZE form field, Colab-only install
that pins Colab's TensorFlow, ``tutorial.setup(SIZE, notebook="NN")``); exercises at the end, each
a question, a stub with a check call and a hidden, guarded solution cell (nbval runs those with
EVOAUG_TF_SOLUTIONS=1, so a broken solution fails the suite), written answers in collapsed cells;
widget cells that hold one call each. The time table itself is checked in ``test_notebook_plans.py``.
"""

import json
import re
from pathlib import Path

import pytest

from evoaug_tf import _project

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REPOSITORY = _project.REPOSITORY
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
#: Words that give an answer away in a question cell (answers go in collapsed ``<details>`` cells).
ANSWER_GIVEN = r"\banswered\b|\banswers? in words|^answer \d|\bthe answer is\b|<details>"


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def load(path):
    return json.loads(path.read_text())


def code_lines(text):
    return [line for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


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
def test_cells_have_ids_where_the_format_asks_for_them(path):
    """nbformat 4.5 requires a unique ``id`` on every cell (a cell added by hand or script often lacks one)."""
    notebook = load(path)
    if (notebook["nbformat"], notebook["nbformat_minor"]) >= (4, 5):
        ids = [cell.get("id") for cell in notebook["cells"]]
        assert None not in ids and len(set(ids)) == len(ids), f"{path.name}: cells without a unique id"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_cell(path):
    cell = load(path)["cells"][0]
    first = source(cell)
    assert cell["cell_type"] == "markdown" and first.startswith("# ")
    assert "colab-badge.svg" in first and _project.colab_url(path.name) in first, "the badge opens this release"
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
    assert f'REPOSITORY = "{REPOSITORY}"' in setup, "the repository address comes from evoaug_tf/_project.py"
    assert f'RELEASE = "{_project.release_tag()}"' in setup, "the install pins this version's release tag"
    assert "git+{REPOSITORY}@{RELEASE}" in setup, "never a moving branch"
    assert 'if "google.colab" in sys.modules:' in setup, "install only inside Colab"
    assert "tensorflow=={tf.__version__}" in setup, "Colab's TensorFlow is pinned, never reinstalled"
    assert f'size = tutorial.setup(SIZE, notebook="{path.name[:2]}")' in setup
    code = "\n".join(source(cell) for cell in cells if cell["cell_type"] == "code")
    assert "is_quick" not in code and not re.search(r"\bQUICK\b", code), "sizes change sizes, never the code path"


#: Notebooks whose exercises are not yet in the stub / check / solution form (their owners convert them;
#: the lead removes each from this list after merging its branch).
EXERCISES_PENDING: set[str] = set()


def _exercise_param(path):
    marks = []
    if path.name[:2] in EXERCISES_PENDING:
        marks = [pytest.mark.xfail(strict=True, reason="exercises not yet converted (issue 22)")]
    return pytest.param(path, id=path.name, marks=marks)


@pytest.mark.parametrize("path", [_exercise_param(path) for path in NOTEBOOKS])
def test_every_exercise_has_a_stub_a_check_and_a_separate_solution(path):
    from evoaug_tf.tutorial import exercises

    number = path.name[:2]
    cells = load(path)["cells"]
    where = [i for i, cell in enumerate(cells) if cell["cell_type"] == "markdown" and "## Exercises" in source(cell)]
    assert len(where) == 1, "one exercises cell"
    assert "tutorial.show_solutions()" in source(cells[where[0]]), "the exercises cell says how to run solutions"
    rest = cells[where[0] + 1 :]
    count = 0
    while rest:
        count += 1
        key = f"{number}.{count}"
        assert len(rest) >= 3, f"exercise {count}: a question, a stub and a solution"
        question, stub, solution, rest = rest[0], rest[1], rest[2], rest[3:]
        text = source(question)
        assert question["cell_type"] == "markdown" and text.startswith(f"### Exercise {count}\n"), text[:40]
        assert not re.search(ANSWER_GIVEN, text, flags=re.IGNORECASE | re.MULTILINE), "no answers in a question"
        text = source(stub)
        assert stub["cell_type"] == "code" and not SOLUTION_TITLE.match(text), f"exercise {count}: a stub cell"
        assert re.search(r"^\w+ = \.\.\.", text, flags=re.MULTILINE), "a stub leaves `answer = ...` to fill in"
        assert f'tutorial.exercises.check("{key}", ' in text and "solution=True" not in text, "the stub checks"
        assert stub["metadata"].get("cellView") != "form"
        text = source(solution)
        match = SOLUTION_TITLE.match(text)
        assert solution["cell_type"] == "code" and match and int(match.group(1)) == count, text[:40]
        assert text.splitlines()[1].startswith(f"if tutorial.solution({count}):"), "guarded: skipped by Run all"
        assert all(not line or line.startswith("    ") for line in text.splitlines()[2:]), "all of it guarded"
        assert re.search(rf'tutorial\.exercises\.check\(\s*"{re.escape(key)}",.*solution=True', text, re.DOTALL)
        assert solution["metadata"].get("cellView") == "form", "Colab hides the code until clicked"
        assert solution["metadata"].get("jupyter", {}).get("source_hidden") is True, "so does JupyterLab"
        assert key in exercises.EXERCISES, f"a check registered for {key} in evoaug_tf/tutorial/exercises.py"
        while rest and rest[0]["cell_type"] == "markdown" and source(rest[0]).startswith("<details>"):
            text, rest = source(rest[0]), rest[1:]
            assert re.match(r"<details><summary>Answer \d+", text) and text.rstrip().endswith("</details>")
    assert count >= 1
    markdown = [source(cell) for cell in cells if cell["cell_type"] == "markdown"]
    assert sum("<details>" in text for text in markdown) == sum(
        text.startswith("<details><summary>Answer") for text in markdown
    ), "written answers only in collapsed answer cells"
    code = [source(cell) for cell in cells if cell["cell_type"] == "code"]
    assert not any("show_solutions(" in text for text in code), "solutions stay skipped by default (Run all)"
    registered = {key for key in exercises.EXERCISES if key.startswith(f"{number}.")}
    assert registered == {f"{number}.{k}" for k in range(1, count + 1)}, "one registered check per exercise"


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
    assert "](../docs/" not in text, "documentation links are site addresses (python -m evoaug_tf.tutorial.links)"
    anchors = re.findall(rf"\]\({re.escape(_project.docs_url('glossary'))}#([^)]*)\)", text)
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
