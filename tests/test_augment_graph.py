"""Augmentations in tf.function and tf.data: the golden cases (the rest is in test_augment_contract.py)."""

import numpy as np
import pytest
import tensorflow as tf
from conftest import assert_onehot, random_onehot

from evoaug_tf import augment

SEED = tf.constant([1, 2], tf.int64)

# Graph mode, XLA, no loop, unknown batch size and tf.data for every augmentation: test_augment_contract.py.


def test_unknown_batch_size_in_graph():
    fn = tf.function(
        lambda x, s: augment.RandomInsertion(0, 5).augment(x, s),
        input_signature=[tf.TensorSpec([None, 40, 4], tf.float32), tf.TensorSpec([2], tf.int64)],
    )
    assert fn(tf.constant(random_onehot(3, 40)), SEED).shape == (3, 45, 4)


@pytest.mark.slow  # about 1 s: the slow tier
def test_inside_tf_data_map():
    x = random_onehot(64, 50).astype("uint8")
    aug = augment.RandomDeletion(0, 10, seed=5)
    ds = tf.data.Dataset.from_tensor_slices(x).batch(16).map(lambda b: aug(tf.cast(b, tf.float32)))
    batches = list(ds)
    assert len(batches) == 4 and all(b.shape == (16, 50, 4) for b in batches)
    assert_onehot(np.concatenate(batches))
