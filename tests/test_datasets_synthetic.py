"""Synthetic DeepSTARR-like and ChIP-like data: shapes, one-hot, seeds, ground truth, signal."""

import numpy as np
import pytest

from evoaug_tf.datasets import (
    MotifSite,
    SequenceDataset,
    make_synthetic_chip,
    make_synthetic_deepstarr,
)
from evoaug_tf.datasets.synthetic import (
    ALPHABET,
    CTCF_LIKE_MOTIF,
    DEEPSTARR_DEV_MOTIFS,
    DEEPSTARR_HK_MOTIFS,
    DEEPSTARR_MOTIF_MATRICES,
    _default_decoy,
    _place,
    decode,
    deepstarr_activity,
    load_jaspar,
    reverse_complement,
)

SPLITS = ("train", "valid", "test")


@pytest.fixture(scope="module")
def starr():
    return make_synthetic_deepstarr(n=3000, seed=0)


@pytest.fixture(scope="module")
def chip():
    return make_synthetic_chip(n=2000, seed=0)


def oriented(sequence, site):
    """The planted bases read on the motif's own strand."""
    piece = sequence[site.start : site.end]
    return piece if site.strand == "+" else reverse_complement(piece)


def test_helpers_by_eye():
    assert reverse_complement("AACGTG") == "CACGTT"
    assert decode(np.eye(4, dtype=np.uint8)[[0, 1, 2, 3]]) == "ACGT"
    assert decode(np.array([[0, 0, 0, 0], [0, 0, 0, 1]])) == "NT"
    assert _default_decoy("CCACCAGGGGGCGC") == "CTACTAGAGGACGT"


@pytest.mark.parametrize("maker", ["starr", "chip"])
def test_shapes_dtypes_one_hot(maker, request):
    data = request.getfixturevalue(maker)
    length, tasks, n = (249, 2, 3000) if maker == "starr" else (200, 1, 2000)
    assert isinstance(data, SequenceDataset)
    assert sum(data.sizes.values()) == n
    assert data.sizes["train"] == int(0.8 * n)
    assert (data.length, data.alphabet_size, data.num_tasks) == (length, 4, tasks)
    for split in SPLITS:
        x, y = data.split(split)
        assert x.dtype == np.uint8 and x.shape == (data.sizes[split], length, 4)
        assert y.dtype == np.float32 and y.shape == (data.sizes[split], tasks)
        assert (x.sum(axis=-1) == 1).all()
        assert data.motif_mask[split].shape == (data.sizes[split], length)
        assert data.motif_mask[split].dtype == bool
        assert len(data.sites[split]) == data.sizes[split]


def test_deepstarr_task_names_and_gc():
    data = make_synthetic_deepstarr(n=200, seed=1, gc_content=0.42)
    assert data.task_names == ("Dev", "Hk")
    gc = data.x_train[..., 1:3].sum() / data.x_train.sum()
    assert 0.38 < gc < 0.47


def test_deterministic_by_seed():
    first, again, other = (make_synthetic_deepstarr(n=300, seed=s) for s in (7, 7, 8))
    np.testing.assert_array_equal(first.x_train, again.x_train)
    np.testing.assert_array_equal(first.y_test, again.y_test)
    assert first.sites == again.sites
    assert not np.array_equal(first.x_train, other.x_train)
    assert not np.array_equal(first.y_train, other.y_train)
    chip_a, chip_b, chip_c = (make_synthetic_chip(n=300, seed=s) for s in (7, 7, 8))
    np.testing.assert_array_equal(chip_a.x_valid, chip_b.x_valid)
    assert not np.array_equal(chip_a.x_valid, chip_c.x_valid)


def test_deepstarr_ground_truth_spells_motifs():
    starr = make_synthetic_deepstarr(n=3000, seed=0, instances="consensus")
    motifs = {**DEEPSTARR_DEV_MOTIFS, **DEEPSTARR_HK_MOTIFS}
    strands = set()
    for split in SPLITS:
        x = getattr(starr, f"x_{split}")
        for row in range(0, len(x), 7):
            sequence = decode(x[row])
            mask = np.zeros(starr.length, dtype=bool)
            for site in starr.sites[split][row]:
                assert isinstance(site, MotifSite)
                assert oriented(sequence, site) == motifs[site.name]
                assert site.end - site.start == len(motifs[site.name]) and site.mismatches == 0
                mask[site.start : site.end] = True
                strands.add(site.strand)
            np.testing.assert_array_equal(mask, starr.motif_mask[split][row])
            starts = [site.start for site in starr.sites[split][row]]
            ends = [site.end for site in starr.sites[split][row]]
            assert all(end < start for end, start in zip(ends, starts[1:]))  # no overlap, a gap
    assert strands == {"+", "-"}


