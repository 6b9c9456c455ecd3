"""RobustModel: augmentation in training, padding at inference, finetuning, losses, saving."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import assert_onehot, random_onehot

from evoaug_tf import augment
from evoaug_tf.augment.base import AugmentBase
from evoaug_tf.evoaug import EvoAugment, RobustModel, choose_subsets, pad_random

L = 40


def tiny_cnn(input_shape, output_shape=2):
    inputs = keras.Input(input_shape)
    x = keras.layers.Conv1D(8, 5, padding="same", activation="relu")(inputs)
    x = keras.layers.GlobalMaxPooling1D()(x)
    return keras.Model(inputs, keras.layers.Dense(output_shape)(x))


def linear_probe(input_shape):
    """A deterministic model whose output changes whenever any input position changes."""
    inputs = keras.Input(input_shape)
    x = keras.layers.Flatten()(inputs)
    dense = keras.layers.Dense(1, use_bias=False)
    out = dense(x)
    model = keras.Model(inputs, out)
    dense.kernel.assign(np.random.default_rng(0).normal(size=dense.kernel.shape).astype("float32"))
    return model


def data(n=200, length=L, seed=0):
    x = random_onehot(n, length, seed)
    y = (x[:, :, 0].mean(1, keepdims=True) * np.array([[1.0, -1.0]])).astype("float32")
    return x, y


ITD = lambda: [  # noqa: E731
    augment.RandomInsertion(0, 6),
    augment.RandomTranslocation(0, 6),
    augment.RandomDeletion(0, 6),
]


@pytest.mark.slow  # about 2 s: the slow tier
def test_model_is_built_for_the_padded_length_and_predicts_on_length_l():
    model = RobustModel(tiny_cnn, (L, 4), augment_list=ITD())
    assert model.model.input_shape == (None, L + 6, 4)
    assert model.insert_max == 6 and model.input_length == L
    x, _ = data(10)
    assert model.predict(x, verbose=0).shape == (10, 2)
    padded = pad_random(tf.constant(x), 6, tf.constant([1, 1], tf.int64))
    assert model.predict(padded, verbose=0).shape == (10, 2)  # already padded input is accepted


def test_padding_is_random_dna_split_across_both_ends():
    x = tf.constant(random_onehot(5, L))
    padded = pad_random(x, 7, tf.constant([3, 4], tf.int64)).numpy()
    assert padded.shape == (5, L + 7, 4)
    np.testing.assert_array_equal(padded[:, 3 : 3 + L], x)
    assert_onehot(padded)


def test_augment_outputs_padded_one_hot_with_every_subset_size():
    model = RobustModel(tiny_cnn, (L, 4), augment_list=ITD(), max_augs_per_seq=2, hard_aug=True)
    out = model.augment(random_onehot(64, L))
    assert out.shape == (64, L + 6, 4)
    assert_onehot(out)


@pytest.mark.parametrize("hard", [True, False])
@pytest.mark.parametrize("per_batch", [False, True])
def test_subset_choice(hard, per_batch):
    chosen = choose_subsets(tf.constant([5, 5], tf.int64), 2000, 4, 3, hard, per_batch).numpy()
    counts = chosen.sum(1)
    if hard:
        assert np.all(counts == 3)
    else:
        assert counts.min() >= 1 and counts.max() <= 3
        if not per_batch:
            assert set(counts) == {1, 2, 3}
    if per_batch:
        assert np.all(chosen == chosen[0])
    else:
        assert abs(chosen.mean(0) - chosen.mean()).max() < 0.05  # every augmentation equally likely


def test_max_augs_per_seq_is_capped_at_the_list_length():
    model = RobustModel(tiny_cnn, (L, 4), augment_list=[augment.RandomRC()], max_augs_per_seq=3, hard_aug=True)
    assert model.max_augs_per_seq == 1


def test_one_subset_per_mini_batch_by_default_one_per_sequence_on_request():
    aug = [augment.RandomRC(rc_prob=1.0), augment.RandomMutation(0.0)]
    x = random_onehot(400, L)
    model = RobustModel(tiny_cnn, (L, 4), augment_list=aug, max_augs_per_seq=1, hard_aug=True)
    assert model.subset_mode == EvoAugment(aug).subset_mode == "batch"  # as evoaug-tf 1.0.3 and the paper
    for seed in range(4):
        flipped = np.all(model.augment(x, tf.constant([seed, 0])).numpy() == x[:, ::-1, ::-1], axis=(1, 2))
        assert flipped.all() or not flipped.any()
    model_sequence = RobustModel(
        tiny_cnn, (L, 4), augment_list=aug, max_augs_per_seq=1, hard_aug=True, subset_mode="sequence"
    )
    flipped = np.all(model_sequence.augment(x).numpy() == x[:, ::-1, ::-1], axis=(1, 2))
    assert 0.4 < flipped.mean() < 0.6  # about half of the sequences drew the RC


def test_finetune_mode_turns_augmentation_off_in_training_only():
    x, _ = data(8)
    model = RobustModel(linear_probe, (L, 4), augment_list=[augment.RandomRC(rc_prob=1.0)], max_augs_per_seq=1)
    plain = model.model(x).numpy()
    np.testing.assert_allclose(model(x, training=False), plain, rtol=1e-5)
    assert not np.allclose(model(x, training=True), plain)
    model.finetune_mode()
    assert model.finetune
    np.testing.assert_allclose(model(x, training=True), plain, rtol=1e-5)


@pytest.mark.slow  # about 1 s: the slow tier
def test_inference_aug_augments_at_prediction():
    x, _ = data(8)
    model = RobustModel(
        linear_probe, (L, 4), augment_list=[augment.RandomRC(rc_prob=1.0)], max_augs_per_seq=1, inference_aug=True
    )
    np.testing.assert_allclose(model.predict(x, verbose=0), model.model(x[:, ::-1, ::-1]).numpy(), rtol=1e-5)


@pytest.mark.slow
def test_reported_loss_and_metrics_are_correct():
    x, y = data(120)
    w = np.random.default_rng(1).uniform(0, 2, size=120).astype("float32")
    model = RobustModel(tiny_cnn, (L, 4), augment_list=[augment.RandomRC(), augment.RandomTranslocation(0, 4)])
    model.compile("adam", loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=2, batch_size=30, verbose=0)
    assert all(v > 0 for v in history.history["loss"])
    pred = model.predict(x, verbose=0)  # no insertion, no inference_aug: deterministic
    loss, mae = model.evaluate(x, y, batch_size=30, verbose=0)
    np.testing.assert_allclose(loss, np.mean((pred - y) ** 2), rtol=1e-4)
    np.testing.assert_allclose(mae, np.mean(np.abs(pred - y)), rtol=1e-4)
    weighted, _ = model.evaluate(x, y, sample_weight=w, batch_size=120, verbose=0)
    per_sample = np.mean((pred - y) ** 2, axis=1)
    np.testing.assert_allclose(weighted, np.sum(per_sample * w) / 120, rtol=1e-4)


@pytest.mark.slow
def test_sample_weight_is_honoured_in_training_and_validation():
    x, y = data(100)
    zero = np.zeros(100, "float32")
    model = RobustModel(tiny_cnn, (L, 4), augment_list=ITD())
    model.compile("adam", loss="mse")
    before = [w.numpy().copy() for w in model.trainable_weights]
    history = model.fit(x, y, sample_weight=zero, validation_data=(x, y, zero), epochs=1, batch_size=50, verbose=0)
    after = [w.numpy() for w in model.trainable_weights]
    for b, a in zip(before, after):
        np.testing.assert_allclose(a, b)  # weight 0: no gradient, Adam makes no step
    assert history.history["loss"] == [0.0] and history.history["val_loss"] == [0.0]


def test_gradients_with_respect_to_length_l_input():
    x = tf.constant(random_onehot(4, L))
    model = RobustModel(tiny_cnn, (L, 4), augment_list=ITD())
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = model(x)
    grad = tape.gradient(out, x)
    assert grad.shape == (4, L, 4) and np.any(grad.numpy() != 0)


@pytest.mark.slow  # about 1 s: the slow tier
def test_wrapping_a_built_keras_model():
    model = RobustModel(tiny_cnn((L + 6, 4)), augment_list=ITD())
    assert model.input_length == L
    assert model.predict(random_onehot(3, L), verbose=0).shape == (3, 2)


def test_model_func_kwargs_are_forwarded():
    model = RobustModel(tiny_cnn, (L, 4), augment_list=ITD(), output_shape=3)
    assert model.model.output_shape == (None, 3)


@pytest.mark.slow
def test_evoaug_tf_103_readme_example_runs(tmp_path):
    """The 1.0.3 README example, with `.weights.h5` file names (required by Keras 3)."""
    from evoaug_tf.metrics import PearsonR, SpearmanR

    x_train, y_train = data(200)
    x_valid, y_valid = data(50, seed=1)
    output_dir, exp_name, finetune_epochs, batch_size = str(tmp_path), "test", 1, 100
    Spearman, pearson_r = SpearmanR(num_tasks=2), PearsonR(num_tasks=2)  # noqa: N806
    import os

    from tensorflow import keras as tf_keras

    from evoaug_tf import augment as aug_module
    from evoaug_tf import evoaug as evoaug_module

    tf_keras.backend.clear_session()
    model_func = tiny_cnn
    input_shape = (L, 4)
    augment_list = [
        aug_module.RandomDeletion(delete_min=0, delete_max=30),
        aug_module.RandomRC(rc_prob=0.5),
        aug_module.RandomInsertion(insert_min=0, insert_max=20),
        aug_module.RandomTranslocation(shift_min=0, shift_max=20),
        aug_module.RandomNoise(noise_mean=0, noise_std=0.3),
        aug_module.RandomMutation(mutate_frac=0.05),
    ]
    model = evoaug_module.RobustModel(
        model_func, input_shape, augment_list=augment_list, max_augs_per_seq=1, hard_aug=True
    )
    model.compile(
        tf_keras.optimizers.Adam(learning_rate=0.001, weight_decay=1e-6), loss="mse", metrics=[Spearman, pearson_r]
    )
    es_callback = tf_keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=10, verbose=1, mode="min", restore_best_weights=True
    )
    reduce_lr = tf_keras.callbacks.ReduceLROnPlateau(
        monitor="val_loss", factor=0.1, patience=5, min_lr=1e-7, mode="min", verbose=1
    )
    save_path = os.path.join(output_dir, exp_name + "_aug.weights.h5")
    model.fit(
        x_train,
        y_train,
        epochs=2,
        batch_size=100,
        shuffle=True,
        validation_data=(x_valid, y_valid),
        callbacks=[es_callback, reduce_lr],
        verbose=0,
    )
    model.save_weights(save_path)
    finetune_optimizer = tf_keras.optimizers.Adam(learning_rate=0.0001, weight_decay=1e-6)
    model.finetune_mode(optimizer=finetune_optimizer)
    es_callback = tf_keras.callbacks.EarlyStopping(
        monitor="val_pearson_r", patience=5, verbose=1, mode="max", restore_best_weights=True
    )
    save_path = os.path.join(output_dir, exp_name + "_finetune.weights.h5")
    history = model.fit(
        x_train,
        y_train,
        epochs=finetune_epochs,
        batch_size=batch_size,
        shuffle=True,
        validation_data=(x_valid, y_valid),
        callbacks=[es_callback],
        verbose=0,
    )
    model.save_weights(save_path)
    assert model.optimizer is finetune_optimizer
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-4)
    assert np.isfinite(history.history["val_loss"][0]) and history.history["loss"][0] > 0
    assert -1 <= history.history["val_pearson_r"][0] <= 1


def test_finetune_mode_learning_rate_and_lr_alias():
    model = RobustModel(tiny_cnn, (L, 4), augment_list=ITD())
    model.compile(keras.optimizers.Adam(1e-3), loss="mse")
    model.finetune_mode(learning_rate=1e-4)
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-4)
    model.finetune_mode(lr=1e-5)
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-5)


@pytest.mark.slow  # about 3 s: the slow tier
def test_weights_round_trip(tmp_path):
    x, y = data(60)
    model = RobustModel(tiny_cnn, (L, 4), augment_list=[augment.RandomRC()])
    model.compile("adam", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    model.save_weights(tmp_path / "m.weights.h5")
    other = RobustModel(tiny_cnn, (L, 4), augment_list=[augment.RandomRC()])
    other.load_weights(tmp_path / "m.weights.h5")
    np.testing.assert_allclose(other.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5)


@pytest.mark.slow
def test_full_model_round_trip_keeps_the_augment_list(tmp_path):
    x, y = data(60)
    augs = [augment.RandomRC(0.3), augment.RandomInsertionBatch(1, 6), augment.RandomMutation(0.1, seed=3)]
    model = RobustModel(tiny_cnn, (L, 4), augment_list=augs, max_augs_per_seq=2, hard_aug=True, subset_mode="batch")
    model.compile("adam", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    model.finetune_mode()
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert isinstance(loaded, RobustModel)
    assert loaded.augment_list == augs
    assert (loaded.max_augs_per_seq, loaded.hard_aug, loaded.subset_mode, loaded.finetune) == (2, True, "batch", True)
    padded = pad_random(tf.constant(x), 6, tf.constant([1, 2], tf.int64))
    np.testing.assert_allclose(loaded.predict(padded, verbose=0), model.predict(padded, verbose=0), rtol=1e-5)


class ReverseOnly(AugmentBase):
    """A custom augmentation written the evoaug-tf 1.0.3 way: only __call__."""

    def __init__(self, prob):
        self.prob = prob

    def __call__(self, x):
        flip = tf.random.uniform([tf.shape(x)[0], 1, 1]) < self.prob
        return tf.where(flip, tf.reverse(x, axis=[1]), x)


@pytest.mark.slow  # about 2 s: the slow tier
def test_custom_augmentation_the_103_way():
    x, y = data(64)
    assert ReverseOnly(1.0)(x).shape == x.shape
    model = RobustModel(tiny_cnn, (L, 4), augment_list=[ReverseOnly(0.5), augment.RandomInsertion(0, 4)])
    model.compile("adam", loss="mse")
    history = model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert model.augment(x).shape == (64, L + 4, 4)


@pytest.mark.slow
def test_same_seed_same_training_run():
    x, y = data(100)

    def run():
        keras.utils.set_random_seed(7)
        model = RobustModel(tiny_cnn, (L, 4), augment_list=ITD(), max_augs_per_seq=2)
        model.compile("adam", loss="mse")
        model.fit(x, y, epochs=2, batch_size=25, verbose=0)
        return model.get_weights()

    for a, b in zip(run(), run()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"augment_list": [augment.RandomRC]}, r"Received: the class RandomRC.*did you mean RandomRC\(\)"),
        ({"augment_list": [None]}, r"augment_list\[0\]=None"),
        ({"augment_list": ["rc"]}, r"augment_list\[0\]='rc'"),
        (
            {"augment_list": [augment.RandomRC()], "max_augs_per_seq": 0},
            r"max_augs_per_seq.*>= 1.*Received: max_augs_per_seq=0",
        ),
        (
            {"augment_list": [augment.RandomRC()], "subset_mode": "mini-batch"},
            r"subset_mode.*Received: subset_mode='mini-batch'",
        ),
        ({"augment_list": [augment.RandomDeletion(0, 50)]}, r"delete_max.*Received: delete_max=50"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        RobustModel(tiny_cnn, (L, 4), **kwargs)


@pytest.mark.parametrize("shape", [(L,), (L, 4, 1), ("40", 4), (0, 4)])
def test_bad_input_shape(shape):
    with pytest.raises(ValueError, match=r"input_shape.*\(length, alphabet\)"):
        RobustModel(tiny_cnn, shape, augment_list=ITD())


def test_model_func_must_return_a_model():
    with pytest.raises(ValueError, match=r"model_func.*keras.Model"):
        RobustModel(lambda shape: "not a model", (L, 4))


def test_1_0_3_module_layout():
    from evoaug_tf import augment as a
    from evoaug_tf import evoaug as e

    assert e.RobustModel is RobustModel
    assert e.augment_max_len([a.RandomInsertion(0, 7), a.RandomRC()]) == 7
    import evoaug_tf

    assert evoaug_tf.RobustModel is RobustModel


@pytest.mark.slow  # about 4 s: the slow tier
def test_predict_after_a_relaxed_retrace_on_both_lengths():
    """Keras relaxes the traced shape after a second input length; both lengths must still work."""
    model = RobustModel(tiny_cnn, (L, 4), augment_list=ITD())
    x = random_onehot(8, L)
    padded = pad_random(tf.constant(x), 6, tf.constant([1, 2], tf.int64))
    for _ in range(2):
        assert model.predict(x, verbose=0).shape == (8, 2)
        assert model.predict(padded, verbose=0).shape == (8, 2)
    fn = tf.function(lambda t: model(t), input_signature=[tf.TensorSpec([None, None, 4], tf.float32)])
    np.testing.assert_allclose(fn(padded), model(padded), rtol=1e-5)
    assert fn(tf.constant(x)).shape == (8, 2)


def flatten_cnn(input_shape):
    """DeepSTARR's shape in miniature: convolutions, then Flatten, which needs to know the length."""
    inputs = keras.Input(input_shape)
    x = keras.layers.Conv1D(4, 5, padding="same", activation="relu")(inputs)
    x = keras.layers.MaxPooling1D(2)(x)
    x = keras.layers.Flatten()(x)
    return keras.Model(inputs, keras.layers.Dense(2)(x))


