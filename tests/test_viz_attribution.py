"""Attribution figures: logos per model and sequence, box plots with a Mann-Whitney U p-value."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import scipy.stats
from conftest import random_onehot
from matplotlib.figure import Figure

from evoaug_tf import viz


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def maps(count=5, length=30):
    rng = np.random.default_rng(0)
    return {"standard": rng.normal(size=(count, length, 4)), "EvoAug-TF": rng.normal(size=(count, length, 4))}


@pytest.mark.slow  # about 1 s: the slow tier
def test_logos_one_axes_per_sequence_and_model_with_motifs_shaded():
    x = random_onehot(5, 30)
    mask = np.zeros((5, 30), bool)
    mask[2, 5:12] = True
    mask[2, 20:24] = True
    fig = viz.plot_attribution_logos(maps(), x, sequences=[2, 4], highlight=mask, labels=["top Dev", "second"])
    assert isinstance(fig, Figure) and len(fig.axes) == 4
    assert [ax.get_ylabel() for ax in fig.axes] == ["standard", "EvoAug-TF"] * 2
    shaded = [patch for patch in fig.axes[0].patches if patch.get_gid() == "highlight"]
    assert len(shaded) == 2 and not [p for p in fig.axes[2].patches if p.get_gid() == "highlight"]
    assert fig.axes[0].get_title(loc="left") == "top Dev"


@pytest.mark.slow  # about 1 s: the slow tier
def test_logos_window_and_shared_scale():
    fig = viz.plot_attribution_logos(
        maps(), sequences=1, kind="corrected", window=(10, 20), sharey=True, highlight=[[(5, 15)]]
    )
    assert fig.axes[0].get_xlim() == (9.5, 19.5)
    assert fig.axes[0].get_ylim() == fig.axes[1].get_ylim()
    (span,) = [patch for patch in fig.axes[0].patches if patch.get_gid() == "highlight"]  # clipped to 10..15
    assert span.get_x() == pytest.approx(9.5) and span.get_width() == pytest.approx(5.0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"maps": {}}, r"Expected `maps` to be a non-empty dict"),
        ({"maps": {"a": np.zeros((2, 30, 4)), "b": np.zeros((2, 31, 4))}}, r"same shape \(N, L, 4\)"),
        ({"sequences": [9]}, r"Expected `sequences` to be indices in \[0, 5\)"),
        ({"window": (20, 10)}, r"Received: window=\(20, 10\)"),
        ({"kind": "smooth"}, r"Received: kind='smooth'"),
        ({"highlight": np.zeros((5, 29), bool)}, r"mask of shape \(N, L\) = \(5, 30\)"),
    ],
)
def test_logo_errors(kwargs, message):
    arguments = {"maps": maps(), "x": random_onehot(5, 30), **kwargs}
    with pytest.raises(ValueError, match=message):
        viz.plot_attribution_logos(arguments.pop("maps"), **arguments)


def scores():
    rng = np.random.default_rng(1)
    return {"standard": rng.normal(1.0, 0.3, 80), "EvoAug-TF": rng.normal(0.6, 0.3, 80)}


def test_box_plot_writes_the_mann_whitney_p_value():
    values = scores()
    fig = viz.plot_score_boxes(values, ylabel="variation")
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    p = scipy.stats.mannwhitneyu(values["standard"], values["EvoAug-TF"]).pvalue
    (text,) = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "pvalue"]
    assert text.startswith("Mann-Whitney U p = ") and f"{p:.1e}" in text
    assert [label.get_text() for label in fig.axes[0].get_xticklabels()] == ["standard", "EvoAug-TF"]
    assert fig.axes[0].get_ylabel() == "variation"


def test_box_plot_panels_drop_nans_and_table_matches_scipy():
    values = scores()
    hk = {"standard": np.append(values["standard"], np.nan), "EvoAug-TF": values["EvoAug-TF"]}
    with_nan = {"Dev": values, "Hk": hk}
    fig = viz.plot_score_boxes(with_nan, title="robustness")
    assert [ax.get_title() for ax in fig.axes] == ["Dev", "Hk"]
    table = viz.mann_whitney_table(with_nan, alternative="greater")
    assert list(table["panel"]) == ["Dev", "Hk"] and list(table["n_a"]) == [80, 80]
    expected = scipy.stats.mannwhitneyu(values["standard"], values["EvoAug-TF"], alternative="greater")
    assert table["p"].iloc[1] == pytest.approx(expected.pvalue) and table["U"].iloc[0] == expected.statistic
    one_group = viz.plot_score_boxes({"only": [1.0, 2.0, 3.0]})
    assert not [t for t in one_group.axes[0].texts if t.get_gid() == "pvalue"]


@pytest.mark.parametrize(
    "values, message",
    [
        ({}, r"Expected `scores` to be a dict"),
        ([1, 2], r"Expected `scores` to be a dict"),
        ({"a": [np.nan]}, r"Expected finite values for group 'a'"),
    ],
)
def test_box_plot_errors(values, message):
    with pytest.raises(ValueError, match=message):
        viz.plot_score_boxes(values)


def test_table_rejects_an_unknown_alternative():
    with pytest.raises(ValueError, match=r"Received: alternative='bigger'"):
        viz.mann_whitney_table(scores(), alternative="bigger")


@pytest.mark.slow  # about 1 s: the slow tier
def test_planted_motifs_are_shaded_and_named():
    from evoaug_tf.datasets.synthetic import MotifSite

    x = random_onehot(5, 30)
    sites = [[MotifSite("GATA", 3, 9, "+"), (15, 21, "AP-1")], [MotifSite("Dref", 25, 30, "-")]]
    fig = viz.plot_attribution_logos(maps(), x, sequences=[2, 4], motifs=sites, window=(0, 22))
    first, second = fig.axes[0], fig.axes[2]
    shaded = [patch for patch in first.patches if patch.get_gid() == "highlight"]
    assert len(shaded) == 2
    labels = [text for text in first.texts if text.get_gid() == "motif-label"]
    assert [text.get_text() for text in labels] == ["GATA", "AP-1"]
    assert [text.get_position()[0] for text in labels] == [5.5, 17.5]  # centred on the site
    assert not [t for t in fig.axes[1].texts if t.get_gid() == "motif-label"]  # named once, above the first model
    assert not [t for t in second.texts if t.get_gid() == "motif-label"]  # Dref lies outside the window
    with pytest.raises(ValueError, match=r"one list of sites per entry of `sequences` \(2\). Received: 1 lists"):
        viz.plot_attribution_logos(maps(), x, sequences=[2, 4], motifs=sites[:1])
    with pytest.raises(ValueError, match=r"Received: \(25, 40\) in motifs\[0\]"):
        viz.plot_attribution_logos(maps(), x, sequences=[2], motifs=[[(25, 40, "long")]])
