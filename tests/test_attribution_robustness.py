"""Translational robustness: exact rolls, zero variation for a shift-invariant model, not otherwise."""

import keras
import numpy as np
import pytest
from conftest import random_onehot

from evoaug_tf import attribution, augment, evoaug
from evoaug_tf.attribution import (
    roll_sequences,
    translational_robustness,
    variation_score,
)

L = 40


def composition_model(length=L):
    """Position-independent: kernel-1 conv, ReLU, global average pooling. Its saliency moves with x."""
    return keras.Sequential(
        [
            keras.Input((length, 4)),
            keras.layers.Conv1D(5, 1, activation="relu"),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(2),
        ]
    )


def position_model(length=L):
    """Position-specific: a dense layer on the flattened sequence."""
    return keras.Sequential(
        [
            keras.Input((length, 4)),
            keras.layers.Flatten(),
            keras.layers.Dense(8, activation="tanh"),
            keras.layers.Dense(2),
        ]
    )


def test_roll_matches_numpy_per_row():
    x = random_onehot(4, 9)
    shifts = np.array([0, 3, -2, 11])
    expected = np.stack([np.roll(row, s, axis=0) for row, s in zip(x, shifts)])
    np.testing.assert_array_equal(roll_sequences(x, shifts), expected)
    np.testing.assert_array_equal(roll_sequences(roll_sequences(x, shifts), -shifts), x)


def test_variation_score_is_the_rms_deviation():
    maps = np.zeros((1, 2, 1, 4))
    maps[0, 0, 0] = [1, 1, 1, 1]
    maps[0, 1, 0] = [-1, -1, -1, -1]  # mean 0, deviation 1 everywhere
    np.testing.assert_allclose(variation_score(maps), [1.0])
    np.testing.assert_allclose(variation_score(np.repeat(maps[:, :1], 3, axis=1)), [0.0])
    assert np.isnan(variation_score(maps, normalize=True)[0])  # mean map is zero: no relative score


@pytest.mark.slow  # about 1 s: the slow tier
@pytest.mark.parametrize("method", ["saliency", "integrated_gradients"])
def test_shift_invariant_model_has_near_zero_variation_and_position_model_does_not(method):
    x = random_onehot(6, L, seed=1)
    kwargs = {"steps": 8} if method == "integrated_gradients" else {}
    invariant = translational_robustness(composition_model(), x, method=method, max_shift=10, repeats=5, **kwargs)
    specific = translational_robustness(position_model(), x, method=method, max_shift=10, repeats=5, **kwargs)
    assert invariant.shape == specific.shape == (6,)
    assert np.all(invariant < 1e-6)
    assert np.all(specific > 100 * max(invariant.max(), 1e-8))


def test_maps_are_corrected_and_realigned():
    x = random_onehot(3, L, seed=2)
    model = composition_model()
    result = translational_robustness(model, x, task=1, max_shift=5, repeats=4, seed=3, return_maps=True)
    assert result.maps.shape == (3, 4, L, 4) and result.shifts.shape == (3, 4)
    assert np.abs(result.shifts).max() <= 5
    np.testing.assert_allclose(result.maps.sum(-1), 0.0, atol=1e-6)
    expected = attribution.correct_gradients(attribution.saliency(model, x, task=1))
    np.testing.assert_allclose(result.maps, np.broadcast_to(expected[:, None], result.maps.shape), atol=1e-6)
    again = translational_robustness(model, x, task=1, max_shift=5, repeats=4, seed=3, return_maps=True)
    np.testing.assert_array_equal(again.shifts, result.shifts)


def test_a_callable_method_and_normalised_scores():
    x = random_onehot(4, L, seed=4)
    model = position_model()
    calls = []

    def method(m, s, task):
        calls.append(s.shape)
        return attribution.saliency(m, s, task=task)

    absolute = translational_robustness(model, x, method=method, max_shift=3, repeats=3)
    relative = translational_robustness(model, x, max_shift=3, repeats=3, normalize=True)
    assert calls == [(12, L, 4)]  # every (sequence, repeat) in one call
    assert np.all(np.isfinite(relative)) and np.all(relative > 0) and np.all(absolute > 0)


