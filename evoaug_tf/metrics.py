"""Per-task metrics: NumPy/SciPy functions for after ``predict``, Keras metrics for ``fit``.

* :func:`pearson_r`, :func:`spearman_r`, :func:`evaluate_regression`: exact, on arrays.
* :class:`PearsonR`: exact streaming Pearson r per task (sums accumulated over batches),
  on-graph and XLA-compatible, so ``val_pearson_r`` during ``fit`` is the r of the whole set.
* :class:`SpearmanR`: Spearman rho per batch, averaged over batches (weighted by batch
  size). A rank correlation cannot be streamed exactly in fixed memory; use
  :func:`spearman_r` on predictions for the exact figure.
* :func:`auroc`, :func:`average_precision` (AUPR): the standard definitions, scikit-learn's
  ``roc_auc_score`` and ``average_precision_score`` per task; independent of row order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import keras
import numpy as np
import scipy.stats
import sklearn.metrics
import tensorflow as tf

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


__all__ = [
    "pearson_r",
    "spearman_r",
    "evaluate_regression",
    "PearsonR",
    "SpearmanR",
    "task_metrics",
    "auroc",
    "average_precision",
]


def _as_2d(name, values):
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise ValueError(f"Expected `{name}` of shape (N,) or (N, tasks). Received: {name} with shape {array.shape}")
    return array


def _pair(y_true, y_pred):
    y_true, y_pred = _as_2d("y_true", y_true), _as_2d("y_pred", y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"Expected `y_true` and `y_pred` of the same shape. Received: {y_true.shape} and {y_pred.shape}"
        )
    if y_true.shape[0] < 2:
        raise ValueError(f"Expected at least 2 samples to correlate. Received: {y_true.shape[0]}")
    return y_true, y_pred


def pearson_r(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Pearson r per task.

    Parameters
    ----------
    y_true, y_pred : array-like
        ``(N,)`` or ``(N, tasks)``.

    Returns
    -------
    np.ndarray
        ``(tasks,)`` float64.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return np.array([scipy.stats.pearsonr(y_true[:, t], y_pred[:, t])[0] for t in range(y_true.shape[1])])


def spearman_r(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Spearman rho per task, ``(tasks,)`` float64 (inputs as in :func:`pearson_r`)."""
    y_true, y_pred = _pair(y_true, y_pred)
    return np.array([scipy.stats.spearmanr(y_true[:, t], y_pred[:, t])[0] for t in range(y_true.shape[1])])


