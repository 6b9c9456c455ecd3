"""Attribution consistency: the authors' KLD statistic and our k-mer statistic.

:func:`kld_consistency` ("k-attr-mean" KLD; Majdandzic, Rajesh & Koo, MLCB 2022, as the
EvoAug-TF analysis computes it for Fig. 1h): one value per model and task, from the geometry of the
attribution maps alone (it never looks at the sequence). A model that has learned motifs puts its
large attribution vectors in a few directions, so their angle histogram is peaked: higher = more
consistent. :func:`compare_arms` tests two training arms across models (models are the replicates,
not sequences).

:func:`kmer_consistency` is a different statistic of our own (k-mer attribution mass against an
uninformative prior; it does look at the sequence). Earlier releases called it
``attribution_consistency`` and presented it as the paper's k-attr-mean; it is not. On toy maps the
two order things differently (see the tests), so say which one you report.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import scipy.stats

from evoaug_tf.attribution.correction import attribution_map
from evoaug_tf.attribution.gradients import check_sequences
from evoaug_tf.validation import is_int, is_real

if TYPE_CHECKING:
    from typing import Any


__all__ = [
    "Consistency",
    "kmer_ids",
    "kmer_consistency",
    "attribution_consistency",
    "PROJECTIONS",
    "PRIOR_OFFSETS",
    "ANGLE_LIMIT",
    "project_windows",
    "spherical_angles",
    "angle_histogram",
    "local_kl",
    "kld_consistency",
    "ArmComparison",
    "mann_whitney_floor",
    "compare_arms",
    "KLDBaselines",
    "gaussian_maps",
    "shuffle_positions",
    "kld_noise_floor",
    "kld_shuffled",
    "kld_with_baselines",
]


class Consistency(NamedTuple):
    """Result of :func:`kmer_consistency` (unpacks as ``per_sequence, score``)."""

    per_sequence: np.ndarray
    """``(N,)`` float64: each sequence's contribution (NaN for a sequence with no attribution)."""
    score: float
    """The set-level score, the mass-weighted mean of ``per_sequence`` (= KL(P || q) with pseudocount 0)."""


def kmer_ids(x: np.ndarray, k: int, canonical: bool = True) -> np.ndarray:
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


