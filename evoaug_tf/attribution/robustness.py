"""Translational robustness of attribution maps (the EvoAug-TF paper, Fig. 1i).

A motif means the same thing a few bases to the left or right. Shift the input, explain it, shift
the explanation back: a model that learned motifs gives nearly the same map every time, one that
leans on absolute positions does not. The variation score is the root-mean-squared deviation of
the realigned, gradient-corrected maps around their mean: absolute, as in the paper (Fig. 1i's axis
spans 0.05-0.25), or relative to the mean map's size with ``normalize=True``.

A :class:`~evoaug_tf.evoaug.RobustModel` with insertions pads its input with random DNA. The shifted
copies of one sequence must all get the same padding, or the EvoAug arm alone gets variation that has
nothing to do with the shift: :func:`translational_robustness` draws one padding per sequence and gives it
to all its copies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from evoaug_tf.attribution.correction import correct_gradients
from evoaug_tf.attribution.gradients import (
    METHODS,
    _baseline,
    _Target,
    attribute,
    check_positive_int,
    check_sequences,
    integrated_gradients,
)
from evoaug_tf.validation import is_int

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    import keras

__all__ = [
    "Robustness",
    "corrected_attribution",
    "roll_sequences",
    "shared_padding",
    "variation_score",
    "translational_robustness",
]


class Robustness(NamedTuple):
    """Result of :func:`translational_robustness` with ``return_maps=True``."""

    variation: np.ndarray
    """``(N,)`` float64 variation score per sequence (lower = more robust)."""
    maps: np.ndarray
    """``(N, repeats, L, 4)`` float32 corrected maps, realigned to the unshifted sequence."""
    shifts: np.ndarray
    """``(N, repeats)`` int shifts applied (positive = towards the end, circular)."""


def corrected_attribution(
    model: keras.Model, x: np.ndarray, method: str = "saliency", task: int = 0, **method_kwargs: Any
) -> np.ndarray:
    """A gradient-corrected attribution map, the correction applied to the gradient.

    Gradient correction (Majdandzic et al., Genome Biology 2023) removes the component of a
    *gradient* orthogonal to the one-hot simplex. For a method that multiplies a gradient by the
    input, the correction belongs before the multiplication:

    * ``"saliency"``: ``correct(grad)``;
    * ``"integrated_gradients"``: ``(x - b) * correct(mean path gradient)``; with the default
      all-zero baseline ``x * correct(mean gradient)``. (Correcting ``x * mean gradient``
      instead would only rescale the raw IG: the product is non-zero on the observed base alone.)
    * ``"expected_gradients"``, ``"deep_shap"`` and functions: the reference changes from draw to
      draw inside the expectation, so the average gradient cannot be pulled out; their
      attribution is corrected as it is.

    Parameters
    ----------
    model : keras.Model or RobustModel
        Maps ``(N, L, 4)`` to ``(N,)`` or ``(N, tasks)``.
    x : array-like
        ``(N, L, 4)`` one-hot sequences.
    method : str or callable
        One of ``"saliency"``, ``"integrated_gradients"``, ``"expected_gradients"``,
        ``"deep_shap"``, or ``method(model, x, task=..., **method_kwargs) -> (N, L, 4)``.
    task : int
        Output column to explain.
    **method_kwargs
        Passed to the method (``baseline=``, ``steps=``, ``background=``, ``seed=``, ...).

    Returns
    -------
    np.ndarray
        ``(N, L, 4)`` float32.
    """
    if not callable(method) and method not in METHODS:
        raise ValueError(f"Expected `method` to be one of {METHODS} or a function. Received: method={method!r}")
    if method == "integrated_gradients":
        x = check_sequences(x)
        kwargs = dict(method_kwargs)
        kwargs.pop("multiply_by_inputs", None)
        reference = _baseline(kwargs.pop("baseline", None), x, np.random.default_rng(kwargs.get("seed", 0)))
        gradient = integrated_gradients(model, x, task=task, baseline=reference, multiply_by_inputs=False, **kwargs)
        return ((x - reference) * correct_gradients(gradient)).astype(np.float32)
    return correct_gradients(attribute(model, x, method=method, task=task, **method_kwargs))


def roll_sequences(x: np.ndarray, shifts: np.ndarray | Sequence[int]) -> np.ndarray:
    """Roll each sequence circularly by its own shift, ``np.roll`` along the length per row.

    Parameters
    ----------
    x : np.ndarray
        ``(N, L, ...)``.
    shifts : array-like
        ``(N,)`` ints; ``out[n, l] = x[n, (l - shifts[n]) mod L]``.

    Returns
    -------
    np.ndarray
        ``(N, L, ...)``, one gather.
    """
    x = np.asarray(x)
    length = x.shape[1]
    index = (np.arange(length)[np.newaxis, :] - np.asarray(shifts)[:, np.newaxis]) % length
    index = index.reshape(index.shape + (1,) * (x.ndim - 2))
    return np.take_along_axis(x, index, axis=1)


def variation_score(maps: np.ndarray, normalize: bool = False) -> np.ndarray:
    """Root-mean-squared deviation of aligned maps around their mean map.

    Parameters
    ----------
    maps : array-like
        ``(N, R, L, 4)``: ``R`` maps of each sequence, aligned to the same coordinates.
    normalize : bool
        Divide by the root-mean-square of the mean map, so the score is relative (a coefficient
        of variation) and models with differently scaled attributions compare on equal terms.

    Returns
    -------
    np.ndarray
        ``(N,)`` float64, ``sqrt(mean_{r, l, c} (maps[n, r, l, c] - mean_r maps[n, r, l, c])**2)``.
    """
    maps = np.asarray(maps, dtype=np.float64)
    if maps.ndim != 4:
        raise ValueError(f"Expected `maps` of shape (N, repeats, L, 4). Received: maps with shape {maps.shape}")
    mean = maps.mean(axis=1, keepdims=True)
    score = np.sqrt(np.mean((maps - mean) ** 2, axis=(1, 2, 3)))
    if normalize:
        scale = np.sqrt(np.mean(mean[:, 0] ** 2, axis=(1, 2)))
        score = np.divide(score, scale, out=np.full_like(score, np.nan), where=scale > 0)
    return score


def translational_robustness(
    model: keras.Model,
    x: np.ndarray,
    task: int = 0,
    method: str = "saliency",
    max_shift: int = 30,
    repeats: int = 20,
    seed: int = 0,
    normalize: bool = False,
    batch_size: int = 128,
    progress: bool = False,
    return_maps: bool = False,
    **method_kwargs: Any,
) -> np.ndarray | Robustness:
    """Variation of corrected attribution maps under random circular shifts of the input.

    For every sequence, ``repeats`` shifts ``s ~ U{-max_shift .. max_shift}`` are drawn; the
    rolled sequence is explained (``method``) with the gradient correction applied to the
    gradient (:func:`corrected_attribution`: for Integrated Gradients ``x * correct(mean
    gradient)``, not ``correct(x * mean gradient)``), and the map is rolled back by
    ``-s``; the variation score is the RMS deviation of the ``repeats`` realigned maps
    (:func:`variation_score`). All ``N * repeats`` rolled sequences go through the attribution
    method together, in batches of ``batch_size``.

    The score is absolute by default, as in the paper (Yu, Muthukumar & Koo 2024, Fig. 1i, whose axis
    spans 0.05-0.25): it grows with the size of the maps, so two models whose attributions differ in
    scale differ in it for that reason too. ``normalize=True`` divides by the root-mean-square of the
    mean map (a coefficient of variation), an option of ours.

    For a RobustModel with insertions, one random padding is drawn per sequence (from ``seed``) and
    shared by all its ``repeats`` shifted copies (the padding is not rolled: it sits outside the
    ``L`` positions), so the copies differ only by the shift. With ``"deep_shap"`` every row
    shares one padding anyway; a callable ``method`` pads as it likes.

    Parameters
    ----------
    model : keras.Model or RobustModel
        Maps ``(N, L, 4)`` to ``(N,)`` or ``(N, tasks)``.
    x : array-like
        ``(N, L, 4)`` one-hot sequences.
    task : int
        Output column to explain.
    method : str or callable
        One of ``"saliency"``, ``"integrated_gradients"``, ``"expected_gradients"``,
        ``"deep_shap"``, or ``method(model, x, task=..., **method_kwargs) -> (N, L, 4)``.
    max_shift : int
        Largest shift either way (the paper: 30).
    repeats : int
        Shifts per sequence (the paper: 20).
    seed : int
        Seed of the shifts (and of the method's own draws).
    normalize : bool
        False (default): the absolute score, as in the paper. True: relative to the mean map's
        root-mean-square (see :func:`variation_score`).
    batch_size : int
        Sequences per attribution call.
    progress : bool
        Show a tqdm bar over batches.
    return_maps : bool
        Also return the realigned maps and the shifts.
    **method_kwargs
        Passed to the method, e.g. ``steps=`` or ``background=``.

    Returns
    -------
    np.ndarray or Robustness
        ``(N,)`` variation scores, or ``Robustness(variation, maps, shifts)`` with ``return_maps``.
    """
    x = check_sequences(x)
    length = x.shape[1]
    if not is_int(max_shift) or not 0 <= max_shift < length:
        raise ValueError(f"Expected `max_shift` to be an integer in [0, {length}). Received: max_shift={max_shift!r}")
    repeats = check_positive_int("repeats", repeats)
    if not callable(method) and method not in METHODS:
        raise ValueError(f"Expected `method` to be one of {METHODS} or a function. Received: method={method!r}")
    rng = np.random.default_rng(seed)
    shifts = rng.integers(-max_shift, max_shift + 1, size=(len(x), repeats))
    flat_shifts = shifts.reshape(-1)
    rolled = roll_sequences(np.repeat(x, repeats, axis=0), flat_shifts)  # rows n * repeats + r
    if not callable(method):
        method_kwargs = {"batch_size": batch_size, "progress": progress, "seed": seed, **method_kwargs}
        if method != "deep_shap" and "padding" not in method_kwargs:
            method_kwargs["padding"] = shared_padding(model, x, repeats, task, seed)
    maps = corrected_attribution(model, rolled, method=method, task=task, **method_kwargs)
    maps = roll_sequences(maps, -flat_shifts).reshape(len(x), repeats, length, 4)
    variation = variation_score(maps, normalize=normalize)
    return Robustness(variation, maps, shifts) if return_maps else variation


def shared_padding(
    model: keras.Model, x: np.ndarray, repeats: int, task: int = 0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray] | None:
    """One random padding per sequence, repeated for its ``repeats`` copies (rows ``n * repeats + r``).

    Parameters
    ----------
    model : keras.Model or RobustModel
        A RobustModel with insertions pads ``insert_max`` positions; other models pad none.
    x : array-like
        ``(N, L, 4)`` one-hot sequences.
    repeats : int
        Copies of each sequence.
    task : int
        Output column (checked against the model).
    seed : int
        Seed of the draw.

    Returns
    -------
    (np.ndarray, np.ndarray) or None
        ``left (N * repeats, insert_max // 2, 4)`` and ``right (N * repeats, insert_max - insert_max // 2, 4)``
        one-hot float32, identical within each block of ``repeats`` rows; None when the model pads nothing.
    """
    x = check_sequences(x)
    repeats = check_positive_int("repeats", repeats)
    target = _Target(model, x, task, seed)
    if not target.extra:
        return None
    left, right = target.flanks(len(x), np.random.default_rng([seed, 1]))
    return np.repeat(left, repeats, axis=0), np.repeat(right, repeats, axis=0)
