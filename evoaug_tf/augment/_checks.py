"""Argument and input validation shared by all augmentations.

Errors follow Keras' wording: what was expected, then ``Received: name=value``.
"""

from __future__ import annotations

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
        raise ValueError(
            f"Expected `{name_min}` <= `{name_max}`. Received: {name_min}={low}, {name_max}={high}"
        )
    return low, high


def check_probability(name: str, value) -> float:
    """Return ``value`` as a float in [0, 1], or raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"Expected `{name}` to be a number in [0, 1]. Received: {name}={value!r}")
    if not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"Expected `{name}` to be in [0, 1]. Received: {name}={value!r}")
    return float(value)


def check_real(name: str, value, minimum: float | None = None) -> float:
    """Return ``value`` as a float (>= ``minimum`` if given), or raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"Expected `{name}` to be a number. Received: {name}={value!r}")
    if minimum is not None and float(value) < minimum:
        raise ValueError(f"Expected `{name}` to be >= {minimum}. Received: {name}={value!r}")
    return float(value)


def check_fits(name: str, size: int, length: int | None, what: str = "the sequence length") -> None:
    """Raise if a stretch of ``size`` does not fit in sequences of ``length`` (when known)."""
    if length is not None and size > length:
        raise ValueError(
            f"Expected `{name}` <= {what} ({length}). Received: {name}={size} for sequences of length {length}"
        )


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