def evaluate_regression(y_true: np.ndarray, y_pred: np.ndarray, task_names: Sequence[str] | None = None) -> dict:
    """MSE, Pearson r and Spearman rho per task.

    Returns
    -------
    dict
        ``{"mse": {task: value}, "pearson_r": {...}, "spearman_r": {...}}``.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    tasks = list(task_names) if task_names is not None else [f"task{t}" for t in range(y_true.shape[1])]
    if len(tasks) != y_true.shape[1]:
        raise ValueError(f"Expected {y_true.shape[1]} task names. Received: task_names={task_names!r}")
    mse = np.mean((y_true - y_pred) ** 2, axis=0)
    return {
        "mse": dict(zip(tasks, mse.tolist())),
        "pearson_r": dict(zip(tasks, pearson_r(y_true, y_pred).tolist())),
        "spearman_r": dict(zip(tasks, spearman_r(y_true, y_pred).tolist())),
    }


class _PerTaskMetric(keras.metrics.Metric):
    """Shared plumbing: one value per task, or the mean over tasks, or one chosen task."""

    def __init__(
        self, num_tasks: int = 1, task: int | None = None, name: str | None = None, dtype: str = "float32"
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        if isinstance(num_tasks, bool) or not isinstance(num_tasks, int) or num_tasks < 1:
            raise ValueError(f"Expected `num_tasks` to be an integer >= 1. Received: num_tasks={num_tasks!r}")
        if task is not None and not (isinstance(task, int) and 0 <= task < num_tasks):
            raise ValueError(f"Expected `task` in [0, {num_tasks}) or None. Received: task={task!r}")
        self.num_tasks = num_tasks
        self.task = task

    def _select(self, per_task):
        return per_task[self.task] if self.task is not None else tf.reduce_mean(per_task)

    def get_config(self):
        return {**super().get_config(), "num_tasks": self.num_tasks, "task": self.task}


@keras.saving.register_keras_serializable(package="evoaug_tf")
class PearsonR(_PerTaskMetric):
    """Pearson r over everything seen since the last reset (exact, streaming).

    Parameters
    ----------
    num_tasks : int
        Number of output columns.
    task : int, optional
        Report this task's r; by default the mean over tasks.
    """

    def __init__(
        self, num_tasks: int = 1, task: int | None = None, name: str = "pearson_r", dtype: str = "float32"
    ) -> None:
        super().__init__(num_tasks=num_tasks, task=task, name=name, dtype=dtype)
        self.sums = {
            key: self.add_variable(shape=(num_tasks,), initializer="zeros", name=key, dtype="float64")
            for key in ("n", "x", "y", "xx", "yy", "xy")
        }

    def update_state(self, y_true: np.ndarray, y_pred: np.ndarray, sample_weight: np.ndarray | None = None) -> None:
        y_true = tf.reshape(tf.cast(y_true, "float64"), [-1, self.num_tasks])
        y_pred = tf.reshape(tf.cast(y_pred, "float64"), [-1, self.num_tasks])
        weight = tf.ones_like(y_true)
        if sample_weight is not None:
            weight = weight * tf.reshape(tf.cast(sample_weight, "float64"), [-1, 1])
        terms = {
            "n": weight,
            "x": weight * y_true,
            "y": weight * y_pred,
            "xx": weight * y_true * y_true,
            "yy": weight * y_pred * y_pred,
            "xy": weight * y_true * y_pred,
        }
        for key, value in terms.items():
            self.sums[key].assign_add(tf.reduce_sum(value, axis=0))

    def result(self) -> Any:
        s = {key: variable.value for key, variable in self.sums.items()}
        n = tf.maximum(s["n"], 1e-12)
        covariance = s["xy"] / n - (s["x"] / n) * (s["y"] / n)
        var_true = tf.maximum(s["xx"] / n - tf.square(s["x"] / n), 0.0)
        var_pred = tf.maximum(s["yy"] / n - tf.square(s["y"] / n), 0.0)
        r = covariance / tf.maximum(tf.sqrt(var_true * var_pred), 1e-12)
        return tf.cast(self._select(r), self.dtype)


def _ranks(values):
    """Ranks ``0 .. N-1`` down the first axis (ties broken by order), float64."""
    order = tf.argsort(values, axis=0, stable=True)
    return tf.cast(tf.argsort(order, axis=0, stable=True), "float64")


@keras.saving.register_keras_serializable(package="evoaug_tf")
class SpearmanR(_PerTaskMetric):
    """Spearman rho computed per batch and averaged over batches (weighted by batch size).

    An approximation of the whole-set rho that streams in fixed memory and runs
    under XLA; for the exact figure use :func:`spearman_r` on ``predict`` output.

    Parameters
    ----------
    num_tasks : int
        Number of output columns.
    task : int, optional
        Report this task's rho; by default the mean over tasks.
    """

    def __init__(
        self, num_tasks: int = 1, task: int | None = None, name: str = "spearman_r", dtype: str = "float32"
    ) -> None:
        super().__init__(num_tasks=num_tasks, task=task, name=name, dtype=dtype)
        self.total = self.add_variable(shape=(num_tasks,), initializer="zeros", name="total", dtype="float64")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count", dtype="float64")

    def update_state(self, y_true: np.ndarray, y_pred: np.ndarray, sample_weight: np.ndarray | None = None) -> None:
        y_true = _ranks(tf.reshape(tf.cast(y_true, "float64"), [-1, self.num_tasks]))
        y_pred = _ranks(tf.reshape(tf.cast(y_pred, "float64"), [-1, self.num_tasks]))
        y_true = y_true - tf.reduce_mean(y_true, axis=0)
        y_pred = y_pred - tf.reduce_mean(y_pred, axis=0)
        denominator = tf.sqrt(tf.reduce_sum(y_true**2, axis=0) * tf.reduce_sum(y_pred**2, axis=0))
        rho = tf.reduce_sum(y_true * y_pred, axis=0) / tf.maximum(denominator, 1e-12)
        size = tf.cast(tf.shape(y_true)[0], "float64")
        self.total.assign_add(rho * size)
        self.count.assign_add(size)

    def result(self) -> Any:
        return tf.cast(self._select(self.total / tf.maximum(self.count, 1.0)), self.dtype)


def task_metrics(task_names: Sequence[str], kinds: Sequence[str] = ("pearson_r", "spearman_r")) -> list:
    """One metric per task and kind, named e.g. ``pearson_r_Dev``, for ``model.compile(metrics=...)``."""
    classes = {"pearson_r": PearsonR, "spearman_r": SpearmanR}
    unknown = [kind for kind in kinds if kind not in classes]
    if unknown:
        raise ValueError(f"Expected kinds among {sorted(classes)}. Received: kinds={tuple(kinds)!r}")
    tasks = list(task_names)
    return [
        classes[kind](num_tasks=len(tasks), task=t, name=f"{kind}_{task}")
        for kind in kinds
        for t, task in enumerate(tasks)
    ]


def _binary_pair(y_true, y_score):
    y_true, y_score = _pair(y_true, y_score)
    if not np.all(np.isin(y_true, (0.0, 1.0))):
        bad = y_true[~np.isin(y_true, (0.0, 1.0))][:3].tolist()
        raise ValueError(f"Expected `y_true` to hold binary labels 0 and 1. Received: y_true with values {bad}")
    if not np.all(np.isfinite(y_score)):
        raise ValueError("Expected finite `y_score`. Received: y_score with NaN or inf entries")
    return y_true, y_score


def auroc(y_true: np.ndarray, y_score: np.ndarray) -> np.ndarray:
    """Area under the ROC curve per task: scikit-learn's ``roc_auc_score``.

    The standard definition: the probability that a random positive scores above a random
    negative, ties counting one half. It depends only on the (label, score) pairs, never on their
    order.

    Parameters
    ----------
    y_true : array-like
        ``(N,)`` or ``(N, tasks)`` binary labels (0/1).
    y_score : array-like
        Scores of the same shape (higher = more likely positive).

    Returns
    -------
    np.ndarray
        ``(tasks,)`` float64; NaN for a task with only one class.
    """
    y_true, y_score = _binary_pair(y_true, y_score)
    result = []
    for t in range(y_true.shape[1]):
        if np.unique(y_true[:, t]).size < 2:
            result.append(np.nan)
            continue
        result.append(float(sklearn.metrics.roc_auc_score(y_true[:, t], y_score[:, t])))
    return np.array(result)


def average_precision(y_true: np.ndarray, y_score: np.ndarray) -> np.ndarray:
    """Area under the precision-recall curve per task: scikit-learn's ``average_precision_score``.

    ``AP = sum_n (R_n - R_{n-1}) P_n`` over the distinct score thresholds, highest first: tied
    scores form one threshold, so the value does not depend on the order of the rows (a hand-written
    running sum over sorted rows does, when scores tie, as saturated sigmoid outputs often do).

    Parameters
    ----------
    y_true : array-like
        ``(N,)`` or ``(N, tasks)`` binary labels (0/1).
    y_score : array-like
        Scores of the same shape.

    Returns
    -------
    np.ndarray
        ``(tasks,)`` float64; NaN for a task without positives.
    """
    y_true, y_score = _binary_pair(y_true, y_score)
    result = []
    for t in range(y_true.shape[1]):
        if not np.any(y_true[:, t] == 1):
            result.append(np.nan)
            continue
        result.append(float(sklearn.metrics.average_precision_score(y_true[:, t], y_score[:, t])))
    return np.array(result)
