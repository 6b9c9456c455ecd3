"""Nucleotide tracks, augmentations explained, sequence vs batch mode: figures, marks and descriptions."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import tensorflow as tf
from conftest import all_augmentations, decode, encode, random_onehot
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from evoaug_tf import augment
from evoaug_tf.viz import BASE_COLORS, describe_augmentation, plot_augmentation, plot_modes, plot_sequence

SEED = 3
X = random_onehot(8, 60, seed=0)

ALL_AUGMENTATIONS = all_augmentations()  # every augmentation class, from tests/conftest.py


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def sample(aug, x=X, seed=SEED):
    params = aug.sample(tf.shape(tf.constant(x)), tf.constant([seed, 0], tf.int64))
    return {key: value.numpy() for key, value in params.items()}


def patches(fig, gid):
    return [patch for patch in fig.axes[0].patches if patch.get_gid() == gid]


def track_bottoms(fig):
    """y of the bottom of each track image, top row first."""
    images = [image for image in fig.axes[0].get_images() if image.get_gid() in ("track", "heatmap")]
    return sorted((image.get_extent()[2] for image in images), reverse=True)


# --------------------------------------------------------------------------- plot_sequence
def test_plot_sequence_draws_one_cell_and_letter_per_position():
    fig = plot_sequence(encode("ACGTTGCA")[0])
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    (image,) = fig.axes[0].get_images()
    assert image.get_array().shape[:2] == (1, 8)
    letters = [text.get_text() for text in fig.axes[0].texts if text.get_gid() == "letter"]
    assert "".join(letters) == "ACGTTGCA"


def test_plot_sequence_colours_cells_with_logo_colours():
    fig = plot_sequence(encode("ACGT")[0])
    cells = fig.axes[0].get_images()[0].get_array()[0]
    for cell, base in zip(cells, "ACGT"):
        np.testing.assert_allclose(cell, to_rgb(BASE_COLORS[base]))


def test_plot_sequence_letters_only_when_readable():
    long = random_onehot(1, 249)[0]
    assert not [text for text in plot_sequence(long).axes[0].texts if text.get_gid() == "letter"]
    forced = plot_sequence(long, letters=True)
    assert len([text for text in forced.axes[0].texts if text.get_gid() == "letter"]) == 249
    windowed = plot_sequence(long, window=(100, 130))
    assert windowed.axes[0].get_xlim() == (99.5, 129.5)
    assert len([text for text in windowed.axes[0].texts if text.get_gid() == "letter"]) == 30


def test_plot_sequence_shows_noisy_values_as_heatmap():
    noisy = X[0] + np.random.default_rng(0).normal(0, 0.2, X[0].shape).astype("float32")
    fig = plot_sequence(tf.constant(noisy))
    assert len(fig.axes) == 2  # the track and its colour bar
    (image,) = fig.axes[0].get_images()
    assert image.get_gid() == "heatmap" and image.get_array().shape == (4, 60)
    argmax = plot_sequence(noisy, style="track").axes[0].get_images()[0]
    assert argmax.get_gid() == "track"


def test_plot_sequence_draws_into_given_axes():
    fig, ax = plt.subplots()
    assert plot_sequence(X[0], ax=ax, label="x") is fig
    assert [label.get_text() for label in ax.get_yticklabels()] == ["x"]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"x": np.zeros((5, 3))}, "Received: x with shape"),
        ({"letters": "yes"}, "letters"),
        ({"style": "bars"}, "style"),
    ],
)
def test_plot_sequence_rejects_bad_arguments(kwargs, match):
    arguments = {"x": X[0], **kwargs}
    with pytest.raises(ValueError, match=match):
        plot_sequence(**arguments)


# --------------------------------------------------------------------------- describe_augmentation
def test_describe_deletion_golden():
    info = describe_augmentation(X, augment.RandomDeletion(0, 12), seed=SEED)
    assert info["summary"] == "RandomDeletion: d = 6 at s = 47"
    assert (info["length"], info["start"], info["end"], info["fill_start"], info["fill_end"]) == (6, 47, 53, 3, 3)
    assert info["kind"] == "deletion" and info["batch_mode"] is False and info["output_length"] == 60


@pytest.mark.parametrize("index", [0, 5])
def test_describe_deletion_agrees_with_sample_and_output(index):
    aug = augment.RandomDeletion(0, 12)
    params = sample(aug)
    info = describe_augmentation(X, aug, seed=SEED, index=index)
    d, s = int(params["length"][index]), int(params["start"][index])
    assert (info["length"], info["start"]) == (d, s)
    out = decode(aug.apply(X, params))[index]
    original = decode(X)[index]
    assert out[d // 2 : d // 2 + s] + out[d // 2 + s : 60 - (d - d // 2)] == original[:s] + original[s + d :]


def test_describe_insertion_agrees_with_sample():
    aug = augment.RandomInsertion(0, 10)
    params = sample(aug)
    info = describe_augmentation(tf.constant(X), aug, seed=SEED, index=2)
    k, p = int(params["length"][2]), int(params["position"][2])
    assert (info["length"], info["position"], info["insert_max"]) == (k, p, 10)
    assert info["pad_start"] == (10 - k) // 2 and info["pad_start"] + info["pad_end"] == 10 - k
    assert (info["inserted_start"], info["inserted_end"]) == (info["pad_start"] + p, info["pad_start"] + p + k)
    assert info["output_length"] == 70


def test_describe_translocation_inversion_and_rc_agree_with_sample():
    translocation, inversion = augment.RandomTranslocation(0, 10), augment.RandomInversion(0, 15)
    rc = augment.RandomRC()
    for index in range(8):
        shift = int(sample(translocation)["shift"][index])
        info = describe_augmentation(X, translocation, seed=SEED, index=index)
        assert info["shift"] == shift and info["wrapped"] == abs(shift) and info["short"] == f"shift = {shift:+d}"
        params = sample(inversion)
        info = describe_augmentation(X, inversion, seed=SEED, index=index)
        assert (info["start"], info["length"]) == (params["start"][index], params["length"][index])
        assert describe_augmentation(X, rc, seed=SEED, index=index)["flipped"] == bool(sample(rc)["flip"][index])


def test_describe_mutation_splits_changed_and_silent_sites():
    aug = augment.RandomMutation(0.3)
    params = sample(aug)
    info = describe_augmentation(X, aug, seed=SEED, index=1)
    assert info["sites"] == sorted(params["sites"][1].tolist())
    assert sorted(info["changed"] + info["silent"]) == info["sites"]
    assert info["n_sites"] == round(0.3 / 0.75 * 60) and info["n_silent"] > 0
    before, after = decode(X)[1], decode(aug.apply(X, params))[1]
    assert all(before[i] != after[i] for i in info["changed"])
    assert all(before[i] == after[i] for i in info["silent"])


def test_describe_noise_reports_the_drawn_noise():
    info = describe_augmentation(X, augment.RandomNoise(0.0, 0.3), seed=SEED)
    assert info["noise_std"] == 0.3 and abs(info["drawn_std"] - 0.3) < 0.05
    assert info["n_argmax_changed"] == len(info["argmax_changed"])


def test_describe_batch_mode_draws_one_change():
    infos = [describe_augmentation(X, augment.RandomDeletionBatch(0, 12), seed=SEED, index=i) for i in range(8)]
    assert len({(info["length"], info["start"]) for info in infos}) == 1
    assert infos[0]["batch_mode"] is True and infos[0]["name"] == "RandomDeletionBatch"


@pytest.mark.parametrize(
    "kwargs, match",
    [({"index": 8}, "index"), ({"seed": "a"}, "seed"), ({"aug": "deletion"}, "aug")],
)
def test_describe_rejects_bad_arguments(kwargs, match):
    arguments = {"x": X, "aug": augment.RandomDeletion(), "seed": 0, "index": 0, **kwargs}
    with pytest.raises(ValueError, match=match):
        describe_augmentation(**arguments)


# --------------------------------------------------------------------------- plot_augmentation
@pytest.mark.parametrize("aug", ALL_AUGMENTATIONS, ids=lambda aug: type(aug).__name__)
def test_every_augmentation_draws_with_its_parameters_in_the_title(aug):
    fig = plot_augmentation(X, aug, seed=SEED, index=1)
    assert isinstance(fig, Figure)
    title = fig.axes[0].get_title(loc="left")
    assert title.startswith(describe_augmentation(X, aug, seed=SEED, index=1)["summary"])
    assert len(track_bottoms(fig)) == (3 if isinstance(aug, augment.RandomNoise) else 2)


@pytest.mark.slow  # about 1 s: the slow tier
def test_deletion_marks_sit_where_the_params_say():
    aug = augment.RandomDeletion(0, 12)
    params = sample(aug)
    d, s = int(params["length"][0]), int(params["start"][0])
    fig = plot_augmentation(X, aug, seed=SEED)
    top, bottom = track_bottoms(fig)
    (deleted,) = patches(fig, "deleted")
    assert (deleted.get_x(), deleted.get_width(), deleted.get_y()) == (s - 0.5, d, top)
    fills = sorted((patch.get_x(), patch.get_width(), patch.get_y()) for patch in patches(fig, "filler"))
    assert fills == [(-0.5, d // 2, bottom), (60 - (d - d // 2) - 0.5, d - d // 2, bottom)]
    (cut,) = [line for line in fig.axes[0].lines if line.get_gid() == "cut"]
    assert set(cut.get_xdata()) == {d // 2 + s - 0.5}
    assert len(patches(fig, "ribbon")) == 2  # the two kept stretches


def test_inversion_is_marked_in_both_rows():
    aug = augment.RandomInversion(0, 15)
    params = sample(aug)
    k, s = int(params["length"][4]), int(params["start"][4])
    fig = plot_augmentation(X, aug, seed=SEED, index=4)
    marks = patches(fig, "inverted")
    assert sorted(patch.get_y() for patch in marks) == sorted(track_bottoms(fig))
    assert {(patch.get_x(), patch.get_width()) for patch in marks} == {(s - 0.5, k)}
    crossed = [ribbon.get_xy()[:4] for ribbon in patches(fig, "ribbon") if ribbon.get_xy()[0][0] == s - 0.5]
    (ribbon,) = crossed  # top edge s..s+k joined to the bottom edge the other way round
    np.testing.assert_allclose(ribbon[:, 0], [s - 0.5, s + k - 0.5, s - 0.5, s + k - 0.5])


def test_insertion_marks_the_inserted_stretch_and_padding():
    aug = augment.RandomInsertion(0, 10)
    info = describe_augmentation(X, aug, seed=SEED)
    fig = plot_augmentation(X, aug, seed=SEED)
    (inserted,) = patches(fig, "inserted")
    assert (inserted.get_x(), inserted.get_width()) == (info["inserted_start"] - 0.5, info["length"])
    assert sum(patch.get_width() for patch in patches(fig, "filler")) == 10 - info["length"]
    assert fig.axes[0].get_xlim() == (-0.5, 69.5)


def test_translocation_marks_the_wrapped_part_and_the_shift():
    aug = augment.RandomTranslocation(3, 10)
    shift = int(sample(aug)["shift"][0])
    fig = plot_augmentation(X, aug, seed=SEED)
    assert [patch.get_width() for patch in patches(fig, "wrapped")] == [abs(shift)] * 2
    assert any(text.get_text() == f"shift {shift:+d}" for text in fig.axes[0].texts)


def test_mutation_marks_changed_and_silent_sites_in_both_rows():
    aug = augment.RandomMutation(0.3)
    info = describe_augmentation(X, aug, seed=SEED)
    fig = plot_augmentation(X, aug, seed=SEED)
    assert sorted({patch.get_x() + 0.5 for patch in patches(fig, "mutated")}) == info["changed"]
    assert sorted({patch.get_x() + 0.5 for patch in patches(fig, "silent")}) == info["silent"]
    assert len(patches(fig, "mutated")) == 2 * info["n_changed"]


@pytest.mark.parametrize("rc_prob, label", [(1.0, "reverse complement"), (0.0, "not flipped")])
def test_rc_says_whether_it_flipped(rc_prob, label):
    fig = plot_augmentation(X, augment.RandomRC(rc_prob), seed=SEED)
    assert any(text.get_text() == label for text in fig.axes[0].texts)
    assert len(patches(fig, "flipped")) == int(rc_prob)


def test_noise_shows_the_noisy_values_and_their_argmax():
    fig = plot_augmentation(X, augment.RandomNoise(0.0, 0.6), seed=SEED)
    assert len(fig.axes) == 2  # plus the colour bar
    assert [label.get_text() for label in fig.axes[0].get_yticklabels()] == ["original", "noisy values", "argmax"]
    info = describe_augmentation(X, augment.RandomNoise(0.0, 0.6), seed=SEED)
    assert sorted(patch.get_x() + 0.5 for patch in patches(fig, "changed")) == info["argmax_changed"]


def test_windows_and_given_axes():
    aug = augment.RandomDeletion(0, 12)
    fig, ax = plt.subplots()
    assert plot_augmentation(X, aug, seed=SEED, ax=ax, window=(10, 30)) is fig
    assert ax.get_xlim() == (9.5, 29.5)
    low, high = plot_augmentation(X, aug, seed=SEED, window="change").axes[0].get_xlim()
    assert low <= 47 - 0.5 and 53 - 0.5 <= high and high - low >= 20
    with pytest.raises(ValueError, match="window"):
        plot_augmentation(X, aug, window=(30, 10))


def test_plot_augmentation_of_one_sequence_and_too_long_an_augmentation():
    fig = plot_augmentation(encode("ACGTACGTAC")[0], augment.RandomInversion(0, 4), seed=1)
    assert len([text for text in fig.axes[0].texts if text.get_gid() == "letter"]) == 20
    with pytest.raises(ValueError, match="delete_max"):
        plot_augmentation(encode("ACGT"), augment.RandomDeletion(0, 20))


# --------------------------------------------------------------------------- plot_modes
def test_plot_modes_sequence_mode_differs_batch_mode_is_shared():
    fig = plot_modes(X, augment.RandomDeletion(0, 12), augment.RandomDeletionBatch(0, 12), seed=SEED, n=6)
    assert len(fig.axes) == 2
    left, right = ([label.get_text().split(": ", 1)[1] for label in ax.get_yticklabels()] for ax in fig.axes)
    assert len(left) == len(right) == 6
    assert len(set(left)) > 1 and len(set(right)) == 1
    cuts = {line.get_xdata()[0] for line in fig.axes[1].lines if line.get_gid() == "cut"}
    assert len(cuts) == 1  # the same cut in every row


def test_plot_modes_repeats_a_single_sequence():
    fig = plot_modes(X[0], augment.RandomInversion(0, 10), augment.RandomInversionBatch(0, 10), n=4)
    assert all(len(ax.get_images()) == 4 for ax in fig.axes)


@pytest.mark.parametrize(
    "sequence_aug, batch_aug, n, match",
    [
        (augment.RandomDeletionBatch(), augment.RandomDeletionBatch(), 3, "sequence_aug"),
        (augment.RandomDeletion(), augment.RandomDeletion(), 3, "batch_aug"),
        (augment.RandomDeletion(), augment.RandomDeletionBatch(), 0, "n"),
    ],
)
def test_plot_modes_rejects_bad_arguments(sequence_aug, batch_aug, n, match):
    with pytest.raises(ValueError, match=match):
        plot_modes(X, sequence_aug, batch_aug, n=n)
