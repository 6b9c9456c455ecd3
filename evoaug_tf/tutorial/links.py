"""Badges, install lines and documentation links of the notebooks and the README, from the one place.

:mod:`evoaug_tf._project` holds the repository, the documentation site and the release (``"v" + version``).
This module rewrites, in a source checkout:

- each notebook's first cell: the Open-in-Colab badge, at the release tag;
- each notebook's setup cell: ``REPOSITORY = "..."``, ``RELEASE = "v..."`` and the Colab install line
  ``f"evoaug_tf @ git+{REPOSITORY}@{RELEASE}"`` (the release, never ``main``, which can change under a class);
- links into the documentation (``../docs/glossary.md#xla``), made absolute addresses on the documentation
  site, which work in Colab (``docs/make.py`` turns them back into local links for the site's own copies);
- the README's badges; and the executed copies' first two cells (``docs/tutorials/``), so they stay in step.

Usage::

    python -m evoaug_tf.tutorial.links           # check: list what disagrees (exit 1 if anything does)
    python -m evoaug_tf.tutorial.links --write   # rewrite what disagrees (idempotent)
"""

from __future__ import annotations

import argparse
import json
import pathlib
import re
import sys

from evoaug_tf import _project

__all__ = ["fix_markdown", "fix_setup", "main", "problems", "rewrite", "root"]

_BADGE = re.compile(r"https://colab\.research\.google\.com/github/[^)\s]+?/blob/[^/)\s]+/notebooks/([0-9a-z_]+\.ipynb)")
_DOCS_LINK = re.compile(r"\]\(\.\./docs/([a-z0-9_/-]+)\.md(?:#([^)\s]*))?\)")
_REPOSITORY_LINE = re.compile(r'^REPOSITORY = "[^"\n]*"\n', re.MULTILINE)
_RELEASE_LINE = re.compile(r'^RELEASE = "[^"\n]*".*\n', re.MULTILINE)
_INSTALL = re.compile(r'f"evoaug_tf(\[[a-z,]+\])? @ git\+\{REPOSITORY\}(@\{RELEASE\})?"')
_RELEASE_COMMENT = "  # the release this notebook was written for (python -m evoaug_tf.tutorial.links --write)"


def root() -> pathlib.Path:
    """The source checkout this package lives in (the folder with pyproject.toml and notebooks/)."""
    return pathlib.Path(__file__).resolve().parents[2]


def fix_markdown(text: str, docs_links: bool = True) -> str:
    """Badges at the release tag; with ``docs_links``, ``../docs/x.md#a`` links as site addresses."""
    text = _BADGE.sub(lambda m: _project.colab_url(m.group(1)), text)
    if docs_links:
        text = _DOCS_LINK.sub(lambda m: f"]({_project.docs_url(m.group(1), m.group(2) or '')})", text)
    return text


def fix_setup(text: str) -> str:
    """The setup cell's repository, release and install line, from :mod:`evoaug_tf._project`."""
    if len(_REPOSITORY_LINE.findall(text)) != 1 or len(_INSTALL.findall(text)) != 1:
        raise ValueError(
            'Expected one \'REPOSITORY = "..."\' line and one install line f"evoaug_tf @ git+{REPOSITORY}..." '
            f"in the setup cell. Received: text={text[:80]!r}..."
        )
    release = f'RELEASE = "{_project.release_tag()}"{_RELEASE_COMMENT}\n'
    text = _RELEASE_LINE.sub("", text)
    text = _REPOSITORY_LINE.sub(lambda m: f'REPOSITORY = "{_project.REPOSITORY}"\n' + release, text)
    return _INSTALL.sub(lambda m: f'f"evoaug_tf{m.group(1) or ""} @ git+{{REPOSITORY}}@{{RELEASE}}"', text)


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _set_source(cell: dict, text: str) -> None:
    cell["source"] = text.splitlines(keepends=True)


def _rewrite_notebook(content: dict, copy: bool) -> dict:
    cells = content["cells"]
    for index, cell in enumerate(cells):
        text = _source(cell)
        if cell["cell_type"] == "markdown":
            # The executed copies keep local documentation links (docs/make.py's relink).
            new = fix_markdown(text, docs_links=not copy)
        elif index == 1:
            new = fix_setup(text)
        else:
            continue
        if new != text:
            _set_source(cell, new)
    return content


def _dump(content: dict) -> str:
    return json.dumps(content, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def rewrite(path: pathlib.Path) -> str:
    """The text ``path`` (a notebook, an executed copy or the README) should have."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return fix_markdown(text, docs_links=False)  # the README's relative links work on GitHub
    content = _rewrite_notebook(json.loads(text), copy=path.parent.name == "tutorials")
    new = _dump(content)
    # Keep the file byte for byte when nothing changed (e.g. nbformat's key order).
    return text if json.loads(text) == json.loads(new) else new


def files(base: pathlib.Path | None = None) -> list[pathlib.Path]:
    """The notebooks, their executed copies and the README of the checkout ``base``."""
    base = base or root()
    paths = sorted((base / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    paths += sorted((base / "docs" / "tutorials").glob("[0-9][0-9]_*.ipynb"))
    return [*paths, base / "README.md"]


def problems(base: pathlib.Path | None = None) -> list[pathlib.Path]:
    """Files whose badges, install lines or links disagree with :mod:`evoaug_tf._project`."""
    return [path for path in files(base) if path.exists() and rewrite(path) != path.read_text(encoding="utf-8")]


def main(argv: list[str] | None = None) -> int:
    """The command line: list the files that disagree (exit 1 if any), or rewrite them with ``--write``."""
    parser = argparse.ArgumentParser(prog="python -m evoaug_tf.tutorial.links", description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the files that disagree")
    args = parser.parse_args(argv)
    wrong = problems()
    base = root()
    for path in wrong:
        if args.write:
            path.write_text(rewrite(path), encoding="utf-8")
        print(f"{'rewrote' if args.write else 'disagrees'}: {path.relative_to(base)}")
    release = f"{_project.REPOSITORY} at {_project.release_tag()}, docs {_project.DOCS_SITE}"
    print(f"{len(wrong)} of {len(files(base))} files {'rewritten' if args.write else 'disagree'} ({release}).")
    return 0 if args.write or not wrong else 1


if __name__ == "__main__":
    sys.exit(main())