def test_a_flatten_model_predicts_on_length_l_then_on_padded_input():
    """Colab's Keras 3.10 (#21.6): predict(L) then predict(padded) retraced with an unknown length, and
    Flatten failed ("Only one input size may be -1, not both 0 and 1"), as in notebooks 00 and 07."""
    model = RobustModel(flatten_cnn, (L, 4), augment_list=ITD())
    x = random_onehot(50, L)  # two batch shapes (32 and 18): the second predict relaxes the trace
    padded = pad_random(tf.constant(x[:16]), 6, tf.constant([1, 2], tf.int64))
    first = model.predict(x, verbose=0)
    np.testing.assert_allclose(model.predict(padded, verbose=0), model.model(padded).numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict(x, verbose=0), first, rtol=1e-5, atol=1e-6)


class AddConstant(AugmentBase):
    """Adds ``value`` everywhere: the sum of a sequence tells which of these it received."""

    keeps_onehot = False

    def __init__(self, value, seed=None):
        super().__init__(seed)
        self.value = value

    def sample(self, shape, seed):
        return {"unused": tf.zeros([shape[0]])}

    def apply(self, x, params):
        return x + self.value


def counting_model(input_shape):
    """Output ``1 + 4 * S``: ``S`` the sum of the constants added (one-hot sums to 1 per position)."""
    inputs = keras.Input(input_shape)
    total = keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")  # trained at learning rate 0
    return keras.Model(inputs, total(keras.layers.GlobalAveragePooling1D()(inputs)))


