"""RobustModel's core guarantees in the fast tier: tiny models, a few steps each.

Loss and metrics as reported, sample weights, save and load, seeding, and no retrace. The larger
versions in tests/test_robust_model.py are marked slow; these run in every ``pytest -m "not slow"``.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import random_onehot, tiny_cnn

from evoaug_tf import augment
from evoaug_tf.evoaug import RobustModel

L = 24
N = 48
BATCH = 16


def data(n=N, seed=0):
    x = random_onehot(n, L, seed)
    y = np.stack([x[:, :, 0].mean(1), x[:, :, 3].mean(1)], axis=1).astype("float32")
    return x, y


class CountedRC(augment.RandomRC):
    """RandomRC that counts how often its Python ``sample`` runs: once per trace, never per step."""

    traces = 0

    def sample(self, shape, seed):
        type(self).traces += 1
        return super().sample(shape, seed)


def test_loss_and_metrics_are_reported_as_computed_and_training_does_not_retrace():
    x, y = data()
    weights = np.random.default_rng(1).uniform(0, 2, size=N).astype("float32")
    CountedRC.traces = 0
    model = RobustModel(tiny_cnn, (L, 4), augment_list=[CountedRC(), augment.RandomTranslocation(0, 3)])
    model.compile("adam", loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=1, batch_size=BATCH, verbose=0)
    traced = CountedRC.traces
    assert traced >= 1  # the train step was traced, with the augmentation in it
    assert np.isfinite(history.history["loss"][0]) and history.history["loss"][0] > 0

    pred = model.predict(x, verbose=0)  # no insertion, no inference_aug: deterministic
    loss, mae = model.evaluate(x, y, batch_size=N, verbose=0)
    np.testing.assert_allclose(loss, np.mean((pred - y) ** 2), rtol=1e-4)
    np.testing.assert_allclose(mae, np.mean(np.abs(pred - y)), rtol=1e-4)
    weighted, _ = model.evaluate(x, y, sample_weight=weights, batch_size=N, verbose=0)
    np.testing.assert_allclose(weighted, np.sum(np.mean((pred - y) ** 2, axis=1) * weights) / N, rtol=1e-4)
    assert not np.isclose(weighted, loss, rtol=1e-3)  # the weights did change the reported loss

    # predict and evaluate trace steps of their own (inference_aug is a variable, so the augmentation is in
    # them too); from here on nothing may trace again.
    traced = CountedRC.traces
    model.fit(x, y, epochs=2, batch_size=BATCH, verbose=0)
    model.finetune_mode(learning_rate=1e-4)  # the stage flag is a variable: same graph
    model.fit(x, y, epochs=1, batch_size=BATCH, verbose=0)
    assert CountedRC.traces == traced


def test_zero_sample_weights_make_no_step_and_report_zero_loss():
    x, y = data()
    model = RobustModel(tiny_cnn, (L, 4), augment_list=[augment.RandomInsertion(0, 4), augment.RandomDeletion(0, 4)])
    model.compile("adam", loss="mse")
    before = [w.numpy().copy() for w in model.trainable_weights]
    zero = np.zeros(N, "float32")
    history = model.fit(x, y, sample_weight=zero, validation_data=(x, y, zero), epochs=1, batch_size=BATCH, verbose=0)
    for b, a in zip(before, model.trainable_weights):
        np.testing.assert_array_equal(a.numpy(), b)  # weight 0: zero gradient, Adam makes no step
    assert history.history["loss"] == [0.0] and history.history["val_loss"] == [0.0]


def test_saved_and_loaded_model_keeps_its_settings_and_predicts_the_same(tmp_path):
    x, y = data()
    augs = [augment.RandomRC(0.3), augment.RandomInsertionBatch(1, 4), augment.RandomMutation(0.1, seed=3)]
    model = RobustModel(tiny_cnn, (L, 4), augment_list=augs, max_augs_per_seq=2, hard_aug=True, subset_mode="batch")
    model.compile("adam", loss="mse")
    model.finetune_mode()
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert isinstance(loaded, RobustModel) and loaded is not model
    assert loaded.augment_list == augs and set(loaded.augment_list) == set(augs)
    assert (loaded.max_augs_per_seq, loaded.hard_aug, loaded.subset_mode, loaded.finetune) == (2, True, "batch", True)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5)
    for saved, restored in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(saved, restored)


def seeded_model(seed):
    keras.utils.set_random_seed(seed)
    model = RobustModel(
        tiny_cnn, (L, 4), augment_list=[augment.RandomInsertion(0, 4), augment.RandomRC()], max_augs_per_seq=1
    )
    model.compile("adam", loss="mse")
    return model


def train_once(seed):
    x, y = data()
    model = seeded_model(seed)
    history = model.fit(x, y, epochs=1, batch_size=BATCH, verbose=0)
    return model.get_weights(), history.history["loss"], model.augment(x[:8])


def test_same_seed_same_run_and_another_seed_another_run():
    weights, loss, augmented = train_once(7)
    again_weights, again_loss, again_augmented = train_once(7)
    assert loss == again_loss
    for a, b in zip(weights, again_weights):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(augmented, again_augmented)
    other = seeded_model(8)  # another seed: other initial weights and another augmentation draw
    assert any(not np.array_equal(a, b) for a, b in zip(seeded_model(7).get_weights(), other.get_weights()))
    assert not np.array_equal(other.augment(data()[0][:8]), seeded_model(7).augment(data()[0][:8]))


@pytest.mark.parametrize("inference_aug", [False, True])
def test_predict_traces_once_per_input_length(inference_aug):
    x, _ = data(16)
    CountedRC.traces = 0
    model = RobustModel(tiny_cnn, (L, 4), augment_list=[CountedRC(rc_prob=1.0)], inference_aug=inference_aug)
    first = model.predict(x, verbose=0)
    traced = CountedRC.traces  # inference_aug is a variable: the augmentation is in the graph either way,
    # and the last line checks that predict augments only when asked to
    second = model.predict(x, verbose=0)
    assert CountedRC.traces == traced
    np.testing.assert_allclose(first, second, rtol=1e-6)  # rc_prob=1 flips every time: the same output
    np.testing.assert_allclose(first, model.model(tf.reverse(x, [1, 2]) if inference_aug else x), rtol=1e-5)
