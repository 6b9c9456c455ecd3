"""Does the attribution map point at the planted motifs? AUROC against the ground truth.

With synthetic data (:func:`evoaug_tf.datasets.make_synthetic_deepstarr`) we know where every
motif sits (``motif_mask``). Rank the positions of a sequence by their importance: the AUROC is
the probability that a random motif position outranks a random background position (1 = motifs
first, 0.5 = no better than chance).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.stats

from evoaug_tf.attribution.correction import attribution_map
from evoaug_tf.attribution.gradients import check_sequences

__all__ = ["MotifRecovery", "position_importance", "motif_recovery_auroc"]


class MotifRecovery(NamedTuple):
    """Result of :func:`motif_recovery_auroc` (unpacks as ``per_sequence, pooled``)."""

    per_sequence: np.ndarray
    """``(N,)`` float64 AUROC per sequence; NaN where the mask is all True or all False."""
    pooled: float
    """AUROC over all positions of all sequences together."""


def position_importance(attr: np.ndarray, x: np.ndarray | None = None, correct: bool = True) -> np.ndarray:
    """One importance value per position.

    Parameters
    ----------
    attr : array-like
        ``(N, L, 4)`` attribution map, or ``(N, L)`` importances (returned as they are). With
        ``correct=True`` it should be a gradient (saliency, or the mean gradient of a path
        method): the correction applies to gradients. For Integrated Gradients pass
        :func:`~evoaug_tf.attribution.corrected_attribution` output with ``correct=False``.
    x : array-like, optional
        ``(N, L, 4)`` one-hot sequences. Given: ``|sum_c A[n, l, c] x[n, l, c]|``, the magnitude of
        the observed nucleotide's (corrected) attribution. None: ``max_c |A[n, l, c]|``.
    correct : bool
        Use the gradient-corrected map ``A`` (:func:`correct_gradients`) instead of ``attr``.

    Returns
    -------
    np.ndarray
        ``(N, L)`` float64.
    """
    attr = np.asarray(attr, dtype=np.float64)
    if attr.ndim == 2:
        return attr
    attr = check_sequences(attr, "attr").astype(np.float64)
    if x is None:
        values = attribution_map(attr, kind="corrected" if correct else "raw")
        return np.abs(values).max(axis=-1).astype(np.float64)
    x = check_sequences(x)
    values = attribution_map(attr, x, kind="corrected_x_input" if correct else "grad_x_input")
    return np.abs(values.sum(axis=-1)).astype(np.float64)


def _auroc_rows(scores: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """AUROC of each row (Mann-Whitney U from average ranks, ties count one half)."""
    ranks = scipy.stats.rankdata(scores, axis=1)
    positives = labels.sum(axis=1)
    negatives = labels.shape[1] - positives
    rank_sum = np.where(labels, ranks, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        auroc = (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives)
    return np.where((positives > 0) & (negatives > 0), auroc, np.nan)


def motif_recovery_auroc(
    attr: np.ndarray, mask: np.ndarray, x: np.ndarray | None = None, correct: bool = True
) -> MotifRecovery:
    """AUROC of per-position importance against the ground-truth motif positions.

    Parameters
    ----------
    attr : array-like
        ``(N, L, 4)`` attribution map or ``(N, L)`` per-position importance
        (see :func:`position_importance`).
    mask : array-like
        ``(N, L)`` bool, True on planted motif positions (``data.motif_mask[split]``).
    x : array-like, optional
        ``(N, L, 4)`` one-hot sequences: score the observed nucleotide's attribution.
    correct : bool
        Gradient-correct an ``(N, L, 4)`` map first.

    Returns
    -------
    MotifRecovery
        ``(per_sequence (N,) float64, pooled float)``.
    """
    importance = position_importance(attr, x, correct)
    mask = np.asarray(mask)
    if mask.ndim != 2 or mask.shape != importance.shape:
        raise ValueError(
            f"Expected `mask` of shape (N, L) = {importance.shape}, matching attr. "
            f"Received: mask with shape {mask.shape}"
        )
    if not np.all(np.isfinite(importance)):
        raise ValueError("Expected finite attributions. Received: attr with NaN or inf entries")
    labels = mask.astype(bool)
    per_sequence = _auroc_rows(importance, labels)
    pooled = _auroc_rows(importance.reshape(1, -1), labels.reshape(1, -1))[0]
    return MotifRecovery(per_sequence, float(pooled))
