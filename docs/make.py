"""Executed tutorials and the documentation site, one command each.

    python docs/make.py execute            # run every notebook at the offline size -> docs/tutorials/
    python docs/make.py execute 02 05      # only these (by number or name); --force re-runs fresh copies
    python docs/make.py prose 06           # a prose change only: the copy takes the notebook's markdown
    python docs/make.py check              # which executed copies are missing or stale (exit 1 if any)
    python docs/make.py build              # the site -> docs/_build/html, warnings are errors
    python docs/make.py timings            # the stored wall times as a table

``execute`` runs one notebook at a time in a fresh ``python3`` kernel started in ``notebooks/``, with
``EVOAUG_TF_SIZE=offline`` (synthetic data, a CPU), ``EVOAUG_TF_HOME=docs/_build/home`` (the notebooks'
``data/`` and ``outputs/``, kept between runs; ``--fresh`` empties it), inline PNG figures at 90 dpi, and
writes the copy with its outputs to ``docs/tutorials/NN_topic.ipynb`` as soon as it finishes, so an
interrupted run resumes where it stopped: a copy whose code cells are exactly the clean notebook's, made
at the same size, is skipped unless ``--force``. Wall times go to ``docs/tutorials/timings.json``.

Only the code cells must match the clean notebook (``tests/test_docs.py`` checks it). In markdown
cells, links relative to ``notebooks/`` are rewritten for the copy's place in ``docs/tutorials/``
(``../docs/glossary.md`` becomes ``../glossary.md``), and widget outputs keep only their text form
(a static page cannot run the kernel behind them).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
NOTEBOOKS = ROOT / "notebooks"
TUTORIALS = DOCS / "tutorials"
TIMINGS = TUTORIALS / "timings.json"
BUILD = DOCS / "_build" / "html"
# The notebooks' data/ and outputs/ during `execute` (EVOAUG_TF_HOME): kept between runs, so a notebook can
# reuse what an earlier one trained and an interrupted run resumes; `execute --fresh` empties it first.
HOME = DOCS / "_build" / "home"
DEFAULT_SIZE = "offline"
FIGURE_DPI = 90
CELL_TIMEOUT_S = 1800
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


# ----------------------------------------------------------------------------- notebooks and copies


def clean_notebooks() -> list[Path]:
    """The tutorial notebooks, ``notebooks/NN_topic.ipynb``, in order."""
    return sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def copy_path(notebook: Path) -> Path:
    """Where the executed copy of ``notebook`` lives."""
    return TUTORIALS / notebook.name


def code_sources(path: Path) -> list[str]:
    """Source of every code cell of a notebook file, in order."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in nb["cells"]
        if c["cell_type"] == "code"
    ]


def copy_status(notebook: Path, size: str | None = None) -> str:
    """``"fresh"``, ``"missing"``, ``"stale"`` (code differs) or ``"other-size"`` (made at another size)."""
    copy = copy_path(notebook)
    if not copy.exists():
        return "missing"
    if code_sources(copy) != code_sources(notebook):
        return "stale"
    if size is not None:
        made_at = json.loads(copy.read_text(encoding="utf-8"))["metadata"].get("evoaug_tf", {}).get("size")
        if made_at != size:
            return "other-size"
    return "fresh"


_LINK = re.compile(r"(\]\(|<img [^>]*src=\"|<a [^>]*href=\")(\.\./[^)\"\s]+)")
#: The documentation site's address (evoaug_tf/_project.py, read without importing the package).
DOCS_SITE = re.search(r'^DOCS_SITE = "([^"]+)"', (ROOT / "evoaug_tf" / "_project.py").read_text(), re.MULTILINE)[1]
_SITE_LINK = re.compile(r"\]\(" + re.escape(DOCS_SITE) + r"([a-z0-9_/-]+)\.html(#[^)\s]*)?\)")


def relink(markdown: str) -> str:
    """Rewrite links relative to ``notebooks/`` for a copy in ``docs/tutorials/``.

    ``../docs/x`` -> ``../x``; any other ``../x`` -> ``../../x``; sibling links (``02_augmentations.ipynb``)
    and absolute URLs stay as they are, except the documentation site's own pages, which the notebooks link
    as absolute addresses (they work in Colab): ``<DOCS_SITE>glossary.html#xla`` -> ``../glossary.md#xla``,
    so the site links to its own build.
    """

    def fix(match: re.Match) -> str:
        target = match.group(2)
        if target.startswith("../docs/"):
            target = "../" + target[len("../docs/") :]
        else:
            target = "../" + target
        return match.group(1) + target

    markdown = _LINK.sub(fix, markdown)
    return _SITE_LINK.sub(lambda m: f"](../{m.group(1)}.md{m.group(2) or ''})", markdown)


