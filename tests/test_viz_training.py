"""Training curves of both stages, predicted vs measured, comparisons of runs."""

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from evoaug_tf import metrics
from evoaug_tf.viz import comparison_table, plot_comparison, plot_history, plot_scatter

STAGE1 = {
    "loss": [1.0, 0.8, 0.6, 0.5],
    "val_loss": [1.1, 0.9, 0.7, 0.65],
    "pearson_r": [0.3, 0.5, 0.6, 0.65],
    "val_pearson_r": [0.3, 0.45, 0.55, 0.6],
    "learning_rate": [1e-3] * 4,
}
STAGE2 = {"loss": [0.45, 0.44], "val_loss": [0.62, 0.61], "pearson_r": [0.67, 0.68], "val_pearson_r": [0.61, 0.62]}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def data_lines(ax):
    return [line for line in ax.lines if line.get_gid() is None and len(line.get_xdata()) > 0]


# --------------------------------------------------------------------------- history
def test_history_puts_both_stages_on_one_epoch_axis():
    fig = plot_history(STAGE1, STAGE2)
    assert isinstance(fig, Figure) and len(fig.axes) == 2  # loss, pearson_r; not the learning rate
    loss = fig.axes[0]
    lines = data_lines(loss)
    assert len(lines) == 4  # training and validation, each stage
    starts = sorted(line.get_xdata()[0] for line in lines)
    assert starts == [1, 1, 5, 5]
    (switch,) = [line for line in loss.lines if line.get_gid() == "stage_switch"]
    assert switch.get_xdata()[0] == 4.5
    assert any(text.get_gid() == "stage_label" and "finetune" in text.get_text() for text in loss.texts)


def test_history_accepts_keras_history_objects_and_selected_metrics():
    history = keras.callbacks.History()
    history.history = STAGE1
    fig = plot_history(history, metrics=("loss", "val_loss"))
    assert len(fig.axes) == 1
    assert not [line for line in fig.axes[0].lines if line.get_gid() == "stage_switch"]
    np.testing.assert_allclose(data_lines(fig.axes[0])[0].get_ydata(), STAGE1["loss"])


def test_history_accepts_dataframes_and_given_axes():
    fig, axes = plt.subplots(1, 2)
    assert plot_history(pd.DataFrame(STAGE1), STAGE2, metrics=["loss", "val_loss", "pearson_r"], axes=axes) is fig


@pytest.mark.parametrize(
    "args, match",
    [
        ((STAGE1, None, ("val_auroc",)), "val_auroc"),
        (([1, 2, 3], None, None), "history_stage1"),
        (({"loss": [1, 2], "val_loss": [1]}, None, None), "one value per epoch"),
    ],
)
def test_history_rejects_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        plot_history(*args)


# --------------------------------------------------------------------------- scatter
def test_scatter_one_panel_per_task_with_pearson_r_and_diagonal():
    rng = np.random.default_rng(0)
    y_true = rng.normal(size=(300, 2))
    y_pred = y_true * [0.9, 0.5] + rng.normal(0, 0.5, (300, 2))
    fig = plot_scatter(y_true, y_pred, task_names=("Dev", "Hk"))
    assert len(fig.axes) == 2
    r = metrics.pearson_r(y_true, y_pred)
    assert [ax.get_title() for ax in fig.axes] == [f"Dev: Pearson r = {r[0]:.3f}", f"Hk: Pearson r = {r[1]:.3f}"]
    for ax in fig.axes:
        (diagonal,) = [line for line in ax.lines if line.get_gid() == "diagonal"]
        np.testing.assert_allclose(diagonal.get_xdata(), diagonal.get_ydata())
        assert len(ax.collections[0].get_offsets()) == 300


def test_scatter_single_task_and_point_cap():
    y = np.arange(50, dtype=float)
    fig = plot_scatter(y, y + 1, max_points=20)
    assert len(fig.axes) == 1 and fig.axes[0].get_title() == "task: Pearson r = 1.000"
    assert len(fig.axes[0].collections[0].get_offsets()) == 20


@pytest.mark.parametrize(
    "y_pred, task_names, match",
    [(np.zeros((10, 3)), None, "same shape"), (np.zeros((10, 2)), ("Dev",), "task_names")],
)
def test_scatter_rejects_bad_input(y_pred, task_names, match):
    with pytest.raises(ValueError, match=match):
        plot_scatter(np.random.default_rng(0).normal(size=(10, 2)), y_pred, task_names)


# --------------------------------------------------------------------------- comparison
RESULTS = {
    "standard": np.array([[0.66, 0.74], [0.67, 0.75], [0.665, 0.746]]),  # (trials, tasks)
    "EvoAug-TF": np.array([[0.70, 0.78], [0.71, 0.78], [0.705, 0.777]]),
}


def test_comparison_table_is_tidy():
    table = comparison_table(RESULTS, task_names=("Dev", "Hk"))
    assert list(table.columns) == ["run", "task", "trial", "value"] and len(table) == 12
    dev = table[(table.run == "EvoAug-TF") & (table.task == "Dev")]
    assert dev.trial.tolist() == [0, 1, 2] and dev.value.tolist() == [0.70, 0.71, 0.705]
    nested = comparison_table({"standard": {"Dev": [0.66, 0.67, 0.665], "Hk": [0.74, 0.75, 0.746]}})
    pd.testing.assert_frame_equal(nested, comparison_table({"standard": RESULTS["standard"]}, ("Dev", "Hk")))


def test_comparison_points_show_mean_and_sd_per_run_and_task():
    fig = plot_comparison(RESULTS, task_names=("Dev", "Hk"))
    ax = fig.axes[0]
    assert [label.get_text() for label in ax.get_xticklabels()] == ["Dev", "Hk"]
    means = [container.lines[0].get_ydata() for container in ax.containers]
    np.testing.assert_allclose(means, [RESULTS["standard"].mean(0), RESULTS["EvoAug-TF"].mean(0)])
    trials = [collection for collection in ax.collections if collection.get_gid() == "trials"]
    assert sum(len(collection.get_offsets()) for collection in trials) == 12
    assert ax.get_ylabel() == "Pearson r"


def test_comparison_bars_from_a_dataframe():
    table = comparison_table(RESULTS, task_names=("Dev", "Hk"))
    fig = plot_comparison(table, kind="bar")
    heights = [
        [bar.get_height() for bar in container] for container in fig.axes[0].containers if hasattr(container, "patches")
    ]
    np.testing.assert_allclose(heights, [RESULTS["standard"].mean(0), RESULTS["EvoAug-TF"].mean(0)])
    renamed = table.rename(columns={"value": "auroc"}).drop(columns="trial")
    assert plot_comparison(renamed, metric="auroc").axes[0].get_ylabel() == "AUROC"
    aupr = table.rename(columns={"value": "aupr"})
    assert plot_comparison(aupr, metric="aupr").axes[0].get_ylabel() == "AUPR"


@pytest.mark.parametrize(
    "results, kwargs, match",
    [
        (RESULTS, {"kind": "violin"}, "kind"),
        ({}, {}, "non-empty"),
        (pd.DataFrame({"run": ["a"], "value": [1.0]}), {}, "columns"),
        ({"a": np.zeros((2, 2, 2))}, {}, "shape"),
    ],
)
def test_comparison_rejects_bad_input(results, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot_comparison(results, **kwargs)
