"""Sphinx extension for the EvoAug-TF site.

* ``builder-inited``: writes the generated pages into ``docs/_generated/`` before Sphinx reads the sources:
  one API page per public module (``conf.API_MODULES``), one page per augmentation with its picture drawn by
  :func:`evoaug_tf.viz.plot_augmentation`, the published results table (from the package's
  ``published_trials.csv``), the tutorials index (the executed copies present in ``docs/tutorials/``) and
  the changelog (``CHANGELOG.md`` when it exists). A file is only rewritten when its content changes, so
  incremental builds stay incremental.
* ``autodoc-process-docstring``: a public module, class, function, method or property without a docstring
  is a warning (so an error under ``-W``).
"""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

GENERATED = "_generated"

# One entry per augmentation: what happens to each sequence (EvoAug paper, Lee et al. 2023; EvoAug-TF,
# Yu, Muthukumar & Koo 2024), its parameters with defaults, and the setting the DeepSTARR experiments used.
AUGMENTATIONS = [
    {
        "name": "RandomDeletion",
        "slug": "deletion",
        "title": "Deletion",
        "batch": "RandomDeletionBatch",
        "params": "delete_min=0, delete_max=20",
        "paper": "DeepSTARR: `delete_max=30`; ChIP-seq: `delete_max=20`",
        "event": "A stretch of DNA is lost.",
        "rule": "A stretch of d ~ U{delete_min..delete_max} nucleotides starting at s ~ U{0..L-delete_max} is "
        "removed; the sequence closes up and d random nucleotides fill the ends, floor(d/2) at the "
        "start and the rest at the end, so the length stays L.",
    },
    {
        "name": "RandomInsertion",
        "slug": "insertion",
        "title": "Insertion",
        "batch": "RandomInsertionBatch",
        "params": "insert_min=0, insert_max=20",
        "paper": "DeepSTARR and ChIP-seq: `insert_max=20`",
        "event": "New DNA appears inside the sequence.",
        "rule": "k ~ U{insert_min..insert_max} random nucleotides are inserted at p ~ U{0..L}; the other "
        "insert_max-k positions are random DNA split across both ends (floor half at the start), so "
        "the length becomes L+insert_max. A model trained with an insertion is built for that length, "
        "and every sequence without an insertion (and at validation, test and prediction) is padded "
        "to it with random DNA.",
    },
    {
        "name": "RandomTranslocation",
        "slug": "translocation",
        "title": "Translocation",
        "batch": "RandomTranslocationBatch",
        "params": "shift_min=0, shift_max=20",
        "paper": "DeepSTARR and ChIP-seq: `shift_max=20`",
        "event": "The sequence moves within its window.",
        "rule": "The sequence is rolled (circularly) by s, with abs(s) ~ U{shift_min..shift_max} and the sign "
        "+ or - with probability 1/2.",
    },
    {
        "name": "RandomInversion",
        "slug": "inversion",
        "title": "Inversion",
        "batch": "RandomInversionBatch",
        "params": "invert_min=0, invert_max=20",
        "paper": "not used in the DeepSTARR or ChIP-seq settings",
        "event": "A stretch of DNA is turned round.",
        "rule": "A stretch of k ~ U{invert_min..invert_max} nucleotides starting at s ~ U{0..L-invert_max} is "
        "replaced by its reverse complement.",
    },
    {
        "name": "RandomMutation",
        "slug": "mutation",
        "title": "Mutation",
        "batch": None,
        "params": "mutate_frac=0.05",
        "paper": "DeepSTARR with all augmentations (RITDMN): `mutate_frac=0.05`",
        "event": "Point mutations.",
        "rule": "round(mutate_frac / 0.75 * L) distinct positions are redrawn uniformly from ACGT; a quarter of "
        "the redraws are silent, so about mutate_frac of the positions change.",
    },
    {
        "name": "RandomRC",
        "slug": "reverse-complement",
        "title": "Reverse complement",
        "batch": "RandomRCBatch",
        "params": "rc_prob=0.5",
        "paper": "DeepSTARR with all augmentations (RITDMN): `rc_prob=0.5`",
        "event": "The other strand.",
        "rule": "With probability rc_prob the whole sequence is reverse-complemented (reversed along the length "
        "and along the ACGT axis).",
    },
    {
        "name": "RandomNoise",
        "slug": "noise",
        "title": "Noise",
        "batch": None,
        "params": "noise_mean=0, noise_std=0.2",
        "paper": "DeepSTARR with all augmentations (RITDMN): `noise_std=0.3`",
        "event": "Not an evolutionary event: a regulariser on the input.",
        "rule": "Gaussian noise N(noise_mean, noise_std^2) is added to every entry of the one-hot input.",
    },
]