def _strip_widgets(nb) -> None:
    """Keep the text form of widget outputs; drop the widget views and the stored widget state."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data and WIDGET_MIME in data:
                del data[WIDGET_MIME]
                data.setdefault("text/plain", "(an interactive widget: run the notebook to use it)")


def _kernel_env(size: str, rc_dir: str) -> dict:
    env = dict(os.environ)
    env.pop("EVOAUG_TF_QUICK", None)  # the size alone decides (pytest-env sets QUICK for the tests)
    env.update(
        EVOAUG_TF_SIZE=size,
        MPLBACKEND="module://matplotlib_inline.backend_inline",
        MATPLOTLIBRC=rc_dir,
        EVOAUG_TF_HOME=str(HOME),
        TF_CPP_MIN_LOG_LEVEL="2",
        EVOAUG_TF_SOLUTIONS="1",  # the site's copies run and show every exercise's solution
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
    )
    if size == "quick":
        env["EVOAUG_TF_QUICK"] = "1"  # notebooks that still read only the older switch
    return env


def is_solution_cell(cell) -> bool:
    """An exercise's solution cell (its first line is ``# @title Solution N``): "Run all" skips its work."""
    return cell.cell_type == "code" and cell.source.lstrip().startswith("# @title Solution")


def _with_progress(client_class):
    """``client_class`` (nbclient's NotebookClient) that prints each code cell as it starts.

    It also adds up the seconds spent in solution cells (:func:`is_solution_cell`) in ``solution_seconds``.
    """

    class ProgressClient(client_class):
        def __init__(self, nb, **kwargs):
            super().__init__(nb, **kwargs)
            self._code_cells = sum(cell.cell_type == "code" for cell in nb.cells)
            self._done = 0
            self._start = time.perf_counter()
            self.solution_seconds = 0.0

        async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
            if cell.cell_type == "code":
                self._done += 1
                end = "\r" if sys.stdout.isatty() else "\n"
                print(
                    f"    cell {self._done}/{self._code_cells}, {time.perf_counter() - self._start:.0f} s",
                    end=end,
                    flush=True,
                )
            start = time.perf_counter()
            try:
                return await super().async_execute_cell(cell, cell_index, *args, **kwargs)
            finally:
                if is_solution_cell(cell):
                    self.solution_seconds += time.perf_counter() - start

    return ProgressClient