def received(model, x):
    """``(N,)`` number of augmentations each sequence got at prediction (the digits of 1, 10, 100)."""
    added = np.rint((model.predict(x, batch_size=len(x), verbose=0)[:, 0] - 1) / 4).astype(int)
    return np.array([sum(digit != "0" for digit in str(value)) for value in added])


def test_settings_changed_after_fit_and_predict_take_effect_without_a_retrace(monkeypatch):
    """hard_aug, max_augs_per_seq, subset_mode and inference_aug are variables read by the compiled steps."""
    x = random_onehot(60, L)
    y = np.zeros((60, 1), "float32")
    marks = [AddConstant(1), AddConstant(10), AddConstant(100)]
    model = RobustModel(
        counting_model, (L, 4), augment_list=marks, max_augs_per_seq=3, hard_aug=True, subset_mode="sequence", seed=1
    )
    model.compile(keras.optimizers.SGD(0.0), loss="mae")
    traces = []
    original = RobustModel._prepare
    monkeypatch.setattr(RobustModel, "_prepare", lambda self, *a: traces.append(1) or original(self, *a))
    fit = lambda: model.fit(x, y, batch_size=60, epochs=1, verbose=0).history["loss"][0]  # noqa: E731
    assert fit() == pytest.approx(1 + 4 * 111)  # every sequence got all three
    np.testing.assert_array_equal(received(model, x), 0)  # prediction pads only
    traced = len(traces)

    model.hard_aug = False  # now 1 to 3 per sequence
    assert fit() < 1 + 4 * 111
    model.inference_aug = True  # prediction augments too
    counts = received(model, x)
    assert counts.min() >= 1 and set(counts) == {1, 2, 3}
    model.max_augs_per_seq = 1
    np.testing.assert_array_equal(received(model, x), 1)
    model.hard_aug, model.max_augs_per_seq, model.subset_mode = True, 2, "batch"
    added = model.predict(x, batch_size=60, verbose=0)
    assert np.all(added == added[0])  # one subset for the whole batch
    np.testing.assert_array_equal(received(model, x), 2)
    model.subset_mode = "sequence"
    assert len(set(model.predict(x, batch_size=60, verbose=0)[:, 0])) > 1
    model.inference_aug = False
    np.testing.assert_array_equal(received(model, x), 0)
    assert len(traces) == traced  # the same compiled train and predict steps throughout
    assert model.get_config()["max_augs_per_seq"] == 2 and model.augmenter.get_config()["subset_mode"] == "sequence"


