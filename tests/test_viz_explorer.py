"""The augmentation explorer: the spec table, building and drawing, and the widget's wiring."""

import ipywidgets
import pytest
from conftest import random_onehot, shown
from matplotlib.figure import Figure

from evoaug_tf import augment
from evoaug_tf.viz import (
    AUGMENTATION_NAMES,
    PARAMETER_SPECS,
    augmentation_explorer,
    default_params,
    draw_explorer,
    has_batch_mode,
    make_augmentation,
)

pytestmark = pytest.mark.usefixtures("close_figures")
X = random_onehot(4, 50, seed=0)
WITHOUT_BATCH_MODE = ("RandomMutation", "RandomNoise")


# --------------------------------------------------------------------------- table and functions
def test_the_table_covers_all_seven_augmentations_with_defaults_in_range():
    assert set(AUGMENTATION_NAMES) == {
        "RandomDeletion",
        "RandomInsertion",
        "RandomTranslocation",
        "RandomInversion",
        "RandomMutation",
        "RandomRC",
        "RandomNoise",
    }
    for spec in PARAMETER_SPECS.values():
        for control in spec["controls"]:
            defaults = control["default"] if control["kind"] == "int_range" else (control["default"],)
            assert all(control["min"] <= value <= control["max"] for value in defaults)


@pytest.mark.parametrize("name", AUGMENTATION_NAMES)
def test_every_name_builds_with_defaults_and_draws(name):
    aug = make_augmentation(name)
    assert type(aug) is PARAMETER_SPECS[name]["sequence_class"] and type(aug).__name__ == name
    assert aug.get_config() == {**default_params(name), "seed": None}
    fig = draw_explorer(X, name, seed=2, index=1)
    assert isinstance(fig, Figure)
    assert fig.axes[0].get_title(loc="left").startswith(f"{name}: ")


@pytest.mark.parametrize("name", [name for name in AUGMENTATION_NAMES if name not in WITHOUT_BATCH_MODE])
def test_batch_mode_maps_to_the_batch_classes(name):
    aug = make_augmentation(name, batch_mode=True)
    assert type(aug) is getattr(augment, f"{name}Batch") and aug.batch_mode
    assert has_batch_mode(name)
    assert draw_explorer(X, name, batch_mode=True).axes[0].get_title(loc="left").startswith(f"{name}Batch: ")


@pytest.mark.parametrize("name", WITHOUT_BATCH_MODE)
def test_mutation_and_noise_have_no_batch_mode(name):
    assert not has_batch_mode(name)
    with pytest.raises(ValueError, match=f"{name} has no batch-mode version"):
        make_augmentation(name, batch_mode=True)