def _write(path: Path, content, binary: bool = False) -> None:
    """Write ``content`` to ``path`` unless the file already holds exactly that."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == (content if binary else content.encode("utf-8")):
        return
    if binary:
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


# ----------------------------------------------------------------------------- API pages


def api_pages(out: Path, modules: list[str]) -> list[str]:
    present = [m for m in modules if _module_exists(f"evoaug_tf.{m}")]
    for module in present:
        _write(
            out / "api" / f"{module}.md",
            (f"# `evoaug_tf.{module}`\n\n```{{eval-rst}}\n.. automodule:: evoaug_tf.{module}\n```\n"),
        )
    toc = "\n".join(present)
    _write(
        out / "api" / "index.md",
        (
            "# API reference\n\n"
            "Generated from the docstrings (NumPy style). Every array argument states its shape; one-hot DNA is "
            "`(N, L, 4)` in ACGT order. The evoaug-tf 1.0.3 imports keep working: "
            "`from evoaug_tf import augment, evoaug`.\n\n"
            "```{toctree}\n:maxdepth: 1\n\n" + toc + "\n```\n"
        ),
    )
    return present


# ----------------------------------------------------------------------------- augmentation pages


def _figure_png(fig) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def augmentation_pages(out: Path) -> None:
    import matplotlib

    matplotlib.use("agg")
    import numpy as np

    from evoaug_tf import augment, viz

    rng = np.random.default_rng(0)
    x = np.eye(4, dtype="float32")[rng.integers(0, 4, size=(8, 60))]  # eight random 60-nt sequences
    rows = []
    for entry in AUGMENTATIONS:
        cls = getattr(augment, entry["name"])
        images = out / "augmentations"
        _write(
            images / f"{entry['slug']}.png",
            _figure_png(viz.plot_augmentation(x, cls(), seed=3)),
            True,
        )
        modes = ""
        if entry["batch"]:
            batch_cls = getattr(augment, entry["batch"])
            fig = viz.plot_modes(x, cls(), batch_cls(), seed=3, n=4)
            _write(images / f"{entry['slug']}_modes.png", _figure_png(fig), True)
            modes = (
                "## Sequence mode and batch mode\n\n"
                f"{{py:class}}`~evoaug_tf.augment.{entry['batch']}` draws one change for the whole mini-batch "
                "(EvoAug-TF's batch mode, Fig. 1b of the preprint) instead of one per sequence: faster, less "
                "diverse. Left: sequence mode; right: batch mode, on the same four sequences.\n\n"
                f"![{entry['title']} in sequence mode and in batch mode]({entry['slug']}_modes.png)\n\n"
            )
        page = (
            f"# {entry['title']}: `{entry['name']}`\n\n"
            f"*{entry['event']}*\n\n"
            f"{entry['rule']}\n\n"
            f"```python\nfrom evoaug_tf import augment\naug = augment.{entry['name']}({entry['params']})\n"
            "x_aug = aug(x)   # x: (N, L, 4) one-hot, ACGT\n```\n\n"
            f"Defaults: `{entry['params']}`. In the paper: {entry['paper']}.\n\n"
            f"![{entry['title']} of one random 60-nt sequence]({entry['slug']}.png)\n\n"
            "One random sequence (top) and its augmented version (bottom), drawn with "
            f"`viz.plot_augmentation(x, augment.{entry['name']}(), seed=3)`.\n\n"
            + modes
            + f"API: {{py:class}}`evoaug_tf.augment.{entry['name']}`"
            + (f", {{py:class}}`evoaug_tf.augment.{entry['batch']}`" if entry["batch"] else "")
            + ".\n"
        )
        _write(images / f"{entry['slug']}.md", page)
        rows.append(
            f"| [{entry['title']}]({entry['slug']}.md) | `{entry['name']}` | "
            f"{'`' + entry['batch'] + '`' if entry['batch'] else 'none'} | `{entry['params']}` |"
        )
    toc = "\n".join(e["slug"] for e in AUGMENTATIONS)
    _write(
        out / "augmentations" / "index.md",
        (
            "# The augmentations\n\n"
            "Each augmentation takes a `(N, L, 4)` one-hot batch (ACGT) and returns the augmented batch. Labels "
            "are kept as they are: that the change keeps the function is a prior the augmentation imposes, not a "
            "fact, which is why EvoAug finetunes on the original sequences afterwards.\n\n"
            "| augmentation | class | batch mode | defaults |\n|---|---|---|---|\n"
            + "\n".join(rows)
            + "\n\n```{toctree}\n:hidden:\n\n"
            + toc
            + "\n```\n"
        ),
    )


# ----------------------------------------------------------------------------- published results


def _published_csv(candidates) -> Path:
    for path in candidates:
        if Path(path).exists():
            return Path(path)
    raise FileNotFoundError(
        f"Expected the published trials at one of {[str(p) for p in candidates]}. Received: none of them exists."
    )


def results_page(out: Path, candidates) -> None:
    import pandas as pd

    path = _published_csv(candidates)
    trials = pd.read_csv(path)
    arms = {
        "standard": "standard",
        "evoaug_itd_batch": "EvoAug-TF ITD batch, stage 1",
        "evoaug_itd_batch_finetune": "+ finetune",
    }

    def cell(values) -> str:
        mean = round(float(values.mean()), 3) + 0.0  # + 0.0: no "-0.000"
        return f"{mean:.3f} ± {values.std(ddof=1):.3f}"

    def table(frame, index: str, index_title: str, tasks) -> str:
        lines = [
            f"| {index_title} | " + " | ".join(arms.values()) + " |",
            "|---" * (len(arms) + 1) + "|",
        ]
        for key, group in frame.groupby(index, sort=True):
            cells = []
            for arm in arms:
                per_task = [cell(group[(group.arm == arm) & (group.task == task)].value) for task in tasks]
                cells.append(" / ".join(per_task))
            label = f"{int(key):,}" if index == "train_sequences" else str(key)
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        return "\n".join(lines)

    deepstarr = trials[trials.dataset == "deepstarr"]
    chip = trials[trials.dataset == "chip"]
    pearson = table(
        deepstarr[deepstarr.metric == "pearson_r"],
        "train_sequences",
        "training sequences",
        ["Dev", "Hk"],
    )
    spearman = table(
        deepstarr[deepstarr.metric == "spearman_r"],
        "train_sequences",
        "training sequences",
        ["Dev", "Hk"],
    )
    chip_rows = chip[chip.metric == "auroc"]
    lines = [
        "| factor | " + " | ".join(arms.values()) + " |",
        "|---" * (len(arms) + 1) + "|",
    ]
    for factor, group in chip_rows.groupby("factor", sort=True):
        lines.append(f"| {factor} | " + " | ".join(cell(group[group.arm == arm].value) for arm in arms) + " |")
    auroc = "\n".join(lines)
    n_trials = int(
        trials.groupby(
            ["dataset", "train_sequences", "factor", "arm", "metric", "task"],
            dropna=False,
        )
        .size()
        .max()
    )
    _write(
        out / "published_results.md",
        f"""# Published results