@pytest.mark.parametrize(
    "setting, value, match",
    [
        ("hard_aug", "yes", r"Expected `hard_aug` to be True or False. Received: hard_aug='yes'"),
        ("inference_aug", 1, r"Expected `inference_aug` to be True or False. Received: inference_aug=1"),
        ("max_augs_per_seq", 0, r"max_augs_per_seq.*>= 1.*Received: max_augs_per_seq=0"),
        ("subset_mode", "mini-batch", r"subset_mode.*Received: subset_mode='mini-batch'"),
    ],
)
def test_a_bad_setting_is_refused_when_set(setting, value, match):
    model = RobustModel(tiny_cnn, (L, 4), augment_list=ITD())
    before = getattr(model, setting)
    with pytest.raises(ValueError, match=match):
        setattr(model, setting, value)
    assert getattr(model, setting) == before


@pytest.mark.slow
def test_no_retracing_between_epochs_or_when_switching_to_finetuning(monkeypatch):
    x, y = data(120)
    model = RobustModel(tiny_cnn, (L, 4), augment_list=ITD(), max_augs_per_seq=2)
    model.compile("adam", loss="mse")
    traces = []
    original = RobustModel._prepare
    monkeypatch.setattr(RobustModel, "_prepare", lambda self, *a: traces.append(1) or original(self, *a))
    model.fit(x, y, epochs=1, batch_size=40, verbose=0)
    after_first_epoch = len(traces)
    model.fit(x, y, epochs=3, batch_size=40, verbose=0)
    model.finetune_mode(learning_rate=1e-4)  # the stage flag is a variable: same graph
    model.fit(x, y, epochs=2, batch_size=40, verbose=0)
    assert len(traces) == after_first_epoch


