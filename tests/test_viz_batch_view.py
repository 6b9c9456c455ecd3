"""The RobustModel mini-batch view: the same augmentations as training, its figure, and the widget's wiring."""

import ipywidgets
import numpy as np
import pytest
from conftest import random_onehot, shown
from matplotlib.figure import Figure

from evoaug_tf import augment, evoaug
from evoaug_tf.viz import AugmentedBatch, augment_batch, batch_explorer, draw_batch

X = random_onehot(8, 40, seed=0)


def augment_list():
    return [
        augment.RandomDeletion(delete_min=0, delete_max=5),
        augment.RandomRC(rc_prob=0.5),
        augment.RandomInsertion(insert_min=0, insert_max=6),
        augment.RandomMutation(mutate_frac=0.05),
    ]


pytestmark = pytest.mark.usefixtures("close_figures")


def reverse_complement(x):
    return x[::-1, ::-1]  # ACGT: reverse the positions and complement the bases (A<->T, C<->G)


# --------------------------------------------------------------------------- augment_batch
def test_augment_batch_is_robustmodel_augment_with_the_subsets_it_drew():
    result = augment_batch(X, augment_list(), max_augs_per_seq=2, hard_aug=True, seed=4)
    assert isinstance(result, AugmentedBatch)
    assert result.x.shape == (8, 46, 4) and result.chosen.shape == (8, 4)
    assert result.names == ("RandomDeletion", "RandomRC", "RandomInsertion", "RandomMutation")
    robust = evoaug.RobustModel(None, None, augment_list(), max_augs_per_seq=2, hard_aug=True)
    expected = robust.augment(X, np.array([4, 0], dtype="int64"))
    np.testing.assert_array_equal(result.x, np.asarray(expected))


def test_the_subsets_shown_are_the_augmentations_applied():
    # RC always flips, mutation at rate 0 changes nothing: a sequence is reverse-complemented
    # exactly when the view says it received RandomRC.
    rc_always = [augment.RandomRC(rc_prob=1.0), augment.RandomMutation(mutate_frac=0.0)]
    flipped_rows = set()
    for seed in range(6):
        result = augment_batch(X, rc_always, max_augs_per_seq=2, hard_aug=False, seed=seed)
        for row in range(len(X)):
            expected = reverse_complement(X[row]) if result.chosen[row, 0] else X[row]
            np.testing.assert_array_equal(result.x[row], expected)
            flipped_rows.add(bool(result.chosen[row, 0]))
    assert flipped_rows == {True, False}


@pytest.mark.parametrize("max_augs", [1, 2, 3])
def test_hard_aug_gives_exactly_max_augs_and_soft_between_one_and_max(max_augs):
    hard = augment_batch(X, augment_list(), max_augs, hard_aug=True, seed=1).chosen
    assert (hard.sum(1) == max_augs).all()
    counts = np.concatenate(
        [augment_batch(X, augment_list(), max_augs, hard_aug=False, seed=s).chosen.sum(1) for s in range(5)]
    )
    assert counts.min() >= 1 and counts.max() <= max_augs
    if max_augs > 1:
        assert len(set(counts)) > 1


def test_batch_subset_mode_gives_every_sequence_the_same_subset():
    chosen = augment_batch(X, augment_list(), 2, hard_aug=True, subset_mode="batch", seed=3).chosen
    assert (chosen == chosen[0]).all() and chosen[0].sum() == 2
    per_sequence = augment_batch(X, augment_list(), 2, hard_aug=True, subset_mode="sequence", seed=3).chosen
    assert not (per_sequence == per_sequence[0]).all()


def test_same_seed_same_batch():
    first = augment_batch(X, augment_list(), seed=7)
    again = augment_batch(X, augment_list(), seed=7)
    np.testing.assert_array_equal(first.x, again.x)
    np.testing.assert_array_equal(first.chosen, again.chosen)


# --------------------------------------------------------------------------- figure
def test_draw_batch_has_the_table_and_a_row_per_sequence_titled_with_what_it_got():
    fig = draw_batch(X, augment_list(), 2, hard_aug=True, seed=2, n=5)
    assert isinstance(fig, Figure) and len(fig.axes) == 1 + 5
    result = augment_batch(X, augment_list(), 2, hard_aug=True, seed=2)
    titles = [ax.get_title(loc="left") for ax in fig.axes[1:]]
    for row, title in enumerate(titles):
        assert title.startswith(f"seq {row}: ")
        assert title.count(",") == result.chosen[row].sum() - 1
    assert "exactly 2" in fig._suptitle.get_text() and "one subset for the batch" in fig._suptitle.get_text()
    assert len(draw_batch(X, augment_list(), seed=2).axes) == 1 + len(X)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: augment_batch(X, augment_list(), max_augs_per_seq=0), "max_augs_per_seq=0"),
        (lambda: augment_batch(X, augment_list(), hard_aug="yes"), "hard_aug"),
        (lambda: augment_batch(X, augment_list(), subset_mode="per-sequence"), "subset_mode"),
        (lambda: augment_batch(X, augment_list(), seed=-1), "seed"),
        (lambda: augment_batch(X, [augment.RandomDeletion(0, 60)]), "60|delete_max"),
        (lambda: draw_batch(X, augment_list(), n=0), "n=0"),
        (lambda: batch_explorer(X, augment_list(), seed=5000), "seed=5000"),
    ],
)
def test_bad_values_raise_naming_the_value(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --------------------------------------------------------------------------- widget
def test_batch_explorer_shows_a_figure_and_redraws_on_every_control():
    explorer = batch_explorer(X, augment_list(), max_augs_per_seq=2, hard_aug=True)
    assert isinstance(explorer, ipywidgets.Widget)
    controls = explorer.controls
    assert controls["max_augs_per_seq"].max == 4 and controls["max_augs_per_seq"].value == 2
    assert tuple(controls["subset_mode"].options) == ("sequence", "batch")
    seen = [shown(explorer)["image/png"]]
    assert controls["subset_mode"].value == "batch"  # RobustModel's default
    for name, value in (("subset_mode", "sequence"), ("hard_aug", False), ("max_augs_per_seq", 3), ("seed", 9)):
        controls[name].value = value
        seen.append(shown(explorer)["image/png"])
        assert seen[-1] != seen[-2], name
    controls["new_draw"].click()
    assert controls["seed"].value == 10


@pytest.mark.slow  # about 2 s: the slow tier
def test_batch_explorer_displays_its_figure_for_static_pages():
    explorer = batch_explorer(X, augment_list())
    bundle = explorer._repr_mimebundle_() if hasattr(explorer, "_repr_mimebundle_") else None
    if bundle is None:  # ipywidgets 7: nothing to read back without a kernel
        pytest.skip("ipywidgets 7 displays through _ipython_display_")
    assert bundle["image/png"] == shown(explorer)["image/png"]
    assert "application/vnd.jupyter.widget-view+json" in bundle