def kmer_consistency(
    attr: np.ndarray, x: np.ndarray, k: int = 6, correct: bool = True, canonical: bool = True, pseudocount: float = 1.0
) -> Consistency:
    """k-mer consistency (ours): KL divergence of k-mer attribution mass against an uninformative prior.

    Not the paper's statistic (that is :func:`kld_consistency`): this one asks whether the same
    k-mers get the same attribution across the set, so it needs the sequences ``x``.

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
    if not is_int(k) or not 1 <= k <= min(length, 16):
        raise ValueError(f"Expected `k` to be an integer in [1, {min(length, 16)}]. Received: k={k!r}")
    if not is_real(pseudocount) or pseudocount < 0:
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


def attribution_consistency(
    attr: np.ndarray, x: np.ndarray, k: int = 6, correct: bool = True, canonical: bool = True, pseudocount: float = 1.0
) -> Consistency:
    """Alias of :func:`kmer_consistency`, kept so that code written for earlier releases runs.

    It is our k-mer statistic, not the paper's "k-attr-mean" KLD: for that use
    :func:`kld_consistency`.
    """
    return kmer_consistency(attr, x, k=k, correct=correct, canonical=canonical, pseudocount=pseudocount)


# ---------------------------------------------------------------------------------------------
# The authors' statistic (Majdandzic et al., MLCB 2022; the EvoAug-TF analysis, Fig. 1h)
# ---------------------------------------------------------------------------------------------

#: The projections of :func:`kld_consistency` (default ``"authors"``). Why two: a corrected 4-vector (its entries sum
#: to 0) lives on a 3-D plane; projecting it on an orthonormal basis of that plane keeps every length and angle, so
#: equal patches of directions stay equal. The analysis code of the EvoAug-TF paper (Yu, Muthukumar & Koo, bioRxiv
#: 2024, doi 10.1101/2024.01.17.575961), computing the KLD of Majdandzic, Rajesh & Koo (MLCB 2022, PMLR 200), writes
#: the same three formulas but leaves G out of the second one, so its map is an invertible but not an orthogonal one:
#: it stretches the plane unequally, isotropic noise comes out anisotropic and its angle histogram is peaked. That is
#: most of why Gaussian-noise maps score about 0.47 (200 x 249 positions) and 0.52 (100 x 249) with the authors'
#: projection and about 0.09 and 0.19 with the orthonormal one (the rest is the roughness of a finite histogram,
#: larger with fewer points). We keep the authors' projection as the default, so values compare with Fig. 1h, and
#: report the orthonormal one beside it.
PROJECTIONS = ("authors", "orthonormal")

#: Rows: the three 3-D coordinates; columns: A, C, G, T.
_PROJECTION_MATRICES = {
    # e1 = (C - A)/sqrt 2, e2 = sqrt(2/3) (G - (A + C)/2), e3 = sqrt(3/4) (T - (A + C + G)/3):
    # an orthonormal basis of the plane orthogonal to (1, 1, 1, 1), where corrected vectors live.
    "orthonormal": np.array(
        [
            [-1.0, 1.0, 0.0, 0.0],
            [-0.5, -0.5, 1.0, 0.0],
            [-1.0 / 3.0, -1.0 / 3.0, -1.0 / 3.0, 1.0],
        ]
    )
    * np.array([[np.sqrt(1.0 / 2.0)], [np.sqrt(2.0 / 3.0)], [np.sqrt(3.0 / 4.0)]]),
    # The analysis code's: the same, but its second coordinate leaves out G.
    "authors": np.array(
        [
            [-1.0, 1.0, 0.0, 0.0],
            [-0.5, -0.5, 0.0, 0.0],
            [-1.0 / 3.0, -1.0 / 3.0, -1.0 / 3.0, 1.0],
        ]
    )
    * np.array([[np.sqrt(1.0 / 2.0)], [np.sqrt(2.0 / 3.0)], [np.sqrt(3.0 / 4.0)]]),
}

#: Neighbour offsets (in bins, each angle) of the local prior in step 6: -3 .. +2, as in the analysis.
PRIOR_OFFSETS = tuple(range(-3, 3))

#: Upper end of both angles' histogram range (the analysis uses 3.1416).
ANGLE_LIMIT = np.pi


def _check_fraction(name, value, low_open=True):
    if not is_real(value) or not (0 < value <= 1):
        raise ValueError(f"Expected `{name}` to be a number in (0, 1]. Received: {name}={value!r}")
    return float(value)


def project_windows(attr: np.ndarray, window: int = 3, projection: str = "authors", correct: bool = True) -> np.ndarray:
    """Steps 1-3 of :func:`kld_consistency`: normalised, windowed, projected attribution vectors.

    Parameters
    ----------
    attr : array-like
        ``(N, L, 4)`` attribution maps, columns A, C, G, T.
    window : int
        Consecutive positions summed (circularly, as in the analysis: the last ``window - 1``
        windows wrap to the start), ``1 <= window <= L``.
    projection : {"authors", "orthonormal"}
        4-D to 3-D map (see :func:`kld_consistency`).
    correct : bool
        Subtract the per-position mean over A, C, G, T first (gradient correction).

    Returns
    -------
    np.ndarray
        ``(N, L, 3)`` float64.
    """
    attr = check_sequences(attr, "attr").astype(np.float64)
    length = attr.shape[1]
    if not is_int(window) or not 1 <= window <= length:
        raise ValueError(f"Expected `window` to be an integer in [1, {length}]. Received: window={window!r}")
    if projection not in PROJECTIONS:
        raise ValueError(f"Expected `projection` to be one of {PROJECTIONS}. Received: projection={projection!r}")
    if correct:
        attr = attr - attr.mean(axis=-1, keepdims=True)
    total = np.linalg.norm(attr, axis=-1).sum(axis=1)[:, None, None]  # (N, 1, 1)
    attr = np.divide(attr, total, out=np.zeros_like(attr), where=total > 0)
    index = (np.arange(length)[:, None] + np.arange(window)[None, :]) % length  # (L, window)
    summed = attr[:, index, :].sum(axis=2)  # (N, L, 4)
    return summed @ _PROJECTION_MATRICES[projection].T


def spherical_angles(points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step 5's angles of 3-D points ``(e1, e2, e3)``, both in [0, pi], and the radius.

    ``theta = arccos(e1 / r)`` and ``phi = (atan2(e3, e2) + pi) / 2``, the analysis' choice of
    axes (polar axis e1, azimuth in the (e2, e3) plane, folded from (-pi, pi] into (0, pi]).

    Parameters
    ----------
    points : array-like
        ``(..., 3)``.

    Returns
    -------
    (phi, theta, radius)
        Arrays of shape ``(...)``; ``theta`` is pi/2 for the origin.
    """
    points = np.asarray(points, dtype=np.float64)
    radius = np.linalg.norm(points, axis=-1)
    phi = (np.arctan2(points[..., 2], points[..., 1]) + np.pi) / 2.0
    cosine = np.divide(points[..., 0], radius, out=np.zeros_like(radius), where=radius > 0)
    theta = np.arccos(np.clip(cosine, -1.0, 1.0))
    return phi, theta, radius


