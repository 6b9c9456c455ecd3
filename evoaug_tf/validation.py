"""One place that checks sequences, one-hot encoding, lengths and labels before any work starts.

Every public entry point that takes DNA (models, data, figures, attribution) calls these on the
host (NumPy), before TensorFlow sees the data, so a mistake is reported in the argument's own
name, with the value received and what was expected (Keras' "Expected ... Received: ..." style)::

    x = check_sequences(x, "x")                   # (N, L, 4) float32, finite
    x = check_sequences(x, "x", one_hot=True)     # ... and one-hot (all-zero rows, N, allowed)
    seq = check_sequence(x, "values")             # (L, 4), also accepts (1, L, 4)

The checks on training data inside ``tf.function`` (augmentations) live in
``evoaug_tf.augment._checks``; those only see static shapes.
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING, TypeGuard

import numpy as np

if TYPE_CHECKING:
    from typing import Any

    from numpy.typing import DTypeLike

__all__ = [
    "ALPHABET",
    "ALPHABET_SIZE",
    "to_numpy",
    "shown",
    "check_finite",
    "check_numeric",
    "check_one_hot",
    "check_sequences",
    "check_sequence",
    "check_sequence_or_batch",
    "check_length",
    "check_labels",
    "check_positive_number",
]

#: Order of the one-hot axis everywhere in the package.
ALPHABET = "ACGT"
#: Size of the one-hot axis.
ALPHABET_SIZE = len(ALPHABET)

_MAX_SHOWN = 60  # characters of a value shown in a message
_SCAN_ELEMENTS = 2**22  # entries checked at a time for NaN


def is_int(value: object) -> TypeGuard[int]:
    """Whether ``value`` is an integer (Python or NumPy); ``bool`` is not."""
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def is_real(value: object) -> TypeGuard[float]:
    """Whether ``value`` is a real number (Python or NumPy, NaN and inf included); ``bool`` is not."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def to_numpy(x: np.ndarray) -> np.ndarray:
    """A NumPy view of ``x`` (array, list, ``tf.Tensor`` or ``tf.Variable``), without copying arrays."""
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        return np.asarray(x.numpy())
    return np.asarray(x)


def shown(value: object) -> str:
    """A short ``repr`` for messages: arrays by shape and dtype, long values cut."""
    if isinstance(value, np.ndarray) or hasattr(value, "shape") and hasattr(value, "dtype"):
        return f"array of shape {tuple(value.shape)} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def check_finite(array: np.ndarray, name: str) -> np.ndarray:
    """Raise if a float ``array`` holds NaN or inf (integer arrays cannot, and are not scanned).

    Parameters
    ----------
    array : np.ndarray
        Any shape.
    name : str
        Argument name for the message.
    """
    if array.size == 0 or not (
        np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.complexfloating)
    ):
        return array
    flat = array.reshape(len(array), -1) if array.ndim > 1 else array.reshape(-1, 1)
    step = max(1, _SCAN_ELEMENTS // max(1, flat.shape[1]))
    for start in range(0, len(flat), step):  # in chunks: no full-size boolean copy of a large array
        chunk = flat[start : start + step]
        if np.isfinite(chunk).all():
            continue
        bad = ~np.isfinite(array[start : start + step])
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        index = (index[0] + start, *index[1:])
        kind = "NaN" if np.isnan(array[index]) else "inf"
        raise ValueError(
            f"Expected `{name}` to be finite (no NaN or inf). Received: {name} with {kind} at index {index} "
            f"(shape {array.shape})"
        )
    return array


def check_numeric(array: np.ndarray, name: str) -> np.ndarray:
    """Raise unless ``array`` holds numbers (bool counts as 0/1)."""
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_):
        raise ValueError(f"Expected `{name}` to hold numbers. Received: {name} with dtype {array.dtype}")
    return array