Every trial behind Fig. 1f-g of the EvoAug-TF preprint (Yu, Muthukumar & Koo, bioRxiv 2024), read from the
result files of the paper's analysis repository; the preprint's text itself gives no numbers. Each cell is
the mean ± standard deviation over {n_trials} trials (different initialisations), on the test set. This page
is rendered at build time from `{path.name}`, the file the package ships, so it cannot drift from it.

Arms: *standard* training; *EvoAug-TF ITD batch, stage 1*: insertion, translocation and deletion in batch
mode, one subset of augmentations per mini-batch; *+ finetune*: stage 2, the same model finetuned on the
original sequences.

## DeepSTARR, down-sampled (Fig. 1g)

The analysis keeps the **first N** training rows. The full-data row (402,278) is where 0.704 / 0.779 comes
from; it is this down-sampling experiment, not a separate headline result.

Test Pearson r, Dev / Hk:

{pearson}

Test Spearman r, Dev / Hk:

{spearman}

- With 10,000 sequences no arm learned anything (r near 0).
- "With 25% of the data EvoAug-TF beats standard training on all of it" holds for Hk only (0.749 > 0.746
  Pearson r); for Dev it is 0.655 < 0.665.
- Fig. 1c-d (EvoAug against EvoAug-TF per augmentation) has no published numbers; its dashed "standard"
  line is drawn at 0.672 / 0.745, not at the 0.665 / 0.746 above.

## ChIP-seq peak classification (Fig. 1f)

Test AUROC. Batch-mode insertion 0-20, translocation 0-20, deletion 0-20, `max_augs_per_seq=1`, one subset
per mini-batch; finetuning with early-stopping patience 3.

