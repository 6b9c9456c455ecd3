"""The published numbers a notebook compares with, from the package's table (never typed by hand)."""

from __future__ import annotations

import pandas as pd

from evoaug_tf import published

#: The table's arm names and what the notebooks call the same runs (``experiments.compare_training``).
RUN_NAMES = {"standard": "standard", "evoaug_itd_batch": "evoaug", "evoaug_itd_batch_finetune": "evoaug+finetune"}


def trials() -> pd.DataFrame:
    """Every published trial: columns dataset, train_sequences, factor, arm, trial, metric, task, value."""
    return published.load()


def deepstarr(train_sequences: int, metric: str = "pearson_r") -> pd.DataFrame:
    """The paper's five DeepSTARR trials at one training size: a row per (run, trial), a column per task.

    Parameters
    ----------
    train_sequences : int
        One of the paper's sizes (10,000 ... 402,278): the first N training rows.
    metric : str
        ``"pearson_r"`` or ``"spearman_r"``.

    Returns
    -------
    pandas.DataFrame
        Index ``(run, trial)`` with runs named as in ``compare_training`` (``standard``, ``evoaug``,
        ``evoaug+finetune``), columns ``Dev`` and ``Hk``.
    """
    table = published.trials("deepstarr", train_sequences=train_sequences, metric=metric)
    table = table.assign(run=table["arm"].map(RUN_NAMES))
    wide = table.pivot_table(index=["run", "trial"], columns="task", values="value")
    order = [name for name in RUN_NAMES.values() if name in wide.index.get_level_values("run")]
    return wide.reindex(order, level="run").rename_axis(columns=None)


def side_by_side(table: pd.DataFrame, train_sequences: int, metric: str = "pearson_r") -> pd.DataFrame:
    """A run's test scores next to the paper's five trials at ``train_sequences``: mean and range per task.

    Parameters
    ----------
    table : pandas.DataFrame
        ``experiments.compare_training``'s table (columns ``run``, ``trial``, ``task``, ``metric``).
    train_sequences : int
        The paper's training size to compare with.

    Returns
    -------
    pandas.DataFrame
        A row per run; columns ``(task, "this run")``, ``(task, "paper mean")``, ``(task, "paper min")``,
        ``(task, "paper max")``.
    """
    paper = deepstarr(train_sequences, metric)
    ours = table.groupby(["run", "task"])[metric].mean().unstack("task")
    runs = [run for run in RUN_NAMES.values() if run in ours.index]
    columns = {}
    for task in paper.columns:
        grouped = paper[task].groupby(level="run")
        columns[(task, "this run")] = ours[task].reindex(runs)
        columns[(task, "paper mean")] = grouped.mean().reindex(runs)
        columns[(task, "paper min")] = grouped.min().reindex(runs)
        columns[(task, "paper max")] = grouped.max().reindex(runs)
    return pd.DataFrame(columns).rename_axis("run")
