"""The attribution explorer: shifted-and-realigned maps, their figure, and the widget's wiring and cache."""

import ipywidgets
import keras
import numpy as np
import pytest
from conftest import random_onehot, shown
from matplotlib.figure import Figure

from evoaug_tf import attribution
from evoaug_tf.viz import EXPLORER_METHODS, attribution_explorer, draw_attribution, shifted_attribution

pytestmark = pytest.mark.usefixtures("close_figures")
LENGTH = 40
X = random_onehot(3, LENGTH, seed=0)


def linear_model(seed=0):
    """Output = sum over positions of w[l] . x[l]: its saliency is ``w`` ``(L, 4)`` whatever the input."""
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input((LENGTH, 4)), keras.layers.Flatten(), keras.layers.Dense(1)])


def conv_model(seed=0):
    keras.utils.set_random_seed(seed)
    return keras.Sequential(
        [
            keras.Input((LENGTH, 4)),
            keras.layers.Conv1D(4, 5, padding="same", activation="relu"),
            keras.layers.GlobalMaxPooling1D(),
            keras.layers.Dense(2),
        ]
    )


def weights(model):
    return np.asarray(model.layers[-1].kernel).reshape(LENGTH, 4)


# --------------------------------------------------------------------------- shifted_attribution
@pytest.mark.parametrize("shift", [-7, 0, 3, 30])
def test_the_map_is_rolled_back_onto_the_unshifted_sequence(shift):
    # Saliency of a linear model is w at every input: explaining x rolled by s, then rolling
    # back by -s, gives w rolled by -s (positive shifts move the sequence towards the end).
    model = linear_model()
    realigned = shifted_attribution(model, X[0], "saliency", task=0, shift=shift)
    assert realigned.shape == (LENGTH, 4) and realigned.dtype == np.float32
    np.testing.assert_allclose(realigned, np.roll(weights(model), -shift, axis=0), rtol=1e-5, atol=1e-6)


@pytest.mark.slow  # about 1 s: the slow tier
def test_shift_zero_is_the_plain_attribution():
    model = conv_model()
    np.testing.assert_allclose(
        shifted_attribution(model, X[1], "saliency", task=1, shift=0),
        attribution.saliency(model, X[1:2], task=1)[0],
        rtol=1e-5,
        atol=1e-7,
    )
    ig = shifted_attribution(model, X[1], "integrated_gradients", task=0, shift=0, steps=8)
    expected = attribution.integrated_gradients(model, X[1:2], task=0, steps=8, multiply_by_inputs=False)[0]
    np.testing.assert_allclose(ig, expected, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: shifted_attribution(linear_model(), X[0], "deeplift"), "deeplift"),
        (lambda: shifted_attribution(linear_model(), X[0], shift=31), "shift=31"),
        (lambda: shifted_attribution(linear_model(), X[0], shift=2.5), "shift=2.5"),
        (lambda: attribution_explorer([linear_model()], X), "models="),
        (lambda: attribution_explorer({"a": linear_model()}, X, methods=("saliency", "shap")), "shap"),
        (lambda: attribution_explorer({"a": linear_model()}, X, task=-1), "task=-1"),
        (lambda: draw_attribution(X[0], {"a": np.zeros((LENGTH + 1, 4))}), "maps\\['a'\\]"),
        (lambda: draw_attribution(X[0], {"a": np.zeros((LENGTH, 4))}, window=(5, 99)), "window=\\(5, 99\\)"),
    ],
)
def test_bad_values_raise_naming_the_value(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.slow  # about 1 s: the slow tier
# --------------------------------------------------------------------------- figure
def test_draw_attribution_one_logo_per_model_with_the_change_against_shift_zero():
    model = linear_model()
    maps = {"standard": shifted_attribution(model, X[0], shift=5), "EvoAug": weights(model)}
    reference = {"standard": weights(model), "EvoAug": weights(model)}
    fig = draw_attribution(X[0], maps, reference, shift=5, title="sequence 0")
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    standard, evoaug = (ax.get_title(loc="left") for ax in fig.axes)
    assert standard.startswith("standard: shift +5, realigned; change vs. shift 0: ")
    assert evoaug.endswith("change vs. shift 0: 0% of the map's RMS")
    assert not standard.endswith(" 0% of the map's RMS")
    windowed = draw_attribution(X[0], maps, shift=5, corrected=False, window=(10, 20))
    assert windowed.axes[0].get_xlim() == (9.5, 19.5)
    assert "change" not in windowed.axes[0].get_title(loc="left")


@pytest.mark.slow  # about 3 s: the slow tier
# --------------------------------------------------------------------------- widget
def test_explorer_computes_on_demand_caches_and_redraws():
    models = {"standard": conv_model(0), "EvoAug": conv_model(1)}
    explorer = attribution_explorer(models, X, task=0, steps=4)
    assert isinstance(explorer, ipywidgets.Widget)
    controls = explorer.controls
    assert (controls["shift"].min, controls["shift"].max) == (-30, 30)
    assert tuple(controls["method"].options) == EXPLORER_METHODS
    assert set(explorer.cache) == {("standard", 0, "saliency", 0), ("EvoAug", 0, "saliency", 0)}
    first = shown(explorer)
    assert first["text/plain"].startswith("standard: shift +0")
    controls["shift"].value = 12
    moved = shown(explorer)
    assert moved["image/png"] != first["image/png"] and moved["text/plain"].startswith("standard: shift +12")
    assert len(explorer.cache) == 4
    controls["shift"].value = 0
    assert shown(explorer)["image/png"] == first["image/png"] and len(explorer.cache) == 4  # from the cache
    for name, value in (("corrected", False), ("method", "integrated_gradients"), ("sequence", 2)):
        before = shown(explorer)["image/png"]
        controls[name].value = value
        assert shown(explorer)["image/png"] != before, name
    assert ("EvoAug", 2, "integrated_gradients", 0) in explorer.cache


def test_shift_slider_stops_inside_short_sequences():
    short = random_onehot(2, 12, seed=1)
    model = keras.Sequential([keras.Input((12, 4)), keras.layers.Flatten(), keras.layers.Dense(1)])
    explorer = attribution_explorer({"m": model}, short)
    assert (explorer.controls["shift"].min, explorer.controls["shift"].max) == (-11, 11)
    bundle = explorer._repr_mimebundle_() if hasattr(explorer, "_repr_mimebundle_") else None
    if bundle is not None:  # ipywidgets 8: the static copy of the first figure travels with the widget
        assert bundle["image/png"] == shown(explorer)["image/png"]
