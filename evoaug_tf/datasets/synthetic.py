"""Synthetic stand-ins for DeepSTARR and the ChIP-seq sets, made in seconds with NumPy.

Both generators return the same :class:`~evoaug_tf.datasets.SequenceDataset` as the real loaders
(so a notebook switches by one flag) plus the ground truth: where each motif was planted.

DeepSTARR-like (regression, tasks "Dev" and "Hk")
    Known *Drosophila* enhancer motifs are planted at random, non-overlapping positions on either
    strand. The activity of each task depends on which motifs are present and how many copies
    (with diminishing returns), on pairs that cooperate (both present add more than the sum),
    and on Gaussian noise - never on where the motifs sit. Augmentations that move motifs
    (insertion, deletion, translocation) therefore keep the label right, which is what EvoAug
    relies on.

DeepSTARR v3 (``make_synthetic_deepstarr(version=3)``, :mod:`evoaug_tf.datasets.world`)
    Enhancer grammar modelled on DeepSTARR's findings (affinity, copy number, flanks, position,
    pairwise spacing and orientation), labels from an oracle that scans any sequence, and its
    grammar-blind version. The ``quick`` and ``offline`` sizes use it.

ChIP-like (binary)
    Positives carry one copy of a motif (by default a CTCF-like core) with up to a few
    mismatches; half the negatives carry a decoy (the motif with a third of its positions
    changed), the rest carry nothing.
"""

from __future__ import annotations

import importlib.resources
from typing import NamedTuple

import numpy as np

from evoaug_tf.datasets.h5 import SPLITS, SequenceDataset
from evoaug_tf.validation import ALPHABET, is_int, is_real

__all__ = [
    "JASPAR_RELEASE",
    "DEEPSTARR_MOTIF_MATRICES",
    "JasparMatrix",
    "load_jaspar",
    "DEEPSTARR_DEV_MOTIFS",
    "DEEPSTARR_HK_MOTIFS",
    "GRAMMAR_MAX_GAP",
    "GRAMMAR_HELICAL_PERIOD",
    "GRAMMAR_OPPOSITE_STRAND",
    "GRAMMAR_ARRANGED_FRACTION",
    "CTCF_LIKE_MOTIF",
    "MotifSite",
    "encode",
    "decode",
    "reverse_complement",
    "INSTANCE_MODES",
    "deepstarr_activity",
    "make_synthetic_deepstarr",
    "make_synthetic_chip",
]

JASPAR_RELEASE = "JASPAR2024"
"""The JASPAR release the shipped matrices come from (package data ``evoaug_tf/data/jaspar/``)."""

DEEPSTARR_MOTIF_MATRICES = {
    "GATA": "MA2283.1",
    "AP-1": "MA2248.1",
    "twist": "MA0249.3",
    "Trl": "MA0205.3",
    "Dref": "MA1456.2",
    "Ohler1": "MA1459.2",
    "ETS": "MA2230.1",
}
"""JASPAR 2024 CORE matrix of each motif (all *D. melanogaster*): GATA = srp, AP-1 = kay (Fos),
twist = twi, Trl = GAGA factor, Dref = DRE-binding factor, Ohler1 = M1BP (which binds the Ohler 1
element), ETS = Ets97D (the GABPA orthologue)."""


class JasparMatrix(NamedTuple):
    """One JASPAR position frequency matrix."""

    matrix_id: str
    name: str
    counts: np.ndarray
    """``(4, width)`` float64 counts, rows A, C, G, T."""

    @property
    def probabilities(self) -> np.ndarray:
        """``(width, 4)`` float64, each position's base frequencies (rows sum to 1)."""
        return (self.counts / self.counts.sum(axis=0, keepdims=True)).T

    @property
    def consensus(self) -> str:
        """The most frequent base at every position (first of A, C, G, T on a tie)."""
        return "".join(ALPHABET[i] for i in self.counts.argmax(axis=0))


