"""The EvoAug-TF paper's published test scores, trial by trial (package data, no hand-typed table).

``evoaug_tf/data/published_trials.csv`` holds every trial behind Fig. 1f-g of the preprint (Yu,
Muthukumar & Koo 2024), read from the result files of the paper's analysis repository: 555 rows,
columns ``dataset, train_sequences, factor, arm, trial, metric, task, value``.

- ``dataset="deepstarr"``: the down-sampling experiment (Fig. 1g). ``train_sequences`` is the number of
  training sequences kept (the **first N** rows of the training split): 10,000 ... 300,000 and all
  402,278. Metrics ``pearson_r`` and ``spearman_r``, tasks ``Dev`` and ``Hk``. Fig. 1g plots 25,000 to
  all; the 10,000 and 50,000 trials exist only in the analysis repository's result files.
- ``dataset="chip"``: nine ChIP-seq factors (Fig. 1f), metric ``auroc``, task = the factor.
- ``arm``: ``standard``; ``evoaug_itd_batch`` (EvoAug-TF stage 1: batch-mode insertion, translocation
  and deletion, one subset of augmentations per mini-batch); ``evoaug_itd_batch_finetune`` (after
  finetuning). Five trials (random initialisations) each.

Fig. 1c-d (EvoAug vs EvoAug-TF per augmentation) has no published numbers. Its dashed "standard" line
is drawn at 0.672 / 0.745 (:data:`FIG1CD_STANDARD_DRAWN`); the measured standard model on all
402,278 sequences has a mean of 0.665 / 0.746 over its five trials. This package compares runs
with the measured trials, never with the drawn line.

>>> from evoaug_tf import published
>>> published.summary("deepstarr", train_sequences=50_000, metric="pearson_r")  # doctest: +SKIP
"""

from __future__ import annotations

import functools
from importlib import resources

import pandas as pd

from evoaug_tf.datasets import registry

__all__ = [
    "ARMS",
    "CHIP_FACTORS",
    "DEEPSTARR_ALL",
    "DEEPSTARR_TRAIN_SEQUENCES",
    "FIG1CD_STANDARD_DRAWN",
    "FIG1CD_STANDARD_USED",
    "compare",
    "load",
    "summary",
    "trials",
]

#: The arms in the table, in the paper's order.
ARMS = ("standard", "evoaug_itd_batch", "evoaug_itd_batch_finetune")
#: DeepSTARR training-set sizes of the down-sampling experiment (402,278 = every training sequence).
DEEPSTARR_TRAIN_SEQUENCES = (10_000, 25_000, 50_000, 100_000, 200_000, 300_000, 402_278)
#: Every DeepSTARR training sequence.
DEEPSTARR_ALL = registry.DEEPSTARR_ROWS[0]
#: The ChIP-seq factors, in the paper's order (:data:`evoaug_tf.datasets.registry.CHIP_TF_NAMES`).
CHIP_FACTORS = registry.CHIP_TF_NAMES
#: Where Fig. 1c-d draws its dashed standard line (test Pearson r, Dev / Hk); not a measured mean.
FIG1CD_STANDARD_DRAWN = {"Dev": 0.672, "Hk": 0.745}
#: Which standard line this package uses for Fig. 1c-d comparisons: the measured five trials.
FIG1CD_STANDARD_USED = "measured: mean of the five standard trials on all 402,278 sequences (0.665 / 0.746)"

_COLUMNS = ("dataset", "train_sequences", "factor", "arm", "trial", "metric", "task", "value")
_DATASETS = ("deepstarr", "chip")


@functools.lru_cache(maxsize=1)
def _read() -> pd.DataFrame:
    with resources.files("evoaug_tf").joinpath("data").joinpath("published_trials.csv").open("r") as handle:
        table = pd.read_csv(handle)
    table["train_sequences"] = table["train_sequences"].astype("Int64")
    return table


def load() -> pd.DataFrame:
    """Every published trial, one row each.

    Returns
    -------
    pandas.DataFrame
        555 rows; columns ``dataset`` (``"deepstarr"``/``"chip"``), ``train_sequences`` (Int64, DeepSTARR
        only), ``factor`` (ChIP-seq only), ``arm`` (see :data:`ARMS`), ``trial`` (0-4), ``metric``
        (``pearson_r``, ``spearman_r``, ``auroc``), ``task`` (``Dev``/``Hk`` or the factor), ``value``.
        A fresh copy: changing it does not change later calls.
    """
    return _read().copy()