@pytest.mark.slow  # about 2 s: the slow tier
def test_deepstarr_pwm_instances_vary_like_the_matrix(starr):
    """Default instances are drawn from the JASPAR matrices: mismatches recorded, base frequencies match."""
    motifs = {**DEEPSTARR_DEV_MOTIFS, **DEEPSTARR_HK_MOTIFS}
    planted = {name: [] for name in motifs}
    for split in SPLITS:
        x = getattr(starr, f"x_{split}")
        for row, row_sites in enumerate(starr.sites[split]):
            sequence = decode(x[row])
            mask = np.zeros(starr.length, dtype=bool)
            for site in row_sites:
                piece = oriented(sequence, site)
                assert site.end - site.start == len(motifs[site.name])
                assert sum(a != b for a, b in zip(piece, motifs[site.name])) == site.mismatches
                planted[site.name].append(piece)
                mask[site.start : site.end] = True
            np.testing.assert_array_equal(mask, starr.motif_mask[split][row])
    for name, pieces in planted.items():
        observed = np.eye(4)[[[ALPHABET.index(b) for b in piece] for piece in pieces]].mean(axis=0)  # (w, 4)
        expected = load_jaspar(DEEPSTARR_MOTIF_MATRICES[name]).probabilities
        assert np.abs(observed - expected).max() < 0.08, name
    assert any(site.mismatches > 0 for row in starr.sites["train"] for site in row)


def test_deepstarr_labels_follow_motif_counts(starr):
    names = list(DEEPSTARR_DEV_MOTIFS) + list(DEEPSTARR_HK_MOTIFS)
    counts = np.array([[sum(s.name == name for s in row) for name in names] for row in starr.sites["train"]])
    np.testing.assert_array_equal(counts, starr.info["per_split"]["motif_counts"]["train"])
    dev_count, hk_count = counts[:, :4].sum(axis=1), counts[:, 4:].sum(axis=1)
    dev, hk = starr.y_train[:, 0], starr.y_train[:, 1]
    assert np.corrcoef(dev_count, dev)[0, 1] > 0.6
    assert np.corrcoef(hk_count, hk)[0, 1] > 0.6
    assert abs(np.corrcoef(hk_count, dev)[0, 1]) < 0.1
    # Diminishing returns: the second copy of AP-1 adds less than the first.
    others_absent = counts[:, [0, 2, 3]].sum(axis=1) == 0
    means = [dev[others_absent & (counts[:, 1] == c)].mean() for c in (0, 1, 2)]
    assert means[1] - means[0] > means[2] - means[1] > 0


@pytest.mark.slow  # about 1 s: the slow tier
def test_deepstarr_cooperativity_and_position_independence():
    data = make_synthetic_deepstarr(n=10000, seed=3, noise=0.0)
    counts = data.info["per_split"]["motif_counts"]["train"]
    dev = data.y_train[:, 0]
    gata, ap1 = counts[:, 0] == 1, counts[:, 1] == 1
    rest = counts[:, 2:4].sum(axis=1) == 0
    none = dev[~gata & ~ap1 & (counts[:, 0] == 0) & (counts[:, 1] == 0) & rest].mean()
    only_gata = dev[gata & (counts[:, 1] == 0) & rest].mean()
    only_ap1 = dev[ap1 & (counts[:, 0] == 0) & rest].mean()
    both = dev[gata & ap1 & rest].mean()
    assert both - none > (only_gata - none) + (only_ap1 - none) + 0.2
    # Without noise the label is a function of the counts alone: equal counts, equal labels.
    _, first, group = np.unique(counts, axis=0, return_index=True, return_inverse=True)
    np.testing.assert_allclose(data.y_train, data.y_train[first[group.ravel()]], atol=1e-5)


