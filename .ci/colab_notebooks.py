"""Copy notebooks for .ci/colab_versions.sh with the first cell's install pointed at a local clone.

Usage: ``python .ci/colab_notebooks.py CLONE OUT_DIR NUMBER...`` (e.g. ``00 07``: ``notebooks/00_*.ipynb`` ...)

Each notebook's first code cell sets ``REPOSITORY = "https://github.com/..."`` and ``RELEASE = "v<version>"``
(the release tag, from evoaug_tf/_project.py) and, in Colab, runs ``pip install "evoaug_tf @
git+{REPOSITORY}@{RELEASE}"``. The copy written to ``OUT_DIR`` differs from the committed notebook in those
two lines only: ``REPOSITORY = "file://CLONE"`` and ``RELEASE = "<CLONE's HEAD commit>"`` (a fresh clone, or
a commit before its release, has no tag), so the install takes this clone's committed HEAD. Nothing else
changes; the committed notebooks are never edited.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

REPOSITORY_LINE = re.compile(r'^REPOSITORY = "[^"\n]*"$', re.MULTILINE)
RELEASE_LINE = re.compile(r'^RELEASE = "[^"\n]*"', re.MULTILINE)


def point_at_clone(notebook: Path, clone: Path, out_dir: Path) -> Path:
    """Write ``out_dir/<notebook name>`` with the first code cell's ``REPOSITORY`` set to ``file://<clone>``."""
    content = json.loads(notebook.read_text(encoding="utf-8"))
    first = next(cell for cell in content["cells"] if cell["cell_type"] == "code")
    source = "".join(first["source"])
    found = REPOSITORY_LINE.findall(source)
    if len(found) != 1:
        raise SystemExit(
            f"Expected one line 'REPOSITORY = \"...\"' in the first code cell. Received: {len(found)} in {notebook}"
        )
    releases = RELEASE_LINE.findall(source)
    if len(releases) != 1:
        raise SystemExit(
            f"Expected one line 'RELEASE = \"...\"' in the first code cell. Received: {len(releases)} in {notebook}"
        )
    head = subprocess.run(
        ["git", "-C", str(clone), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    source = REPOSITORY_LINE.sub(f'REPOSITORY = "file://{clone.resolve()}"', source)
    source = RELEASE_LINE.sub(f'RELEASE = "{head}"', source)
    first["source"] = source.splitlines(keepends=True)
    target = out_dir / notebook.name
    target.write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f'{target}: {found[0]} -> REPOSITORY = "file://{clone.resolve()}", {releases[0]} -> RELEASE = "{head}"')
    return target


def main(argv: list[str]) -> None:
    if len(argv) < 3:
        raise SystemExit(__doc__)
    clone, out_dir = Path(argv[0]), Path(argv[1])
    for number in argv[2:]:
        matches = sorted((clone / "notebooks").glob(f"{number}_*.ipynb"))
        if len(matches) != 1:
            raise SystemExit(f"Expected one notebook notebooks/{number}_*.ipynb. Received: {matches}")
        point_at_clone(matches[0], clone, out_dir)


if __name__ == "__main__":
    main(sys.argv[1:])
