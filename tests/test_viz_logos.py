"""Sequence logos: attribution maps keep their sign, probabilities and information content, highlights."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import tensorflow as tf
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch

from evoaug_tf.viz import plot_logo


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def glyphs(fig):
    return [patch for patch in fig.axes[0].patches if isinstance(patch, PathPatch)]


def attribution(length=20, seed=0):
    values = np.random.default_rng(seed).normal(0, 1, (length, 4))
    return values - values.mean(-1, keepdims=True)  # gradient-corrected: both signs at every position


def test_attribution_logo_draws_a_letter_per_nonzero_value_above_and_below_zero():
    values = attribution()
    values[3] = 0.0  # a position with nothing to draw
    fig = plot_logo(values)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    assert len(glyphs(fig)) == 4 * 19
    low, high = fig.axes[0].get_ylim()
    assert low < values.clip(max=0).sum(-1).min() < 0 < values.clip(min=0).sum(-1).max() < high
    assert fig.axes[0].get_ylabel() == "attribution"


def test_logo_accepts_tensors_and_a_batch_of_one():
    fig = plot_logo(tf.constant(attribution()[np.newaxis], tf.float32))
    assert fig.axes[0].get_xlim() == (-0.5, 19.5)


def test_highlight_spans_sit_on_the_motif_positions():
    fig = plot_logo(attribution(), highlight=[(5, 9), (12, 13)], start=0)
    spans = [patch for patch in fig.axes[0].patches if patch.get_gid() == "highlight"]
    spans = sorted((patch.get_x(), patch.get_width()) for patch in spans)
    assert spans == [(4.5, 4), (11.5, 1)]


def test_start_shifts_the_positions():
    fig = plot_logo(attribution(10), start=100, highlight=[(103, 106)])
    assert fig.axes[0].get_xlim() == (99.5, 109.5)
    (span,) = [patch for patch in fig.axes[0].patches if patch.get_gid() == "highlight"]
    assert (span.get_x(), span.get_width()) == (102.5, 3)


def test_probability_matrix_and_information_content():
    pwm = np.array([[1.0, 0, 0, 0], [0.25, 0.25, 0.25, 0.25], [0.5, 0.5, 0, 0]])
    probability = plot_logo(pwm)
    assert probability.axes[0].get_ylabel() == "probability" and probability.axes[0].get_ylim() == (0.0, 1.0)
    information = plot_logo(pwm, information=True)
    assert information.axes[0].get_ylabel() == "information (bits)"
    assert information.axes[0].get_ylim() == (0.0, 2.0)
    heights = {round(patch.get_extents().height, 6) for patch in glyphs(information)}
    assert len(heights) > 1  # letters scaled by information, not all equal


def test_counts_are_normalised_to_probabilities():
    fig = plot_logo(np.array([[2.0, 2.0, 0.0, 0.0], [0.0, 0.0, 0.0, 8.0]]), kind="counts")
    assert fig.axes[0].get_ylabel() == "probability"
    assert len(glyphs(fig)) == 3


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"values": np.zeros((10, 3))}, "shape"),
        ({"kind": "pwm"}, "kind"),
        ({"information": True}, "information"),
        ({"highlight": [(5, 3)]}, "highlight"),
        ({"highlight": [(0, 50)]}, "highlight"),
        ({"values": np.full((4, 4), np.nan)}, "finite"),
        ({"values": -np.ones((4, 4)), "kind": "probability"}, ">= 0"),
    ],
)
def test_bad_arguments_are_named(kwargs, match):
    arguments = {"values": attribution(), **kwargs}
    with pytest.raises(ValueError, match=match):
        plot_logo(**arguments)
