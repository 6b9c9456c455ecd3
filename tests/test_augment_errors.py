"""Bad arguments and bad input raise ValueError naming the argument and the value."""

import numpy as np
import pytest
import tensorflow as tf
from conftest import random_onehot

from evoaug_tf import augment


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: augment.RandomDeletion(10, 5), r"delete_min.*<=.*delete_max.*Received: delete_min=10, delete_max=5"),
        (lambda: augment.RandomInsertion(-1, 5), r"insert_min.*>= 0.*Received: insert_min=-1"),
        (lambda: augment.RandomInsertion(0, 2.5), r"insert_max.*integer.*Received: insert_max=2.5"),
        (lambda: augment.RandomTranslocation(30, 20), r"shift_min.*shift_max"),
        (lambda: augment.RandomInversion(0, -3), r"invert_max.*>= 0"),
        (lambda: augment.RandomRC(rc_prob=1.5), r"rc_prob.*\[0, 1\].*Received: rc_prob=1.5"),
        (lambda: augment.RandomRC(rc_prob="half"), r"rc_prob"),
        (lambda: augment.RandomMutation(mutate_frac=-0.1), r"mutate_frac.*\[0, 1\]"),
        (lambda: augment.RandomNoise(noise_std=-1), r"noise_std.*>= 0"),
        (lambda: augment.RandomDeletion(seed="abc"), r"seed"),
        (lambda: augment.RandomDeletion(True, 3), r"delete_min.*integer"),
    ],
)
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("shape", [(10, 4), (2, 3, 10, 4), (4,)])
def test_wrong_rank(shape):
    with pytest.raises(ValueError, match=r"Expected `x`.*\(batch, length, alphabet\).*Received: x with shape"):
        augment.RandomDeletion(0, 2)(np.zeros(shape, "float32"))


@pytest.mark.parametrize("aug", [augment.RandomRC(), augment.RandomInversion(0, 3)], ids=lambda a: type(a).__name__)
def test_complement_needs_four_letters(aug):
    with pytest.raises(ValueError, match=r"alphabet axis of size 4.*Received: x with shape \(2, 10, 5\)"):
        aug(np.zeros((2, 10, 5), "float32"))


@pytest.mark.parametrize(
    "aug, match",
    [(augment.RandomDeletion(0, 30), "delete_max"), (augment.RandomInversion(0, 30), "invert_max")],
    ids=["deletion", "inversion"],
)
def test_stretch_longer_than_sequence(aug, match):
    with pytest.raises(ValueError, match=rf"{match}.*<= the sequence length \(20\).*Received: {match}=30"):
        aug(random_onehot(2, 20))


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: augment.RandomNoise(noise_std=float("nan")), r"noise_std.*finite.*Received: noise_std=nan"),
        (lambda: augment.RandomNoise(noise_std=float("inf")), r"noise_std.*finite.*Received: noise_std=inf"),
        (lambda: augment.RandomNoise(noise_mean=float("inf")), r"noise_mean.*finite.*Received: noise_mean=inf"),
        (lambda: augment.RandomNoise(noise_mean=float("-inf")), r"noise_mean.*finite"),
        (lambda: augment.RandomRC(rc_prob=float("nan")), r"rc_prob.*\[0, 1\].*Received: rc_prob=nan"),
        (lambda: augment.RandomMutation(mutate_frac=float("nan")), r"mutate_frac.*\[0, 1\]"),
    ],
)
def test_nan_and_inf_are_refused(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_non_numeric_input_is_refused():
    with pytest.raises(ValueError, match=r"Expected `x` to be numeric.*Received: x with dtype string"):
        augment.RandomDeletion(0, 2)(tf.fill([2, 10, 4], "A"))


@pytest.mark.parametrize(
    "aug, argument",
    [
        (augment.RandomDeletion(0, 30), "delete_max"),
        (augment.RandomDeletionBatch(0, 30), "delete_max"),
        (augment.RandomInversion(0, 30), "invert_max"),
        (augment.RandomInversionBatch(0, 30), "invert_max"),
    ],
    ids=lambda value: type(value).__name__ if not isinstance(value, str) else value,
)
def test_stretch_longer_than_a_sequence_of_unknown_length(aug, argument):
    fn = tf.function(aug.augment, input_signature=[tf.TensorSpec([None, None, 4]), tf.TensorSpec([2], tf.int64)])
    with pytest.raises(tf.errors.InvalidArgumentError, match=rf"Expected `{argument}` <= the sequence length"):
        fn(tf.constant(random_onehot(2, 20)), tf.constant([1, 2], tf.int64))
    assert fn(tf.constant(random_onehot(2, 30)), tf.constant([1, 2], tf.int64)).shape == (2, 30, 4)


def test_translocation_longer_than_the_sequence_wraps_round():
    fn = tf.function(
        augment.RandomTranslocation(25, 30).augment,
        input_signature=[tf.TensorSpec([None, None, 4]), tf.TensorSpec([2], tf.int64)],
    )
    x = random_onehot(4, 20)
    out = fn(tf.constant(x), tf.constant([1, 2], tf.int64)).numpy()
    np.testing.assert_array_equal(out.sum(axis=1), x.sum(axis=1))  # a roll: composition kept