def check_one_hot(array: np.ndarray, name: str) -> np.ndarray:
    """Raise unless every position of ``array`` ``(..., L, 4)`` is 0/1 with at most one 1.

    All-zero positions (an unknown base N) are allowed.
    """
    values = array
    binary = (values == 0) | (values == 1)
    if not binary.all():
        where = np.argwhere(~binary)[0]
        raise ValueError(
            f"Expected `{name}` to be one-hot (0/1 entries, columns {', '.join(ALPHABET)}). Received: value "
            f"{values[tuple(where)]!r} at index {tuple(int(i) for i in where)} of {name} with shape {array.shape}"
        )
    several = values.sum(axis=-1) > 1
    if several.any():
        where = tuple(int(i) for i in np.argwhere(several)[0])
        raise ValueError(
            f"Expected `{name}` to be one-hot (at most one 1 per position). Received: "
            f"{values[where].tolist()} at position {where} of {name} with shape {array.shape}"
        )
    return array


def check_sequences(
    x: np.ndarray,
    name: str = "x",
    *,
    one_hot: bool = False,
    finite: bool = True,
    allow_empty: bool = False,
    length: int | tuple | None = None,
    dtype: DTypeLike | None = np.float32,
) -> np.ndarray:
    """Return ``x`` as a ``(N, L, 4)`` array, or raise ``ValueError`` saying what is wrong.

    Parameters
    ----------
    x : array-like or tf.Tensor
        ``(N, L, 4)`` sequences, columns A, C, G, T. A single ``(L, 4)`` sequence is refused with
        the ``x[None]`` hint.
    name : str
        Argument name for messages.
    one_hot : bool
        Also require one-hot values (0/1, at most one 1 per position).
    finite : bool
        Refuse NaN and inf (float input only: the scan costs one pass over the array).
    allow_empty : bool
        Accept ``N == 0``.
    length : int or tuple of int, optional
        The sequence length(s) accepted.
    dtype : numpy dtype or None
        Convert to this dtype (default float32); None keeps the input's dtype.

    Returns
    -------
    np.ndarray
        ``(N, L, 4)``.
    """
    array = to_numpy(x)
    check_numeric(array, name)
    if array.ndim == 2 and array.shape[-1] == ALPHABET_SIZE:
        raise ValueError(
            f"Expected `{name}` of shape (N, L, 4), a batch of sequences (for one sequence add the batch axis: "
            f"{name}[None]). Received: {name} with shape {array.shape}"
        )
    if array.ndim != 3 or array.shape[-1] != ALPHABET_SIZE:
        raise ValueError(
            f"Expected `{name}` of shape (N, L, 4): one-hot sequences, columns {', '.join(ALPHABET)}. "
            f"Received: {name} with shape {array.shape}"
        )
    _check_size(array, name, allow_empty, batch=True)
    if length is not None:
        check_length(array.shape[1], length, name)
    return _finish(array, name, one_hot, finite, dtype)


def check_sequence(
    x: np.ndarray, name: str = "x", *, one_hot: bool = False, finite: bool = True, dtype: DTypeLike | None = np.float32
) -> np.ndarray:
    """Return one sequence ``(L, 4)`` (``(1, L, 4)`` is accepted too), or raise ``ValueError``.

    Parameters
    ----------
    x : array-like or tf.Tensor
        ``(L, 4)`` or ``(1, L, 4)``, columns A, C, G, T.
    name, one_hot, finite, dtype
        As in :func:`check_sequences`.

    Returns
    -------
    np.ndarray
        ``(L, 4)``.
    """
    array = to_numpy(x)
    check_numeric(array, name)
    if array.ndim == 3 and array.shape[0] == 1:
        array = array[0]
    if array.ndim != 2 or array.shape[-1] != ALPHABET_SIZE:
        raise ValueError(
            f"Expected `{name}` to be one sequence of shape (L, 4), columns {', '.join(ALPHABET)}. "
            f"Received: {name} with shape {to_numpy(x).shape}"
        )
    _check_size(array, name, allow_empty=False, batch=False)
    return _finish(array, name, one_hot, finite, dtype)


