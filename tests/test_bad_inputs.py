"""The bad-input table: every row is a call a student or a researcher might make by mistake.

Each row names the function, the arguments, the exception expected and substrings the message
must contain (at least the argument's name and the value received). A new function joins the
table with one row. Rows are built lazily (``lambda``) so collecting the table costs nothing.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import h5py
import matplotlib.pyplot as plt
import numpy as np
import pytest
from conftest import random_onehot, tiny_cnn

from evoaug_tf import augment
from evoaug_tf.evoaug import RobustModel

L = 40
INSERT_MAX = 6


def robust(compiled=True):
    model = RobustModel(tiny_cnn, (L, 4), augment_list=[augment.RandomInsertion(0, INSERT_MAX), augment.RandomRC()])
    if compiled:
        model.compile("adam", loss="mse")
    return model


def x_of(n=20, length=L):
    return random_onehot(n, length)


def y_of(n=20, tasks=2):
    return np.zeros((n, tasks), "float32")


def with_nan(array, where=(0, 3, 1)):
    array = np.array(array, dtype="float32")
    array[where] = np.nan
    return array


def fit(model=None, x=None, y=None, **kwargs):
    model = model or robust()
    return model.fit(x_of() if x is None else x, y_of() if y is None else y, epochs=1, verbose=0, **kwargs)


def dataset_of(length):
    import tensorflow as tf

    return tf.data.Dataset.from_tensor_slices((x_of(20, length), y_of(20))).batch(10)


# --------------------------------------------------------------------------- data helpers
def h5_file(tmp_path, mutate=None, name="d.h5"):
    """A small valid H5 file, passed through ``mutate(handle)`` before closing."""
    rng = np.random.default_rng(0)
    path = tmp_path / name
    with h5py.File(path, "w") as handle:
        for split, rows in (("train", 12), ("valid", 5), ("test", 5)):
            handle.create_dataset(f"x_{split}", data=np.eye(4, dtype="float32")[rng.integers(0, 4, (rows, 10))])
            handle.create_dataset(f"y_{split}", data=rng.normal(size=(rows, 2)).astype("float32"))
        if mutate is not None:
            mutate(handle)
    return path


def _replace(handle, key, data):
    del handle[key]
    handle.create_dataset(key, data=data)


def load_h5(tmp_path, mutate=None, **kwargs):
    from evoaug_tf.datasets import load_h5 as load

    return load(h5_file(tmp_path, mutate), **kwargs)


# --------------------------------------------------------------------------- figures helpers
def viz(name):
    import evoaug_tf.viz as module

    return getattr(module, name)


NOT_ONE_HOT = np.full((L, 4), 0.3, "float32")


@dataclasses.dataclass
class Case:
    id: str
    call: Callable  # called with tmp_path
    error: type
    parts: tuple


CASES = [
    # ---------------------------------------------------------------- RobustModel and training
    Case("fit on another length", lambda p: fit(x=x_of(20, L + 10)), ValueError, ("x", "length 50", f"{L}")),
    Case(
        "predict on another length",
        lambda p: robust().predict(x_of(5, L + 3), verbose=0),
        ValueError,
        ("x", "length 43", f"{L}"),
    ),
    Case(
        "evaluate on another length",
        lambda p: robust().evaluate(x_of(5, L - 1), y_of(5), verbose=0),
        ValueError,
        ("x", "length 39", f"{L}"),
    ),
    Case("call on another length", lambda p: robust()(x_of(5, L + 2)), ValueError, ("length 42", f"{L}")),
    Case(
        "fit on the padded length",
        lambda p: fit(x=x_of(20, L + INSERT_MAX)),
        ValueError,
        ("x", f"length {L + INSERT_MAX}", f"{L}", "pads"),
    ),
    Case(
        "fit on a dataset of another length",
        lambda p: robust().fit(dataset_of(L + 1), epochs=1, verbose=0),
        ValueError,
        ("x", "length 41", f"{L}"),
    ),
    Case(
        "validation_data of another length",
        lambda p: fit(validation_data=(x_of(10, L + 2), y_of(10))),
        ValueError,
        ("validation_data", "length 42", f"{L}"),
    ),
    Case(
        "predict on one sequence",
        lambda p: robust().predict(x_of(1)[0], verbose=0),
        ValueError,
        ("x", f"({L}, 4)", "x[None]"),
    ),
    Case("fit on one sequence", lambda p: fit(x=x_of(1)[0], y=y_of(1)), ValueError, ("x", f"({L}, 4)", "x[None]")),
    Case("fit on 5 letters", lambda p: fit(x=np.zeros((20, L, 5), "float32")), ValueError, ("x", f"(20, {L}, 5)", "4")),
    Case("fit with y of 3 tasks", lambda p: fit(y=y_of(20, 3)), ValueError, ("y", "(20, 3)", "2")),
    Case("fit with y (N, 1) for 2 outputs", lambda p: fit(y=y_of(20, 1)), ValueError, ("y", "(20, 1)", "2")),
    Case("fit with y (N,) for 2 outputs", lambda p: fit(y=np.zeros(20, "float32")), ValueError, ("y", "(20,)", "2")),
    Case("fit with y of other rows", lambda p: fit(y=y_of(19)), ValueError, ("y", "19", "20")),
    Case(
        "fit with sample_weight of other rows",
        lambda p: fit(sample_weight=np.ones(7)),
        ValueError,
        ("sample_weight", "(7,)", "20"),
    ),
    Case("fit with NaN in x", lambda p: fit(x=with_nan(x_of())), ValueError, ("x", "NaN")),
    Case("fit with NaN in y", lambda p: fit(y=with_nan(y_of(), (2, 1))), ValueError, ("y", "NaN")),
    Case(
        "finetune lr before compile",
        lambda p: robust(compiled=False).finetune_mode(learning_rate=1e-4),
        ValueError,
        ("learning_rate", "compile"),
    ),
    Case(
        "finetune negative lr",
        lambda p: robust().finetune_mode(learning_rate=-1e-3),
        ValueError,
        ("learning_rate", "-0.001"),
    ),
    Case("finetune zero lr", lambda p: robust().finetune_mode(lr=0.0), ValueError, ("learning_rate", "0.0")),
    Case(
        "finetune NaN lr",
        lambda p: robust().finetune_mode(learning_rate=math.nan),
        ValueError,
        ("learning_rate", "nan"),
    ),
    Case(
        "finetune lr as text",
        lambda p: robust().finetune_mode(learning_rate="1e-4"),
        ValueError,
        ("learning_rate", "'1e-4'"),
    ),
    Case("save as .h5", lambda p: robust().save(p / "m.h5"), ValueError, ("m.h5", ".keras", "save_weights")),
    Case(
        "augment_list item not callable",
        lambda p: RobustModel(tiny_cnn, (L, 4), augment_list=[3]),
        ValueError,
        ("augment_list[0]", "3"),
    ),
    Case(
        "custom augmentation with a bad insert_max",
        lambda p: RobustModel(
            tiny_cnn, (L, 4), augment_list=[type("Grow", (), {"insert_max": -2, "__call__": lambda s, x: x})()]
        ),
        ValueError,
        ("insert_max", "-2"),
    ),
    Case(
        "train_two_stage without compile",
        lambda p: __import__("evoaug_tf.training").training.train_two_stage(
            robust(False), (x_of(), y_of()), (x_of(), y_of())
        ),
        ValueError,
        ("compile",),
    ),
    # ---------------------------------------------------------------- data
    Case(
        "load_h5 NaN in y",
        lambda p: load_h5(p, lambda h: _replace(h, "y_valid", np.full((5, 2), np.nan))),
        ValueError,
        ("y_valid", "NaN"),
    ),
    Case(
        "load_h5 empty split",
        lambda p: load_h5(
            p,
            lambda h: (
                _replace(h, "x_test", np.zeros((0, 10, 4), "float32")),
                _replace(h, "y_test", np.zeros((0, 2), "float32")),
            ),
        ),
        ValueError,
        ("x_test", "(0, 10, 4)"),
    ),
    Case(
        "load_h5 x_valid and X_valid",
        lambda p: load_h5(p, lambda h: h.create_dataset("X_valid", data=np.zeros((5, 10, 4), "float32"))),
        ValueError,
        ("x_valid", "X_valid"),
    ),
    Case("load_h5 task_names as a string", lambda p: load_h5(p, task_names="ab"), ValueError, ("task_names", "'ab'")),
    Case(
        "load_h5 of a directory",
        lambda p: __import__("evoaug_tf.datasets").datasets.load_h5(p),
        IsADirectoryError,
        ("path", "directory"),
    ),
    Case(
        "make_dataset NaN in x",
        lambda p: __import__("evoaug_tf.datasets").datasets.make_dataset(with_nan(x_of()), y_of()),
        ValueError,
        ("x", "NaN"),
    ),
    Case(
        "make_dataset NaN in y",
        lambda p: __import__("evoaug_tf.datasets").datasets.make_dataset(x_of(), with_nan(y_of(), (0, 0))),
        ValueError,
        ("y", "NaN"),
    ),
    Case(
        "make_dataset one sequence",
        lambda p: __import__("evoaug_tf.datasets").datasets.make_dataset(x_of(1)[0], None),
        ValueError,
        ("x", f"({L}, 4)"),
    ),
    Case(
        "SequenceDataset rows differ",
        lambda p: __import__("evoaug_tf.datasets").datasets.SequenceDataset(
            x_of(5), y_of(4), x_of(2), y_of(2), x_of(2), y_of(2)
        ),
        ValueError,
        ("y_train", "(4, 2)", "5"),
    ),
    Case(
        "SequenceDataset task_names count",
        lambda p: __import__("evoaug_tf.datasets").datasets.SequenceDataset(
            x_of(5), y_of(5), x_of(2), y_of(2), x_of(2), y_of(2), task_names=("a",)
        ),
        ValueError,
        ("task_names", "('a',)", "2"),
    ),
    # ---------------------------------------------------------------- figures
    Case("plot_sequence empty", lambda p: viz("plot_sequence")(np.zeros((0, 4))), ValueError, ("x", "(0, 4)")),
    Case("plot_sequence NaN", lambda p: viz("plot_sequence")(with_nan(x_of(1)[0], (3, 1))), ValueError, ("x", "NaN")),
    Case(
        "plot_sequence window past the end",
        lambda p: viz("plot_sequence")(x_of(1)[0], window=(10, 60)),
        ValueError,
        ("window", "(10, 60)", f"{L}"),
    ),
    Case(
        "plot_augmentation empty",
        lambda p: viz("plot_augmentation")(np.zeros((0, L, 4)), augment.RandomRC()),
        ValueError,
        ("x", f"(0, {L}, 4)"),
    ),
    Case(
        "plot_augmentation not one-hot",
        lambda p: viz("plot_augmentation")(NOT_ONE_HOT, augment.RandomDeletion(0, 5)),
        ValueError,
        ("x", "one-hot", "0.3"),
    ),
    Case(
        "plot_augmentation NaN",
        lambda p: viz("plot_augmentation")(with_nan(x_of(2)), augment.RandomRC()),
        ValueError,
        ("x", "NaN"),
    ),
    Case(
        "plot_augmentation window past the end",
        lambda p: viz("plot_augmentation")(x_of(2), augment.RandomRC(), window=(30, 90)),
        ValueError,
        ("window", "(30, 90)", f"{L}"),
    ),
    Case(
        "plot_modes empty",
        lambda p: viz("plot_modes")(
            np.zeros((0, L, 4)), augment.RandomDeletion(0, 4), augment.RandomDeletionBatch(0, 4)
        ),
        ValueError,
        ("x", f"(0, {L}, 4)"),
    ),
    Case(
        "describe_augmentation not one-hot",
        lambda p: viz("describe_augmentation")(NOT_ONE_HOT, augment.RandomRC()),
        ValueError,
        ("x", "one-hot"),
    ),
    Case("plot_logo empty", lambda p: viz("plot_logo")(np.zeros((0, 4))), ValueError, ("values", "(0, 4)")),
    Case("plot_logo NaN", lambda p: viz("plot_logo")(with_nan(np.ones((L, 4)), (1, 1))), ValueError, ("values", "NaN")),
    Case("plot_history empty dict", lambda p: viz("plot_history")({}), ValueError, ("history_stage1", "{}")),
    Case(
        "plot_history no epochs",
        lambda p: viz("plot_history")({"loss": []}),
        ValueError,
        ("history_stage1", "0 epochs"),
    ),
    Case(
        "plot_scatter empty", lambda p: viz("plot_scatter")(np.zeros(0), np.zeros(0)), ValueError, ("y_true", "(0, 1)")
    ),
    Case(
        "plot_scatter rows differ",
        lambda p: viz("plot_scatter")(np.zeros(5), np.zeros(4)),
        ValueError,
        ("y_pred", "(4, 1)", "(5, 1)"),
    ),
    Case(
        "plot_attribution_logos empty maps",
        lambda p: viz("plot_attribution_logos")({"standard": np.zeros((0, L, 4))}),
        ValueError,
        ("maps", f"(0, {L}, 4)"),
    ),
    Case(
        "plot_attribution_logos NaN maps",
        lambda p: viz("plot_attribution_logos")({"standard": with_nan(np.ones((2, L, 4)))}, kind="raw"),
        ValueError,
        ("maps", "NaN"),
    ),
    # ---------------------------------------------------------------- attribution entry points
    Case(
        "saliency on one sequence",
        lambda p: __import__("evoaug_tf.attribution").attribution.saliency(robust(), x_of(1)[0]),
        ValueError,
        ("x", f"({L}, 4)"),
    ),
    Case(
        "saliency on an empty batch",
        lambda p: __import__("evoaug_tf.attribution").attribution.saliency(robust(), x_of(0)),
        ValueError,
        ("x", f"(0, {L}, 4)"),
    ),
    Case(
        "correct_gradients empty",
        lambda p: __import__("evoaug_tf.attribution").attribution.correct_gradients(np.zeros((0, 4))),
        ValueError,
        ("attr", "(0, 4)"),
    ),
    Case(
        "attribution_map x not one-hot",
        lambda p: __import__("evoaug_tf.attribution").attribution.attribution_map(
            np.ones((2, L, 4)), np.full((2, L, 4), 0.5), kind="grad_x_input"
        ),
        ValueError,
        ("x", "one-hot"),
    ),
]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_gives_a_clear_error(case, tmp_path):
    with pytest.raises(case.error) as info:
        case.call(tmp_path)
    message = str(info.value)
    missing = [part for part in case.parts if part not in message]
    assert not missing, f"message lacks {missing}: {message}"
    assert "Expected" in message or case.error is IsADirectoryError, message


def test_load_deepstarr_with_a_file_as_data_dir(tmp_path):
    from evoaug_tf.datasets import load_deepstarr

    file = tmp_path / "notes.txt"
    file.write_text("x")
    with pytest.raises(NotADirectoryError, match=r"Expected `data_dir` to be a directory.*notes.txt"):
        load_deepstarr(data_dir=file, download=False)
