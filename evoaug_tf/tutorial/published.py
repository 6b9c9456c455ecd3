"""The published numbers a notebook compares with, from the package's table (never typed by hand)."""

from __future__ import annotations

import pandas as pd

from evoaug_tf import published

__all__ = ["RUN_NAMES", "deepstarr", "side_by_side", "trials"]

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


def _check_run_table(table: pd.DataFrame, metric: str) -> None:
    for column in ("run", "task", metric):
        if column not in table:
            raise ValueError(
                f"Expected a table with columns run, task and {metric} (compare_training's). "
                f"Received: table with columns {list(table.columns)}"
            )
    others = sorted(set(table["run"]) - set(RUN_NAMES.values()))
    if others:
        raise ValueError(
            f"Expected runs named {list(RUN_NAMES.values())} (what the paper's arms are called here), to set "
            f"beside the paper's. Received: run={others!r}; rename them first, e.g. "
            f"table.replace({{'run': {{{others[0]!r}: 'evoaug'}}}})"
        )
    missing = table[table[metric].isna()]
    if len(missing):
        where = ", ".join(f"{r.run} trial {getattr(r, 'trial', '?')} {r.task}" for r in missing.itertuples())
        raise ValueError(
            f"Expected a {metric} for every run, trial and task (a missing one would shrink the mean). "
            f"Received: {metric}=NaN for {where}"
        )


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
        A row per run; columns ``(task, "this run")`` (the mean over the run's trials), ``(task, "trials")``
        (how many), ``(task, "paper mean")``, ``(task, "paper min")``, ``(task, "paper max")``.

    Raises
    ------
    ValueError
        When a run has another name than ``standard``, ``evoaug`` or ``evoaug+finetune`` (rename it, e.g.
        ``table.replace({"run": {"ITD batch": "evoaug", "ITD batch+finetune": "evoaug+finetune"}})``: it is
        never dropped without a word), or a score is missing (NaN would shrink the mean).
    """
    paper = deepstarr(train_sequences, metric)
    _check_run_table(table, metric)
    ours = table.groupby(["run", "task"])[metric].agg(["mean", "count"])
    runs = [run for run in RUN_NAMES.values() if run in ours.index.get_level_values("run")]
    columns = {}
    for task in paper.columns:
        grouped = paper[task].groupby(level="run")
        columns[(task, "this run")] = ours["mean"].unstack("task")[task].reindex(runs)
        columns[(task, "trials")] = ours["count"].unstack("task")[task].reindex(runs)
        columns[(task, "paper mean")] = grouped.mean().reindex(runs)
        columns[(task, "paper min")] = grouped.min().reindex(runs)
        columns[(task, "paper max")] = grouped.max().reindex(runs)
    return pd.DataFrame(columns).rename_axis("run")
