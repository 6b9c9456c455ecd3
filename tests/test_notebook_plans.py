"""The time table in each notebook's first cell matches ``tutorial.plan``: prose cannot drift from code.

Each notebook's first cell has a row per size, ``| `size` | data | training steps | time |``. The
step counts must be those ``tutorial.plan(notebook, size)`` computes from the sizes and the
notebook's runs; the ``class`` and ``paper`` times must be its T4 estimates; ``quick`` and
``offline`` the measured CPU times when there are some.
"""

import json
import re
from pathlib import Path

import pytest

from evoaug_tf import sizes, tutorial
from evoaug_tf.tutorial import plans

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ROW = re.compile(r"^\| `(quick|offline|class|paper)` \|[^|]*\| ([\d,]+) \| ([^|]*) \|$", flags=re.MULTILINE)


def first_cell(path):
    cell = json.loads(path.read_text())["cells"][0]
    return "".join(cell["source"])


def table_rows(path):
    return {size: (int(steps.replace(",", "")), time.strip()) for size, steps, time in ROW.findall(first_cell(path))}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_table_has_every_size(path):
    assert set(table_rows(path)) == set(sizes.SIZES), "a row per size: | `size` | data | steps | time |"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
@pytest.mark.parametrize("size", list(sizes.SIZES))
def test_steps_match_the_plan(path, size):
    steps, time = table_rows(path)[size]
    plan = tutorial.plan(path.name[:2], size)
    assert steps == plan.train_steps, (
        f"{path.name} at {size}: the table says {steps:,}, tutorial.plan {plan.train_steps:,}"
    )
    if size in ("class", "paper"):
        assert plans._minutes(plan.estimated_t4_minutes) in time and "estimate" in time
    elif plan.measured_cpu_minutes is not None:
        assert plans._minutes(plan.measured_cpu_minutes) in time and "measured" in time


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_training_cells_say_how_long_up_front(path):
    plan = tutorial.plan(path.name[:2], "class")
    code = "\n".join(
        "".join(cell["source"]) for cell in json.loads(path.read_text())["cells"] if cell["cell_type"] == "code"
    )
    if plan.runs:
        assert f'tutorial.plan("{path.name[:2]}", size)' in code, "a training cell prints the plan first"
        assert "verbose=2" in code or "tqdm" in code, "training shows progress"


def test_the_table_generator_matches_the_checked_format():
    for notebook in plans.NOTEBOOKS:
        rows = {size: steps for size, steps, _ in ROW.findall(tutorial.markdown_table(notebook))}
        assert set(rows) == set(sizes.SIZES)
