"""Synthetic DeepSTARR v3 (evoaug_tf.datasets.world): oracle, grammar-blind oracle, generator."""

import numpy as np
import pytest

from evoaug_tf import datasets
from evoaug_tf.datasets import world
from evoaug_tf.datasets.synthetic import DEEPSTARR_MOTIF_MATRICES, encode, load_jaspar

LENGTH = 249


@pytest.fixture(scope="module")
def data():
    return world.make_world(n=1500, seed=0)


def one_hot(bases):
    return np.eye(4, dtype=np.float32)[np.asarray(bases)]


def consensus(name):
    return encode(load_jaspar(DEEPSTARR_MOTIF_MATRICES[name]).consensus)


def poly_a_with(*placements):
    """``(1, L, 4)``: poly-A with the consensus of each ``(name, start)`` written in."""
    bases = np.zeros(LENGTH, np.uint8)
    for name, start in placements:
        code = consensus(name)
        bases[start : start + code.size] = code
    return one_hot(bases)[None]


def test_oracle_equals_noise_free_labels(data):
    for split in ("train", "valid", "test"):
        x = getattr(data, f"x_{split}")
        np.testing.assert_allclose(world.oracle(x), data.info["per_split"]["activity"][split], rtol=1e-9, atol=1e-9)
    quiet = world.make_world(n=300, seed=5, noise=0.0)
    np.testing.assert_allclose(quiet.y_train, world.oracle(quiet.x_train).astype(np.float32))


def test_oracle_scores_edited_sequences_in_any_dtype(data):
    x = data.x_test[:50]
    np.testing.assert_allclose(world.oracle(x), world.oracle(x.astype(np.float64)), rtol=1e-6)
    # the oracle reads the sequence: destroying every motif lowers activity on average
    shuffled = np.random.default_rng(0).permuted(x, axis=1)
    assert world.oracle(shuffled).mean() < world.oracle(x).mean()


def test_scan_finds_a_planted_consensus_on_its_strand():
    start = 120
    occupancy = world.scan(poly_a_with(("AP-1", start)))
    m = world.MOTIF_NAMES.index("AP-1")
    assert occupancy[0, m, 0, start] > 0.95
    assert occupancy[0, m, 0].argmax() == start
    assert occupancy.shape == (1, len(world.MOTIF_NAMES), 2, LENGTH)
    assert (occupancy[0, :, :, LENGTH - 5 :] == 0).all()  # no motif fits in the last 5 nt


def test_grammar_blind_oracle_ignores_moving_a_motif_the_oracle_does_not():
    middle, edge = poly_a_with(("GATA", 120)), poly_a_with(("GATA", 15))
    np.testing.assert_allclose(world.grammar_blind_oracle(middle), world.grammar_blind_oracle(edge), rtol=1e-9)
    assert world.oracle(middle)[0, 0] > world.oracle(edge)[0, 0]  # position rule: weaker near the ends


def test_pair_at_preferred_spacing_beats_a_bad_spacing():
    width_gata, width_ap1 = consensus("GATA").size, consensus("AP-1").size
    offset = (width_ap1 - 1) / 2 - (width_gata - 1) / 2  # centre distance = start distance + offset
    good_gap = int(round(world.PREFERRED_SPACING + world.HELICAL_PERIOD - offset))
    bad_gap = int(round(world.PREFERRED_SPACING + 1.5 * world.HELICAL_PERIOD - offset))
    good = poly_a_with(("GATA", 100), ("AP-1", 100 + good_gap))
    bad = poly_a_with(("GATA", 100), ("AP-1", 100 + bad_gap))
    assert world.oracle(good)[0, 0] > world.oracle(bad)[0, 0] + 0.1
    np.testing.assert_allclose(world.grammar_blind_oracle(good), world.grammar_blind_oracle(bad), rtol=1e-6)
    assert world.pair_kernel(world.PREFERRED_SPACING) == pytest.approx(
        np.exp(-world.PREFERRED_SPACING / world.SPACING_DECAY)
    )
    assert world.pair_kernel(10.0, False) == pytest.approx(world.OPPOSITE_ORIENTATION * world.pair_kernel(10.0, True))


def test_grammar_explains_at_least_30_percent_of_the_oracle_variance(data):
    share = world.grammar_share(data.x_train)
    assert share.shape == (2,)
    assert (share >= 0.30).all(), share


def test_labels_are_oracle_plus_noise(data):
    activity = data.info["per_split"]["activity"]["train"]
    residual = data.y_train - activity
    assert abs(residual.mean()) < 0.05
    assert 0.8 * world.DEFAULT_NOISE < residual.std() < 1.6 * world.DEFAULT_NOISE
    assert abs(activity.mean(axis=0)).max() < 0.2 and (abs(activity.std(axis=0) - 1) < 0.2).all()


def test_dataset_shape_and_sites(data):
    assert data.x_train.shape == (1200, LENGTH, 4) and data.x_train.dtype == np.uint8
    assert data.y_train.shape == (1200, 2) and data.y_train.dtype == np.float32
    assert data.task_names == ("Dev", "Hk")
    assert (data.x_train.sum(axis=-1) == 1).all()
    site = data.sites["train"][0][0]
    assert data.motif_mask["train"][0, site.start : site.end].all()
    assert data.info["version"] == 3


def test_reproducible_per_seed():
    first, again, other = (world.make_world(n=200, seed=s) for s in (7, 7, 8))
    np.testing.assert_array_equal(first.x_train, again.x_train)
    np.testing.assert_array_equal(first.y_train, again.y_train)
    assert not np.array_equal(first.x_train, other.x_train)


def test_make_synthetic_deepstarr_version_3_is_the_world():
    via = datasets.make_synthetic_deepstarr(n=200, seed=3, version=3)
    direct = world.make_world(n=200, seed=3)
    np.testing.assert_array_equal(via.x_test, direct.x_test)
    np.testing.assert_array_equal(via.y_test, direct.y_test)


def test_bad_arguments_raise_the_project_error():
    with pytest.raises(ValueError, match=r"Expected noise .* Received: noise=-1"):
        world.make_world(n=10, noise=-1)
    with pytest.raises(ValueError, match=r"Expected length >= \d+ .* Received: length=200"):
        world.make_world(n=10, length=200)
    with pytest.raises(ValueError, match=r"Expected n .* Received: n=2"):
        world.make_world(n=2)
    with pytest.raises(
        ValueError, match=r"Expected x to be a \(N, L, 4\) one-hot array. Received: x with shape \(5, 4\)"
    ):
        world.oracle(np.zeros((5, 4)))
    with pytest.raises(ValueError, match=r"Expected version to be 2 or 3. Received: version=4"):
        datasets.make_synthetic_deepstarr(n=10, version=4)
    with pytest.raises(ValueError, match=r"Received: grammar=True"):
        datasets.make_synthetic_deepstarr(n=10, version=3, grammar=True)