def angle_histogram(
    phi: np.ndarray, theta: np.ndarray, weights: np.ndarray | None, bin_width: float = 0.1
) -> np.ndarray:
    """Step 5's density: weighted 2-D histogram of the angles, normalised to integrate to 1.

    Bins of ``bin_width`` rad from 0; ``n_bins = int(pi / bin_width)``, the last bin also takes
    everything up to pi (as in the analysis).

    Parameters
    ----------
    phi, theta : array-like
        ``(P,)`` angles in [0, pi].
    weights : array-like
        ``(P,)`` non-negative weights (the squared radius).
    bin_width : float
        Bin side in rad.

    Returns
    -------
    np.ndarray
        ``(n_bins, n_bins)`` density over (phi, theta): ``sum(density) * bin_width**2 == 1``
        (all zeros when the weights are).
    """
    n_bins = int(ANGLE_LIMIT / bin_width)
    first = np.minimum((np.asarray(phi) / bin_width).astype(np.int64), n_bins - 1)
    second = np.minimum((np.asarray(theta) / bin_width).astype(np.int64), n_bins - 1)
    mass = np.bincount(
        first * n_bins + second, weights=np.asarray(weights, dtype=np.float64), minlength=n_bins * n_bins
    ).reshape(n_bins, n_bins)
    total = mass.sum()
    return mass / (total * bin_width**2) if total > 0 else mass


def local_kl(density: np.ndarray, bin_width: float = 0.1) -> float:
    """Step 6: KL divergence of a density from a locally smoothed copy of itself.

    ``sum over interior bins (i, j) with p > 0 of p * log(p / q) * bin_width**2``, where
    ``q[i, j]`` is the mean of ``p`` over the bins ``(i + a, j + b)``, ``a, b`` in
    :data:`PRIOR_OFFSETS` (-3 .. +2), that lie inside ``1 .. n_bins - 1`` (the analysis leaves
    out row and column 0 of the neighbourhood). Interior = not the first or last row or column.

    Parameters
    ----------
    density : array-like
        ``(n_bins, n_bins)``, e.g. from :func:`angle_histogram`.
    bin_width : float
        Bin side in rad (the area element is its square).

    Returns
    -------
    float
        In nats.
    """
    p = np.asarray(density, dtype=np.float64)
    n_bins = p.shape[0]
    if p.ndim != 2 or p.shape[1] != n_bins or n_bins < 3:
        raise ValueError(f"Expected a square `density` of at least 3 x 3 bins. Received: density with shape {p.shape}")
    valid = np.zeros_like(p, dtype=bool)
    valid[1:, 1:] = True
    sums, counts = np.zeros_like(p), np.zeros_like(p)
    inner = slice(1, n_bins - 1)
    rows, cols = np.meshgrid(np.arange(n_bins), np.arange(n_bins), indexing="ij")
    for a in PRIOR_OFFSETS:
        for b in PRIOR_OFFSETS:
            r, c = rows + a, cols + b
            inside = (r >= 0) & (r < n_bins) & (c >= 0) & (c < n_bins)
            ok = np.zeros_like(inside)
            ok[inside] = valid[r[inside], c[inside]]
            sums[ok] += p[r[ok], c[ok]]
            counts[ok] += 1
    q = sums / np.maximum(counts, 1)
    p_in, q_in = p[inner, inner], q[inner, inner]
    terms = np.where(p_in > 0, p_in * np.log(np.where(p_in > 0, p_in, 1.0) / np.where(q_in > 0, q_in, 1.0)), 0.0)
    return float(terms.sum() * bin_width**2)


