"""Notebook support: the size a student chooses, the data and model at that size, folders, plans, checks.

Public API::

    size = tutorial.setup(SIZE, notebook="03")        # prints the size, the GPU and the notebook's plan
    data = tutorial.load_data("deepstarr", size)      # or a ChIP-seq factor: "CTCF", ...
    model_func = tutorial.model_function("deepstarr", size)
    tutorial.use_drive()                              # Colab: data and outputs on Google Drive
    folder = tutorial.output_dir("03")                # where a notebook's finished runs are kept
    tutorial.plan("03", size)                         # runs, training steps, estimated / measured time
    tutorial.check(condition, "message")              # a one-line check
    tutorial.exercises.check("03.1", answer)          # an exercise: "Right: ..." or "Not yet: <hint>"
    if tutorial.solution(1): ...                      # a solution cell's guard (skipped by Run all)
    tutorial.published.deepstarr(50_000)              # the five trials at 50k (result files; not in Fig. 1g)
    tutorial.findings.compare("KLD", std, evo, paper="higher")  # this run against the paper, a row per finding

Sizes (see :mod:`evoaug_tf.sizes`) change how much data and how many epochs, never the code path.
"""

from __future__ import annotations

from evoaug_tf import sizes
from evoaug_tf.training import Protocol
from evoaug_tf.tutorial import exercises, findings, published
from evoaug_tf.tutorial.data import first_rows, load_data, model_function
from evoaug_tf.tutorial.exercises import show_solutions, solution
from evoaug_tf.tutorial.folders import (
    data_dir,
    in_colab,
    output_dir,
    set_root,
    use_drive,
)
from evoaug_tf.tutorial.plans import Plan, Run, markdown_table, plan
from evoaug_tf.tutorial.session import check, gpu_names, setup


def is_quick() -> bool:
    """True when the environment chooses the ``quick`` size (earlier releases' quick mode)."""
    return sizes.get(None).name == "quick"


def protocol(quick: bool | None = None) -> Protocol:
    """Earlier releases: the environment size's protocol (``quick=True``: quick; ``quick=False``: the paper's)."""
    return sizes.get(None if quick is None else ("quick" if quick else "paper")).protocol


__all__ = [
    "Plan",
    "Run",
    "check",
    "data_dir",
    "exercises",
    "findings",
    "first_rows",
    "gpu_names",
    "in_colab",
    "is_quick",
    "load_data",
    "markdown_table",
    "model_function",
    "output_dir",
    "plan",
    "protocol",
    "published",
    "set_root",
    "setup",
    "show_solutions",
    "solution",
    "use_drive",
]
