"""k-attr-mean consistency: exact k-mer codes, a hand-computed KL, patterns beat noise."""

import numpy as np
import pytest
from conftest import encode, random_onehot

from evoaug_tf.attribution import attribution_consistency, kmer_ids

MOTIF = "TGACTCA"


def planted(count=60, length=80, seed=0):
    """Random sequences with MOTIF at a random place; attribution 1 on the motif's observed bases."""
    rng = np.random.default_rng(seed)
    x = random_onehot(count, length, seed=seed)
    mask = np.zeros((count, length), bool)
    for row, start in enumerate(rng.integers(0, length - len(MOTIF), count)):
        x[row, start : start + len(MOTIF)] = encode(MOTIF)[0]
        mask[row, start : start + len(MOTIF)] = True
    return x, mask


def test_kmer_codes_are_base_four_and_canonical_merges_strands():
    x = encode("ACGT")
    np.testing.assert_array_equal(kmer_ids(x, 2, canonical=False), [[1, 6, 11]])  # AC, CG, GT
    np.testing.assert_array_equal(kmer_ids(x, 2), [[1, 6, 1]])  # GT is the reverse complement of AC
    np.testing.assert_array_equal(kmer_ids(x, 4), [[27]])  # ACGT is its own reverse complement


def test_set_score_is_the_kl_divergence_without_pseudocount():
    x = encode("AAAC", "AAAC", "CCCA")
    attr = x * np.array([1.0, 1.0, 3.0, 0.0])[None, :, None]  # observed-base scores 1 1 3 0 in every row
    per_sequence, score = attribution_consistency(attr, x, k=2, correct=False, canonical=False, pseudocount=0)
    # windows: masses |mean| = 1, 2, 1.5 per row; k-mers AA, AA, AC | AA, AA, AC | CC, CC, CA
    masses = {"AA": 1 + 2 + 1 + 2, "AC": 1.5 + 1.5, "CC": 1 + 2, "CA": 1.5}
    counts = {"AA": 4, "AC": 2, "CC": 2, "CA": 1}
    total, windows = sum(masses.values()), sum(counts.values())
    kl = sum(m / total * np.log((m / total) / (counts[w] / windows)) for w, m in masses.items())
    assert score == pytest.approx(kl)
    ratio = {w: (masses[w] / total) / (counts[w] / windows) for w in masses}
    first = (1 * np.log(ratio["AA"]) + 2 * np.log(ratio["AA"]) + 1.5 * np.log(ratio["AC"])) / 4.5
    assert per_sequence[0] == pytest.approx(first) and per_sequence[1] == pytest.approx(first)
    masses_per_row = np.array([4.5, 4.5, 4.5])
    assert score == pytest.approx(np.sum(masses_per_row * per_sequence) / masses_per_row.sum())


def test_a_recurring_pattern_is_more_consistent_than_noise():
    x, mask = planted()
    rng = np.random.default_rng(1)
    pattern = x * mask[..., None] + 0.05 * rng.normal(size=x.shape)
    noise = rng.normal(size=x.shape)
    consistent, random = attribution_consistency(pattern, x), attribution_consistency(noise, x)
    assert consistent.score > 0.8 > 0.2 > abs(random.score)
    assert np.median(consistent.per_sequence) > np.median(random.per_sequence) + 0.3
    assert consistent.per_sequence.shape == (len(x),)


def test_score_ignores_the_scale_and_per_position_offsets():
    x, mask = planted(count=20, seed=2)
    attr = x * mask[..., None] + 0.1 * np.random.default_rng(3).normal(size=x.shape)
    base = attribution_consistency(attr, x)
    scaled = attribution_consistency(10 * attr + np.random.default_rng(4).normal(size=x.shape[:2] + (1,)), x)
    np.testing.assert_allclose(scaled.per_sequence, base.per_sequence, rtol=1e-4, atol=1e-6)


def test_zero_attribution_gives_nan_not_an_error():
    x = random_onehot(3, 20)
    per_sequence, score = attribution_consistency(np.zeros_like(x), x)
    assert np.isnan(score) and np.all(np.isnan(per_sequence))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"k": 0}, r"Expected `k` to be an integer in \[1, 10\]. Received: k=0"),
        ({"k": 11}, r"Received: k=11"),
        ({"pseudocount": -1}, r"Received: pseudocount=-1"),
    ],
)
def test_bad_arguments(kwargs, message):
    x = random_onehot(2, 10)
    with pytest.raises(ValueError, match=message):
        attribution_consistency(x, x, **kwargs)


def test_attr_must_match_x():
    with pytest.raises(ValueError, match=r"Expected `attr` of the shape of x \(2, 10, 4\)"):
        attribution_consistency(random_onehot(2, 9), random_onehot(2, 10))