def kld_consistency(
    attr: np.ndarray,
    window: int = 3,
    top_fraction: float = 0.1,
    bin_width: float = 0.1,
    projection: str = "authors",
    correct: bool = True,
) -> float:
    """The authors' attribution consistency ("k-attr-mean" KLD) of one model on one task.

    Majdandzic, Rajesh & Koo, "Selecting deep neural networks that yield consistent
    attribution-based interpretations for genomics", MLCB 2022 (PMLR 200); computed as in the
    EvoAug-TF analysis (Yu, Muthukumar & Koo 2024, Fig. 1h). Pool every position of the selected
    sequences (the paper: the most active test sequences of the task) and:

    1. correct each map (subtract the per-position mean over A, C, G, T; ``correct=True``) and
       divide it by the sum over its positions of each position's 4-vector L2 norm;
    2. add up the 4-vectors of ``window`` consecutive positions (k = 3; circular at the end, as
       in the analysis), one point per position;
    3. project each sum to 3-D coordinates ``(e1, e2, e3)`` on the plane the corrected vectors live
       in. ``projection="authors"`` (default, the analysis' own) uses
       ``e1 = (C - A)/sqrt 2``, ``e2 = -sqrt(2/3) (A + C)/2``, ``e3 = sqrt(3/4) (T - (A+C+G)/3)``:
       its second coordinate drops G, so it is not orthonormal (it shears the plane, and noise
       comes out anisotropic: see :data:`PROJECTIONS`). ``"orthonormal"`` uses
       ``e2 = sqrt(2/3) (G - (A + C)/2)``, an orthonormal basis of that plane, which keeps angles;
    4. keep the points whose radius is in the top ``top_fraction`` (10%): above the radius of
       rank ``int(top_fraction * N * L)`` from the top, strictly;
    5. turn each point into two angles in [0, pi] (:func:`spherical_angles`) and histogram them
       in ``bin_width`` (0.1 rad) bins, each point weighted by its squared radius, normalised to a
       density (:func:`angle_histogram`);
    6. over the interior bins sum ``p * log(p / q) * bin_area``, ``q`` the mean density of the
       neighbouring bins, offsets -3..+2 in each angle (:func:`local_kl`).

    Attribution vectors that point in few directions (a model that uses the same motifs
    everywhere) give a peaked histogram and a larger value. Noise does **not** score low: with
    the authors' projection Gaussian-noise maps score about 0.47 on 200 x 249 positions and 0.52
    on 100 x 249 (the floor rises as the points get fewer), above every standard model of Fig. 1h,
    whose values lie between 0.28 and 0.44; with the orthonormal projection about 0.09 and 0.19.
    A value means something only next to a noise baseline on the same number of points:
    :func:`kld_with_baselines` (Gaussian maps, and the model's own maps with positions shuffled). It never
    looks at the sequence. Differences from the analysis code: pi instead of 3.1416, and
    ``atan2`` (the analysis sets the azimuth to pi/2 whenever e2 is exactly 0).

    Its inputs are the caller's choice, and differ from the analysis': the authors' KLD notebook
    takes the saliency of output 0 for both DeepSTARR tasks (Dev and Hk) and, for EvoAug models,
    includes the ``insert_max`` padded positions. We (``attribution.saliency(model, x, task=t)``
    and the notebooks) score each task on its own output, over the ``L`` original positions
    only (a RobustModel's padding is held fixed and left out), so a task's value describes that
    task and the two arms are scored on the same positions. See ``docs/differences.md``.

    Parameters
    ----------
    attr : array-like
        ``(N, L, 4)`` attribution maps (e.g. raw saliency), columns A, C, G, T.
    window : int
        k, positions per window (the paper: 3).
    top_fraction : float
        Fraction of points kept by radius, in (0, 1] (the paper: 0.1).
    bin_width : float
        Histogram bin in rad (the paper: 0.1).
    projection : {"authors", "orthonormal"}
        See step 3.
    correct : bool
        Gradient correction in step 1.

    Returns
    -------
    float
        In nats; NaN when every attribution is zero.

    See Also
    --------
    compare_arms : Mann-Whitney U across models of two training arms.
    kmer_consistency : our k-mer statistic (a different quantity).
    """
    top_fraction = _check_fraction("top_fraction", top_fraction)
    if not is_real(bin_width) or not 0 < bin_width <= ANGLE_LIMIT / 3:
        raise ValueError(f"Expected `bin_width` to be a number in (0, pi/3]. Received: bin_width={bin_width!r}")
    points = project_windows(attr, window, projection, correct).reshape(-1, 3)
    phi, theta, radius = spherical_angles(points)
    if not np.any(radius > 0):
        return float("nan")
    keep_count = max(int(top_fraction * radius.size), 1)
    cutoff = np.sort(radius)[-keep_count]
    kept = radius > cutoff
    if not kept.any():  # all tied at the cut-off (e.g. one repeated vector): keep the tie
        kept = radius >= cutoff
    density = angle_histogram(phi[kept], theta[kept], radius[kept] ** 2, bin_width)
    return local_kl(density, bin_width)


class ArmComparison(NamedTuple):
    """Result of :func:`compare_arms`."""

    scores_a: np.ndarray
    """``(n_a,)`` one score per model of arm a."""
    scores_b: np.ndarray
    """``(n_b,)`` one score per model of arm b."""
    u_statistic: float
    """Mann-Whitney U of arm a."""
    p_value: float
    """Exact two-sided p (without ties; with ties scipy's asymptotic p)."""
    p_floor: float
    """Smallest two-sided p an exact test on ``n_a`` vs ``n_b`` models can reach, ``2 / C(n_a + n_b, n_a)``."""


def mann_whitney_floor(n_a: int, n_b: int) -> float:
    """Smallest exact two-sided Mann-Whitney p for ``n_a`` vs ``n_b``: ``2 / C(n_a + n_b, n_a)``.

    5 vs 5: 2/252 = 0.0079; 3 vs 3: 2/20 = 0.1 (three models per arm can never reach p < 0.05).
    """
    for name, value in (("n_a", n_a), ("n_b", n_b)):
        if not is_int(value) or value < 1:
            raise ValueError(f"Expected `{name}` to be an integer >= 1. Received: {name}={value!r}")
    return min(1.0, 2.0 / math.comb(n_a + n_b, n_a))


def compare_arms(arm_a: np.ndarray, arm_b: np.ndarray, **kld_kwargs: Any) -> ArmComparison:
    """Consistency of two training arms, models as replicates, with a two-sided Mann-Whitney U.

    The paper's set-up (Fig. 1h): one score per model (five models per arm, different random
    initialisations), the arms compared across models. Sequences are not replicates: all the
    sequences of one model give one number.

    Parameters
    ----------
    arm_a, arm_b : sequence
        Per model either a score (float) or attribution maps ``(N, L, 4)`` of that model on the
        selected sequences (scored with :func:`kld_consistency` and ``kld_kwargs``). Maps must have one
        shape across both arms (the same N sequences), and an arm cannot mix scores and maps: scores
        over different sequences are not comparable, and are refused.
    **kld_kwargs
        Passed to :func:`kld_consistency`.

    Returns
    -------
    ArmComparison
        Scores, U, p and the p floor for the number of models.
    """
    models = {"arm_a": list(arm_a), "arm_b": list(arm_b)}
    for name, arm in models.items():
        if len(arm) < 1:
            raise ValueError(f"Expected at least one model in `{name}`. Received: {name} with 0 models")
    kinds = {np.ndim(v) == 0 for arm in models.values() for v in arm}
    if len(kinds) > 1:
        raise ValueError(
            "Expected every model of both arms to be given the same way: all scores, or all attribution maps. "
            f"Received: arm_a with ndims {[np.ndim(v) for v in arm_a]}, arm_b with ndims {[np.ndim(v) for v in arm_b]}"
        )
    shapes = {(name, i): np.shape(v) for name, arm in models.items() for i, v in enumerate(arm) if np.ndim(v)}
    if len(set(shapes.values())) > 1:
        listed = ", ".join(f"{name}[{i}] {shape}" for (name, i), shape in shapes.items())
        raise ValueError(
            "Expected every model's attribution maps to cover the same sequences, (N, L, 4) alike in both arms, "
            f"so that their consistency scores are comparable. Received: {listed}"
        )
    a, b = (
        np.asarray([v if np.ndim(v) == 0 else kld_consistency(v, **kld_kwargs) for v in arm], dtype=np.float64)
        for arm in models.values()
    )
    exact = len(np.unique(np.concatenate([a, b]))) == a.size + b.size
    result = scipy.stats.mannwhitneyu(a, b, alternative="two-sided", method="exact" if exact else "asymptotic")
    return ArmComparison(a, b, float(result.statistic), float(result.pvalue), mann_whitney_floor(a.size, b.size))


# ---------------------------------------------------------------------------------------------
# Noise baselines: what the KLD gives for maps that carry no pattern, on the same number of points
# ---------------------------------------------------------------------------------------------


class KLDBaselines(NamedTuple):
    """Result of :func:`kld_with_baselines`: a model's KLD and two noise baselines on the same shape."""

    kld: float
    """The maps' own :func:`kld_consistency`."""
    gaussian: np.ndarray
    """``(draws,)`` KLD of i.i.d. Gaussian maps of the maps' shape (:func:`kld_noise_floor`)."""
    shuffled: np.ndarray
    """``(draws,)`` KLD of the maps with positions shuffled within each sequence (:func:`kld_shuffled`)."""
    projection: str
    """The projection used for all three."""


def _check_draws(draws):
    if not is_int(draws) or draws < 1:
        raise ValueError(f"Expected `draws` to be an integer >= 1. Received: draws={draws!r}")
    return int(draws)


def gaussian_maps(shape: tuple[int, int, int], seed: int = 0) -> np.ndarray:
    """Attribution maps of pure noise: i.i.d. standard normal entries.

    Parameters
    ----------
    shape : (int, int, int)
        ``(N, L, 4)``.
    seed : int
        Seed of the draw.

    Returns
    -------
    np.ndarray
        ``(N, L, 4)`` float64.
    """
    if len(tuple(shape)) != 3 or tuple(shape)[-1] != 4 or not all(is_int(v) and v >= 1 for v in shape):
        raise ValueError(f"Expected `shape` (N, L, 4) with N, L >= 1. Received: shape={shape!r}")
    return np.random.default_rng(seed).standard_normal(tuple(shape))


def shuffle_positions(attr: np.ndarray, seed: int = 0) -> np.ndarray:
    """The maps with their positions permuted, independently in each sequence (one gather).

    Every position's 4-vector is kept, so the distribution of single-position vectors (their
    directions and lengths) is the model's own; what is destroyed is which vectors sit next to
    each other, the runs of neighbouring positions that a motif makes and the window of
    :func:`kld_consistency` adds up.

    Parameters
    ----------
    attr : array-like
        ``(N, L, 4)`` attribution maps.
    seed : int
        Seed of the permutations.

    Returns
    -------
    np.ndarray
        ``(N, L, 4)``, ``out[n, l] = attr[n, perm_n[l]]``.
    """
    attr = check_sequences(attr, "attr")
    order = np.argsort(np.random.default_rng(seed).random(attr.shape[:2]), axis=1)
    return np.take_along_axis(attr, order[..., np.newaxis], axis=1)