def load_jaspar(matrix_id: str) -> JasparMatrix:
    """Read a matrix shipped in ``evoaug_tf/data/jaspar/`` (JASPAR 2024, CC BY 4.0).

    Parameters
    ----------
    matrix_id : str
        A JASPAR id, e.g. ``"MA0249.3"`` (one of :data:`DEEPSTARR_MOTIF_MATRICES`' values).

    Returns
    -------
    JasparMatrix
        ``counts`` ``(4, width)``, rows A, C, G, T.
    """
    resource = importlib.resources.files("evoaug_tf") / "data" / "jaspar" / f"{matrix_id}.jaspar"
    if not isinstance(matrix_id, str) or not resource.is_file():
        folder = importlib.resources.files("evoaug_tf") / "data" / "jaspar"
        shipped = sorted(
            path.name.removesuffix(".jaspar") for path in folder.iterdir() if path.name.endswith(".jaspar")
        )
        raise ValueError(f"Expected matrix_id to be one of the shipped matrices {shipped}. Received: {matrix_id!r}")
    header, *rows = resource.read_text().strip().splitlines()
    identifier, name = header.lstrip(">").split(maxsplit=1)
    counts = {}
    for row in rows:
        base, values = row.split(maxsplit=1)
        counts[base] = [float(value) for value in values.strip().strip("[]").split()]
    return JasparMatrix(identifier, name.strip(), np.array([counts[base] for base in ALPHABET]))


_MATRICES = {name: load_jaspar(matrix_id) for name, matrix_id in DEEPSTARR_MOTIF_MATRICES.items()}

DEEPSTARR_DEV_MOTIFS = {name: _MATRICES[name].consensus for name in ("GATA", "AP-1", "twist", "Trl")}
"""Developmental-enhancer motifs and their JASPAR consensus (instances are sampled from the matrix)."""

DEEPSTARR_HK_MOTIFS = {name: _MATRICES[name].consensus for name in ("Dref", "Ohler1", "ETS")}
"""Housekeeping-enhancer motifs and their JASPAR consensus (instances are sampled from the matrix)."""

_TASK_WEIGHTS = {
    "Dev": {"GATA": 1.0, "AP-1": 1.2, "twist": 0.8, "Trl": 0.6},
    "Hk": {"Dref": 1.2, "Ohler1": 1.0, "ETS": 0.9},
}
_COOPERATING_PAIRS = {
    "Dev": {("GATA", "AP-1"): 1.0, ("twist", "Trl"): 0.6},
    "Hk": {("Dref", "Ohler1"): 1.0},
}
_COPY_PROBABILITIES = (0.55, 0.25, 0.13, 0.07)
"""P(0, 1, 2, 3 copies) of each DeepSTARR-like motif in a sequence."""

GRAMMAR_MAX_GAP = 10
"""grammar=True: cooperating motifs further apart than this (nt between them) do not cooperate."""
GRAMMAR_HELICAL_PERIOD = 10.5
"""grammar=True: the spacing preference repeats with the DNA helix (bases per turn)."""
GRAMMAR_OPPOSITE_STRAND = 0.2
"""grammar=True: a cooperating pair on opposite strands gets this fraction of the bonus."""
GRAMMAR_ARRANGED_FRACTION = 0.5
"""grammar=True: fraction of the sequences carrying both members of a pair where they are planted
side by side (gap U{0..GRAMMAR_MAX_GAP}, random order and strands) rather than anywhere."""

CTCF_LIKE_MOTIF = "CCACCAGGGGGCGC"
"""Core of the CTCF consensus (JASPAR MA0139), the default ChIP-like motif."""


class MotifSite(NamedTuple):
    """One planted motif: ``sequence[start:end]`` spells it on ``strand`` with ``mismatches``."""

    name: str
    start: int
    end: int
    strand: str
    mismatches: int = 0


def encode(sequence: str) -> np.ndarray:
    """Turn ``"ACGT..."`` into ``(len,)`` uint8 indices 0..3 (A, C, G, T)."""
    if not isinstance(sequence, str) or not sequence or set(sequence.upper()) - set(ALPHABET):
        raise ValueError(f"Expected a non-empty string of A, C, G, T. Received: {sequence!r}")
    return np.array([ALPHABET.index(base) for base in sequence.upper()], dtype=np.uint8)


def decode(indices: np.ndarray) -> str:
    """Turn indices 0..3 (or a ``(L, 4)`` one-hot) back into a string (N for an all-zero row)."""
    indices = np.asarray(indices)
    if indices.ndim == 2:
        return "".join(ALPHABET[row.argmax()] if row.any() else "N" for row in indices)
    return "".join(ALPHABET[i] for i in indices)


def reverse_complement(sequence: str) -> str:
    """Reverse complement of an ``"ACGT"`` string."""
    return sequence.upper()[::-1].translate(str.maketrans("ACGT", "TGCA"))


