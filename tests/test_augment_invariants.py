"""Invariants over random batches: one-hot kept, lengths, order kept, involutions."""

import numpy as np
import tensorflow as tf
from conftest import assert_onehot, random_onehot

from evoaug_tf import augment

# One-hot kept, output length and dtype for every augmentation: test_augment_contract.py.


def test_deletion_keeps_the_rest_in_order():
    x = random_onehot(32, 80, seed=1)
    aug = augment.RandomDeletion(0, 15)
    p = aug.sample(tf.shape(x), tf.constant([1, 2], tf.int64))
    out = aug.apply(x, p).numpy()
    for n in range(32):
        d, s = int(p["length"][n]), int(p["start"][n])
        kept = np.concatenate([x[n, :s], x[n, s + d :]])
        np.testing.assert_array_equal(out[n, d // 2 : d // 2 + 80 - d], kept)


def test_insertion_keeps_the_original_in_order():
    x = random_onehot(32, 80, seed=2)
    aug = augment.RandomInsertion(0, 15)
    p = aug.sample(tf.shape(x), tf.constant([3, 4], tf.int64))
    out = aug.apply(x, p).numpy()
    for n in range(32):
        k, pos = int(p["length"][n]), int(p["position"][n])
        front = (15 - k) // 2
        np.testing.assert_array_equal(out[n, front : front + pos], x[n, :pos])
        np.testing.assert_array_equal(out[n, front + pos + k : front + k + 80], x[n, pos:])


def test_translocation_keeps_composition_and_inverts():
    x = random_onehot(16, 50, seed=3)
    aug = augment.RandomTranslocation(0, 20)
    p = aug.sample(tf.shape(x), tf.constant([5, 6], tf.int64))
    out = aug.apply(x, p)
    back = aug.apply(out, {"shift": -p["shift"]})
    np.testing.assert_array_equal(back, x)
    np.testing.assert_array_equal(np.sum(out, axis=1), np.sum(x, axis=1))


def test_inversion_twice_is_identity():
    x = random_onehot(16, 50, seed=4)
    aug = augment.RandomInversion(0, 20)
    p = aug.sample(tf.shape(x), tf.constant([7, 8], tf.int64))
    np.testing.assert_array_equal(aug.apply(aug.apply(x, p), p), x)


def test_reverse_complement_twice_is_identity():
    x = random_onehot(16, 50, seed=5)
    aug = augment.RandomRC(rc_prob=1.0)
    np.testing.assert_array_equal(aug(aug(x)), x)
    np.testing.assert_array_equal(aug(x), x[:, ::-1, ::-1])


def test_probability_zero_changes_nothing():
    x = random_onehot(16, 50, seed=6)
    np.testing.assert_array_equal(augment.RandomRC(rc_prob=0.0)(x), x)
    np.testing.assert_array_equal(augment.RandomMutation(0.0)(x), x)
    np.testing.assert_array_equal(augment.RandomTranslocation(0, 0)(x), x)
    np.testing.assert_array_equal(augment.RandomDeletion(0, 0)(x), x)
    np.testing.assert_array_equal(augment.RandomInversion(0, 0)(x), x)
    np.testing.assert_allclose(augment.RandomNoise(0.0, 0.0)(x), x)


def test_mutation_changes_exactly_the_drawn_count_of_positions():
    x = random_onehot(8, 200, seed=7)
    aug = augment.RandomMutation(0.15)
    p = aug.sample(tf.shape(x), tf.constant([9, 9], tf.int64))
    count = round(0.15 / 0.75 * 200)
    assert p["sites"].shape == (8, count) and p["bases"].shape == (8, count)
    assert all(len(set(row)) == count for row in p["sites"].numpy().tolist())  # distinct sites
    assert np.all((p["sites"].numpy() >= 0) & (p["sites"].numpy() < 200))
    changed = np.sum(np.any(aug.apply(x, p).numpy() != x, axis=-1), axis=1)
    silent = np.sum(p["bases"].numpy() == np.take_along_axis(np.argmax(x, -1), p["sites"].numpy(), 1), axis=1)
    np.testing.assert_array_equal(changed, count - silent)


def test_noise_on_integer_input_returns_float():
    x = random_onehot(2, 10).astype("uint8")
    assert augment.RandomNoise()(x).dtype == tf.float32


def test_works_for_other_alphabets_where_no_complement_is_needed():
    x = np.eye(20, dtype="float32")[np.random.default_rng(0).integers(0, 20, (4, 30))]  # protein
    for aug in [augment.RandomDeletion(0, 5), augment.RandomInsertion(0, 5), augment.RandomMutation(0.1)]:
        out = aug(x)
        assert out.shape[-1] == 20
        assert_onehot(out)
