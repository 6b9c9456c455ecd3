"""Training and results plots: two-stage learning curves, predicted vs measured, run comparisons.

* :func:`plot_history`: both stages of the EvoAug curriculum on one epoch axis,
  the switch to finetuning marked.
* :func:`plot_scatter`: predicted against measured activity, one panel per task,
  Pearson r in the title.
* :func:`plot_comparison`: a metric per task for several runs (standard
  training, EvoAug-TF, ...), mean +- sd over trials with every trial shown, as
  in the EvoAug-TF paper's Fig. 1c-d. :func:`comparison_table` gives the same
  results as a tidy table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from evoaug_tf import metrics as _metrics
from evoaug_tf.viz.sequences import _to_numpy

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_history", "plot_scatter", "comparison_table", "plot_comparison"]

_IGNORED_HISTORY_KEYS = ("learning_rate", "lr")
_TRAIN_COLOR, _VALID_COLOR = "#1F5FA8", "#D9641E"
_METRIC_LABELS = {
    "pearson_r": "Pearson r",
    "spearman_r": "Spearman rho",
    "auroc": "AUROC",
    "auc": "AUROC",
    "aupr": "AUPR",
    "average_precision": "AUPR",
    "mse": "MSE",
    "loss": "loss",
}


def _metric_label(metric: str) -> str:
    return _METRIC_LABELS.get(metric, metric.replace("_", " "))


# --------------------------------------------------------------------------- history
def _history_dict(history: object, name: str) -> dict[str, np.ndarray] | None:
    """Keras ``History``, a dict of per-epoch lists or a DataFrame -> ``{key: [values]}``."""
    if history is None:
        return None
    if isinstance(history, pd.DataFrame):
        history = history.to_dict("list")
    history = getattr(history, "history", history)
    if not isinstance(history, Mapping):
        raise ValueError(
            f"Expected `{name}` to be a keras History, a dict of per-epoch lists or a DataFrame. "
            f"Received: {name} of type {type(history).__name__}"
        )
    converted = {str(key): np.asarray(values, dtype=np.float64).ravel() for key, values in history.items()}
    lengths = {key: values.size for key, values in converted.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"Expected every metric in `{name}` to have one value per epoch. Received lengths {lengths}")
    if name == "history_stage1" and (not converted or 0 in lengths.values()):
        received = "{}" if not converted else f"0 epochs of {sorted(converted)}"
        raise ValueError(
            f"Expected `{name}` to record at least one epoch of at least one metric (e.g. the History that "
            f"model.fit returns). Received: {name} with {received}"
        )
    return converted


def _metric_groups(metrics, stage1: dict) -> list[list[str]]:
    """Group ``loss``/``val_loss`` style keys into panels, in order of first appearance."""
    if metrics is None:
        metrics = [key for key in stage1 if key not in _IGNORED_HISTORY_KEYS]
    elif isinstance(metrics, str):
        metrics = [metrics]
    missing = [key for key in metrics if key not in stage1]
    if missing:
        raise ValueError(
            f"Expected `metrics` recorded in the stage-1 history. Received: {missing} (recorded: {sorted(stage1)})"
        )
    groups: dict[str, list[str]] = {}
    for key in metrics:
        groups.setdefault(key[4:] if key.startswith("val_") else key, []).append(key)
    return list(groups.values())


def plot_history(
    history_stage1: object,
    history_stage2: object | None = None,
    metrics: Sequence[str] | None = None,
    axes: Any = None,
    stage_labels: tuple[str, str] = ("augmented", "finetune"),
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Learning curves of both training stages on one epoch axis.

    Each metric gets a panel with training (solid) and validation (dashed)
    curves; the stage-2 epochs follow the stage-1 epochs, behind a vertical line
    and a shaded background that mark the switch to finetuning.

    Parameters
    ----------
    history_stage1 : keras.callbacks.History, dict or pandas.DataFrame
        Stage 1 (training with augmentations): ``{metric: [value per epoch]}``.
    history_stage2 : same, optional
        Stage 2 (finetuning without augmentations), e.g. the second value of
        :func:`evoaug_tf.train_two_stage`. Metrics it lacks are left out of stage 2.
    metrics : sequence of str, optional
        Keys to draw, e.g. ``("loss", "val_loss", "pearson_r", "val_pearson_r")``;
        a key and its ``val_`` twin share a panel. By default every recorded
        metric except the learning rate.
    axes : sequence of matplotlib.axes.Axes, optional
        One per panel; a new figure when None.
    stage_labels : (str, str)
        Legend names of the two stages.
    figsize : (float, float), optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    stage1 = _history_dict(history_stage1, "history_stage1")
    if stage1 is None:
        raise ValueError(
            "Expected `history_stage1` to be a keras History, a dict of per-epoch lists or a DataFrame. "
            "Received: history_stage1=None"
        )
    stage2 = _history_dict(history_stage2, "history_stage2")
    groups = _metric_groups(metrics, stage1)
    epochs1 = next(iter(stage1.values())).size if stage1 else 0
    if axes is None:
        fig, axes = plt.subplots(
            1, len(groups), figsize=figsize or (4.6 * len(groups), 3.4), layout="constrained", squeeze=False
        )
        axes = axes[0]
    else:
        axes = np.atleast_1d(axes)
        if len(axes) != len(groups):
            raise ValueError(f"Expected {len(groups)} axes (one per panel). Received: {len(axes)} axes")
        fig = axes[0].figure
    for ax, keys in zip(axes, groups):
        for key in keys:
            validation = key.startswith("val_")
            style = dict(
                color=_VALID_COLOR if validation else _TRAIN_COLOR,
                linestyle="--" if validation else "-",
                marker="o",
                markersize=3,
            )
            name = "validation" if validation else "training"
            ax.plot(np.arange(1, epochs1 + 1), stage1[key], label=f"{name}, {stage_labels[0]}", **style)
            if stage2 is not None and key in stage2 and stage2[key].size:
                epochs2 = np.arange(epochs1 + 1, epochs1 + stage2[key].size + 1)
                ax.plot(
                    epochs2, stage2[key], label=f"{name}, {stage_labels[1]}", alpha=0.85, **{**style, "marker": "s"}
                )
        if stage2 is not None:
            end = epochs1 + max(values.size for values in stage2.values()) if stage2 else epochs1
            ax.axvspan(epochs1 + 0.5, max(end, epochs1 + 1) + 0.5, color="#EEEEEE", zorder=0, gid="finetune_span")
            ax.axvline(epochs1 + 0.5, color="black", linewidth=1.2, linestyle=":", gid="stage_switch")
            ax.text(
                epochs1 + 0.5,
                1.01,
                f"{stage_labels[1]} \u2192",
                transform=ax.get_xaxis_transform(),
                ha="left",
                va="bottom",
                fontsize=9,
                gid="stage_label",
            )
        base = keys[0][4:] if keys[0].startswith("val_") else keys[0]
        ax.set_title(_metric_label(base), loc="left")
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    return fig


# --------------------------------------------------------------------------- scatter
def _as_tasks(name: str, values) -> np.ndarray:
    array = _to_numpy(values).astype(np.float64)
    if array.ndim == 1:
        array = array[:, np.newaxis]
    if array.ndim != 2 or array.shape[0] == 0:
        raise ValueError(
            f"Expected `{name}` of shape (N,) or (N, tasks) with N >= 1. Received: {name} with shape {array.shape}"
        )
    return array


def _task_names(task_names, count: int) -> list[str]:
    if task_names is None:
        return [f"task {i + 1}" for i in range(count)] if count > 1 else ["task"]
    names = [str(name) for name in ([task_names] if isinstance(task_names, str) else task_names)]
    if len(names) != count:
        raise ValueError(f"Expected {count} `task_names`. Received: task_names={task_names!r}")
    return names


def plot_scatter(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    task_names: Sequence[str] | None = None,
    axes: Any = None,
    max_points: int = 20000,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Predicted against measured values, one panel per task, with Pearson r and the diagonal.

    Parameters
    ----------
    y_true, y_pred : array-like
        ``(N,)`` or ``(N, tasks)`` measured and predicted values.
    task_names : sequence of str, optional
        Panel names, e.g. ``("Dev", "Hk")`` for DeepSTARR.
    axes : sequence of matplotlib.axes.Axes, optional
        One per task; a new figure when None.
    max_points : int
        Draw at most this many points per panel (a fixed random subset); r is
        always computed on all of them.
    figsize : (float, float), optional

    Returns
    -------
    matplotlib.figure.Figure
        Titles read e.g. "Dev: Pearson r = 0.704".
    """
    y_true, y_pred = _as_tasks("y_true", y_true), _as_tasks("y_pred", y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"Expected `y_true` and `y_pred` of the same shape. Received: y_true with shape {y_true.shape} and "
            f"y_pred with shape {y_pred.shape}"
        )
    names = _task_names(task_names, y_true.shape[1])
    r = _metrics.pearson_r(y_true, y_pred)
    if axes is None:
        fig, axes = plt.subplots(
            1, len(names), figsize=figsize or (4.0 * len(names), 4.0), layout="constrained", squeeze=False
        )
        axes = axes[0]
    else:
        axes = np.atleast_1d(axes)
        if len(axes) != len(names):
            raise ValueError(f"Expected {len(names)} axes (one per task). Received: {len(axes)} axes")
        fig = axes[0].figure
    shown = np.arange(y_true.shape[0])
    if shown.size > max_points:
        shown = np.sort(np.random.default_rng(0).choice(shown, max_points, replace=False))
    for task, (ax, name) in enumerate(zip(axes, names)):
        measured, predicted = y_true[shown, task], y_pred[shown, task]
        ax.scatter(measured, predicted, s=6, alpha=0.35, color=_TRAIN_COLOR, edgecolors="none", rasterized=True)
        low = min(y_true[:, task].min(), y_pred[:, task].min())
        high = max(y_true[:, task].max(), y_pred[:, task].max())
        ax.plot([low, high], [low, high], color="#444444", linestyle="--", linewidth=1, gid="diagonal")
        ax.set_title(f"{name}: Pearson r = {r[task]:.3f}")
        ax.set_xlabel("measured")
        ax.set_ylabel("predicted")
        ax.set_aspect("equal", adjustable="datalim")
        ax.grid(alpha=0.3)
    return fig