def _check_common(n, seed, length, splits, gc_content):
    if not is_int(n) or n < 3:
        raise ValueError(f"Expected n to be an int >= 3. Received: n={n!r}")
    if seed is not None and (not is_int(seed)):
        raise ValueError(f"Expected seed to be an int or None. Received: seed={seed!r}")
    if not is_int(length) or length < 1:
        raise ValueError(f"Expected length to be a positive int. Received: length={length!r}")
    if len(tuple(splits)) != 3 or any(not is_real(s) or s <= 0 for s in splits) or abs(sum(splits) - 1.0) > 1e-6:
        raise ValueError(
            "Expected splits to be three positive fractions (train, valid, test) summing to 1. "
            f"Received: splits={splits!r}"
        )
    if not is_real(gc_content) or not 0.0 < gc_content < 1.0:
        raise ValueError(f"Expected gc_content to be in (0, 1). Received: gc_content={gc_content!r}")


def _split_sizes(n, splits):
    n_train = int(round(splits[0] * n))
    n_valid = int(round(splits[1] * n))
    n_train = max(1, min(n_train, n - 2))
    n_valid = max(1, min(n_valid, n - n_train - 1))
    return {"train": n_train, "valid": n_valid, "test": n - n_train - n_valid}


def _background(rng, n, length, gc_content):
    """``(n, length)`` uint8 base indices, i.i.d. with the given GC content."""
    at, gc = (1.0 - gc_content) / 2.0, gc_content / 2.0
    edges = np.cumsum([at, gc, gc])
    return np.searchsorted(edges, rng.random((n, length)), side="right").astype(np.uint8)


def _place(rng, lengths, length):
    """Random non-overlapping starts for motifs of ``lengths`` ``(n, K)`` (0 = slot unused).

    Every used slot gets at least one free base after it. Stars and bars: shuffle the slots,
    spread the free bases by K sorted uniform draws, stack the motifs in between.
    """
    n, slots = lengths.shape
    padded = np.where(lengths > 0, lengths + 1, 0)
    order = np.argsort(rng.random((n, slots)), axis=1)
    stacked = np.take_along_axis(padded, order, axis=1)
    free = (length + 1) - stacked.sum(axis=1)
    if (free < 0).any():
        raise ValueError(f"Motifs do not fit: length={length} is too short for the planted motifs.")
    gaps = np.sort(rng.integers(0, free[:, None] + 1, size=(n, slots)), axis=1)
    starts_in_order = gaps + np.cumsum(stacked, axis=1) - stacked
    starts = np.empty_like(starts_in_order)
    np.put_along_axis(starts, order, starts_in_order, axis=1)
    return starts


def _write(bases, rows, starts, motif_rows):
    """Write ``motif_rows`` ``(k, m)`` into ``bases[rows, starts:starts+m]``."""
    columns = starts[:, None] + np.arange(motif_rows.shape[1])
    bases[rows[:, None], columns] = motif_rows


def _to_dataset(bases, labels, sites, mask, sizes, task_names, name, info):
    one_hot = np.eye(4, dtype=np.uint8)[bases]
    fields, site_splits, mask_splits = {}, {}, {}
    start = 0
    for split in SPLITS:
        stop = start + sizes[split]
        fields[f"x_{split}"] = one_hot[start:stop]
        fields[f"y_{split}"] = np.ascontiguousarray(labels[start:stop], dtype=np.float32)
        site_splits[split] = sites[start:stop]
        mask_splits[split] = mask[start:stop]
        for key, value in list(info.get("per_sequence", {}).items()):
            info.setdefault("per_split", {}).setdefault(key, {})[split] = value[start:stop]
        start = stop
    info.pop("per_sequence", None)
    return SequenceDataset(
        **fields, task_names=tuple(task_names), name=name, sites=site_splits, motif_mask=mask_splits, info=info
    )


INSTANCE_MODES = ("pwm", "consensus")


def _sample_instances(rng, probabilities, rows):
    """``(rows, width)`` uint8 bases drawn position by position from ``probabilities`` ``(width, 4)``."""
    cumulative = np.cumsum(probabilities, axis=1)[:, :3]  # (width, 3)
    draws = rng.random((rows, probabilities.shape[0]))
    return (draws[:, :, None] >= cumulative[None, :, :]).sum(axis=-1).astype(np.uint8)


def _position_weight(centres, length):
    """grammar=True position effect: 0.5 at the first base, rising linearly to 1.5 at the last."""
    return 0.5 + np.asarray(centres, dtype=np.float64) / max(length - 1, 1)


