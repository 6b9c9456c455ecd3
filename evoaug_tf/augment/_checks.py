"""Argument and input validation shared by all augmentations.

Errors follow Keras' wording: what was expected, then ``Received: name=value``.
"""

from __future__ import annotations

import dataclasses
import math
import numbers

import tensorflow as tf

#: How :class:`Interval` describes each kind of number in messages.
_KIND_WORDS = {"int": "an integer", "float": "a number"}
#: Which ends of an interval belong to it, per ``closed`` value: (low end, high end).
_CLOSED_ENDS = {"both": (True, True), "left": (True, False), "right": (False, True), "neither": (False, False)}


@dataclasses.dataclass(frozen=True)
class Interval:
    """The values a numeric argument accepts: its kind and its bounds, declared once.

    An augmentation's :class:`~evoaug_tf.augment.Parameter` carries one; the constructor checks
    against it (:meth:`check`), the explorer's sliders and the bad-parameter tests read it.
    Modelled on scikit-learn's ``Interval`` constraint, with the project's wording.

    Parameters
    ----------
    kind : {"int", "float"}
        ``"int"``: an integer (``bool`` refused); ``"float"``: a real number (``bool`` refused, NaN never
        inside; without an upper and a lower bound, infinities are refused as well).
    low, high : int or float, optional
        Bounds; None leaves that side open.
    closed : {"both", "left", "right", "neither"}
        Which bounds are themselves allowed.

    Examples
    --------
    >>> Interval("int", 0).describe()
    'an integer >= 0'
    >>> Interval("float", 0, 1).describe()
    'a number in [0, 1]'
    """

    kind: str
    low: float | None = None
    high: float | None = None
    closed: str = "both"

    def __post_init__(self) -> None:
        if self.kind not in _KIND_WORDS:
            raise ValueError(f"Expected `kind` to be 'int' or 'float'. Received: kind={self.kind!r}")
        if self.closed not in _CLOSED_ENDS:
            raise ValueError(f"Expected `closed` to be one of {list(_CLOSED_ENDS)}. Received: closed={self.closed!r}")
        if self.low is not None and self.high is not None and not self.low <= self.high:
            raise ValueError(f"Expected `low` <= `high`. Received: low={self.low!r}, high={self.high!r}")

    def describe(self) -> str:
        """What the interval accepts, in words: ``'an integer >= 0'``, ``'a number in [0, 1]'``."""
        low_in, high_in = _CLOSED_ENDS[self.closed]
        words = _KIND_WORDS[self.kind]
        if self.low is not None and self.high is not None:
            return f"{words} in {'[' if low_in else '('}{self.low:g}, {self.high:g}{']' if high_in else ')'}"
        if self.kind == "float":
            words = f"a finite {words[2:]}"
        if self.low is not None:
            return f"{words} {'>=' if low_in else '>'} {self.low:g}"
        if self.high is not None:
            return f"{words} {'<=' if high_in else '<'} {self.high:g}"
        return words

    def __contains__(self, value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral if self.kind == "int" else numbers.Real):
            return False
        number = int(value) if self.kind == "int" else float(value)  # type: ignore[call-overload, arg-type]
        if isinstance(number, float) and not math.isfinite(number):  # NaN is in no interval; nor are infinities
            return False
        low_in, high_in = _CLOSED_ENDS[self.closed]
        if self.low is not None and not (number >= self.low if low_in else number > self.low):
            return False
        return self.high is None or (number <= self.high if high_in else number < self.high)

    def check(self, name: str, value: object) -> int | float:
        """``value`` as an int or float, or ``ValueError``: ``Expected `name` to be <describe()>. Received: ...``."""
        if value not in self:
            raise ValueError(f"Expected `{name}` to be {self.describe()}. Received: {name}={value!r}")
        return int(value) if self.kind == "int" else float(value)  # type: ignore[call-overload, arg-type]


def check_int(name: str, value: object, minimum: int = 0) -> int:
    """Return ``value`` as an int, or raise if it is not an integer >= ``minimum``."""
    return int(Interval("int", minimum).check(name, value))


def check_order(name_min: str, value_min: float, name_max: str, value_max: float) -> None:
    """Raise unless ``value_min <= value_max`` (the two ends of an inclusive range)."""
    if value_min > value_max:
        raise ValueError(
            f"Expected `{name_min}` <= `{name_max}`. Received: {name_min}={value_min!r}, {name_max}={value_max!r}"
        )


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
