"""Statistics over many draws: ranges hit both ends, rates match, batch mode draws once."""

import numpy as np
import pytest
import tensorflow as tf
from conftest import random_onehot

from evoaug_tf import augment

SHAPE = tf.constant([4000, 100, 4])
SEED = tf.constant([2024, 11], tf.int64)


@pytest.mark.parametrize(
    "aug, key, low, high",
    [
        (augment.RandomDeletion(3, 12), "length", 3, 12),
        (augment.RandomDeletion(3, 12), "start", 0, 100 - 12),
        (augment.RandomInsertion(2, 9), "length", 2, 9),
        (augment.RandomInsertion(2, 9), "position", 0, 100),
        (augment.RandomInversion(1, 10), "length", 1, 10),
        (augment.RandomInversion(1, 10), "start", 0, 100 - 10),
    ],
    ids=lambda v: v if isinstance(v, (str, int)) else type(v).__name__,
)
def test_ranges_are_inclusive_and_hit_both_ends(aug, key, low, high):
    values = aug.sample(SHAPE, SEED)[key].numpy()
    assert values.min() == low and values.max() == high
    counts = np.bincount(values - low, minlength=high - low + 1)
    expected = len(values) / (high - low + 1)
    assert np.all(np.abs(counts - expected) < 5 * np.sqrt(expected))  # uniform


def test_translocation_honours_shift_min_and_goes_both_ways():
    shifts = augment.RandomTranslocation(5, 9).sample(SHAPE, SEED)["shift"].numpy()
    assert set(np.abs(shifts)) == {5, 6, 7, 8, 9}
    assert set(shifts) == {-9, -8, -7, -6, -5, 5, 6, 7, 8, 9}
    assert abs(np.mean(shifts > 0) - 0.5) < 0.03


def test_reverse_complement_rate():
    flips = augment.RandomRC(rc_prob=0.3).sample(SHAPE, SEED)["flip"].numpy()
    assert abs(flips.mean() - 0.3) < 0.03


def test_mutation_changes_about_mutate_frac_of_positions():
    x = random_onehot(500, 200)
    out = augment.RandomMutation(0.1)(x).numpy()
    changed = np.mean(np.any(out != x, axis=-1))
    assert abs(changed - 0.1) < 0.01


def test_mutated_bases_are_uniform():
    p = augment.RandomMutation(0.3).sample(SHAPE, SEED)
    bases = p["bases"].numpy().ravel()
    assert np.all(np.abs(np.bincount(bases, minlength=4) / len(bases) - 0.25) < 0.01)


def test_noise_moments():
    noise = augment.RandomNoise(0.1, 0.3).sample(SHAPE, SEED)["noise"].numpy()
    assert abs(noise.mean() - 0.1) < 0.01 and abs(noise.std() - 0.3) < 0.01


def test_filler_dna_is_uniform():
    filler = augment.RandomInsertion(0, 20).sample(SHAPE, SEED)["filler"].numpy()
    assert np.all(np.abs(np.bincount(filler.ravel(), minlength=4) / filler.size - 0.25) < 0.01)


@pytest.mark.parametrize(
    "batch_aug, keys",
    [
        (augment.RandomDeletionBatch(0, 20), ["length", "start"]),
        (augment.RandomInsertionBatch(0, 20), ["length", "position"]),
        (augment.RandomTranslocationBatch(0, 20), ["shift"]),
        (augment.RandomInversionBatch(0, 20), ["length", "start"]),
        (augment.RandomRCBatch(), ["flip"]),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, list) else "-".join(v),
)
def test_batch_mode_draws_once_per_batch(batch_aug, keys):
    draws = {key: set() for key in keys}
    for i in range(40):
        p = batch_aug.sample(tf.constant([64, 100, 4]), tf.constant([i, 3], tf.int64))
        for key in keys:
            values = p[key].numpy()
            assert np.all(values == values[0])
            draws[key].add(int(values[0]))
    for key in keys:
        assert len(draws[key]) > 1  # but differs between batches


def test_sequence_mode_draws_differ_within_a_batch():
    p = augment.RandomDeletion(0, 20).sample(tf.constant([64, 100, 4]), SEED)
    assert len(set(p["length"].numpy())) > 5