@pytest.mark.slow  # about 1 s: the slow tier
def test_robust_model_with_insertion():
    model = evoaug.RobustModel(
        lambda shape, output_shape=2: position_model(shape[0]), (L, 4), augment_list=[augment.RandomInsertion(0, 6)]
    )
    scores = translational_robustness(model, random_onehot(3, L), max_shift=4, repeats=3)
    assert scores.shape == (3,) and np.all(np.isfinite(scores))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"max_shift": L}, r"Expected `max_shift` to be an integer in \[0, 40\). Received: max_shift=40"),
        ({"max_shift": -1}, r"Received: max_shift=-1"),
        ({"repeats": 0}, r"Received: repeats=0"),
        ({"method": "lime"}, r"Received: method='lime'"),
        ({"task": 2}, r"Received: task=2"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        translational_robustness(composition_model(), random_onehot(2, L), **kwargs)


def linear_model(weights):
    """f(x) = sum(W * x): every gradient is W, so Integrated Gradients' mean gradient is exactly W."""
    length = weights.shape[0]
    model = keras.Sequential([keras.Input((length, 4)), keras.layers.Flatten(), keras.layers.Dense(1, use_bias=False)])
    model.layers[-1].set_weights([weights.reshape(-1, 1).astype("float32")])
    return model


def test_corrected_integrated_gradients_corrects_the_gradient_then_multiplies():
    weights = np.random.default_rng(0).normal(size=(L, 4))
    x = random_onehot(3, L, seed=5)
    model = linear_model(weights)
    corrected = attribution.corrected_attribution(model, x, "integrated_gradients", steps=4)
    expected = x * (weights - weights.mean(axis=-1, keepdims=True))  # x * correct(mean gradient)
    np.testing.assert_allclose(corrected, expected, atol=1e-5)
    # Correcting after multiplying only rescales raw IG: 3/4 of it on the observed base.
    raw = attribution.integrated_gradients(model, x, steps=4)
    wrong = attribution.correct_gradients(raw)
    np.testing.assert_allclose((wrong * x).sum(-1), 0.75 * raw.sum(-1), atol=1e-5)
    assert not np.allclose((corrected * x).sum(-1), (wrong * x).sum(-1), atol=1e-2)
    # A uniform baseline: (x - 1/4) * correct(W).
    uniform = attribution.corrected_attribution(model, x, "integrated_gradients", steps=4, baseline="uniform")
    np.testing.assert_allclose(uniform, (x - 0.25) * (weights - weights.mean(-1, keepdims=True)), atol=1e-5)
    # Saliency: just the corrected gradient.
    np.testing.assert_allclose(
        attribution.corrected_attribution(model, x),
        np.broadcast_to(weights - weights.mean(-1, keepdims=True), x.shape),
        atol=1e-5,
    )


def test_robustness_with_integrated_gradients_uses_the_corrected_gradient():
    weights = np.random.default_rng(1).normal(size=(L, 4))
    x = random_onehot(2, L, seed=6)
    result = translational_robustness(
        linear_model(weights),
        x,
        method="integrated_gradients",
        steps=2,
        max_shift=3,
        repeats=2,
        seed=0,
        return_maps=True,
    )
    corrected = weights - weights.mean(-1, keepdims=True)
    for n in range(2):
        for r in range(2):
            shift = result.shifts[n, r]
            # The rolled input meets the unrolled weights; rolled back, the map is x * roll(correct(W), -shift).
            expected = x[n] * np.roll(corrected, -shift, axis=0)
            np.testing.assert_allclose(result.maps[n, r], expected, atol=1e-5)


# ----------------------------------------------------------- shared padding, absolute vs relative (issue 19)
def pooled_model(length):
    """Shift-invariant inside but padding-dependent: the pooled mean (padding included) goes through a tanh."""
    return keras.Sequential(
        [
            keras.Input((length, 4)),
            keras.layers.Conv1D(5, 1, activation="relu"),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(8, activation="tanh"),
            keras.layers.Dense(2),
        ]
    )


def padded_robust_model():
    keras.utils.set_random_seed(0)
    return evoaug.RobustModel(
        lambda shape, output_shape=2: pooled_model(shape[0]), (L, 4), augment_list=[augment.RandomInsertion(0, 6)]
    )


def test_all_shifted_copies_of_a_sequence_get_one_padding_draw(monkeypatch):
    from evoaug_tf.attribution import robustness

    model, x, repeats = padded_robust_model(), random_onehot(3, L, seed=5), 20
    seen = {}

    def spy(model, rolled, method="saliency", task=0, **kwargs):
        seen["padding"], seen["rows"] = kwargs["padding"], len(rolled)
        return np.zeros(rolled.shape, np.float32)

    monkeypatch.setattr(robustness, "corrected_attribution", spy)
    translational_robustness(model, x, max_shift=5, repeats=repeats, seed=7)
    left, right = seen["padding"]
    assert seen["rows"] == 3 * repeats and left.shape == (3 * repeats, 3, 4) and right.shape == (3 * repeats, 3, 4)
    for part in (left, right):
        blocks = part.reshape(3, repeats, -1, 4)
        np.testing.assert_array_equal(blocks, np.broadcast_to(blocks[:, :1], blocks.shape))  # one draw per sequence
        np.testing.assert_array_equal(part.sum(-1), 1.0)  # one-hot DNA
    assert not np.array_equal(left[0], left[repeats]) or not np.array_equal(right[0], right[repeats])
    expected = attribution.shared_padding(model, x, repeats, seed=7)
    np.testing.assert_array_equal(left, expected[0])
    np.testing.assert_array_equal(right, expected[1])
    assert attribution.shared_padding(position_model(), x, repeats) is None  # nothing to pad


@pytest.mark.slow  # about 2 s: the slow tier
def test_shared_padding_leaves_a_shift_invariant_robust_model_without_variation():
    model, x = padded_robust_model(), random_onehot(3, L, seed=6)
    shared = translational_robustness(model, x, max_shift=5, repeats=6, seed=1)
    assert np.all(shared < 1e-6), shared
    # The old way, a padding per copy: the same model seems to vary, from the padding alone.
    rolled = np.repeat(x, 6, axis=0)
    own = attribution.correct_gradients(attribution.saliency(model, rolled, seed=1)).reshape(3, 6, L, 4)
    assert np.all(variation_score(own) > 100 * max(shared.max(), 1e-8))


def test_absolute_by_default_and_relative_on_request():
    x = random_onehot(4, L, seed=8)
    weights = np.random.default_rng(0).normal(size=(L, 4)).astype(np.float32)

    def method(model, s, task=0, scale=1.0):
        return scale * s * weights  # position-dependent, so shifting changes it

    absolute = translational_robustness(None, x, method=method, max_shift=3, repeats=4)
    tenfold = translational_robustness(None, x, method=method, max_shift=3, repeats=4, scale=10.0)
    relative = translational_robustness(None, x, method=method, max_shift=3, repeats=4, normalize=True)
    relative_tenfold = translational_robustness(
        None, x, method=method, max_shift=3, repeats=4, normalize=True, scale=10.0
    )
    np.testing.assert_allclose(tenfold, 10 * absolute, rtol=1e-5)  # absolute: moves with the scale of the maps
    np.testing.assert_allclose(relative_tenfold, relative, rtol=1e-5)  # relative: does not
    result = translational_robustness(None, x, method=method, max_shift=3, repeats=4, return_maps=True)
    scale = np.sqrt((result.maps.astype(np.float64).mean(axis=1) ** 2).mean(axis=(1, 2)))
    np.testing.assert_allclose(relative, absolute / scale, rtol=1e-5)