def trials(
    dataset: str = "deepstarr",
    *,
    arm: str | None = None,
    train_sequences: int | None = None,
    factor: str | None = None,
    metric: str | None = None,
    task: str | None = None,
) -> pd.DataFrame:
    """The published trials matching every filter given (None: no filter on that column).

    Parameters
    ----------
    dataset : {"deepstarr", "chip"}
    arm : str, optional
        One of :data:`ARMS`.
    train_sequences : int, optional
        DeepSTARR training-set size, one of :data:`DEEPSTARR_TRAIN_SEQUENCES`.
    factor : str, optional
        ChIP-seq factor, one of :data:`CHIP_FACTORS` (any case).
    metric, task : str, optional
        E.g. ``"pearson_r"`` and ``"Dev"``.

    Returns
    -------
    pandas.DataFrame
        The matching rows of :func:`load`.

    Raises
    ------
    ValueError
        For a value the table does not hold, naming the argument, the value and what exists.
    """
    table = load()
    _check_choice("dataset", dataset, _DATASETS)
    table = table[table["dataset"] == dataset]
    if factor is not None:
        factor = str(factor).upper()
    filters = {"arm": arm, "train_sequences": train_sequences, "factor": factor, "metric": metric, "task": task}
    for column, wanted in filters.items():
        if wanted is None:
            continue
        present = sorted(table[column].dropna().unique().tolist())
        _check_choice(column, wanted, present)
        table = table[table[column] == wanted]
    return table.reset_index(drop=True)


def summary(
    dataset: str = "deepstarr",
    *,
    metric: str | None = None,
    train_sequences: int | None = None,
    factor: str | None = None,
    arm: str | None = None,
    task: str | None = None,
) -> pd.DataFrame:
    """Mean, standard deviation (n - 1), min and max over the five published trials.

    Parameters
    ----------
    dataset, metric, train_sequences, factor, arm, task
        Filters, as in :func:`trials`.

    Returns
    -------
    pandas.DataFrame
        One row per (setting, arm, metric, task), where the setting is ``train_sequences`` (DeepSTARR)
        or ``factor`` (ChIP-seq); columns ``mean``, ``std``, ``min``, ``max``, ``trials``.
    """
    table = trials(dataset, arm=arm, train_sequences=train_sequences, factor=factor, metric=metric, task=task)
    setting = "train_sequences" if dataset == "deepstarr" else "factor"
    grouped = table.groupby([setting, "arm", "metric", "task"], sort=True)["value"]
    result = grouped.agg(mean="mean", std="std", min="min", max="max", trials="count").reset_index()
    order = {name: index for index, name in enumerate(ARMS)}
    result = result.sort_values(
        [setting, "arm", "metric", "task"], key=lambda column: column.map(order) if column.name == "arm" else column
    )
    return result.reset_index(drop=True)


def compare(
    measured: pd.Series | list | float,
    dataset: str = "deepstarr",
    *,
    arm: str,
    metric: str,
    task: str,
    train_sequences: int | None = None,
    factor: str | None = None,
) -> dict:
    """Set a run's trials beside the five published trials of the same arm, size or factor, metric and task.

    Parameters
    ----------
    measured : float or sequence of float
        The run's score per trial (one or more trials; none missing: NaN is refused).
    dataset, arm, metric, task, train_sequences, factor
        Which published trials, as in :func:`trials`. ``train_sequences`` is required for DeepSTARR and
        ``factor`` for ChIP-seq: without them the trials of every size or factor would be pooled.

    Returns
    -------
    dict
        ``trials``, ``mean``, ``std`` of the run; ``published_mean``, ``published_std``,
        ``published_min``, ``published_max``; ``difference`` (run mean - published mean) and
        ``within_published_range`` (the run's mean lies between the published min and max).
    """
    _check_setting(dataset, train_sequences, factor)
    values = pd.Series(measured, dtype="float64")
    if values.isna().any():
        missing = [int(i) for i in range(len(values)) if pd.isna(values.iloc[i])]
        raise ValueError(
            "Expected a score for every trial (a missing trial would shrink the mean without a word). "
            f"Received: measured={list(values)!r}, with no score at position(s) {missing}"
        )
    reference = trials(dataset, arm=arm, metric=metric, task=task, train_sequences=train_sequences, factor=factor)[
        "value"
    ]
    if reference.empty:
        raise ValueError(
            f"Expected published trials for arm={arm!r}, metric={metric!r}, task={task!r}, "
            f"train_sequences={train_sequences!r}, factor={factor!r}. Received: none match."
        )
    mean = values.mean() if len(values) else float("nan")
    return {
        "trials": int(len(values)),
        "mean": mean,
        "std": values.std() if len(values) > 1 else float("nan"),
        "published_trials": int(len(reference)),
        "published_mean": reference.mean(),
        "published_std": reference.std(),
        "published_min": reference.min(),
        "published_max": reference.max(),
        "difference": mean - reference.mean(),
        "within_published_range": bool(reference.min() <= mean <= reference.max()) if len(values) else False,
    }


def _check_setting(dataset, train_sequences, factor) -> None:
    """Refuse a comparison that would pool the published trials of several sizes or factors."""
    _check_choice("dataset", dataset, _DATASETS)
    name, value, choices = (
        ("train_sequences", train_sequences, DEEPSTARR_TRAIN_SEQUENCES)
        if dataset == "deepstarr"
        else ("factor", factor, CHIP_FACTORS)
    )
    if value is None:
        raise ValueError(
            f"Expected {name} to be one of {list(choices)} for dataset={dataset!r}: without it the published "
            f"trials of all {len(choices)} {'sizes' if name == 'train_sequences' else 'factors'} would be pooled. "
            f"Received: {name}=None"
        )


def _check_choice(name, value, choices):
    if value not in list(choices):
        raise ValueError(f"Expected {name} to be one of {list(choices)}. Received: {name}={value!r}")