def test_parameters_override_the_defaults():
    aug = make_augmentation("RandomDeletion", {"delete_max": 30})
    assert (aug.delete_min, aug.delete_max) == (0, 30)
    assert make_augmentation("RandomNoise", {"noise_std": 0.5}).noise_std == 0.5


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: make_augmentation("RandomFoo"), "RandomFoo"),
        (lambda: make_augmentation("RandomDeletion", {"delete_length": 3}), "delete_length"),
        (lambda: make_augmentation("RandomDeletion", {"delete_min": 9, "delete_max": 3}), "delete_min"),
        (lambda: make_augmentation("RandomRC", batch_mode="yes"), "batch_mode"),
        (lambda: draw_explorer(X, "deletion"), "deletion"),
        (lambda: augmentation_explorer(X, name="Inversion"), "Inversion"),
    ],
)
def test_bad_values_raise_naming_the_value(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.slow  # about 1 s: the slow tier
# --------------------------------------------------------------------------- widget
def test_explorer_builds_and_shows_a_first_figure():
    explorer = augmentation_explorer(X)
    assert isinstance(explorer, ipywidgets.Widget)
    data = shown(explorer)
    assert data["text/plain"].startswith("RandomDeletion: ") and data["image/png"]
    controls = explorer.controls
    assert isinstance(controls["parameters"]["deletion length"], ipywidgets.IntRangeSlider)
    assert controls["parameters"]["deletion length"].value == (0, 20)
    assert controls["index"].max == 3 and not controls["batch_mode"].disabled


def test_moving_a_control_redraws():
    explorer = augmentation_explorer(X)
    controls = explorer.controls
    first = shown(explorer)
    controls["seed"].value = 5
    after_seed = shown(explorer)
    assert after_seed["image/png"] != first["image/png"]
    expected = draw_explorer(X, "RandomDeletion", seed=5).axes[0].get_title(loc="left")
    assert after_seed["text/plain"] == expected
    controls["parameters"]["deletion length"].value = (10, 10)
    assert shown(explorer)["text/plain"].startswith("RandomDeletion: d = 10 ")
    controls["index"].value = 2
    assert shown(explorer)["text/plain"].endswith("(sequence 2)")
    controls["new_draw"].click()
    assert controls["seed"].value == 6


@pytest.mark.slow  # about 5 s: the slow tier
def test_switching_augmentation_rebuilds_sliders_and_batch_checkbox():
    explorer = augmentation_explorer(X)
    controls = explorer.controls
    controls["batch_mode"].value = True
    assert shown(explorer)["text/plain"].startswith("RandomDeletionBatch: ")
    controls["augmentation"].value = "RandomNoise"
    assert controls["batch_mode"].disabled and controls["batch_mode"].value is False
    assert set(controls["parameters"]) == {"noise_mean", "noise_std"}
    assert isinstance(controls["parameters"]["noise_std"], ipywidgets.FloatSlider)
    assert shown(explorer)["text/plain"].startswith("RandomNoise: ")
    controls["parameters"]["noise_std"].value = 0.5
    assert shown(explorer)["text/plain"].startswith("RandomNoise: std = 0.5 ")
    controls["augmentation"].value = "RandomRC"
    assert not controls["batch_mode"].disabled
    assert explorer.children[1].children == (controls["parameters"]["rc_prob"],)


@pytest.mark.slow  # about 1 s: the slow tier
def test_range_sliders_stop_at_the_sequence_length():
    explorer = augmentation_explorer(random_onehot(2, 12), name="RandomInversion")
    slider = explorer.controls["parameters"]["inversion length"]
    assert slider.max == 12 and slider.value == (0, 12)
    explorer.controls["zoom"].value = True
    assert shown(explorer)["text/plain"].startswith("RandomInversion: ")


# --------------------------------------------------------------------------- several sequences at once
def test_draw_explorer_shows_n_sequences_from_index():
    fig = draw_explorer(X, "RandomDeletion", seed=3, index=1, n=3)
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert len(titles) == 3
    assert [title.rsplit("(sequence ", 1)[1] for title in titles] == ["1)", "2)", "3)"]
    assert "sequence mode" in fig._suptitle.get_text()
    assert len(draw_explorer(X, "RandomDeletion", index=2, n=10).axes) == 2  # stops at the batch's end


@pytest.mark.slow  # about 4 s: the slow tier
@pytest.mark.parametrize("name", ["RandomDeletion", "RandomInversion", "RandomTranslocation"])
def test_batch_mode_draws_the_same_change_for_every_sequence_and_sequence_mode_does_not(name):
    def changes(batch_mode, seed):
        fig = draw_explorer(X, name, batch_mode=batch_mode, seed=seed, n=4)
        return {ax.get_title(loc="left").rsplit("  (sequence", 1)[0].replace("Batch", "") for ax in fig.axes}

    assert all(len(changes(True, seed)) == 1 for seed in range(3))
    assert any(len(changes(False, seed)) > 1 for seed in range(3))


@pytest.mark.slow  # about 1 s: the slow tier
def test_explorer_shows_several_sequences_and_the_count_slider_redraws():
    explorer = augmentation_explorer(random_onehot(6, 50, seed=1))
    controls = explorer.controls
    assert (controls["count"].value, controls["count"].max) == (4, 6)
    first = shown(explorer)["image/png"]
    controls["count"].value = 2
    assert shown(explorer)["image/png"] != first
    assert augmentation_explorer(X, n=1).controls["count"].value == 1
    with pytest.raises(ValueError, match="n=0"):
        augmentation_explorer(X, n=0)
    with pytest.raises(ValueError, match="index=4"):
        draw_explorer(X, "RandomDeletion", index=4)


@pytest.mark.slow  # about 1 s: the slow tier
def test_the_displayed_explorer_carries_its_figure_for_static_pages():
    explorer = augmentation_explorer(X)
    if not hasattr(explorer, "_repr_mimebundle_"):  # ipywidgets 7: displayed through _ipython_display_
        pytest.skip("ipywidgets 7 displays through _ipython_display_ (see test_explorers_display_under_ipython)")
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["image/png"] == shown(explorer)["image/png"]


@pytest.mark.slow  # about 1 s: the slow tier
def test_explorers_display_under_ipython(monkeypatch):
    """What IPython's display() publishes for an explorer (ipywidgets 7 and 8): the widget view and the PNG."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import display

    published = []
    shell = InteractiveShell.instance()
    monkeypatch.setattr(shell.display_pub, "publish", lambda data, metadata=None, **kwargs: published.append(data))
    explorer = augmentation_explorer(X)
    display(explorer)
    (data,) = published
    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["image/png"] == shown(explorer)["image/png"]


def test_the_static_figure_can_be_switched_off(monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import display

    published = []
    shell = InteractiveShell.instance()
    monkeypatch.setattr(shell.display_pub, "publish", lambda data, metadata=None, **kwargs: published.append(data))
    explorer = augmentation_explorer(X, n=1)
    explorer.static_figure = False
    display(explorer)
    (data,) = published
    assert "application/vnd.jupyter.widget-view+json" in data and "image/png" not in data


def test_figures_are_captured_in_jupyter_and_written_as_state_under_voila(monkeypatch):
    """In a Jupyter or Colab kernel the figure goes through ``with output: display(...)``; under Voila (and
    outside a kernel) into ``Output.outputs``, because Voila's executor loses the cell's reply otherwise."""
    from evoaug_tf.viz import _widgets

    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    assert _widgets.writes_outputs_directly()  # pytest: no kernel
    monkeypatch.setattr(_widgets, "in_kernel", lambda: True)
    assert not _widgets.writes_outputs_directly()  # Jupyter, Colab
    monkeypatch.setenv("VOILA_PREHEAT", "False")  # what Voila sets in every kernel it starts
    assert _widgets.writes_outputs_directly()
    explorer = augmentation_explorer(X, n=1)
    assert shown(explorer)["image/png"].startswith("iVBOR")  # a PNG, written as the widget's state