def test_deepstarr_bad_arguments():
    with pytest.raises(ValueError, match=r"Expected n to be an int >= 3. Received: n=2"):
        make_synthetic_deepstarr(n=2)
    with pytest.raises(ValueError, match=r"Received: splits=\(0.5, 0.5, 0.5\)"):
        make_synthetic_deepstarr(n=10, splits=(0.5, 0.5, 0.5))
    with pytest.raises(ValueError, match=r"Expected length >= 209.*Received: length=100"):
        make_synthetic_deepstarr(n=10, length=100)
    with pytest.raises(ValueError, match=r"Received: noise=-1"):
        make_synthetic_deepstarr(n=10, noise=-1)


@pytest.mark.slow  # about 1 s: the slow tier
def test_chip_ground_truth_and_labels(chip):
    assert chip.task_names == ("CTCF-like",)
    decoy = _default_decoy(CTCF_LIKE_MOTIF)
    seen_mismatches = set()
    for split in SPLITS:
        x, y = chip.split(split)
        assert set(np.unique(y)) == {0.0, 1.0}
        for row in range(len(x)):
            sites = chip.sites[split][row]
            sequence = decode(x[row])
            if y[row, 0] == 1:
                (site,) = sites
                assert site.name == "CTCF-like"
                planted = oriented(sequence, site)
                assert sum(a != b for a, b in zip(planted, CTCF_LIKE_MOTIF)) == site.mismatches <= 2
                seen_mismatches.add(site.mismatches)
                assert chip.motif_mask[split][row].sum() == len(CTCF_LIKE_MOTIF)
                assert chip.motif_mask[split][row, site.start : site.end].all()
            else:
                assert not chip.motif_mask[split][row].any()
                assert all(s.name == "decoy" for s in sites)
                for site in sites:
                    assert oriented(sequence, site) == decoy
    assert seen_mismatches == {0, 1, 2}
    positives = chip.y_train.mean()
    assert 0.45 < positives < 0.55
    with_decoy = np.mean([bool(s) for s, label in zip(chip.sites["train"], chip.y_train[:, 0]) if label == 0])
    assert 0.4 < with_decoy < 0.6


def test_chip_custom_motif_and_errors():
    data = make_synthetic_chip(
        n=100,
        seed=2,
        length=30,
        motif="TGACTCA",
        motif_name="AP-1",
        decoy="TGTCTGA",
        max_mismatches=0,
        decoy_fraction=1.0,
    )
    for split in SPLITS:
        x, y = data.split(split)
        for row, sites in enumerate(data.sites[split]):
            (site,) = sites
            assert oriented(decode(x[row]), site) == ("TGACTCA" if y[row, 0] else "TGTCTGA")
    with pytest.raises(ValueError, match="Received: 'ACGN'"):
        make_synthetic_chip(n=10, motif="ACGN")
    with pytest.raises(ValueError, match=r"decoy to have the length of motif \(14\). Received: decoy='ACGT'"):
        make_synthetic_chip(n=10, decoy="ACGT")
    with pytest.raises(ValueError, match="Received: max_mismatches=20"):
        make_synthetic_chip(n=10, max_mismatches=20)
    with pytest.raises(ValueError, match="Received: positive_fraction=1.0"):
        make_synthetic_chip(n=10, positive_fraction=1.0)


def test_place_is_uniform_enough_and_never_overlaps():
    rng = np.random.default_rng(0)
    lengths = np.tile([5, 0, 7, 3], (4000, 1))
    starts = _place(rng, lengths, 40)
    used = lengths > 0
    ends = starts + lengths
    for row in range(len(starts)):
        spans = sorted((s, e) for s, e, u in zip(starts[row], ends[row], used[row]) if u)
        assert spans[0][0] >= 0 and spans[-1][1] <= 40
        assert all(prev_end < next_start for (_, prev_end), (next_start, _) in zip(spans, spans[1:]))
    # The 5-mer starts all over the sequence, not in fixed slots.
    assert len(np.unique(starts[:, 0])) > 25


def test_deepstarr_motifs_are_the_jaspar_matrices():
    assert DEEPSTARR_MOTIF_MATRICES["twist"] == "MA0249.3" and DEEPSTARR_DEV_MOTIFS["twist"] == "ACACATG"
    assert DEEPSTARR_MOTIF_MATRICES["Ohler1"] == "MA1459.2" and DEEPSTARR_HK_MOTIFS["Ohler1"] == "CGGTCACACTG"
    matrix = load_jaspar("MA0249.3")
    assert matrix.name == "twi" and matrix.counts.shape == (4, 7)
    np.testing.assert_allclose(matrix.probabilities.sum(axis=1), 1.0)
    with pytest.raises(ValueError, match=r"Expected matrix_id to be one of .*Received: 'MA9999.1'"):
        load_jaspar("MA9999.1")