def execute_one(notebook: Path, size: str) -> tuple[float, float]:
    """Execute ``notebook`` in a fresh kernel and write its copy.

    Returns the wall time in seconds, and the part of it spent in the exercises' solution cells.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    with tempfile.TemporaryDirectory(prefix="evoaug_docs_mpl_") as rc_dir:
        Path(rc_dir, "matplotlibrc").write_text(
            f"figure.dpi: {FIGURE_DPI}\nsavefig.dpi: {FIGURE_DPI}\n", encoding="utf-8"
        )
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(_kernel_env(size, rc_dir))  # the kernel inherits this process's environment
        try:
            client = _with_progress(NotebookClient)(
                nb,
                timeout=CELL_TIMEOUT_S,
                kernel_name="python3",
                resources={"metadata": {"path": str(NOTEBOOKS)}},
                store_widget_state=True,
                record_timing=False,
            )
            start = time.perf_counter()
            client.execute()
            seconds = time.perf_counter() - start
        finally:
            os.environ.clear()
            os.environ.update(saved)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = relink(cell.source)
    _strip_widgets(nb)
    nb.metadata["evoaug_tf"] = {
        "size": size,
        "wall_time_s": round(seconds, 1),
        "solutions_s": round(client.solution_seconds, 1),
        "source": f"notebooks/{notebook.name}",
    }
    TUTORIALS.mkdir(parents=True, exist_ok=True)
    partial = copy_path(notebook).with_suffix(".ipynb.part")
    nbformat.write(nb, partial)
    partial.replace(copy_path(notebook))  # never a half-written copy under the final name
    return seconds, client.solution_seconds


def prose_copy(notebook: Path) -> bool:
    """Give an up-to-date copy its notebook's markdown cells, outputs untouched; False if its code differs.

    The markdown of a copy is the notebook's at the time it was executed. A change of prose alone (no code
    cell changed, so nothing the copy printed can change) then needs no new execution: the copy takes the
    notebook's cells in order, each code cell with the copy's own outputs, each markdown cell relinked
    (:func:`relink`) as ``execute`` does.
    """
    copy = copy_path(notebook)
    if copy_status(notebook) != "fresh":
        return False
    clean = json.loads(notebook.read_text(encoding="utf-8"))
    made = json.loads(copy.read_text(encoding="utf-8"))
    executed = iter([cell for cell in made["cells"] if cell["cell_type"] == "code"])
    cells = []
    for cell in clean["cells"]:
        if cell["cell_type"] == "code":
            cells.append(next(executed))
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cells.append(dict(cell, source=relink(source).splitlines(keepends=True)))
    made["cells"] = cells
    partial = copy.with_suffix(".ipynb.part")
    partial.write_text(json.dumps(made, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.replace(copy)
    return True


def cmd_prose(args) -> int:
    refused = []
    for notebook in _select(args.notebooks):
        if prose_copy(notebook):
            print(f"{notebook.name}: the copy has the notebook's text", flush=True)
        else:
            refused.append(notebook.name)
    if refused:
        print(f"Not changed (no copy, or its code differs from the notebook's: execute them): {', '.join(refused)}")
        return 1
    return 0


def read_timings() -> dict:
    return json.loads(TIMINGS.read_text(encoding="utf-8")) if TIMINGS.exists() else {}


def write_timings(timings: dict) -> None:
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    TIMINGS.write_text(json.dumps(dict(sorted(timings.items())), indent=2) + "\n", encoding="utf-8")


def timings_table(timings: dict) -> str:
    """A plain-text table: notebook, size, wall time, copy size."""
    rows = [("notebook", "size", "wall time", "copy")]
    total_s = total_bytes = 0.0
    for name, entry in sorted(timings.items()):
        copy = TUTORIALS / name
        nbytes = copy.stat().st_size if copy.exists() else 0
        total_s += entry["wall_time_s"]
        total_bytes += nbytes
        rows.append(
            (
                name,
                entry["size"],
                f"{entry['wall_time_s']:.0f} s",
                f"{nbytes / 1e6:.2f} MB",
            )
        )
    rows.append(("total", "", f"{total_s / 60:.1f} min", f"{total_bytes / 1e6:.2f} MB"))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.insert(len(lines) - 1, lines[1])
    return "\n".join(lines)


def _select(names: list[str]) -> list[Path]:
    notebooks = clean_notebooks()
    if not names:
        return notebooks
    chosen = []
    for name in names:
        matches = [p for p in notebooks if p.stem == name or p.stem.startswith(f"{name}_") or p.name == name]
        if len(matches) != 1:
            raise SystemExit(
                f"Expected a notebook number or name, one of {[p.stem for p in notebooks]}. Received: {name!r}"
            )
        chosen += matches
    return chosen


def _about_time(entry: dict | None, size: str) -> str | None:
    """The words a plan uses for a recorded wall time (``"under 5 min"``), or None when none is recorded."""
    from evoaug_tf.tutorial import plans

    if entry is None or entry.get("size") != size:
        return None
    return plans.measured_time_words(entry["wall_time_s"], entry.get("solutions_s"))


def code_hash(notebook: Path) -> str:
    """A short fingerprint of a notebook's code cells: timings measured for other code are not compared."""
    return hashlib.sha256(json.dumps(code_sources(notebook)).encode("utf-8")).hexdigest()[:16]


def slowest(runs: list[tuple[float, float]], size: str) -> dict:
    """The timings entry of a notebook executed ``len(runs)`` times: the slowest whole run and the slowest Run all.

    ``runs``: (whole notebook, Run all) in seconds, every recorded execution of the same code (``execute``
    keeps the earlier entry's when its ``code`` fingerprint is the notebook's). The header then says
    "under N min" only when every run finished under N, and a second execution that lands in a lower
    5-minute step keeps the step the first one printed, so the two need not agree by luck.
    """
    whole = max(run[0] for run in runs)
    run_all = max(run[1] for run in runs)
    return {"size": size, "wall_time_s": round(whole, 1), "solutions_s": round(whole - run_all, 1)}