{auroc}
""",
    )


# ----------------------------------------------------------------------------- tutorials, changelog


def tutorials_page(out: Path, docs: Path) -> None:
    copies = sorted((docs / "tutorials").glob("[0-9][0-9]_*.ipynb"))
    timings_path = docs / "tutorials" / "timings.json"
    timings = json.loads(timings_path.read_text(encoding="utf-8")) if timings_path.exists() else {}
    if copies:
        rows = []
        for copy in copies:
            title = next(
                (
                    line.lstrip("# ").strip()
                    for cell in json.loads(copy.read_text("utf-8"))["cells"]
                    if cell["cell_type"] == "markdown"
                    for line in "".join(cell["source"]).splitlines()
                    if line.startswith("# ")
                ),
                copy.stem,
            )
            entry = timings.get(copy.name)
            ran = f"{entry['wall_time_s'] / 60:.1f} min at size `{entry['size']}`" if entry else ""
            rows.append(f"| [{copy.stem[:2]}](../tutorials/{copy.name}) | {title} | {ran} |")
        body = (
            "These are the notebooks of `notebooks/`, executed on a CPU with synthetic data (the `offline` "
            "size of `evoaug_tf.sizes`) by `python docs/make.py execute`, with their outputs and figures. "
            "Open a notebook's Colab badge to run it yourself, at the `class` size on a GPU.\n\n"
            "| | tutorial | ran in |\n|---|---|---|\n" + "\n".join(rows) + "\n\n"
            "```{toctree}\n:hidden:\n\n" + "\n".join(f"../tutorials/{c.stem}" for c in copies) + "\n```\n"
        )
    else:
        body = (
            "No executed tutorials yet. Make them with `python docs/make.py execute` (every notebook at "
            "the `offline` size), then build the site again.\n"
        )
    _write(out / "tutorials.md", "# Tutorials\n\n" + body)


def changelog_page(out: Path, root: Path) -> None:
    if (root / "CHANGELOG.md").exists():
        content = "```{include} ../../CHANGELOG.md\n:relative-docs: docs/\n:relative-images:\n```\n"
    else:
        content = "# Changelog\n\nNo `CHANGELOG.md` in the repository yet.\n"
    _write(out / "changelog.md", content)


# ----------------------------------------------------------------------------- hooks


def generate(app) -> None:
    docs = Path(app.srcdir)
    out = docs / GENERATED
    api_pages(out, app.config.evoaug_api_modules)
    augmentation_pages(out)
    results_page(out, app.config.evoaug_published_trials)
    tutorials_page(out, docs)
    changelog_page(out, docs.parent)


_DOCUMENTED_KINDS = {"module", "class", "exception", "function", "method", "property"}


def _owner(name: str):
    """The class that holds the member ``name`` ("pkg.module.Class.method"), or None."""
    parts = name.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attribute in parts[split:-1]:
                obj = getattr(obj, attribute)
        except AttributeError:
            return None
        return obj if isinstance(obj, type) else None
    return None


def _foreign_base(owner, member: str):
    """The first base class outside evoaug_tf (e.g. ``keras.Model``) that defines ``member``, or None."""
    for base in owner.__mro__[1:]:
        if member in vars(base) and not base.__module__.startswith("evoaug_tf"):
            return base
    return None


def process_docstring(app, what, name, obj, options, lines) -> None:
    """Missing docstrings of public objects are warnings; Keras overrides point to Keras' documentation.

    A method that overrides a Keras (or other third-party) method without a docstring of its own would
    show the third-party docstring, often Markdown that docutils cannot read: it gets a one-line pointer.
    """
    short = name.rsplit(".", 1)[-1]
    if what not in _DOCUMENTED_KINDS or short.startswith("_"):
        return
    own = getattr(obj, "__func__", obj).__doc__ if what != "property" else getattr(obj, "fget", obj).__doc__
    if what in {"method", "property"} and not (own and own.strip()):
        owner = _owner(name)
        base = _foreign_base(owner, short) if owner is not None else None
        if base is not None:
            lines[:] = [
                (
                    f"Overrides ``{base.__module__.split('.')[0]}.{base.__qualname__}.{short}``; "
                    "see that library's documentation."
                )
            ]
            return
    if not any(line.strip() for line in lines):
        logger.warning(f"public {what} {name} has no docstring", type="evoaug", subtype="docstring")


def setup(app):
    app.add_config_value("evoaug_api_modules", [], "env")
    app.add_config_value("evoaug_published_trials", [], "env")
    app.connect("builder-inited", generate)
    app.connect("autodoc-process-docstring", process_docstring)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