def check_sequence_or_batch(x: np.ndarray, name: str = "x", **kwargs: Any) -> np.ndarray:
    """``(L, 4)`` or ``(N, L, 4)`` -> ``(N, L, 4)``; keywords as in :func:`check_sequences`."""
    array = to_numpy(x)
    if array.ndim == 2 and array.shape[-1] == ALPHABET_SIZE:
        array = array[np.newaxis]
        if array.shape[1] == 0:
            raise ValueError(f"Expected `{name}` to hold at least one position. Received: {name} with shape (0, 4)")
    return check_sequences(array, name, **kwargs)


def check_length(length: int | None, expected: int | tuple, name: str = "x", what: str = "") -> None:
    """Raise unless ``length`` is one of ``expected`` (``None``: unknown, accepted).

    Parameters
    ----------
    length : int or None
        The length received.
    expected : int or tuple of int
        The accepted length(s); the first is the one to name.
    name : str
        Argument name for the message.
    what : str
        Why that length, e.g. "the model was built for input_shape=(249, 4)".
    """
    accepted = (int(expected),) if isinstance(expected, (int, np.integer)) else tuple(expected)
    if length is None or length in accepted:
        return
    also = f" (or {', '.join(str(a) for a in accepted[1:])})" if len(accepted) > 1 else ""
    raise ValueError(
        f"Expected `{name}` to hold sequences of length {accepted[0]}{also}{', ' + what if what else ''}. "
        f"Received: {name} with sequences of length {length}"
    )


def check_labels(
    y: np.ndarray,
    name: str = "y",
    *,
    rows: int | None = None,
    tasks: int | None = None,
    finite: bool = True,
    dtype: DTypeLike | None = np.float32,
) -> np.ndarray:
    """Return labels ``y`` as ``(N, T)``, or raise ``ValueError``.

    Parameters
    ----------
    y : array-like
        ``(N,)`` or ``(N, T)``. ``(N,)`` is only accepted when ``tasks`` is None or 1.
    name : str
        Argument name for messages.
    rows : int, optional
        Required ``N`` (the number of sequences).
    tasks : int, optional
        Required ``T`` (the model's outputs).
    finite : bool
        Refuse NaN and inf.
    dtype : numpy dtype or None
        Convert to this dtype; None keeps it.

    Returns
    -------
    np.ndarray
        ``(N, T)``.
    """
    array = to_numpy(y)
    check_numeric(array, name)
    if array.ndim not in (1, 2):
        raise ValueError(f"Expected `{name}` of shape (N,) or (N, tasks). Received: {name} with shape {array.shape}")
    if rows is not None and array.shape[0] != rows:
        raise ValueError(
            f"Expected `{name}` to have one row per sequence ({rows}). Received: {name} with shape {array.shape}"
        )
    if tasks is not None:
        received = 1 if array.ndim == 1 else array.shape[1]
        if received != tasks or (array.ndim == 1 and tasks != 1):
            raise ValueError(
                f"Expected `{name}` of shape (N, {tasks}): one column per model output ({tasks}). "
                f"Received: {name} with shape {array.shape}"
            )
    if array.ndim == 1:
        array = array[:, np.newaxis]
    return _finish(array, name, one_hot=False, finite=finite, dtype=dtype)


def check_positive_number(value: object, name: str) -> float:
    """Return ``value`` as a finite float > 0 (e.g. a learning rate), or raise ``ValueError``."""
    if not is_real(value) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"Expected `{name}` to be a positive finite number. Received: {name}={value!r}")
    return float(value)


def _check_size(array: np.ndarray, name: str, allow_empty: bool, batch: bool) -> None:
    if (batch and array.shape[0] == 0 and not allow_empty) or array.shape[-2] == 0:
        what = "at least one sequence of at least one position" if batch else "at least one position"
        raise ValueError(f"Expected `{name}` to hold {what}. Received: {name} with shape {array.shape}")


def _finish(array: np.ndarray, name: str, one_hot: bool, finite: bool, dtype) -> np.ndarray:
    if finite:
        check_finite(array, name)
    if one_hot:
        check_one_hot(array, name)
    if dtype is not None:
        array = array.astype(dtype, copy=False)
    return array
