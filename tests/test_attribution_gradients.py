"""Saliency, Integrated Gradients, expected gradients, DeepSHAP: known answers, completeness, errors."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import random_onehot

from evoaug_tf import attribution, augment, evoaug
from evoaug_tf.attribution import gradients

L = 24


def linear_model(length=L, tasks=2):
    """Dense on the flattened one-hot, no bias: f(x) = <W, x>, so the saliency is W."""
    return keras.Sequential(
        [keras.Input((length, 4)), keras.layers.Flatten(), keras.layers.Dense(tasks, use_bias=False)]
    )


def weights(model, length=L):
    return model.layers[-1].kernel.numpy().reshape(length, 4, -1)


def small_cnn(length=L, tasks=3):
    inputs = keras.Input((length, 4))
    h = keras.layers.Conv1D(6, 5, padding="same", activation="relu")(inputs)
    h = keras.layers.MaxPooling1D(2)(h)
    h = keras.layers.Flatten()(h)
    h = keras.layers.Dense(8, activation="tanh")(h)
    return keras.Model(inputs, keras.layers.Dense(tasks)(h))


def smooth_cnn(length=L, tasks=3):
    """Differentiable everywhere (tanh, average pooling, softplus), so path integrals converge fast."""
    inputs = keras.Input((length, 4))
    h = keras.layers.Conv1D(6, 5, padding="same", activation="tanh")(inputs)
    h = keras.layers.AveragePooling1D(2)(h)
    h = keras.layers.Flatten()(h)
    h = keras.layers.Dense(8, activation="softplus")(h)
    return keras.Model(inputs, keras.layers.Dense(tasks)(h))


def cropping_robust_model(length=L, insert_max=6, tasks=2):
    """RobustModel whose wrapped model crops the padding away, so ``model(x)`` is deterministic."""
    left = insert_max // 2

    def model_func(input_shape, output_shape=tasks):
        inputs = keras.Input(input_shape)
        h = keras.layers.Cropping1D((left, insert_max - left))(inputs)
        h = keras.layers.Flatten()(h)
        return keras.Model(inputs, keras.layers.Dense(output_shape, use_bias=False)(h))

    model = evoaug.RobustModel(model_func, (length, 4), augment_list=[augment.RandomInsertion(0, insert_max)])
    return model, model.model.layers[-1].kernel.numpy().reshape(length, 4, tasks)


def test_saliency_of_a_linear_model_is_its_weights_for_every_task():
    model, x = linear_model(), random_onehot(10, L)
    for task in (0, 1):
        expected = np.broadcast_to(weights(model)[..., task], x.shape)
        np.testing.assert_allclose(attribution.saliency(model, x, task=task), expected, rtol=1e-6, atol=1e-7)


def test_saliency_batches_agree_and_uint8_input_works():
    model, x = small_cnn(), random_onehot(13, L, seed=1)
    whole = attribution.saliency(model, x, task=1)
    batched = attribution.saliency(model, x.astype(np.uint8), task=1, batch_size=4, progress=True)
    np.testing.assert_allclose(batched, whole, rtol=1e-5, atol=1e-7)
    x_tensor = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x_tensor)
        out = model(x_tensor, training=False)[:, 1]
    np.testing.assert_allclose(whole, tape.gradient(out, x_tensor).numpy(), rtol=1e-5, atol=1e-7)


def test_the_gradient_function_is_traced_once_per_model_and_length():
    model = small_cnn()
    attribution.saliency(model, random_onehot(5, L), batch_size=3)
    attribution.saliency(model, random_onehot(7, L), task=2, batch_size=4)
    (function,) = [f for key, f in gradients._FUNCTIONS[model].items() if key[0] == "saliency"]
    assert function.experimental_get_tracing_count() == 1


@pytest.mark.slow  # about 1 s: the slow tier
@pytest.mark.parametrize("baseline", [None, "zeros", "uniform", "array"])
def test_integrated_gradients_complete(baseline):
    model, x = smooth_cnn(), random_onehot(6, L, seed=2)
    reference = {
        None: np.zeros_like(x),
        "zeros": np.zeros_like(x),
        "uniform": np.full_like(x, 0.25),
        "array": random_onehot(1, L, seed=9)[0],
    }[baseline]
    ig = attribution.integrated_gradients(
        model, x, task=2, baseline=reference if baseline == "array" else baseline, steps=200, batch_size=4
    )
    reference = np.broadcast_to(reference, x.shape)
    expected = model(x).numpy()[:, 2] - model(reference).numpy()[:, 2]
    np.testing.assert_allclose(ig.sum(axis=(1, 2)), expected, rtol=1e-4, atol=1e-4)


def test_integrated_gradients_of_a_linear_model_is_weights_times_input_and_multipliers_are_weights():
    model, x = linear_model(), random_onehot(4, L)
    w = weights(model)[..., 0]
    np.testing.assert_allclose(attribution.integrated_gradients(model, x, steps=3), x * w, rtol=1e-5, atol=1e-7)
    multipliers = attribution.integrated_gradients(model, x, steps=3, multiply_by_inputs=False)
    np.testing.assert_allclose(multipliers, np.broadcast_to(w, x.shape), rtol=1e-5, atol=1e-7)


def test_shuffle_baseline_is_seeded():
    model, x = small_cnn(), random_onehot(4, L, seed=3)
    first = attribution.integrated_gradients(model, x, baseline="shuffle", steps=8, seed=1)
    again = attribution.integrated_gradients(model, x, baseline="shuffle", steps=8, seed=1)
    other = attribution.integrated_gradients(model, x, baseline="shuffle", steps=8, seed=2)
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)


@pytest.mark.slow  # about 1 s: the slow tier
def test_expected_gradients_with_one_reference_is_complete():
    model, x = smooth_cnn(), random_onehot(4, L, seed=4)
    background = random_onehot(1, L, seed=5)
    eg = attribution.expected_gradients(model, x, background, task=0, samples=400, batch_size=2)
    expected = model(x).numpy()[:, 0] - model(background).numpy()[0, 0]
    np.testing.assert_allclose(eg.sum(axis=(1, 2)), expected, atol=0.05 * max(1.0, np.abs(expected).max()))


def test_expected_gradients_of_a_linear_model_is_exact_for_the_drawn_references():
    model, x = linear_model(), random_onehot(3, L)
    background = random_onehot(5, L, seed=1)
    eg = attribution.expected_gradients(model, x, background, task=1, samples=50)
    outputs, references = model(x).numpy()[:, 1], model(background).numpy()[:, 1]
    # every draw contributes f(x) - f(r) exactly: the sum lies within the range of those differences
    assert np.all(eg.sum((1, 2)) <= outputs - references.min() + 1e-5)
    assert np.all(eg.sum((1, 2)) >= outputs - references.max() - 1e-5)
    multipliers = attribution.expected_gradients(model, x, background, task=1, samples=5, multiply_by_inputs=False)
    np.testing.assert_allclose(multipliers, np.broadcast_to(weights(model)[..., 1], x.shape), rtol=1e-5, atol=1e-7)


def test_robust_model_with_insertion_takes_length_L_input():
    model, w = cropping_robust_model()
    x = random_onehot(5, L, seed=6)
    assert model.model.input_shape[1] == L + 6
    np.testing.assert_allclose(attribution.saliency(model, x, task=1), np.broadcast_to(w[..., 1], x.shape), atol=1e-6)
    ig = attribution.integrated_gradients(model, x, task=0, baseline="uniform", steps=4)
    expected = model(x).numpy()[:, 0] - model(np.full_like(x, 0.25)).numpy()[:, 0]
    np.testing.assert_allclose(ig.sum((1, 2)), expected, atol=1e-4)


def test_robust_model_padding_is_seeded_and_padded_input_is_accepted():
    model = evoaug.RobustModel(
        lambda shape, output_shape=2: small_cnn(shape[0], output_shape),
        (L, 4),
        augment_list=[augment.RandomInsertion(0, 4)],
    )
    x = random_onehot(4, L, seed=7)
    first, again = attribution.saliency(model, x, seed=3), attribution.saliency(model, x, seed=3)
    np.testing.assert_array_equal(first, again)
    assert first.shape == x.shape and np.all(np.isfinite(first))
    padded = evoaug.pad_random(x, 4, np.array([1, 2])).numpy()
    assert attribution.saliency(model, padded).shape == padded.shape


@pytest.mark.slow
def test_deep_shap_is_additive_and_works_on_a_robust_model():
    pytest.importorskip("shap")
    model, x = small_cnn(), random_onehot(3, L, seed=8)
    background = random_onehot(6, L, seed=9)
    values = attribution.deep_shap(model, x, background, task=1, batch_size=2)
    expected = model(x).numpy()[:, 1] - model(background).numpy()[:, 1].mean()
    assert values.shape == x.shape
    np.testing.assert_allclose(values.sum((1, 2)), expected, atol=1e-4)
    robust, w = cropping_robust_model()
    values = attribution.deep_shap(robust, x, background, task=0)
    np.testing.assert_allclose(values, w[..., 0] * (x - background.mean(0)), atol=1e-5)


def test_attribute_dispatches_by_name_and_function():
    model, x = linear_model(), random_onehot(2, L)
    np.testing.assert_array_equal(
        attribution.attribute(model, x, "saliency", task=1), attribution.saliency(model, x, task=1)
    )
    custom = attribution.attribute(model, x, lambda m, s, task: np.ones_like(s) * task, task=1)
    np.testing.assert_array_equal(custom, np.ones_like(x))


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda m, x: attribution.saliency(m, x[0]),
            r"Expected `x` of shape \(N, L, 4\).*Received: x with shape \(24, 4\)",
        ),
        (lambda m, x: attribution.saliency(m, x[..., :3]), r"Received: x with shape \(3, 24, 3\)"),
        (lambda m, x: attribution.saliency(m, x[:, :20]), r"Expected sequences of length 24.*Received: x with shape"),
        (
            lambda m, x: attribution.saliency(m, x, task=2),
            r"Expected `task` to be an integer in \[0, 2\).*Received: task=2",
        ),
        (lambda m, x: attribution.saliency(m, x, task=-1), r"Received: task=-1"),
        (lambda m, x: attribution.saliency(m, x, task=1.0), r"Received: task=1.0"),
        (lambda m, x: attribution.saliency(m, x, batch_size=0), r"Expected `batch_size`.*Received: batch_size=0"),
        (lambda m, x: attribution.integrated_gradients(m, x, steps=0), r"Received: steps=0"),
        (lambda m, x: attribution.integrated_gradients(m, x, baseline="random"), r"Received: baseline='random'"),
        (
            lambda m, x: attribution.integrated_gradients(m, x, baseline=np.zeros((5, 4))),
            r"Received: baseline with shape \(5, 4\)",
        ),
        (lambda m, x: attribution.expected_gradients(m, x, x[:, :10]), r"Received: background with shape \(3, 10, 4\)"),
        (lambda m, x: attribution.expected_gradients(m, x, x, samples=0), r"Received: samples=0"),
        (lambda m, x: attribution.attribute(m, x, "deeplift"), r"Expected `method`.*Received: method='deeplift'"),
        (lambda m, x: attribution.saliency("model", x), r"Expected a Keras model"),
        (lambda m, x: attribution.saliency(m, np.full_like(x, np.nan)), r"Expected `x` to be finite"),
    ],
)
def test_bad_arguments_raise_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call(linear_model(), random_onehot(3, L))


def test_robust_model_length_errors_name_both_lengths():
    model, _ = cropping_robust_model()
    with pytest.raises(ValueError, match=r"length 24 \(or 30, already padded\)"):
        attribution.saliency(model, random_onehot(2, 26))