def _pair_term(start_a, minus_a, used_a, width_a, start_b, minus_b, used_b, width_b):
    """grammar=True cooperation of motifs a and b: ``(n,)`` in [0, 1], the best pair of copies.

    Arrays ``(n, copies)``. A pair of copies cooperates when the gap between them is at most
    :data:`GRAMMAR_MAX_GAP`: ``(1 + cos(2 pi gap / 10.5)) / 2`` (helical phasing), times 1 on the
    same strand or :data:`GRAMMAR_OPPOSITE_STRAND` on opposite strands.
    """
    sa, sb = start_a[:, :, None], start_b[:, None, :]
    gap = np.where(sa < sb, sb - (sa + width_a), sa - (sb + width_b))
    phase = 0.5 * (1.0 + np.cos(2.0 * np.pi * gap / GRAMMAR_HELICAL_PERIOD))
    strand = np.where(minus_a[:, :, None] == minus_b[:, None, :], 1.0, GRAMMAR_OPPOSITE_STRAND)
    ok = used_a[:, :, None] & used_b[:, None, :] & (gap >= 0) & (gap <= GRAMMAR_MAX_GAP)
    return np.where(ok, phase * strand, 0.0).max(axis=(1, 2))


def deepstarr_activity(
    starts: np.ndarray, minus: np.ndarray, used: np.ndarray, widths: np.ndarray, length: int, grammar: bool = False
) -> np.ndarray:
    """Noise-free activity (Dev, Hk) of planted motifs, before standardisation.

    Parameters
    ----------
    starts, minus, used : np.ndarray
        ``(N, M, copies)``: start, strand (True = minus) and presence of each copy of each motif,
        motifs in the order of ``{**DEEPSTARR_DEV_MOTIFS, **DEEPSTARR_HK_MOTIFS}``.
    widths : array-like
        ``(M,)`` motif widths.
    length : int
        Sequence length L.
    grammar : bool
        False: ``sum_m w_m (1 + 0.5 + 0.25 ...)`` over the copies present, plus each cooperating
        pair's bonus when both are present anywhere. True: each copy counts ``0.5**rank *
        position_weight(centre)`` (copies ranked by that weight, position weight 0.5 at the
        first base rising to 1.5 at the last), and a pair's bonus is scaled by its spacing and
        orientation term (see :func:`_pair_term`).

    Returns
    -------
    np.ndarray
        ``(N, 2)`` float64.
    """
    names = list({**DEEPSTARR_DEV_MOTIFS, **DEEPSTARR_HK_MOTIFS})
    widths = np.asarray(widths)
    decay = 0.5 ** np.arange(starts.shape[2])
    if grammar:
        centres = starts + (widths[None, :, None] - 1) / 2.0
        weight = np.where(used, _position_weight(centres, length), 0.0)
    else:
        weight = used.astype(np.float64)
    per_motif = (-np.sort(-weight, axis=2) * decay).sum(axis=2)  # (N, M)
    activity = np.zeros((len(starts), 2))
    for column, task in enumerate(("Dev", "Hk")):
        for motif, w in _TASK_WEIGHTS[task].items():
            activity[:, column] += w * per_motif[:, names.index(motif)]
        for (first, second), bonus in _COOPERATING_PAIRS[task].items():
            a, b = names.index(first), names.index(second)
            if grammar:
                term = _pair_term(
                    starts[:, a], minus[:, a], used[:, a], widths[a], starts[:, b], minus[:, b], used[:, b], widths[b]
                )
            else:
                term = used[:, a].any(axis=1) & used[:, b].any(axis=1)
            activity[:, column] += bonus * term
    return activity


