"""Gradient correction (Majdandzic, Rajesh & Koo, Genome Biology 2023) and the maps people look at.

One-hot inputs live on a simplex: every position holds exactly one nucleotide, so the rows of any
real input sum to 1. A gradient has a component orthogonal to that simplex (the same change added
to all four nucleotides of a position) that the model never sees in data; it is arbitrary, often
large, and shows up as off-simplex noise in saliency maps. Removing it is one subtraction: the
mean over the four nucleotides at each position. The corrected map sums to zero at every
position and, for gradients, differs from the raw map only by that noise.

For path methods whose reference rows also sum to 1 (a one-hot background, a shuffled or a
uniform 0.25 baseline), ``x - reference`` already lies in the simplex, so the per-position sums of
the attribution are unaffected by the correction; with the all-zero baseline they are not, and the
corrected version is ``x * correct_gradients(mean_gradient)``
(``integrated_gradients(..., multiply_by_inputs=False)`` gives ``mean_gradient``).
"""

from __future__ import annotations

import numpy as np

from evoaug_tf import validation

__all__ = ["MAP_KINDS", "correct_gradients", "attribution_map"]

#: Kinds of map :func:`attribution_map` draws.
MAP_KINDS = ("raw", "corrected", "grad_x_input", "corrected_x_input")


def _as_map(values, name: str) -> np.ndarray:
    array = validation.to_numpy(values)
    if array.ndim < 2 or array.shape[-1] != validation.ALPHABET_SIZE or 0 in array.shape:
        raise ValueError(
            f"Expected `{name}` of shape (..., L, 4) with columns A, C, G, T, not empty. "
            f"Received: {name} with shape {array.shape}"
        )
    return validation.check_numeric(array, name).astype(np.float32, copy=False)


def correct_gradients(attr: np.ndarray) -> np.ndarray:
    """Subtract the per-position mean over the four nucleotides (gradient correction).

    Parameters
    ----------
    attr : array-like
        ``(N, L, 4)`` (or ``(L, 4)``) gradients or attribution map, columns A, C, G, T.

    Returns
    -------
    np.ndarray
        Same shape, float32; every position sums to zero over the last axis.
    """
    attr = _as_map(attr, "attr")
    return attr - attr.mean(axis=-1, keepdims=True)


def attribution_map(attr: np.ndarray, x: np.ndarray | None = None, kind: str = "corrected_x_input") -> np.ndarray:
    """The view of an attribution map to plot or score.

    Parameters
    ----------
    attr : array-like
        ``(N, L, 4)`` (or ``(L, 4)``) gradients or attributions.
    x : array-like, optional
        One-hot sequences of the same shape; needed for the ``*_x_input`` kinds.
    kind : {"raw", "corrected", "grad_x_input", "corrected_x_input"}
        "raw": ``attr`` as is. "corrected": :func:`correct_gradients` (all four nucleotides,
        each position sums to 0). "grad_x_input": ``attr * x``, only the observed nucleotide.
        "corrected_x_input" (default): ``correct_gradients(attr) * x``, the observed
        nucleotide's corrected score - what a sequence logo of a saliency map usually shows.

    Returns
    -------
    np.ndarray
        Same shape as ``attr``, float32.
    """
    if kind not in MAP_KINDS:
        raise ValueError(f"Expected `kind` to be one of {MAP_KINDS}. Received: kind={kind!r}")
    attr = _as_map(attr, "attr")
    values = correct_gradients(attr) if kind in ("corrected", "corrected_x_input") else attr
    if kind in ("raw", "corrected"):
        return values
    if x is None:
        raise ValueError(f"Expected one-hot `x` for kind={kind!r}. Received: x=None")
    x = validation.check_one_hot(_as_map(x, "x"), "x")
    if x.shape != attr.shape:
        raise ValueError(f"Expected `x` of the shape of attr {attr.shape}. Received: x with shape {x.shape}")
    return values * x
