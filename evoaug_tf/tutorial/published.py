"""The published numbers the notebooks compare with, read from the package's table (never typed by hand)."""

from __future__ import annotations

import os

import pandas as pd

#: Environment variable pointing at a copy of ``published_trials.csv`` (used when the package has none).
PUBLISHED_ENV = "EVOAUG_TF_PUBLISHED_CSV"


def trials() -> pd.DataFrame:
    """Every published trial: columns dataset, train_sequences, factor, arm, trial, metric, task, value."""
    try:
        from evoaug_tf import published  # added by the results table work

        return published.load()
    except ImportError:
        pass
    here = os.path.abspath(os.path.dirname(__file__))
    parents = [os.path.join(here, *[".."] * up) for up in range(1, 6)]
    candidates = [os.environ.get(PUBLISHED_ENV, ""),
                  *(os.path.normpath(os.path.join(parent, "shared", "published_trials.csv")) for parent in parents)]
    for path in candidates:
        if path and os.path.exists(path):
            return pd.read_csv(path)
    raise FileNotFoundError(
        f"Expected the published results table (published_trials.csv). Received: none of {candidates[1:]} exists "
        f"and {PUBLISHED_ENV} is not set."
    )


def deepstarr(train_sequences: int, metric: str = "pearson_r") -> pd.DataFrame:
    """The paper's five DeepSTARR trials at one training size: one row per (arm, trial), a column per task.

    Parameters
    ----------
    train_sequences : int
        One of the paper's sizes (10,000 ... 402,278).
    metric : str
        ``"pearson_r"`` or ``"spearman_r"``.

    Returns
    -------
    pandas.DataFrame
        Index ``(arm, trial)``, columns ``Dev`` and ``Hk``; arms ``standard``, ``evoaug_itd_batch``,
        ``evoaug_itd_batch_finetune``.
    """
    table = trials()
    rows = table[(table["dataset"] == "deepstarr") & (table["metric"] == metric)]
    available = sorted(int(n) for n in rows["train_sequences"].dropna().unique())
    rows = rows[rows["train_sequences"] == train_sequences]
    if rows.empty:
        raise ValueError(
            f"Expected train_sequences to be one of the paper's sizes {available}. "
            f"Received: train_sequences={train_sequences!r}"
        )
    return rows.pivot_table(index=["arm", "trial"], columns="task", values="value").rename_axis(columns=None)