# --------------------------------------------------------------------------- comparison
def comparison_table(
    results: pd.DataFrame, task_names: Sequence[str] | None = None, metric: str = "pearson_r"
) -> pd.DataFrame:
    """Results of several runs as a tidy table with columns run, task, trial, value.

    Parameters
    ----------
    results : dict or pandas.DataFrame
        One of:

        * ``{run: array (trials, tasks)}``: one row per trial (e.g. ``np.stack`` of
          per-trial :func:`evoaug_tf.metrics.pearson_r`), or ``(trials,)`` for one task;
        * ``{run: {task: [value per trial]}}``;
        * a DataFrame with columns run, task, value (or a column named ``metric``)
          and optionally trial.
    task_names : sequence of str, optional
        Task names for array results (default "task 1", ...).
    metric : str
        Name of the value column when a DataFrame has no "value" column.

    Returns
    -------
    pandas.DataFrame
        Columns run, task, trial, value; runs and tasks in the order given.
    """
    if isinstance(results, pd.DataFrame):
        column = "value" if "value" in results.columns else metric
        missing = [name for name in ("run", "task", column) if name not in results.columns]
        if missing:
            raise ValueError(
                f"Expected `results` with columns run, task, value (or {metric!r}) and optionally trial. "
                f"Received: columns {list(results.columns)}"
            )
        table = results.rename(columns={column: "value"}).copy()
        if "trial" not in table.columns:
            table["trial"] = table.groupby(["run", "task"], sort=False).cumcount()
        return table[["run", "task", "trial", "value"]].reset_index(drop=True)
    if not isinstance(results, Mapping) or not results:
        raise ValueError(
            f"Expected `results` to be a non-empty dict run -> values, or a DataFrame. Received: results={results!r}"
        )
    rows = []
    for run, values in results.items():
        if isinstance(values, Mapping):
            per_task = {str(task): np.asarray(trials, dtype=np.float64).ravel() for task, trials in values.items()}
        else:
            array = np.asarray(values, dtype=np.float64)
            array = array[:, np.newaxis] if array.ndim == 1 else array
            if array.ndim != 2:
                raise ValueError(
                    f"Expected results[{run!r}] of shape (trials,) or (trials, tasks). Received: shape {array.shape}"
                )
            per_task = dict(zip(_task_names(task_names, array.shape[1]), array.T))
        for task, trials in per_task.items():
            rows += [(str(run), task, trial, float(value)) for trial, value in enumerate(trials)]
    return pd.DataFrame(rows, columns=["run", "task", "trial", "value"])


