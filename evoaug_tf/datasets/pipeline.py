"""Feed one-hot arrays to Keras: a ``tf.data`` pipeline that keeps the data uint8 until the batch.

The pipeline shuffles *indices*, not sequences: the arrays stay where they are (no copy into the
graph, no shuffle buffer holding the data set a second time), each batch is gathered from the NumPy
arrays and only then cast to float32. For DeepSTARR that is 0.4 GB of uint8 in memory instead of
1.6 GB of float32, plus one batch.

TensorFlow is imported when a pipeline is built, so reading or downloading data does not pay for it.
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import numpy as np

from evoaug_tf import validation

if TYPE_CHECKING:
    import tensorflow as tf

__all__ = ["downsample_indices", "downsample", "make_dataset"]


def downsample_indices(
    total: int, n_or_fraction: float, seed: int | None = 0, name: str = "n_or_fraction"
) -> np.ndarray:
    """Draw which rows to keep when down-sampling, without replacement, in ascending order.

    Parameters
    ----------
    total : int
        Number of rows N available.
    n_or_fraction : int or float
        An int ``1 <= n <= total`` keeps n rows; a float in ``(0, 1]`` keeps
        ``max(1, round(fraction * total))`` rows.
    seed : int or None
        Seed of ``np.random.default_rng``; the same seed keeps the same rows.
    name : str
        Argument name used in error messages.

    Returns
    -------
    np.ndarray
        ``(n,)`` int64, sorted, distinct, each in ``[0, total)``.
    """
    if not validation.is_real(n_or_fraction):
        raise TypeError(
            f"Expected {name} to be an int (number of sequences) or a float in (0, 1] (fraction). "
            f"Received: {name}={n_or_fraction!r}"
        )
    if isinstance(n_or_fraction, numbers.Integral):
        count = int(n_or_fraction)
        if not 1 <= count <= total:
            raise ValueError(
                f"Expected {name} to be a count between 1 and the number of sequences ({total}). "
                f"Received: {name}={count}"
            )
    else:
        fraction = float(n_or_fraction)
        if not 0.0 < fraction <= 1.0:
            raise ValueError(f"Expected {name} as a fraction to be in (0, 1]. Received: {name}={n_or_fraction!r}")
        count = min(total, max(1, int(round(fraction * total))))
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(total, size=count, replace=False)).astype(np.int64)


def downsample(
    x: np.ndarray, y: np.ndarray | None, n_or_fraction: float, seed: int | None = 0
) -> tuple[np.ndarray, np.ndarray | None]:
    """Keep a random subset of sequences (e.g. 25k of DeepSTARR's 402,278 for the low-data runs).

    Parameters
    ----------
    x : np.ndarray
        ``(N, L, 4)`` one-hot, ACGT, any dtype (uint8 from the loaders).
    y : np.ndarray or None
        ``(N, T)`` labels, float32 from the loaders; None to subset x alone.
    n_or_fraction : int or float
        Number of sequences to keep (int) or fraction in ``(0, 1]`` (float).
    seed : int or None
        Seed of the draw; the same seed keeps the same sequences.

    Returns
    -------
    (np.ndarray, np.ndarray or None)
        ``x[idx]`` ``(n, L, 4)`` and ``y[idx]`` ``(n, T)``, same dtypes, original order kept.
    """
    x = np.asarray(x)
    if y is not None:
        y = np.asarray(y)
        if len(y) != len(x):
            raise ValueError(
                f"Expected x and y to have the same number of rows. Received: x.shape={x.shape}, y.shape={y.shape}"
            )
    index = downsample_indices(len(x), n_or_fraction, seed=seed)
    return x[index], (None if y is None else y[index])


def _check_rows(name, array, rows):
    if array is not None and len(array) != rows:
        raise ValueError(
            f"Expected {name} to have one row per sequence ({rows}). Received: {name}.shape={np.shape(array)}"
        )


def make_dataset(
    x: np.ndarray,
    y: np.ndarray | None = None,
    batch_size: int = 100,
    shuffle: bool = True,
    seed: int | None = None,
    sample_weight: np.ndarray | None = None,
    repeat: bool = False,
    drop_remainder: bool = False,
) -> tf.data.Dataset:
    """Build a ``tf.data.Dataset`` of float32 batches from uint8 one-hot arrays.

    Train with ``model.fit(dataset, shuffle=False, ...)``: the dataset shuffles itself each epoch
    (Keras warns if ``shuffle=True``, its default, is passed with a dataset).

    Parameters
    ----------
    x : np.ndarray
        ``(N, L, 4)`` one-hot, ACGT; uint8 recommended (kept as is in memory, not copied).
    y : np.ndarray or None
        ``(N, T)`` labels (float32 from the loaders). None yields x alone (for ``predict``).
    batch_size : int
        Sequences per batch; the last batch is smaller unless ``drop_remainder``.
    shuffle : bool
        Shuffle the order each epoch (a full, uniform shuffle of the N indices).
    seed : int or None
        Shuffle seed: the same seed gives the same order of epochs for a freshly built dataset.
    sample_weight : np.ndarray or None
        ``(N,)`` weights, yielded as float32 third element.
    repeat : bool
        Repeat forever (pass ``steps_per_epoch`` to ``fit``).
    drop_remainder : bool
        Drop the last incomplete batch.

    Returns
    -------
    tf.data.Dataset
        Elements ``x_batch`` ``(B, L, 4)`` float32, or ``(x_batch, y_batch)`` with ``y_batch``
        ``(B, T)`` in y's dtype cast to float32, or ``(x_batch, y_batch, w_batch)`` with
        ``w_batch`` ``(B,)`` float32.
    """
    import tensorflow as tf

    if not isinstance(x, np.ndarray) or (x.ndim != 3 and x.shape[-1:] != (4,)):  # (L, 4): the x[None] hint below
        raise ValueError(
            "Expected x to be a NumPy array of shape (N, L, 4). "
            f"Received: x={type(x).__name__} with shape {np.shape(x)}"
        )
    x = validation.check_sequences(x, "x", dtype=None)  # shape, at least one row, no NaN (float x)
    if not validation.is_int(batch_size) or batch_size < 1:
        raise ValueError(f"Expected batch_size to be a positive int. Received: batch_size={batch_size!r}")
    rows = len(x)
    if y is not None:
        y = np.asarray(y)
        if y.ndim == 1:
            y = y[:, None]
        _check_rows("y", y, rows)
        y = validation.check_labels(y, "y", dtype=None)  # (N, T), no NaN
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, dtype=np.float32).reshape(-1)
        _check_rows("sample_weight", sample_weight, rows)
        validation.check_finite(sample_weight, "sample_weight")

    arrays = [x] + [a for a in (y, sample_weight) if a is not None]

    def gather(index):
        # Runs in NumPy: rows of the caller's arrays, never a copy of the whole set.
        return tuple(array[index] for array in arrays)

    def to_float(*batch):
        out = []
        for array, tensor in zip(arrays, batch):
            tensor = tf.cast(tensor, tf.float32)
            tensor.set_shape((None,) + array.shape[1:])
            out.append(tensor)
        return out[0] if len(out) == 1 else tuple(out)

    output_types = [tf.as_dtype(array.dtype) for array in arrays]
    dataset = tf.data.Dataset.range(rows)
    if shuffle:
        dataset = dataset.shuffle(rows, seed=seed, reshuffle_each_iteration=True)
    if repeat:
        dataset = dataset.repeat()
    dataset = dataset.batch(int(batch_size), drop_remainder=drop_remainder)
    dataset = dataset.map(
        lambda index: tf.numpy_function(gather, [index], output_types, stateful=False),
        num_parallel_calls=tf.data.AUTOTUNE,
        deterministic=True,
    )
    dataset = dataset.map(to_float, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return dataset.prefetch(tf.data.AUTOTUNE)