def make_synthetic_deepstarr(
    n: int = 20000,
    seed: int = 0,
    length: int = 249,
    noise: float | None = None,
    splits: tuple[float, float, float] = (0.8, 0.1, 0.1),
    gc_content: float = 0.42,
    grammar: bool = False,
    instances: str = "pwm",
    version: int = 2,
) -> SequenceDataset:
    """Synthetic enhancer-activity data shaped like DeepSTARR (two regression tasks, Dev and Hk).

    Motifs are real *Drosophila* JASPAR 2024 matrices (:data:`DEEPSTARR_MOTIF_MATRICES`; Rauluseviciute
    et al., Nucleic Acids Res 52:D174, 2024; CC BY 4.0): four developmental (GATA/srp, AP-1/kay,
    twist/twi, Trl) and three housekeeping (Dref, Ohler1/M1BP, ETS/Ets97D). Each motif gets 0-3
    copies (probabilities 0.55, 0.25, 0.13, 0.07) at random non-overlapping positions on a random
    strand; every copy is a fresh draw from the matrix, base by base (``instances="pwm"``), so
    instances vary as bound sites do (``MotifSite.mismatches`` counts differences from the consensus).

    Default (``grammar=False``), per task: ``activity = sum_m w_m (1 - 0.5**c_m) / 0.5 +
    sum_pairs bonus * [both present]`` (``c_m`` copies, diminishing returns; cooperating pairs
    GATA+AP-1, twist+Trl, Dref+Ohler1). Position, spacing and orientation never matter, so the
    prior of EvoAug's insertions, deletions and translocations (they keep the label) is **true by
    construction**: the gain EvoAug shows here is an upper bound on what to expect from real data.

    ``grammar=True``: the prior is partly wrong. Each copy counts ``0.5**rank`` times a position
    weight rising linearly from 0.5 at the first base to 1.5 at the last, and a cooperating pair
    adds its bonus only when two of its copies sit at most 10 nt apart, scaled by
    ``(1 + cos(2 pi gap / 10.5)) / 2`` (helical phasing) and by 1 on the same strand or 0.2 on
    opposite strands. In half of the sequences that carry both members of a pair they are
    planted side by side (gap 0-10, random order and strands), so the grammar is common enough
    to learn. An insertion or deletion between the pair, or a translocation, changes the true
    activity while the augmented sequence keeps its label: stage-2 finetuning on the observed
    sequences has something to correct. The grammar is a modest part of the signal: on the same
    planted sites the noise-free activity correlates r = 0.95 with the position-blind formula
    (Dev and Hk alike, seed 0), so about 10% of its variance depends on position, spacing and
    orientation. Both variants: activity standardised to mean 0, sd 1,
    then ``noise * N(0, 1)`` added; the best possible Pearson r is about ``1 / sqrt(1 + noise**2)``.

    Measured (``benchmarks/synthetic_variants.py``; DeepSTARR CNN, ``sizes.get("offline")``
    protocol, 5,000 training sequences, ITD batch-mode augmentations, max 2 per sequence,
    mean of 3 seeds, test Pearson r Dev / Hk, motif recovery = pooled AUROC of corrected
    saliency x input against the planted motif positions, top-100 test sequences per task):

    ========  ===============  ===============  ===============  ================  ================  ======
    variant   run              Pearson r Dev    Pearson r Hk     motif AUROC Dev   motif AUROC Hk    seeds
    ========  ===============  ===============  ===============  ================  ================  ======
    default   standard         0.497 ± 0.025    0.528 ± 0.026    0.541 ± 0.007     0.614 ± 0.024     3
    default   evoaug           0.693 ± 0.011    0.705 ± 0.006    0.763 ± 0.039     0.810 ± 0.039     3
    default   evoaug+finetune  0.691 ± 0.009    0.704 ± 0.005    0.756 ± 0.041     0.807 ± 0.039     3
    grammar   standard         0.557 ± 0.020    0.631 ± 0.017    0.563 ± 0.006     0.667 ± 0.015     3
    grammar   evoaug           0.732 ± 0.010    0.766 ± 0.009    0.786 ± 0.037     0.808 ± 0.032     3
    grammar   evoaug+finetune  0.731 ± 0.008    0.765 ± 0.006    0.783 ± 0.036     0.802 ± 0.033     3
    ========  ===============  ===============  ===============  ================  ================  ======

    (mean ± sd over model seeds 0, 1, 2; one dataset per variant, data seed 0; measured on a shared
    2-core CPU under heavy contention, about 8-13 min per variant and seed; raw numbers in
    ``benchmarks/results/synthetic_variants.csv``.) EvoAug stage 1 gains +0.19 r on the default
    variant, an upper bound since its prior is true there; on the grammar variant it still gains
    +0.16. Finetuning changes r by -0.001 on average on both: at 5,000 sequences the grammar (about
    10% of the signal, below) is not what limits these models, so this set does not show a
    finetuning benefit.

    Parameters
    ----------
    n : int
        Total number of sequences, split into train, valid and test by ``splits``.
    seed : int or None
        Seed of ``np.random.default_rng``: the same seed gives the same data.
    length : int
        Sequence length L (at least 209, or 239 with ``grammar``, so that three copies of every
        motif always fit).
    noise : float or None
        Standard deviation of the Gaussian noise added to the standardised activity; None: 0.5
        (version 2) or :data:`evoaug_tf.datasets.world.DEFAULT_NOISE` (version 3).
    splits : tuple of 3 floats
        Fractions (train, valid, test), summing to 1.
    gc_content : float
        GC fraction of the i.i.d. background.
    grammar : bool
        Activity also depends on position, and cooperation on spacing and orientation (above).
    instances : {"pwm", "consensus"}
        Draw every motif copy from its matrix (default), or plant the consensus every time.
    version : {2, 3}
        2: this function's world (above). 3: :func:`evoaug_tf.datasets.world.make_world`, the world
        with enhancer grammar whose labels come from a sequence-scanning oracle (``grammar`` and
        ``instances`` do not apply; ``length`` at least 249); the ``quick`` and ``offline`` sizes use it
        (:data:`evoaug_tf.recipes.SYNTHETIC_DEEPSTARR_VERSION`).

    Returns
    -------
    SequenceDataset
        ``x_*`` ``(N, L, 4)`` uint8 one-hot; ``y_*`` ``(N, 2)`` float32, columns ``("Dev", "Hk")``;
        ``sites[split]`` a list per sequence of :class:`MotifSite` ``(name, start, end, strand,
        mismatches from the consensus)``; ``motif_mask[split]`` ``(N, L)`` bool, True on every planted
        base; ``info["per_split"]["motif_counts"][split]`` ``(N, 7)`` int copy numbers in the order
        of ``info["motif_names"]``.
    """
    if version not in (2, 3) or isinstance(version, bool):
        raise ValueError(f"Expected version to be 2 or 3. Received: version={version!r}")
    if version == 3:
        if grammar is not False or instances != "pwm":
            raise ValueError(
                "Expected grammar=False and instances='pwm' with version=3 (its grammar is built in). "
                f"Received: grammar={grammar!r}, instances={instances!r}"
            )
        from evoaug_tf.datasets import world

        noise = world.DEFAULT_NOISE if noise is None else noise
        return world.make_world(n=n, seed=seed, length=length, noise=noise, splits=splits, gc_content=gc_content)
    noise = 0.5 if noise is None else noise
    _check_common(n, seed, length, splits, gc_content)
    if not is_real(noise) or noise < 0:
        raise ValueError(f"Expected noise to be a float >= 0. Received: noise={noise!r}")
    if not isinstance(grammar, (bool, np.bool_)):
        raise ValueError(f"Expected grammar to be True or False. Received: grammar={grammar!r}")
    if instances not in INSTANCE_MODES:
        raise ValueError(f"Expected instances to be one of {INSTANCE_MODES}. Received: instances={instances!r}")
    motifs = {**DEEPSTARR_DEV_MOTIFS, **DEEPSTARR_HK_MOTIFS}
    names = list(motifs)
    pairs = [pair for task in ("Dev", "Hk") for pair in _COOPERATING_PAIRS[task]]
    max_copies = len(_COPY_PROBABILITIES) - 1
    needed = (
        sum((len(m) + 1) * max_copies for m in motifs.values()) - 1 + (GRAMMAR_MAX_GAP * len(pairs) if grammar else 0)
    )
    if length < needed:
        raise ValueError(
            f"Expected length >= {needed} so that {max_copies} copies of each motif fit. Received: length={length}"
        )
    rng = np.random.default_rng(seed)
    bases = _background(rng, n, length, gc_content)
    counts = rng.choice(len(_COPY_PROBABILITIES), size=(n, len(names)), p=_COPY_PROBABILITIES)

    # Slots: motif m, copy j is used when j < counts[:, m]; slot index m * max_copies + j.
    slot_motif = np.repeat(np.arange(len(names)), max_copies)
    slot_copy = np.tile(np.arange(max_copies), len(names))
    motif_lengths = np.array([len(motifs[name]) for name in names])
    used = slot_copy[None, :] < counts[:, slot_motif]
    lengths = np.where(used, motif_lengths[slot_motif][None, :], 0)
    arranged = {}
    if grammar:
        # Copy 0 of both members of a pair, side by side in one placement slot.
        for first, second in pairs:
            a, b = names.index(first), names.index(second)
            rows = np.flatnonzero((counts[:, a] > 0) & (counts[:, b] > 0) & (rng.random(n) < GRAMMAR_ARRANGED_FRACTION))
            gap = rng.integers(0, GRAMMAR_MAX_GAP + 1, size=rows.size)
            second_first = rng.random(rows.size) < 0.5
            lengths[rows, a * max_copies] = motif_lengths[a] + gap + motif_lengths[b]
            lengths[rows, b * max_copies] = 0
            arranged[(a, b)] = (rows, gap, second_first)
    starts = _place(rng, lengths, length)
    for (a, b), (rows, gap, second_first) in arranged.items():
        block = starts[rows, a * max_copies]
        starts[rows, a * max_copies] = np.where(second_first, block + motif_lengths[b] + gap, block)
        starts[rows, b * max_copies] = np.where(second_first, block, block + motif_lengths[a] + gap)
    minus = rng.random(used.shape) < 0.5

    mask = np.zeros((n, length), dtype=bool)
    mismatches = np.zeros(used.shape, dtype=np.int64)
    encoded = {name: encode(motifs[name]) for name in names}
    for slot in range(len(slot_motif)):
        name = names[slot_motif[slot]]
        rows = np.flatnonzero(used[:, slot])
        if not rows.size:
            continue
        consensus = encoded[name]
        if instances == "pwm":
            planted = _sample_instances(rng, _MATRICES[name].probabilities, rows.size)
        else:
            planted = np.broadcast_to(consensus, (rows.size, consensus.size)).copy()
        mismatches[rows, slot] = (planted != consensus[None, :]).sum(axis=1)
        planted = np.where(minus[rows, slot][:, None], 3 - planted[:, ::-1], planted)
        _write(bases, rows, starts[rows, slot], planted)
        mask[rows[:, None], starts[rows, slot][:, None] + np.arange(consensus.size)] = True

    shape = (n, len(names), max_copies)
    activity = deepstarr_activity(
        starts.reshape(shape), minus.reshape(shape), used.reshape(shape), motif_lengths, length, grammar
    )
    labels = np.zeros((n, 2))
    for column in range(2):
        standardised = (activity[:, column] - activity[:, column].mean()) / activity[:, column].std()
        labels[:, column] = standardised + noise * rng.standard_normal(n)

    sites: list[list[MotifSite]] = [[] for _ in range(n)]
    rows, slots = np.nonzero(used)
    for row, slot in zip(rows.tolist(), slots.tolist()):
        start = int(starts[row, slot])
        code_length = int(motif_lengths[slot_motif[slot]])
        strand = "-" if minus[row, slot] else "+"
        sites[row].append(
            MotifSite(names[slot_motif[slot]], start, start + code_length, strand, int(mismatches[row, slot]))
        )
    for row_sites in sites:
        row_sites.sort(key=lambda site: site.start)

    info = {
        "source": "synthetic",
        "seed": seed,
        "noise": noise,
        "grammar": bool(grammar),
        "instances": instances,
        "motifs": dict(motifs),
        "motif_matrices": {name: DEEPSTARR_MOTIF_MATRICES[name] for name in names},
        "jaspar_release": JASPAR_RELEASE,
        "motif_names": tuple(names),
        "task_weights": {task: dict(w) for task, w in _TASK_WEIGHTS.items()},
        "cooperating_pairs": {task: dict(p) for task, p in _COOPERATING_PAIRS.items()},
        "per_sequence": {"motif_counts": counts},
    }
    return _to_dataset(bases, labels, sites, mask, _split_sizes(n, splits), ("Dev", "Hk"), "synthetic_deepstarr", info)