@pytest.mark.slow
def test_trains_under_xla_with_all_seven_augmentations():
    """On a GPU Keras compiles the train step with XLA (jit_compile="auto"); force it here on the CPU."""
    augs = [
        augment.RandomRC(),
        augment.RandomInsertion(0, 6),
        augment.RandomTranslocation(0, 5),
        augment.RandomDeletion(0, 8),
        augment.RandomInversion(0, 5),
        augment.RandomMutation(0.1),
        augment.RandomNoise(),
    ]
    model = RobustModel(tiny_cnn, (L, 4), augment_list=augs, max_augs_per_seq=3)
    model.compile("adam", loss="mse", jit_compile=True)
    x, y = data(90)
    history = model.fit(x, y, epochs=2, batch_size=40, verbose=0)  # batches of 40, 40 and 10
    assert np.all(np.isfinite(history.history["loss"]))
    model.finetune_mode(learning_rate=1e-4)
    assert np.isfinite(model.fit(x, y, epochs=1, batch_size=40, verbose=0).history["loss"][0])
    assert model.predict(x[:7], verbose=0).shape == (7, 2)


HOST_OPS = {"PyFunc", "EagerPyFunc", "NumpyFunction", "PyFuncStateless"}


@pytest.mark.slow
@pytest.mark.parametrize("batch_mode", [False, True])
def test_the_train_step_stays_in_the_graph(batch_mode):
    """No Python or NumPy call inside the traced train step: nothing goes back to the host."""
    augs = [augment.RandomRC(), augment.RandomMutation(), augment.RandomNoise()] + (
        [augment.RandomInsertionBatch(0, 6), augment.RandomTranslocationBatch(0, 5), augment.RandomDeletionBatch(0, 8)]
        if batch_mode
        else ITD()
    )
    model = RobustModel(tiny_cnn, (L, 4), augment_list=augs, max_augs_per_seq=3)
    model.compile("adam", loss="mse")
    x, y = data(40)
    model.fit(x, y, epochs=1, batch_size=20, verbose=0)  # builds the optimizer's variables
    specs = (tf.TensorSpec((None, L, 4), tf.float32), tf.TensorSpec((None, 2), tf.float32))
    graph_def = tf.function(model.train_step).get_concrete_function(specs).graph.as_graph_def()
    op_types = {node.op for node in graph_def.node}  # and inside tf.cond branches and other functions:
    op_types |= {node.op for function in graph_def.library.function for node in function.node_def}
    assert {"GatherV2", "StatelessRandomUniformV2"} <= op_types  # the augmentations are in it
    assert not op_types & HOST_OPS, f"host round-trips in the train step: {op_types & HOST_OPS}"
    assert not {"While", "StatelessWhile"} & op_types, "no loop over sequences"


