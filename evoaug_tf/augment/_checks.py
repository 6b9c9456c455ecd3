"""Argument and input validation shared by all augmentations.

Errors follow Keras' wording: what was expected, then ``Received: name=value``.
"""

from __future__ import annotations

import math
import numbers

import tensorflow as tf


def check_int(name: str, value, minimum: int = 0) -> int:
    """Return ``value`` as an int, or raise if it is not an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"Expected `{name}` to be an integer. Received: {name}={value!r}")
    if value < minimum:
        raise ValueError(f"Expected `{name}` to be >= {minimum}. Received: {name}={value!r}")
    return int(value)


def check_range(name_min: str, value_min, name_max: str, value_max) -> tuple[int, int]:
    """Validate an inclusive integer range ``value_min <= value_max``, both >= 0."""
    low = check_int(name_min, value_min)
    high = check_int(name_max, value_max)
    if low > high:
        raise ValueError(f"Expected `{name_min}` <= `{name_max}`. Received: {name_min}={low}, {name_max}={high}")
    return low, high


def check_probability(name: str, value) -> float:
    """Return ``value`` as a float in [0, 1], or raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"Expected `{name}` to be a number in [0, 1]. Received: {name}={value!r}")
    if not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"Expected `{name}` to be in [0, 1]. Received: {name}={value!r}")
    return float(value)


def check_real(name: str, value, minimum: float | None = None) -> float:
    """Return ``value`` as a finite float (>= ``minimum`` if given), or raise (NaN and inf are refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"Expected `{name}` to be a number. Received: {name}={value!r}")
    if not math.isfinite(float(value)):
        raise ValueError(f"Expected `{name}` to be a finite number. Received: {name}={value!r}")
    if minimum is not None and float(value) < minimum:
        raise ValueError(f"Expected `{name}` to be >= {minimum}. Received: {name}={value!r}")
    return float(value)


def check_fits(name: str, size: int, length: int | None, what: str = "the sequence length") -> None:
    """Raise if a stretch of ``size`` does not fit in sequences of ``length`` (when known)."""
    if length is not None and size > length:
        raise ValueError(
            f"Expected `{name}` <= {what} ({length}). Received: {name}={size} for sequences of length {length}"
        )


def fits_at_run_time(name: str, size: int, length) -> tf.Tensor:
    """``length - size`` (the last valid start), after a run-time check that ``size <= length``.

    For lengths only known when the graph runs (``tf.function`` with an unknown length); the check
    names the argument instead of failing later in the random draw. XLA drops the check.

    Parameters
    ----------
    name : str
        Argument that sets ``size``, e.g. ``"delete_max"``.
    size : int
        Length of the stretch.
    length : int or scalar tf.Tensor
        Sequence length.
    """
    if isinstance(length, int):
        check_fits(name, size, length)
        return length - size
    length = tf.convert_to_tensor(length, tf.int32)
    check = tf.debugging.assert_less_equal(
        tf.constant(size, tf.int32),
        length,
        message=f"Expected `{name}` <= the sequence length. Received: {name}={size} for sequences of length",
    )
    with tf.control_dependencies([check]):
        return tf.identity(length - size)


def check_sequences(x, needs_complement: bool = False) -> tf.Tensor:
    """Convert ``x`` to a tensor and check it is a ``(N, L, A)`` batch.

    Parameters
    ----------
    x : array-like
        ``(N, L, A)`` batch of one-hot sequences.
    needs_complement : bool
        Require ``A == 4`` (ACGT order, complement = reverse the last axis).
    """
    x = tf.convert_to_tensor(x)
    if not (x.dtype.is_floating or x.dtype.is_integer or x.dtype == tf.bool):
        raise ValueError(
            "Expected `x` to be numeric one-hot sequences (a float, int or bool dtype). "
            f"Received: x with dtype {x.dtype.name}"
        )
    if x.shape.rank != 3:
        raise ValueError(
            "Expected `x` to be a batch of one-hot sequences of shape (batch, length, alphabet). "
            f"Received: x with shape {tuple(x.shape)} (rank {x.shape.rank})"
        )
    if needs_complement and x.shape[-1] is not None and x.shape[-1] != 4:
        raise ValueError(
            "Expected `x` to have an alphabet axis of size 4 (A, C, G, T) to take complements. "
            f"Received: x with shape {tuple(x.shape)}"
        )
    return x