def plot_comparison(
    results: pd.DataFrame,
    metric: str = "pearson_r",
    task_names: Sequence[str] | None = None,
    ax: Axes | None = None,
    kind: str = "points",
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """A metric per task for several runs: mean +- sd over trials, every trial shown as a dot.

    Parameters
    ----------
    results : dict or pandas.DataFrame
        As in :func:`comparison_table`, e.g.
        ``{"standard": r_standard, "EvoAug-TF": r_evoaug}`` with arrays of shape
        ``(trials, tasks)``.
    metric : str
        Metric name for the axis label (and the value column of a DataFrame).
    task_names : sequence of str, optional
        Task names for array results.
    ax : matplotlib.axes.Axes, optional
    kind : {"points", "bar"}
        Mean as a large marker with sd whiskers, or as a bar with sd error bars.
    figsize : (float, float), optional

    Returns
    -------
    matplotlib.figure.Figure
        Tasks along x, one colour per run.
    """
    if kind not in ("points", "bar"):
        raise ValueError(f"Expected `kind` to be 'points' or 'bar'. Received: kind={kind!r}")
    table = comparison_table(results, task_names, metric)
    runs = list(dict.fromkeys(table["run"]))
    tasks = list(dict.fromkeys(table["task"]))
    summary = table.groupby(["run", "task"], sort=False)["value"].agg(["mean", "std", "count"])
    if ax is None:
        fig, ax = plt.subplots(
            figsize=figsize or (max(4.0, 1.2 * len(tasks) * max(1, len(runs)) ** 0.5 + 2.5), 3.8), layout="constrained"
        )
    else:
        fig = cast("Figure", ax.figure)
    width = 0.8 / len(runs)
    jitter = np.random.default_rng(0)
    centres = np.arange(len(tasks))
    for number, run in enumerate(runs):
        color = plt.get_cmap("tab10")(number % 10)
        offset = centres - 0.4 + width * (number + 0.5)
        stats = summary.loc[run].reindex(tasks)
        means, sds = stats["mean"].to_numpy(), np.nan_to_num(stats["std"].to_numpy())
        if kind == "bar":
            ax.bar(offset, means, width * 0.9, yerr=sds, capsize=3, color=color, alpha=0.75, label=run, gid="mean")
            dots: Any = "#333333"
        else:
            ax.errorbar(
                offset,
                means,
                yerr=sds,
                fmt="o",
                markersize=8,
                capsize=4,
                color=color,
                label=run,
                linewidth=1.5,
                markeredgecolor="white",
                zorder=3,
                gid="mean",
            )
            dots = color
        trials = table[table["run"] == run]
        positions = offset[[tasks.index(task) for task in trials["task"]]]
        ax.scatter(
            positions + jitter.uniform(-0.35, 0.35, len(trials)) * width,
            trials["value"],
            s=12,
            color=dots,
            edgecolors="none",
            alpha=0.6,
            zorder=2.5,
            gid="trials",
        )
    ax.set_xticks(centres, tasks)
    ax.set_ylabel(_metric_label(metric))
    ax.set_title(f"{_metric_label(metric)} per task (mean \u00b1 sd over trials)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig
