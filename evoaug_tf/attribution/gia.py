"""Global importance analysis (GIA): what a model has learned about motif spacing and position.

Global importance analysis (Koo, Majdandzic, Ploenzke, Anand & Paul, "Global importance analysis:
An interpretability method to quantify importance of genomic features in deep neural networks",
PLoS Comput Biol 17:e1008925, 2021) asks a model a controlled question: embed a pattern in many
random background sequences and measure the mean change of the prediction against the same
backgrounds without it. Averaging over backgrounds removes whatever else a single sequence
carries, so the answer is the model's *global* view of the pattern. DeepSTARR's in-silico
experiments (de Almeida, Reiter, Pagani & Stark, Nat Genet 54:613, 2022, Fig. 4-5) use the same
design to read out the spacing and orientation preferences of motif pairs and the positional
preference of single motifs in fly enhancers.

Two experiments, both vectorised (one prediction call over every background and condition) and
seeded:

- :func:`pair_spacing`: motif A, then motif B after a gap of ``s`` bases, on the same strand or on
  opposite strands, for every gap ``s``;
- :func:`position_scan`: one motif at every start position.

``predict`` is any function of ``(N, L, 4)`` one-hot to ``(N, T)`` (a Keras model, a
:class:`~evoaug_tf.evoaug.RobustModel`, or a ground-truth oracle), so a model's curve and the
oracle's can be laid side by side and compared with :func:`curve_error`.

>>> from evoaug_tf import attribution
>>> result = attribution.pair_spacing(model, "TGATTCAT", "GGGATTCC", n_backgrounds=100)  # doctest: +SKIP
>>> result.effect.shape  # (orientations, spacings, tasks)  # doctest: +SKIP
(2, 51, 2)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from evoaug_tf.validation import is_int, is_real

__all__ = [
    "ORIENTATIONS",
    "CurveError",
    "PairSpacing",
    "PositionScan",
    "as_predict",
    "curve_error",
    "embed",
    "motif_one_hot",
    "pair_spacing",
    "position_scan",
    "random_backgrounds",
]

ORIENTATIONS = ("same", "opposite")
"""Relative orientations of a pair: B on A's strand, or B reverse-complemented."""

_ALPHABET = "ACGT"


def motif_one_hot(motif: str | np.ndarray, name: str = "motif") -> np.ndarray:
    """A motif as a ``(w, 4)`` float32 one-hot (or probability) matrix.

    Parameters
    ----------
    motif : str or array-like
        ``"ACGT..."`` (case-insensitive), or a ``(w, 4)`` matrix (one-hot or a PWM's probabilities,
        rows summing to 1, order A, C, G, T). A PWM is embedded as its consensus.
    name : str
        The argument's name for error messages.

    Returns
    -------
    np.ndarray
        ``(w, 4)`` float32 one-hot.
    """
    if isinstance(motif, str):
        letters = motif.upper()
        if not letters or set(letters) - set(_ALPHABET):
            raise ValueError(f"Expected {name} to be a non-empty string of A, C, G, T. Received: {name}={motif!r}")
        return np.eye(4, dtype=np.float32)[[_ALPHABET.index(c) for c in letters]]
    array = np.asarray(motif, dtype=np.float64)
    if array.ndim != 2 or array.shape[1] != 4 or array.shape[0] < 1 or not np.allclose(array.sum(axis=1), 1.0):
        raise ValueError(
            f"Expected {name} to be a string of A, C, G, T or a (width, 4) matrix with rows summing to 1. "
            f"Received: {name} with shape {array.shape}"
        )
    return np.eye(4, dtype=np.float32)[array.argmax(axis=1)]


def random_backgrounds(n: int, length: int, gc_content: float = 0.5, seed: int | None = 0) -> np.ndarray:
    """``(n, length, 4)`` float32 one-hot i.i.d. random DNA with the given GC content.

    Parameters
    ----------
    n, length : int
        Number of sequences and their length.
    gc_content : float
        Probability of C or G at each position, in (0, 1).
    seed : int or None
        Seed of the NumPy generator.
    """
    if not is_int(n) or n < 1:
        raise ValueError(f"Expected n to be a positive int. Received: n={n!r}")
    if not is_int(length) or length < 1:
        raise ValueError(f"Expected length to be a positive int. Received: length={length!r}")
    if not is_real(gc_content) or not 0.0 < gc_content < 1.0:
        raise ValueError(f"Expected gc_content to be in (0, 1). Received: gc_content={gc_content!r}")
    rng = np.random.default_rng(seed)
    at, gc = (1.0 - gc_content) / 2.0, gc_content / 2.0
    bases = rng.choice(4, size=(n, length), p=[at, gc, gc, at])
    return np.eye(4, dtype=np.float32)[bases]


