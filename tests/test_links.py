"""Badges, install lines and documentation links agree with the one place (evoaug_tf/_project.py)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

from evoaug_tf import _project
from evoaug_tf.tutorial import links

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_pyproject_agrees_with_the_one_place():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["urls"]["Repository"] == _project.REPOSITORY
    assert project["urls"]["Documentation"] == _project.DOCS_SITE
    assert _project.release_tag() == "v" + project["version"]


def test_every_notebook_copy_and_the_readme_agree():
    wrong = [str(path.relative_to(ROOT)) for path in links.problems(ROOT)]
    assert not wrong, f"run: python -m evoaug_tf.tutorial.links --write  (disagree: {wrong})"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_install_pins_the_release(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    first, setup = "".join(cells[0]["source"]), "".join(cells[1]["source"])
    assert _project.colab_url(path.name) in first and "/blob/main/" not in first
    assert f'REPOSITORY = "{_project.REPOSITORY}"' in setup
    assert f'RELEASE = "{_project.release_tag()}"' in setup
    assert "@{RELEASE}" in setup and "git+https://" not in setup


def test_readme_badges_open_the_release():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert _project.colab_url(path.name) in readme
    assert "/blob/main/notebooks/" not in readme


def test_rewrites_are_idempotent():
    old = (
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        "(https://colab.research.google.com/github/someone/else/blob/main/notebooks/00_quickstart.ipynb)"
        " see [XLA](../docs/glossary.md#xla) and [notes](../docs/differences.md)"
    )
    once = links.fix_markdown(old)
    assert once == links.fix_markdown(once)
    assert _project.colab_url("00_quickstart.ipynb") in once
    assert f"({_project.DOCS_SITE}glossary.html#xla)" in once and f"({_project.DOCS_SITE}differences.html)" in once
    setup = 'REPOSITORY = "https://old.example/x"\nx = [\n    f"evoaug_tf[tune] @ git+{REPOSITORY}",\n]\n'
    fixed = links.fix_setup(setup)
    assert fixed == links.fix_setup(fixed)
    assert fixed.startswith(f'REPOSITORY = "{_project.REPOSITORY}"\nRELEASE = "{_project.release_tag()}"')
    assert 'f"evoaug_tf[tune] @ git+{REPOSITORY}@{RELEASE}"' in fixed
    with pytest.raises(ValueError, match="Expected one 'REPOSITORY"):
        links.fix_setup("print(1)\n")


def test_ci_points_the_install_at_the_clone_head(tmp_path):
    """.ci/colab_versions.sh installs this clone's HEAD (a fresh clone has no release tag)."""
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "colab_notebooks.py"), str(ROOT), str(tmp_path), "08"], check=True
    )
    setup = "".join(json.loads(next(tmp_path.glob("08_*.ipynb")).read_text())["cells"][1]["source"])
    assert f'REPOSITORY = "file://{ROOT}"' in setup
    assert f'RELEASE = "{head.stdout.strip()}"' in setup
    assert "git+{REPOSITORY}@{RELEASE}" in setup