@pytest.mark.slow  # about 2 s: the slow tier
def test_predictions_repeat_with_insertion_padding():
    model = RobustModel(tiny_cnn, (L, 4), augment_list=ITD())
    x = random_onehot(50, L)
    first = model.predict(x, batch_size=16, verbose=0)
    np.testing.assert_array_equal(first, model.predict(x, batch_size=16, verbose=0))
    np.testing.assert_array_equal(model(x).numpy(), model(x).numpy())


@pytest.mark.slow
def test_train_two_stage_calls_back_between_the_stages():
    from evoaug_tf.training import Protocol, train_two_stage

    model = RobustModel(tiny_cnn, (L, 4), augment_list=ITD(), max_augs_per_seq=2)
    model.compile("adam", loss="mse")
    x, y = data(60)
    seen = []
    protocol = Protocol(epochs=2, finetune_epochs=1)
    stage1, stage2 = train_two_stage(
        model, (x, y), (x[:20], y[:20]), protocol, verbose=0, on_stage1_end=lambda m: seen.append((m, m.finetune))
    )
    assert seen == [(model, False)]  # once, after augmented training and before finetuning
    assert model.finetune and len(stage1.history["loss"]) == 2 and len(stage2.history["loss"]) == 1


@pytest.mark.slow  # about 11 s: the slow tier
@pytest.mark.parametrize("choice", ["keep", "fresh"])
def test_finetuning_keeps_the_stage1_optimizer_or_starts_a_fresh_one(choice):
    """ "keep" (the ChIP-seq analysis): the stage-1 Adam goes on, only its learning rate set; "fresh": a new Adam."""
    from evoaug_tf.training import Protocol, train_two_stage

    keras.utils.set_random_seed(0)
    model = RobustModel(tiny_cnn, (L, 4), augment_list=ITD(), max_augs_per_seq=2)
    model.compile(keras.optimizers.Adam(1e-3), loss="mse")
    stage1_optimizer = model.optimizer
    x, y = data(60)
    protocol = Protocol(batch_size=20, epochs=2, patience=5, finetune_epochs=1, finetune_optimizer=choice)
    seen = []
    train_two_stage(model, (x, y), (x[:20], y[:20]), protocol, verbose=0, on_stage1_end=lambda m: seen.append(1))
    assert seen == [1] and model.finetune
    assert float(model.optimizer.learning_rate) == pytest.approx(protocol.finetune_learning_rate)
    # 3 steps per epoch: 2 epochs of stage 1, then 1 of finetuning.
    if choice == "keep":
        assert model.optimizer is stage1_optimizer and int(model.optimizer.iterations) == 3 * 2 + 3
    else:
        assert model.optimizer is not stage1_optimizer and int(model.optimizer.iterations) == 3
        assert int(stage1_optimizer.iterations) == 3 * 2