def embed(x: np.ndarray, motif: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Write ``motif`` into each sequence at its own start (a copy; ``x`` is not changed).

    Parameters
    ----------
    x : np.ndarray
        ``(N, L, 4)`` one-hot sequences.
    motif : np.ndarray
        ``(w, 4)`` one-hot motif.
    starts : array-like
        ``(N,)`` int start of the motif in each sequence, ``0 <= start <= L - w``.

    Returns
    -------
    np.ndarray
        ``(N, L, 4)``, ``x`` with ``x[n, starts[n]:starts[n] + w] = motif``.
    """
    x = np.array(x, copy=True)
    starts = np.asarray(starts, dtype=np.int64).reshape(-1)
    width = motif.shape[0]
    if starts.shape[0] != x.shape[0]:
        raise ValueError(f"Expected one start per sequence ({x.shape[0]}). Received: starts with {starts.shape[0]}")
    if starts.size and (starts.min() < 0 or starts.max() + width > x.shape[1]):
        raise ValueError(
            f"Expected every start in [0, {x.shape[1] - width}] (length {x.shape[1]}, motif width {width}). "
            f"Received: positions from {starts.min()} to {starts.max()}"
        )
    columns = starts[:, None] + np.arange(width)
    x[np.arange(x.shape[0])[:, None], columns] = motif
    return x


def as_predict(model: Any, batch_size: int = 512) -> Callable[[np.ndarray], np.ndarray]:
    """A function ``(N, L, 4) -> (N, T)`` float64 from a Keras model or a plain callable.

    A Keras model (anything with ``predict``) is called as ``model.predict(x, batch_size=...,
    verbose=0)``; any other callable is called on the whole array. A ``(N,)`` output becomes ``(N, 1)``.
    """
    if hasattr(model, "predict"):

        def predict(x: np.ndarray) -> np.ndarray:
            return np.asarray(model.predict(x, batch_size=batch_size, verbose=0))

    elif callable(model):
        predict = model
    else:
        raise ValueError(f"Expected a Keras model or a function (N, L, 4) -> (N, T). Received: predict={model!r}")

    def wrapped(x: np.ndarray) -> np.ndarray:
        out = np.asarray(predict(x), dtype=np.float64)
        if out.ndim == 1:
            out = out[:, None]
        if out.ndim != 2 or out.shape[0] != x.shape[0]:
            raise ValueError(f"Expected predict to return ({x.shape[0]}, T). Received: shape {out.shape}")
        return out

    return wrapped


def _backgrounds(backgrounds, n_backgrounds, length, gc_content, seed):
    if backgrounds is None:
        return random_backgrounds(n_backgrounds, length, gc_content, seed)
    x = np.asarray(backgrounds, dtype=np.float32)
    if x.ndim != 3 or x.shape[-1] != 4 or x.shape[0] < 1:
        raise ValueError(f"Expected backgrounds of shape (N, L, 4). Received: backgrounds with shape {x.shape}")
    return x


class PairSpacing(NamedTuple):
    """Result of :func:`pair_spacing`."""

    spacings: np.ndarray
    """``(S,)`` int gap in bases between the end of motif A and the start of motif B."""
    orientations: tuple[str, ...]
    """Names of the first axis of ``effect``: ``("same", "opposite")``."""
    effect: np.ndarray
    """``(2, S, T)`` mean over backgrounds of prediction(with pair) - prediction(background)."""
    sem: np.ndarray
    """``(2, S, T)`` standard error of that mean (sd with ddof = 1 over sqrt(backgrounds))."""
    background: np.ndarray
    """``(T,)`` mean prediction of the backgrounds alone."""
    starts: np.ndarray
    """``(S, 2)`` int start of A and of B for each gap (the pair centred in the sequence)."""


class PositionScan(NamedTuple):
    """Result of :func:`position_scan`."""

    positions: np.ndarray
    """``(P,)`` int start of the motif."""
    effect: np.ndarray
    """``(P, T)`` mean over backgrounds of prediction(with motif) - prediction(background)."""
    sem: np.ndarray
    """``(P, T)`` standard error of that mean."""
    background: np.ndarray
    """``(T,)`` mean prediction of the backgrounds alone."""


def _effects(predict, x_background, embedded, n_conditions):
    """Mean and sem over backgrounds of ``predict(embedded) - predict(background)``.

    ``embedded`` is ``(C * B, L, 4)`` ordered condition-major; returns ``(C, T)`` arrays.
    """
    n_bg = x_background.shape[0]
    base = predict(x_background)  # (B, T)
    out = predict(embedded).reshape(n_conditions, n_bg, -1)
    delta = out - base[None]
    sem = delta.std(axis=1, ddof=1) / np.sqrt(n_bg) if n_bg > 1 else np.zeros_like(delta[:, 0])
    return delta.mean(axis=1), sem, base.mean(axis=0)


def pair_spacing(
    predict: Any,
    motif_a: str | np.ndarray,
    motif_b: str | np.ndarray,
    spacings: Sequence[int] | None = None,
    *,
    backgrounds: np.ndarray | None = None,
    n_backgrounds: int = 100,
    length: int = 249,
    gc_content: float = 0.5,
    seed: int | None = 0,
    batch_size: int = 512,
) -> PairSpacing:
    """Mean effect of a motif pair at every spacing and both relative orientations.

    Motif A is placed on the plus strand and motif B ``s`` bases after its end, on the plus strand
    (``"same"``) or reverse-complemented (``"opposite"``); the pair is centred in the sequence, so
    the pair's position changes by at most half the gap. Every background gets every condition;
    the effect is the mean over backgrounds of the prediction with the pair minus the prediction
    of the background alone (Koo et al. 2021; de Almeida et al. 2022, in-silico spacing).

    Parameters
    ----------
    predict : keras.Model or callable
        ``(N, L, 4)`` one-hot -> ``(N, T)``.
    motif_a, motif_b : str or array-like
        ``"ACGT..."`` or ``(w, 4)`` matrices (see :func:`motif_one_hot`).
    spacings : sequence of int, optional
        Gaps to test, each ``>= 0``; default ``0 .. min(50, L - wa - wb)``.
    backgrounds : array-like, optional
        ``(B, L, 4)`` one-hot backgrounds (e.g. shuffled test sequences). Default: ``n_backgrounds``
        random sequences of ``length`` with ``gc_content``, drawn with ``seed``.
    n_backgrounds, length : int
        Used when ``backgrounds`` is None.
    gc_content : float
        GC content of the random backgrounds.
    seed : int or None
        Seed of the random backgrounds.
    batch_size : int
        Batch size of ``model.predict``.

    Returns
    -------
    PairSpacing
        ``effect`` ``(2, S, T)``, ``sem`` ``(2, S, T)``, ``spacings`` ``(S,)``.
    """
    a = motif_one_hot(motif_a, "motif_a")
    b = motif_one_hot(motif_b, "motif_b")
    x_bg = _backgrounds(backgrounds, n_backgrounds, length, gc_content, seed)
    n_bg, length = x_bg.shape[:2]
    room = length - a.shape[0] - b.shape[0]
    if room < 0:
        raise ValueError(
            f"Expected motifs that fit in the sequence together. Received: widths {a.shape[0]} + {b.shape[0]} "
            f"> length={length}"
        )
    gaps = np.arange(min(50, room) + 1) if spacings is None else np.asarray(list(spacings))
    if gaps.ndim != 1 or gaps.size == 0 or not np.issubdtype(gaps.dtype, np.integer):
        raise ValueError(f"Expected spacings to be a non-empty sequence of ints. Received: spacings={spacings!r}")
    if gaps.min() < 0 or gaps.max() > room:
        raise ValueError(
            f"Expected every spacing in [0, {room}] (length {length}, widths {a.shape[0]}, {b.shape[0]}). "
            f"Received: spacings from {gaps.min()} to {gaps.max()}"
        )
    span = a.shape[0] + gaps + b.shape[0]
    start_a = (length - span) // 2
    start_b = start_a + a.shape[0] + gaps
    b_rc = b[::-1, ::-1]
    # condition-major: (orientation, spacing, background)
    n_cond = 2 * gaps.size
    tiled = np.broadcast_to(x_bg, (n_cond, n_bg, length, 4)).reshape(-1, length, 4)
    starts_a = np.repeat(np.tile(start_a, 2), n_bg)
    starts_b = np.repeat(np.tile(start_b, 2), n_bg)
    x = embed(tiled, a, starts_a)
    half = gaps.size * n_bg
    x[:half] = embed(x[:half], b, starts_b[:half])
    x[half:] = embed(x[half:], b_rc, starts_b[half:])
    fn = as_predict(predict, batch_size)
    mean, sem, base = _effects(fn, x_bg, x, n_cond)
    n_tasks = mean.shape[-1]
    return PairSpacing(
        spacings=gaps,
        orientations=ORIENTATIONS,
        effect=mean.reshape(2, gaps.size, n_tasks),
        sem=sem.reshape(2, gaps.size, n_tasks),
        background=base,
        starts=np.stack([start_a, start_b], axis=1),
    )


def position_scan(
    predict: Any,
    motif: str | np.ndarray,
    positions: Sequence[int] | None = None,
    *,
    backgrounds: np.ndarray | None = None,
    n_backgrounds: int = 100,
    length: int = 249,
    gc_content: float = 0.5,
    seed: int | None = 0,
    batch_size: int = 512,
) -> PositionScan:
    """Mean effect of one motif embedded at each start position (plus strand).

    Parameters
    ----------
    predict : keras.Model or callable
        ``(N, L, 4)`` one-hot -> ``(N, T)``.
    motif : str or array-like
        ``"ACGT..."`` or a ``(w, 4)`` matrix.
    positions : sequence of int, optional
        Start positions, each in ``[0, L - w]``; default every 4th start from 0 to ``L - w``.
    backgrounds, n_backgrounds, length, gc_content, seed, batch_size
        As in :func:`pair_spacing`.

    Returns
    -------
    PositionScan
        ``effect`` ``(P, T)``, ``sem`` ``(P, T)``, ``positions`` ``(P,)``.
    """
    m = motif_one_hot(motif, "motif")
    x_bg = _backgrounds(backgrounds, n_backgrounds, length, gc_content, seed)
    n_bg, length = x_bg.shape[:2]
    last = length - m.shape[0]
    if last < 0:
        raise ValueError(f"Expected a motif no longer than the sequence. Received: width {m.shape[0]} > {length}")
    starts = np.unique(np.append(np.arange(0, last + 1, 4), last)) if positions is None else np.asarray(list(positions))
    if starts.ndim != 1 or starts.size == 0 or not np.issubdtype(starts.dtype, np.integer):
        raise ValueError(f"Expected positions to be a non-empty sequence of ints. Received: positions={positions!r}")
    if starts.min() < 0 or starts.max() > last:
        raise ValueError(
            f"Expected every position in [0, {last}]. Received: positions from {starts.min()} to {starts.max()}"
        )
    tiled = np.broadcast_to(x_bg, (starts.size, n_bg, length, 4)).reshape(-1, length, 4)
    x = embed(tiled, m, np.repeat(starts, n_bg))
    mean, sem, base = _effects(as_predict(predict, batch_size), x_bg, x, starts.size)
    return PositionScan(positions=starts, effect=mean, sem=sem, background=base)


class CurveError(NamedTuple):
    """Result of :func:`curve_error`: one value per task."""

    rmse: np.ndarray
    """``(T,)`` root-mean-squared difference between the curve and the reference, after both are
    divided by the reference's root-mean-square over the curve, its typical effect size
    (``scale="reference"``), or raw."""
    pearson: np.ndarray
    """``(T,)`` Pearson r between the curve and the reference (shape only, scale-free)."""


def curve_error(curve: np.ndarray, reference: np.ndarray, scale: str = "reference") -> CurveError:
    """How far a model's GIA curve is from the reference (the oracle's), per task.

    Parameters
    ----------
    curve, reference : array-like
        ``(..., T)`` effects with the same shape (e.g. ``PairSpacing.effect`` ``(2, S, T)``); every
        axis but the last is flattened into the curve.
    scale : {"reference", "none"}
        ``"reference"``: divide both by the reference's root-mean-square over the curve (the
        oracle's typical effect size; unlike its standard deviation it is not zero for a flat
        curve), so the error is a fraction of the oracle's effect, comparable across tasks;
        ``"none"``: raw.

    Returns
    -------
    CurveError
        ``rmse`` and ``pearson``, each ``(T,)``.
    """
    c = np.asarray(curve, dtype=np.float64)
    r = np.asarray(reference, dtype=np.float64)
    if c.shape != r.shape or c.ndim < 1:
        raise ValueError(f"Expected curve and reference of the same shape. Received: {c.shape} and {r.shape}")
    if scale not in ("reference", "none"):
        raise ValueError(f"Expected scale to be 'reference' or 'none'. Received: scale={scale!r}")
    c = c.reshape(-1, c.shape[-1])
    r = r.reshape(-1, r.shape[-1])
    if scale == "reference":
        rms = np.sqrt((r**2).mean(axis=0))
        rms = np.where(rms > 0, rms, 1.0)
        c, r = c / rms, r / rms
    rmse = np.sqrt(((c - r) ** 2).mean(axis=0))
    cc, rc = c - c.mean(axis=0), r - r.mean(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        pearson = (cc * rc).sum(axis=0) / np.sqrt((cc**2).sum(axis=0) * (rc**2).sum(axis=0))
    return CurveError(rmse=rmse, pearson=pearson)
