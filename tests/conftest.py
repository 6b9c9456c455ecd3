"""Shared test setup: seeded runs, sequence helpers, the list of every augmentation, test tiers.

Quick mode, headless plotting and quiet TensorFlow are set for every test and notebook by
pytest-env (``env`` in pyproject.toml).

Tiers (markers registered in pyproject.toml): ``slow`` (end-to-end training, notebooks, browsers),
``notebook`` (nbval cells of ``notebooks/``, added here), ``browser`` (everything under
``tests/browser/``, added here). ``pytest -m "not slow"`` is the fast tier; ``pytest`` runs everything.
"""

from pathlib import Path

import numpy as np
import pytest

ALPHABET = "ACGT"
_TESTS = Path(__file__).parent

#: Every augmentation class (sequence and batch mode) with the settings the shared tests use.
#: A new augmentation joins here; ``test_augment_contract.py`` then runs the whole contract on it
#: and fails if a catalogued class is missing from this list.
AUGMENTATIONS = [
    ("RandomDeletion", {"delete_min": 0, "delete_max": 10}),
    ("RandomDeletionBatch", {"delete_min": 0, "delete_max": 10}),
    ("RandomInsertion", {"insert_min": 0, "insert_max": 10}),
    ("RandomInsertionBatch", {"insert_min": 0, "insert_max": 10}),
    ("RandomTranslocation", {"shift_min": 0, "shift_max": 10}),
    ("RandomTranslocationBatch", {"shift_min": 0, "shift_max": 10}),
    ("RandomInversion", {"invert_min": 0, "invert_max": 10}),
    ("RandomInversionBatch", {"invert_min": 0, "invert_max": 10}),
    ("RandomMutation", {"mutate_frac": 0.2}),
    ("RandomRC", {"rc_prob": 0.5}),
    ("RandomRCBatch", {"rc_prob": 0.5}),
    ("RandomNoise", {"noise_mean": 0.0, "noise_std": 0.3}),
]
AUGMENTATION_NAMES = [name for name, _ in AUGMENTATIONS]


def make_augmentation(name, **overrides):
    """A fresh instance of augmentation class ``name`` with the list's settings (and ``overrides``)."""
    from evoaug_tf import augment

    return getattr(augment, name)(**{**dict(AUGMENTATIONS)[name], **overrides})


def all_augmentations(onehot_only=False):
    """Fresh instances of every augmentation in :data:`AUGMENTATIONS` (only those that keep one-hot)."""
    augs = [make_augmentation(name) for name in AUGMENTATION_NAMES]
    return [aug for aug in augs if aug.keeps_onehot or not onehot_only]


def aug_id(aug):
    """Test id of an augmentation instance: its class name."""
    return type(aug).__name__


def encode(*sequences):
    """``encode("ACGT", "TTGA")`` -> ``(2, 4, 4)`` float32 one-hot."""
    return np.stack([np.eye(4, dtype="float32")[[ALPHABET.index(base) for base in seq]] for seq in sequences])


def decode(x):
    """``(N, L, 4)`` one-hot -> list of strings (argmax per position)."""
    return ["".join(ALPHABET[i] for i in row) for row in np.argmax(np.asarray(x), axis=-1)]


def random_onehot(size, length, seed=0):
    """``(size, length, 4)`` float32 random one-hot ACGT."""
    rng = np.random.default_rng(seed)
    return np.eye(4, dtype="float32")[rng.integers(0, 4, (size, length))]


def assert_onehot(x):
    x = np.asarray(x)
    assert set(np.unique(x)) <= {0.0, 1.0}
    np.testing.assert_array_equal(x.sum(-1), 1.0)


@pytest.fixture(autouse=True)
def _seeded():
    import keras

    keras.utils.set_random_seed(1234)
    yield


def tiny_cnn(input_shape, output_shape=2):
    """A small Keras CNN (one convolution, max pooling, a dense head): fast to build, trace and train in tests."""
    import keras

    inputs = keras.Input(input_shape)
    x = keras.layers.Conv1D(4, 5, padding="same", activation="relu")(inputs)
    x = keras.layers.GlobalMaxPooling1D()(x)
    return keras.Model(inputs, keras.layers.Dense(output_shape)(x))


@pytest.fixture
def close_figures():
    """Close every matplotlib figure after the test (viz tests: ``pytestmark = pytest.mark.usefixtures(...)``)."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def shown(explorer):
    """The one output an explorer widget displays (its ``controls["output"]``), as a MIME bundle dict."""
    (item,) = explorer.controls["output"].outputs
    return item["data"]


def pytest_collection_modifyitems(config, items):
    """Notebook cells (nbval) are ``notebook`` + ``slow``; tests under ``tests/browser/`` are ``browser`` + ``slow``."""
    browser_dir = _TESTS / "browser"
    for item in items:
        path = Path(str(item.path))
        if path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebook)
            item.add_marker(pytest.mark.slow)
        elif browser_dir in path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