def test_protocols_of_the_down_sampling_and_chip_experiments():
    from evoaug_tf import sizes
    from evoaug_tf.training import PAPER_PROTOCOL, Protocol

    assert PAPER_PROTOCOL.finetune_patience == 5 and PAPER_PROTOCOL.finetune_optimizer == "fresh"
    downsample, chip = sizes.downsample_protocol("paper"), sizes.chip_protocol("paper")
    assert downsample == Protocol(finetune_patience=3)  # Fig. 1g: only the finetuning patience differs
    assert chip == Protocol(finetune_patience=3, finetune_optimizer="keep")
    assert sizes.downsample_protocol("quick").finetune_patience == 2  # a lower cap of the size stays
    with pytest.raises(ValueError, match=r"finetune_optimizer.*Received: finetune_optimizer='reuse'"):
        Protocol(finetune_optimizer="reuse")


def test_down_sampling_repeats_small_synthetic_sets_to_the_full_sets_epoch():
    from evoaug_tf import sizes

    assert sizes.downsample_protocol("offline") == sizes.get("offline").protocol  # patience 3 already
    assert sizes.downsample_repeats("offline", 5000) == 1  # the full set: notebook 03's run
    assert sizes.downsample_repeats("offline", 1250) == 4  # 4 x 1,250 = one epoch of 5,000
    assert sizes.downsample_repeats("offline", 500) == 10
    assert sizes.downsample_repeats("offline", 2000) == 3  # ceil(5000 / 2000): 6,000 rows per epoch
    assert sizes.downsample_repeats("paper", 25_000) == sizes.downsample_repeats("class", 25_000) == 1
    assert sizes.downsample_repeats("offline", np.int64(1250)) == 4
    for bad in (0, 2.5, True):
        with pytest.raises(ValueError, match=rf"Received: train_sequences={bad!r}"):
            sizes.downsample_repeats("offline", bad)


# --------------------------------------------------------------------------- EvoAugment, checks (#14, #15.6)


def evo_functional(augment_list, length=L):
    inputs = keras.Input((length, 4))
    x = EvoAugment(augment_list, max_augs_per_seq=1, hard_aug=True, seed=3)(inputs)
    x = keras.layers.Conv1D(4, 5, padding="same", activation="relu")(x)
    x = keras.layers.GlobalMaxPooling1D()(x)
    return keras.Model(inputs, keras.layers.Dense(2)(x))