def cmd_execute(args) -> int:
    notebooks = _select(args.notebooks)
    if args.fresh and HOME.exists():
        shutil.rmtree(HOME)
    HOME.mkdir(parents=True, exist_ok=True)
    timings = read_timings()
    failed = []
    for i, notebook in enumerate(notebooks, 1):
        status = copy_status(notebook, args.size)
        head = f"[{i}/{len(notebooks)}] {notebook.name}"
        if status == "fresh" and not args.force:
            print(f"{head}: up to date, skipped (--force re-runs it)", flush=True)
            continue
        code = code_hash(notebook)
        earlier = timings.get(notebook.name, {})
        runs = []  # (whole notebook, Run all) of each execution of this notebook's present code, in seconds
        if earlier.get("code") == code and earlier.get("size") == args.size:  # measured before, same code
            runs.append((earlier["wall_time_s"], earlier["wall_time_s"] - earlier.get("solutions_s", 0.0)))
        for attempt in range(1 + args.settle):
            printed = _about_time(timings.get(notebook.name), args.size)  # what the setup cell prints this time
            print(f"{head}: executing at size {args.size!r} ({status}) ...", flush=True)
            try:
                seconds, solution_seconds = execute_one(notebook, args.size)
            except Exception as error:  # noqa: BLE001 (report it, go on with the next notebook)
                message = re.sub(r"\x1b\[[0-9;]*m", "", str(error))  # no terminal colours in the log
                print(f"{head}: FAILED:\n{message[-3000:]}", flush=True)
                failed.append(notebook.name)
                break
            print(f"{head}: done in {seconds:.0f} s ({solution_seconds:.0f} s of it in solution cells)", flush=True)
            runs.append((seconds, seconds - solution_seconds))
            timings[notebook.name] = slowest(runs, args.size) | {"code": code}
            write_timings(timings)
            measured = _about_time(timings[notebook.name], args.size)
            if printed == measured:
                break
            # The copy printed an earlier measurement; its header will show this one. Running it again prints
            # this one (the header test, tests/test_notebook_plans.py, holds the two to the same words).
            note = "running it again" if attempt < args.settle else "the copy prints the earlier time (--settle N)"
            print(f"{head}: it printed {printed!r}, the slowest run of this code took {measured!r}: {note}", flush=True)
            status = "settling its printed time"
            # Its own finished runs would make the next run a resume, not the same work again.
            shutil.rmtree(HOME / "outputs" / notebook.name[:2] / args.size, ignore_errors=True)
    print()
    print(timings_table({k: v for k, v in timings.items() if (TUTORIALS / k).exists()}))
    if failed:
        print(f"\nFailed: {', '.join(failed)} (their previous copies, if any, are untouched)")
        return 1
    return 0


def cmd_check(args) -> int:
    bad = [(nb.name, s) for nb in clean_notebooks() if (s := copy_status(nb, args.size)) != "fresh"]
    for name, status in bad:
        print(f"{name}: {status}")
    if bad:
        print("Regenerate with: python docs/make.py execute")
        return 1
    print(f"All {len(clean_notebooks())} executed copies are up to date.")
    return 0


def cmd_build(args) -> int:
    out = Path(args.out)
    if not args.incremental and out.exists():
        # From scratch: autodoc does not track the package's Python files and viewcode keeps its pages
        # while they are newer than the code, so a cached build could hide a warning or keep stale pages.
        # The generated pictures (docs/_generated) are kept and redrawn only when they change.
        shutil.rmtree(out)
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-W",
        "--keep-going",
        "-j",
        str(args.jobs),
        "-q",
        *([] if args.incremental else ["-E"]),
        str(DOCS),
        str(out),
    ]
    env = dict(
        os.environ,
        MPLBACKEND="agg",
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
    )
    start = time.perf_counter()
    code = subprocess.call(command, cwd=ROOT, env=env)
    print(
        f"sphinx-build {'succeeded' if code == 0 else 'FAILED'} in {time.perf_counter() - start:.0f} s: "
        f"{out / 'index.html'}",
        flush=True,
    )
    return code


def cmd_timings(args) -> int:
    print(timings_table(read_timings()))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python docs/make.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("execute", help="execute the notebooks into docs/tutorials/")
    p.add_argument("notebooks", nargs="*", help="numbers or names (default: all)")
    p.add_argument(
        "--size",
        default=os.environ.get("EVOAUG_DOCS_SIZE", DEFAULT_SIZE),
        help="run size, see evoaug_tf.sizes (default: offline)",
    )
    p.add_argument("--force", action="store_true", help="re-run notebooks whose copy is up to date")
    p.add_argument(
        "--settle",
        type=int,
        default=1,
        metavar="N",
        help="run a notebook again (up to N times, default 1) when its time moved to other words than it printed",
    )
    p.add_argument(
        "--fresh",
        action="store_true",
        help="empty docs/_build/home (the notebooks' data/ and outputs/) first: nothing is reused",
    )
    p.set_defaults(func=cmd_execute)
    p = sub.add_parser("prose", help="copy the notebooks' markdown into their up-to-date executed copies")
    p.add_argument("notebooks", nargs="*", help="numbers or names (default: all)")
    p.set_defaults(func=cmd_prose)
    p = sub.add_parser("check", help="list missing or stale executed copies")
    p.add_argument("--size", default=None, help="also require copies made at this size")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("build", help="build the site into docs/_build/html (warnings are errors)")
    p.add_argument("--out", default=str(BUILD))
    p.add_argument("--jobs", default="auto", help="sphinx -j (default: auto)")
    p.add_argument(
        "--incremental",
        action="store_true",
        help="keep the previous build and re-read only changed pages (faster, for writing pages; "
        "misses docstring changes in the package)",
    )
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("timings", help="print the stored wall times")
    p.set_defaults(func=cmd_timings)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
