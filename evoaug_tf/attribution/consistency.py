"""Attribution consistency, "k-attr-mean" (after Majdandzic, Rajesh & Koo, MLCB 2022).

A model that has learned motifs gives a motif the same importance wherever and whenever it occurs;
a model that fits noise scatters importance over whatever k-mers happen to be there. The score
embeds every window of ``k`` positions by its k-mer and its mean attribution, pools the
attribution mass of each k-mer over the whole set, and measures with a KL divergence how far
that distribution is from the uninformative prior in which attribution ignores the sequence
(mass in proportion to how often a k-mer occurs). Recurring patterns that consistently get the
same attribution pull the distribution away from the prior: higher = more consistent.

This is our formulation from the method's published description (attribution scores embedded
locally, KL divergence against an uninformative prior); it is not the authors' code. The exact
definition is in :func:`attribution_consistency`.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np

from evoaug_tf.attribution.correction import attribution_map
from evoaug_tf.attribution.gradients import check_sequences


class Consistency(NamedTuple):
    """Result of :func:`attribution_consistency` (unpacks as ``per_sequence, score``)."""

    per_sequence: np.ndarray
    """``(N,)`` float64: each sequence's contribution (NaN for a sequence with no attribution)."""
    score: float
    """The set-level score, the mass-weighted mean of ``per_sequence`` (= KL(P || q) with pseudocount 0)."""


def kmer_ids(x, k: int, canonical: bool = True) -> np.ndarray:
    """Integer code of the k-mer starting at every position.

    Parameters
    ----------
    x : array-like
        ``(N, L, 4)`` one-hot sequences (the argmax is taken per position).
    k : int
        k-mer length, ``1 <= k <= min(L, 16)``.
    canonical : bool
        Code a k-mer and its reverse complement alike (the smaller of the two codes).

    Returns
    -------
    np.ndarray
        ``(N, L - k + 1)`` int64, base-4 codes with A=0, C=1, G=2, T=3, first base most significant.
    """
    bases = np.argmax(np.asarray(x), axis=-1).astype(np.int64)
    windows = np.lib.stride_tricks.sliding_window_view(bases, k, axis=1)  # (N, W, k)
    powers = 4 ** np.arange(k - 1, -1, -1, dtype=np.int64)
    codes = windows @ powers
    if canonical:
        reverse_complement = (3 - windows[..., ::-1]) @ powers
        codes = np.minimum(codes, reverse_complement)
    return codes


def attribution_consistency(attr, x, k: int = 6, correct: bool = True, canonical: bool = True,
                            pseudocount: float = 1.0) -> Consistency:
    """k-attr-mean: KL divergence of k-mer attribution mass against an uninformative prior.

    Definition (for ``N`` sequences of length ``L``, windows ``l = 0 .. L - k``):

    1. Observed-nucleotide score ``s[n, l] = sum_c A[n, l, c] x[n, l, c]``, with ``A`` the
       gradient-corrected map (``correct=True``; :func:`correct_gradients`) or ``attr`` as given.
    2. Local embedding: window ``(n, l)`` gets its k-mer ``w[n, l]`` (canonical: strand-merged) and
       its mean attribution ``e[n, l] = mean(s[n, l : l + k])``; its attribution mass is
       ``m[n, l] = |e[n, l]|``.
    3. Pool over the set: ``M_w = sum of m over windows with k-mer w``, ``c_w`` = number of those
       windows, ``M = sum_w M_w``, ``C = sum_w c_w``, ``mbar = M / C``.
    4. Empirical distribution ``P(w) ∝ M_w + a mbar`` and uninformative prior
       ``q(w) ∝ c_w + a`` (``a = pseudocount``; the prior says attribution does not depend on
       the sequence, so each k-mer gets mass in proportion to how often it occurs). The
       pseudocount shrinks rare k-mers towards the prior, so that noise in a k-mer seen once or
       twice does not look like a pattern; k-mers never seen add nothing.
    5. Per-sequence score ``score_n = sum_l (m[n, l] / M_n) log(P(w[n, l]) / q(w[n, l]))`` with
       ``M_n = sum_l m[n, l]``: how much of sequence ``n``'s attribution falls on k-mers that the
       model attributes consistently across the set (about 0 for noise; it can be negative).
    6. Set-level score ``sum_n (M_n / M) score_n = sum_w (M_w / M) log(P(w) / q(w))``, which equals
       ``KL(P || q)`` when ``pseudocount = 0``.

    Scores are in nats and are invariant to the scale of ``attr``; they depend on ``k``, on the
    set (the pooled distribution) and on its size, so compare models on the same sequences.

    Parameters
    ----------
    attr : array-like
        ``(N, L, 4)`` attribution maps (e.g. saliency), columns A, C, G, T.
    x : array-like
        ``(N, L, 4)`` one-hot sequences they explain.
    k : int
        Window (k-mer) length, ``1 <= k <= min(L, 16)``; 6 suits motifs of 6-12 nt.
    correct : bool
        Apply the gradient correction before taking the observed-nucleotide scores.
    canonical : bool
        Merge each k-mer with its reverse complement.
    pseudocount : float
        ``a >= 0`` above.

    Returns
    -------
    Consistency
        ``(per_sequence (N,) float64, score float)``.
    """
    x = check_sequences(x)
    attr = check_sequences(attr, "attr")
    if attr.shape != x.shape:
        raise ValueError(f"Expected `attr` of the shape of x {x.shape}. Received: attr with shape {attr.shape}")
    length = x.shape[1]
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= k <= min(length, 16):
        raise ValueError(f"Expected `k` to be an integer in [1, {min(length, 16)}]. Received: k={k!r}")
    if isinstance(pseudocount, bool) or not isinstance(pseudocount, numbers.Real) or pseudocount < 0:
        raise ValueError(f"Expected `pseudocount` to be a number >= 0. Received: pseudocount={pseudocount!r}")
    observed = attribution_map(attr, x, "corrected_x_input" if correct else "grad_x_input").sum(-1)
    windows = np.lib.stride_tricks.sliding_window_view(observed.astype(np.float64), k, axis=1)
    mass = np.abs(windows.mean(-1))  # (N, W)
    codes = kmer_ids(x, k, canonical)
    unique, inverse = np.unique(codes.ravel(), return_inverse=True)
    counts = np.bincount(inverse, minlength=unique.size).astype(np.float64)
    masses = np.bincount(inverse, weights=mass.ravel(), minlength=unique.size)
    total = masses.sum()
    per_sequence_mass = mass.sum(axis=1)
    if total <= 0:
        return Consistency(np.full(len(x), np.nan), float("nan"))
    mean_mass = total / counts.sum()
    log_ratio = np.log((masses + pseudocount * mean_mass) / ((counts + pseudocount) * mean_mass))
    weighted = (mass * log_ratio[inverse.reshape(codes.shape)]).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_sequence = np.where(per_sequence_mass > 0, weighted / per_sequence_mass, np.nan)
    return Consistency(per_sequence, float(weighted.sum() / total))