def _default_decoy(motif):
    """Change every third position (from the second) to its transition partner (A<->G, C<->T)."""
    partner = {"A": "G", "G": "A", "C": "T", "T": "C"}
    return "".join(partner[base] if i % 3 == 1 else base for i, base in enumerate(motif))


def make_synthetic_chip(
    n: int = 20000,
    seed: int = 0,
    length: int = 200,
    motif: str = CTCF_LIKE_MOTIF,
    motif_name: str = "CTCF-like",
    decoy: str | None = None,
    positive_fraction: float = 0.5,
    decoy_fraction: float = 0.5,
    max_mismatches: int = 2,
    splits: tuple[float, float, float] = (0.8, 0.1, 0.1),
    gc_content: float = 0.42,
) -> SequenceDataset:
    """Synthetic ChIP-seq peak classification data: positives hold the motif, negatives do not.

    Positives carry one copy of ``motif`` at a random position and strand with
    ``U{0..max_mismatches}`` substitutions; a ``decoy_fraction`` of the negatives carry one copy
    of ``decoy`` (exact), the others only background.

    Parameters
    ----------
    n : int
        Total number of sequences.
    seed : int or None
        Seed of ``np.random.default_rng``.
    length : int
        Sequence length L (at least the motif length).
    motif : str
        The bound motif, ``"ACGT"`` letters (default: CTCF-like core ``CCACCAGGGGGCGC``).
    motif_name : str
        Name recorded in the ground truth.
    decoy : str or None
        Similar motif that is *not* bound, same length as ``motif``; by default every third
        position of ``motif`` is changed (A<->G, C<->T).
    positive_fraction : float
        Expected fraction of positives, in (0, 1).
    decoy_fraction : float
        Fraction of negatives that carry the decoy, in [0, 1].
    max_mismatches : int
        Most substitutions in a planted motif (fewer than half the positions that differ from the decoy).
    splits : tuple of 3 floats
        Fractions (train, valid, test), summing to 1.
    gc_content : float
        GC fraction of the background.

    Returns
    -------
    SequenceDataset
        ``x_*`` ``(N, L, 4)`` uint8 one-hot; ``y_*`` ``(N, 1)`` float32 in {0, 1}, task name
        ``motif_name``; ``sites[split]`` lists of :class:`MotifSite` (decoys named ``"decoy"``);
        ``motif_mask[split]`` ``(N, L)`` bool, True on the bound motif only (not on decoys).
    """
    _check_common(n, seed, length, splits, gc_content)
    code = encode(motif)
    decoy = _default_decoy(motif.upper()) if decoy is None else decoy
    decoy_code = encode(decoy)
    if decoy_code.size != code.size:
        raise ValueError(f"Expected decoy to have the length of motif ({code.size}). Received: decoy={decoy!r}")
    if length < code.size:
        raise ValueError(f"Expected length >= len(motif) = {code.size}. Received: length={length}")
    if isinstance(max_mismatches, bool) or not is_int(max_mismatches) or not (0 <= max_mismatches <= code.size):
        raise ValueError(
            f"Expected max_mismatches to be an int in [0, {code.size}]. Received: max_mismatches={max_mismatches!r}"
        )
    if not is_real(positive_fraction) or not 0.0 < positive_fraction < 1.0:
        raise ValueError(f"Expected positive_fraction in (0, 1). Received: positive_fraction={positive_fraction!r}")
    if not is_real(decoy_fraction) or not 0.0 <= decoy_fraction <= 1.0:
        raise ValueError(f"Expected decoy_fraction in [0, 1]. Received: decoy_fraction={decoy_fraction!r}")

    rng = np.random.default_rng(seed)
    width = code.size
    bases = _background(rng, n, length, gc_content)
    positive = rng.random(n) < positive_fraction
    has_decoy = ~positive & (rng.random(n) < decoy_fraction)
    starts = rng.integers(0, length - width + 1, size=n)
    minus = rng.random(n) < 0.5
    mismatches = np.where(positive, rng.integers(0, max_mismatches + 1, size=n), 0)

    planted = np.where(positive[:, None], code[None, :], decoy_code[None, :]).astype(np.uint8)
    changed_positions = np.argsort(rng.random((n, width)), axis=1)[:, :max_mismatches]
    shift = rng.integers(1, 4, size=(n, max_mismatches)).astype(np.uint8)
    for j in range(max_mismatches):
        rows = np.flatnonzero(mismatches > j)
        columns = changed_positions[rows, j]
        planted[rows, columns] = (planted[rows, columns] + shift[rows, j]) % 4
    planted = np.where(minus[:, None], 3 - planted[:, ::-1], planted)

    carriers = np.flatnonzero(positive | has_decoy)
    _write(bases, carriers, starts[carriers], planted[carriers])
    mask = np.zeros((n, length), dtype=bool)
    bound = np.flatnonzero(positive)
    mask[bound[:, None], starts[bound][:, None] + np.arange(width)] = True

    sites: list[list[MotifSite]] = [[] for _ in range(n)]
    for row in carriers.tolist():
        start = int(starts[row])
        sites[row].append(
            MotifSite(
                motif_name if positive[row] else "decoy",
                start,
                start + width,
                "-" if minus[row] else "+",
                int(mismatches[row]),
            )
        )
    info = {
        "source": "synthetic",
        "seed": seed,
        "motifs": {motif_name: motif.upper(), "decoy": decoy.upper()},
        "max_mismatches": max_mismatches,
        "per_sequence": {"has_decoy": has_decoy},
    }
    labels = positive.astype(np.float32)[:, None]
    return _to_dataset(bases, labels, sites, mask, _split_sizes(n, splits), (motif_name,), "synthetic_chip", info)