def _one_pair(start_a, minus_a, start_b, minus_b, length=249):
    """Arrays for deepstarr_activity with one copy of GATA and one of AP-1, nothing else."""
    names = list({**DEEPSTARR_DEV_MOTIFS, **DEEPSTARR_HK_MOTIFS})
    shape = (1, len(names), 3)
    starts, minus, used = np.zeros(shape, int), np.zeros(shape, bool), np.zeros(shape, bool)
    for name, start, strand in (("GATA", start_a, minus_a), ("AP-1", start_b, minus_b)):
        m = names.index(name)
        starts[0, m, 0], minus[0, m, 0], used[0, m, 0] = start, strand, True
    widths = [len({**DEEPSTARR_DEV_MOTIFS, **DEEPSTARR_HK_MOTIFS}[name]) for name in names]
    return starts, minus, used, widths, length


def test_grammar_activity_known_answers():
    # GATA (8 nt, weight 1.0) at 100, AP-1 (11 nt, weight 1.2), bonus 1.0.
    centre = lambda start, width: 0.5 + (start + (width - 1) / 2) / 248
    default = deepstarr_activity(*_one_pair(100, False, 200, True), grammar=False)
    np.testing.assert_allclose(default[0], [1.0 + 1.2 + 1.0, 0.0])  # position-blind, bonus when both present
    far = deepstarr_activity(*_one_pair(100, False, 200, False), grammar=True)[0, 0]
    np.testing.assert_allclose(far, 1.0 * centre(100, 8) + 1.2 * centre(200, 11))  # > 10 nt apart: no bonus
    touching = deepstarr_activity(*_one_pair(100, False, 108, False), grammar=True)[0, 0]
    np.testing.assert_allclose(touching, 1.0 * centre(100, 8) + 1.2 * centre(108, 11) + 1.0)
    opposite = deepstarr_activity(*_one_pair(100, False, 108, True), grammar=True)[0, 0]
    np.testing.assert_allclose(opposite - (touching - 1.0), 0.2)
    half_turn = deepstarr_activity(*_one_pair(100, False, 113, False), grammar=True)[0, 0]  # gap 5
    np.testing.assert_allclose(
        half_turn - 1.0 * centre(100, 8) - 1.2 * centre(113, 11), 0.5 * (1 + np.cos(2 * np.pi * 5 / 10.5))
    )
    # Position effect: the same motif further 3' counts more.
    early = deepstarr_activity(*_one_pair(0, False, 200, False), grammar=True)[0, 0]
    late = deepstarr_activity(*_one_pair(150, False, 200, False), grammar=True)[0, 0]
    np.testing.assert_allclose(late - early, 150 / 248)


def test_grammar_labels_depend_on_arrangement_not_only_counts():
    data = make_synthetic_deepstarr(n=6000, seed=4, noise=0.0, grammar=True)
    counts = data.info["per_split"]["motif_counts"]["train"]
    _, first, group = np.unique(counts, axis=0, return_index=True, return_inverse=True)
    spread = np.abs(data.y_train - data.y_train[first[group.ravel()]]).max()
    assert spread > 0.3  # same counts, different labels: position and spacing matter
    assert data.info["grammar"] is True
    # Side-by-side pairs are common: GATA and AP-1 within 10 nt in a good share of carriers of both.
    close = 0
    both = 0
    for row in data.sites["train"]:
        gata = [s for s in row if s.name == "GATA"]
        ap1 = [s for s in row if s.name == "AP-1"]
        if gata and ap1:
            both += 1
            close += any(min(abs(a.start - b.end), abs(b.start - a.end)) <= 10 for a in gata for b in ap1)
    assert close / both > 0.4
    # Still learnable from the motifs: counts correlate with the labels.
    assert np.corrcoef(counts[:, :4].sum(axis=1), data.y_train[:, 0])[0, 1] > 0.5
    with pytest.raises(ValueError, match=r"Expected grammar to be True or False. Received: grammar='yes'"):
        make_synthetic_deepstarr(n=10, grammar="yes")
    with pytest.raises(ValueError, match=r"Expected instances to be one of .*Received: instances='best'"):
        make_synthetic_deepstarr(n=10, instances="best")
