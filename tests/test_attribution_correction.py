"""Gradient correction: zero-sum positions, invariance to per-position offsets, the map views."""

import numpy as np
import pytest
from conftest import encode, random_onehot

from evoaug_tf.attribution import attribution_map, correct_gradients


def test_corrected_map_sums_to_zero_at_every_position():
    attr = np.random.default_rng(0).normal(size=(5, 30, 4)) * 7 + 3
    corrected = correct_gradients(attr)
    assert corrected.shape == attr.shape and corrected.dtype == np.float32
    np.testing.assert_allclose(corrected.sum(-1), 0.0, atol=1e-5)


def test_correction_removes_exactly_a_per_position_offset_and_is_idempotent():
    attr = np.random.default_rng(1).normal(size=(2, 10, 4)).astype(np.float32)
    offset = np.random.default_rng(2).normal(size=(2, 10, 1)).astype(np.float32)
    np.testing.assert_allclose(correct_gradients(attr + offset), correct_gradients(attr), atol=1e-5)
    np.testing.assert_allclose(correct_gradients(correct_gradients(attr)), correct_gradients(attr), atol=1e-6)


def test_worked_example():
    # position 0: gradient (4, 0, 0, 0) -> mean 1 -> (3, -1, -1, -1); position 1 is constant -> all zero
    attr = np.array([[[4.0, 0, 0, 0], [2.0, 2, 2, 2]]])
    np.testing.assert_allclose(correct_gradients(attr), [[[3, -1, -1, -1], [0, 0, 0, 0]]])
    x = encode("AC")
    np.testing.assert_allclose(attribution_map(attr, x, "corrected_x_input"), [[[3, 0, 0, 0], [0, 0, 0, 0]]])
    np.testing.assert_allclose(attribution_map(attr, x, "grad_x_input"), [[[4, 0, 0, 0], [0, 2, 0, 0]]])
    np.testing.assert_allclose(attribution_map(attr, kind="raw"), attr)
    np.testing.assert_allclose(attribution_map(attr, kind="corrected"), correct_gradients(attr))


def test_a_single_map_works_too():
    assert correct_gradients(np.ones((7, 4))).shape == (7, 4)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: correct_gradients(np.zeros((3, 5))), r"Expected `attr` of shape \(\.\.\., L, 4\).*\(3, 5\)"),
        (lambda: attribution_map(np.zeros((1, 5, 4)), kind="smooth"), r"Received: kind='smooth'"),
        (lambda: attribution_map(np.zeros((1, 5, 4)), kind="grad_x_input"), r"Expected one-hot `x`.*x=None"),
        (lambda: attribution_map(np.zeros((1, 5, 4)), random_onehot(1, 6)), r"Received: x with shape \(1, 6, 4\)"),
    ],
)
def test_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()
