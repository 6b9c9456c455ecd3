"""The one place for the project's addresses and release: badges, install lines and links come from here.

``pyproject.toml``'s ``[project.urls]`` repeats :data:`REPOSITORY` and :data:`DOCS_SITE` (package metadata
must be static; a test checks they agree), and its ``version`` is the release: the release tag is
``"v" + version``. ``python -m evoaug_tf.tutorial.links --write`` rewrites every notebook and the README
from these.
"""

from __future__ import annotations

import pathlib
import re

__all__ = ["DOCS_SITE", "REPOSITORY", "colab_url", "docs_url", "install_target", "release_tag", "version"]

#: The source repository (GitHub).
REPOSITORY = "https://github.com/evoaug-tf/evoaug-tf"
#: The documentation site (Sphinx, ``python docs/make.py build``), ending in a slash.
DOCS_SITE = "https://evoaug-tf.github.io/evoaug-tf/"


def version() -> str:
    """The package version: pyproject.toml's in a source checkout, else the installed package's."""
    pyproject = pathlib.Path(__file__).resolve().parent.parent / "pyproject.toml"
    if pyproject.exists():
        project = pyproject.read_text(encoding="utf-8").split("[project]", 1)[1].split("\n[", 1)[0]
        found = re.search(r'^version\s*=\s*"([^"]+)"', project, flags=re.MULTILINE)
        if found:
            return found.group(1)
    from evoaug_tf import __version__

    return __version__


def release_tag() -> str:
    """The git tag of this version's release: ``"v" + version`` (``"v2.0.0"``)."""
    return "v" + version()


def colab_url(notebook: str) -> str:
    """Open-in-Colab address of ``notebook`` (``"00_quickstart.ipynb"``) at this release's tag."""
    owner_name = REPOSITORY.removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{owner_name}/blob/{release_tag()}/notebooks/{notebook}"


def install_target() -> str:
    """What a notebook's setup cell installs in Colab: this release's tag, never a moving branch."""
    return f"evoaug_tf @ git+{REPOSITORY}@{release_tag()}"


def docs_url(page: str, anchor: str = "") -> str:
    """Address of a documentation page on the site: ``docs_url("glossary", "xla")`` -> ``.../glossary.html#xla``."""
    return f"{DOCS_SITE}{page}.html" + (f"#{anchor}" if anchor else "")