@pytest.mark.slow  # about 4 s: the slow tier
def test_evoaugment_in_a_functional_model_trains_augments_only_in_training_and_saves(tmp_path):
    x, y = data(64)
    model = evo_functional([augment.RandomInsertion(0, 5), augment.RandomRC()])
    assert model.output_shape == (None, 2)
    layer = model.layers[1]
    assert isinstance(layer, EvoAugment) and layer.compute_output_shape((None, L, 4)) == (None, L + 5, 4)
    model.compile("adam", loss="mse")
    history = model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    # inference: fixed padding, same output twice; training: a new draw each call
    np.testing.assert_allclose(model(x[:8], training=False), model(x[:8], training=False), rtol=1e-6)
    padded = layer(x[:8], training=False).numpy()
    assert padded.shape == (8, L + 5, 4)
    np.testing.assert_array_equal(padded[:, 2 : 2 + L], x[:8])  # the original, between the paddings
    assert not np.array_equal(layer(x[:8], training=True).numpy(), layer(x[:8], training=True).numpy())
    model.save(tmp_path / "functional.keras")
    loaded = keras.models.load_model(tmp_path / "functional.keras")
    assert loaded.layers[1].augment_list == layer.augment_list
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5)


def test_robust_model_uses_an_evoaugment_layer():
    model = RobustModel(tiny_cnn, (L, 4), augment_list=ITD(), max_augs_per_seq=2)
    assert isinstance(model.augmenter, EvoAugment)
    assert model.augmenter.insert_max == model.insert_max == 6
    model.finetune_mode()
    assert model.augmenter.finetune and model.finetune


class Grow:
    """An evoaug-tf 1.0.3-style augmentation that is not an AugmentBase: __call__ and insert_max only."""

    insert_max = 3

    def __call__(self, x):
        return tf.concat([x, x[:, :3]], axis=1)


@pytest.mark.slow  # about 2 s: the slow tier
def test_a_103_style_augmentation_that_lengthens_is_counted():
    model = RobustModel(tiny_cnn, (L, 4), augment_list=[Grow(), augment.RandomRC()], max_augs_per_seq=2, hard_aug=True)
    assert model.insert_max == 3 and model.model.input_shape == (None, L + 3, 4)
    x, y = data(40)
    out = model.augment(x).numpy()
    assert out.shape == (40, L + 3, 4)
    model.compile("adam", loss="mse")
    assert np.isfinite(model.fit(x, y, epochs=1, batch_size=20, verbose=0).history["loss"][0])


def test_an_augmentbase_subclass_with_its_own_call_and_insert_max_is_counted():
    class GrowBase(AugmentBase):
        insert_max = 2

        def __call__(self, x):
            return tf.concat([x, x[:, :2]], axis=1)

    model = RobustModel(tiny_cnn, (L, 4), augment_list=[GrowBase()], max_augs_per_seq=1)
    assert model.insert_max == 2 and model.augment(data(4)[0]).shape == (4, L + 2, 4)


def test_predict_on_an_empty_batch_gives_an_empty_result():
    model = RobustModel(tiny_cnn, (L, 4), augment_list=ITD())
    out = model.predict(np.zeros((0, L, 4), "float32"), verbose=0)
    assert out.shape == (0, 2)


@pytest.mark.slow  # about 2 s: the slow tier
def test_fit_on_padded_sequences_is_refused_and_plain_length_trains():
    model = RobustModel(tiny_cnn, (L, 4), augment_list=ITD())
    model.compile("adam", loss="mse")
    x, y = data(20)
    with pytest.raises(ValueError, match=r"pads \(and augments\) them to 46.*length 46"):
        model.fit(np.zeros((20, L + 6, 4), "float32"), y, verbose=0)
    model.fit(x, y, epochs=1, verbose=0)


def test_saving_an_unregistered_augmentation_warns_and_loading_names_the_cure(tmp_path):
    class Unregistered(AugmentBase):
        def __call__(self, x):
            return x

    model = RobustModel(tiny_cnn, (L, 4), augment_list=[Unregistered(), augment.RandomRC()])
    with pytest.warns(UserWarning, match=r"\['Unregistered'\].*custom_objects"):
        model.save(tmp_path / "m.keras")
    with pytest.raises(TypeError, match=r"Could not rebuild the augmentation 'Unregistered'.*custom_objects"):
        keras.models.load_model(tmp_path / "m.keras")


def test_finetune_mode_checks_come_before_switching():
    model = RobustModel(tiny_cnn, (L, 4), augment_list=ITD())
    with pytest.raises(ValueError, match="learning_rate"):
        model.finetune_mode(learning_rate=1e-4)  # not compiled
    assert not model.finetune  # nothing half done
