"""Every notebook: named NN_topic, stored clean, python3 kernel, Colab badge and setup cell first."""

import json
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REPOSITORY = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
REQUIRED = [
    "00_quickstart", "01_data", "02_augmentations", "07_custom_augmentation",
    "03_train_deepstarr", "04_low_data", "05_chipseq",
]


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_the_series_is_complete_and_numbered():
    stems = [path.stem for path in NOTEBOOKS]
    assert set(REQUIRED) <= set(stems)
    numbers = [int(stem[:2]) for stem in stems]
    assert numbers == list(range(len(numbers))), "notebooks are numbered 00, 01, ... without gaps"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_structure(path):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name)
    assert path.stat().st_size < 1_000_000
    notebook = json.loads(path.read_text())
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    cells = notebook["cells"]
    for cell in cells:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, "stored with outputs"

    first, setup = source(cells[0]), source(cells[1])
    assert cells[0]["cell_type"] == "markdown" and first.startswith("# ")
    badge = f"https://colab.research.google.com/github/{REPOSITORY.removeprefix('https://github.com/')}/blob/main/notebooks/{path.name}"
    assert "colab-badge.svg" in first and badge in first
    assert "What you will learn" in first and "Time needed" in first and "GPU" in first and "CPU" in first

    assert cells[1]["cell_type"] == "code"
    assert f'REPOSITORY = "{REPOSITORY}"' in setup, "the repository address comes from pyproject.toml"
    assert 'if "google.colab" in sys.modules:' in setup
    assert "tensorflow=={tf.__version__}" in setup, "Colab's TensorFlow is pinned, never reinstalled"
    assert "tutorial.is_quick()" in setup

    text = "\n".join(source(cell) for cell in cells if cell["cell_type"] == "markdown")
    assert "## Exercises" in text and "Solution" in text
    code = [source(cell) for cell in cells if cell["cell_type"] == "code"]
    assert sum("assert " in cell for cell in code) >= 3, "cells assert what they claim"
    assert not any("plt.show()" in cell and "tutorial" in cell for cell in code)