def kld_noise_floor(shape: tuple[int, int, int], draws: int = 5, seed: int = 0, **kld_kwargs: Any) -> np.ndarray:
    """:func:`kld_consistency` of Gaussian-noise maps of ``shape``, ``draws`` times.

    The KLD of a finite sample is never 0: a histogram of a few thousand points is rough, and the
    authors' projection (the default) makes isotropic noise anisotropic (see
    :data:`PROJECTIONS`). With it, noise scores about 0.47 on 200 x 249 positions and 0.52 on
    100 x 249 (the project's spec: about 0.48 and 0.53), above every standard model of the
    paper's Fig. 1h; with the orthonormal projection about 0.09 and 0.19. The floor rises as the
    number of points falls, so compare a model with the floor **on its own shape**.

    Parameters
    ----------
    shape : (int, int, int)
        ``(N, L, 4)``, the shape of the maps to compare with.
    draws : int
        Independent noise draws (seeds ``seed``, ``seed + 1``, ...).
    seed : int
        First seed.
    **kld_kwargs
        Passed to :func:`kld_consistency` (``projection=``, ``window=`` ...).

    Returns
    -------
    np.ndarray
        ``(draws,)`` float64.
    """
    draws = _check_draws(draws)
    return np.array([kld_consistency(gaussian_maps(shape, seed + d), **kld_kwargs) for d in range(draws)])


def kld_shuffled(attr: np.ndarray, draws: int = 5, seed: int = 0, **kld_kwargs: Any) -> np.ndarray:
    """:func:`kld_consistency` of a model's own maps with positions shuffled, ``draws`` times.

    A baseline that keeps everything about the maps but their order along the sequence
    (:func:`shuffle_positions`): the directions and sizes of single positions stay, which
    positions are neighbours does not. With ``window=1`` it equals the maps' own KLD (the
    statistic then never looks at neighbours); with the paper's ``window=3`` the difference is
    what the runs of neighbouring positions (motifs) add. The difference can go either way:
    motif positions that each point at one base can give a sharper histogram shuffled than
    their 3-position sums do, so read it as a reference, not as a floor.

    Parameters
    ----------
    attr : array-like
        ``(N, L, 4)`` attribution maps.
    draws : int
        Independent permutations (seeds ``seed``, ``seed + 1``, ...).
    seed : int
        First seed.
    **kld_kwargs
        Passed to :func:`kld_consistency`.

    Returns
    -------
    np.ndarray
        ``(draws,)`` float64.
    """
    draws = _check_draws(draws)
    attr = check_sequences(attr, "attr")
    return np.array([kld_consistency(shuffle_positions(attr, seed + d), **kld_kwargs) for d in range(draws)])


def kld_with_baselines(
    attr: np.ndarray, draws: int = 5, seed: int = 0, projection: str = "authors", **kld_kwargs: Any
) -> KLDBaselines:
    """A model's KLD next to its two noise baselines, all on the same number of points.

    Parameters
    ----------
    attr : array-like
        ``(N, L, 4)`` attribution maps of one model and task.
    draws : int
        Draws of each baseline.
    seed : int
        First seed of the baselines.
    projection : {"authors", "orthonormal"}
        See :func:`kld_consistency`.
    **kld_kwargs
        Other arguments of :func:`kld_consistency`.

    Returns
    -------
    KLDBaselines
        ``(kld, gaussian (draws,), shuffled (draws,), projection)``. Read ``kld`` against
        ``gaussian.mean()`` and ``shuffled.mean()``: only the excess over them says anything about
        the model.
    """
    attr = check_sequences(attr, "attr")
    kwargs = {"projection": projection, **kld_kwargs}
    return KLDBaselines(
        kld_consistency(attr, **kwargs),
        kld_noise_floor(attr.shape, draws, seed, **kwargs),
        kld_shuffled(attr, draws, seed, **kwargs),
        projection,
    )
