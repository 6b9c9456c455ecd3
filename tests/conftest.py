"""Shared test setup: seeded runs and sequence helpers.

Quick mode, headless plotting and quiet TensorFlow are set for every test and notebook by
pytest-env (``env`` in pyproject.toml).
"""

import numpy as np
import pytest

ALPHABET = "ACGT"


def encode(*sequences):
    """``encode("ACGT", "TTGA")`` -> ``(2, 4, 4)`` float32 one-hot."""
    return np.stack([np.eye(4, dtype="float32")[[ALPHABET.index(base) for base in seq]] for seq in sequences])


def decode(x):
    """``(N, L, 4)`` one-hot -> list of strings (argmax per position)."""
    return ["".join(ALPHABET[i] for i in row) for row in np.argmax(np.asarray(x), axis=-1)]


def random_onehot(size, length, seed=0):
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
