"""make_dataset and downsample: uint8 in, float32 batches out, seeded order, no copy of the data."""

import numpy as np
import pytest
import tensorflow as tf

from evoaug_tf.datasets import downsample, make_dataset


def one_hot(rows=25, length=9, seed=0):
    rng = np.random.default_rng(seed)
    x = np.eye(4, dtype=np.uint8)[rng.integers(0, 4, size=(rows, length))]
    y = np.stack([np.arange(rows), -np.arange(rows)], axis=1).astype(np.float32)  # row ids
    return x, y


def collect(dataset):
    return [tuple(np.asarray(t) for t in batch) if isinstance(batch, tuple) else np.asarray(batch) for batch in dataset]


def test_batches_are_float32_with_shapes():
    x, y = one_hot()
    dataset = make_dataset(x, y, batch_size=10, shuffle=False)
    assert dataset.element_spec[0].shape.as_list() == [None, 9, 4]
    assert dataset.element_spec[0].dtype == tf.float32
    assert dataset.element_spec[1].shape.as_list() == [None, 2]
    batches = collect(dataset)
    assert [b[0].shape for b in batches] == [(10, 9, 4), (10, 9, 4), (5, 9, 4)]
    assert all(b[0].dtype == np.float32 and b[1].dtype == np.float32 for b in batches)
    np.testing.assert_array_equal(np.concatenate([b[0] for b in batches]), x.astype(np.float32))
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), y)
    assert x.dtype == np.uint8  # the source is left alone


def test_shuffle_keeps_pairs_and_is_seeded():
    x, y = one_hot()
    first = collect(make_dataset(x, y, batch_size=7, seed=3))
    again = collect(make_dataset(x, y, batch_size=7, seed=3))
    other = collect(make_dataset(x, y, batch_size=7, seed=4))
    order = np.concatenate([b[1][:, 0] for b in first]).astype(int)
    assert sorted(order) == list(range(25)) and list(order) != list(range(25))
    assert list(order) == list(np.concatenate([b[1][:, 0] for b in again]).astype(int))
    assert list(order) != list(np.concatenate([b[1][:, 0] for b in other]).astype(int))
    np.testing.assert_array_equal(np.concatenate([b[0] for b in first]), x[order].astype(np.float32))


def test_reshuffles_each_epoch_and_repeat():
    x, y = one_hot()
    dataset = make_dataset(x, y, batch_size=25, seed=0)
    epoch_1, epoch_2 = (next(iter(dataset))[1][:, 0].numpy() for _ in range(2))
    assert not np.array_equal(epoch_1, epoch_2)
    repeated = make_dataset(x, y, batch_size=10, seed=0, repeat=True, drop_remainder=True)
    assert len(list(repeated.take(7))) == 7


def test_no_copy_of_the_array():
    x, y = one_hot()
    dataset = make_dataset(x, y, batch_size=25, shuffle=False)
    x[:] = 0
    x[..., 2] = 1  # edit after building: the pipeline must see it
    assert (next(iter(dataset))[0].numpy()[..., 2] == 1).all()


def test_x_only_and_sample_weight():
    x, y = one_hot()
    only_x = collect(make_dataset(x, batch_size=25, shuffle=False))
    assert only_x[0].shape == (25, 9, 4) and only_x[0].dtype == np.float32
    weights = np.linspace(0, 1, 25)
    batch = next(iter(make_dataset(x, y[:, 0], batch_size=25, shuffle=False, sample_weight=weights)))
    assert len(batch) == 3 and batch[1].shape == (25, 1)
    np.testing.assert_allclose(batch[2].numpy(), weights.astype(np.float32))


def test_bad_arguments():
    x, y = one_hot()
    with pytest.raises(ValueError, match=r"Received: x=ndarray with shape \(25, 9\)"):
        make_dataset(x.argmax(-1), y)
    with pytest.raises(ValueError, match="Received: batch_size=0"):
        make_dataset(x, y, batch_size=0)
    with pytest.raises(ValueError, match=r"Received: y.shape=\(24, 2\)"):
        make_dataset(x, y[:-1])


@pytest.mark.slow  # about 1 s: the slow tier
def test_fits_a_keras_model():
    import keras

    x, y = one_hot(rows=40)
    model = keras.Sequential([keras.Input((9, 4)), keras.layers.Flatten(), keras.layers.Dense(2)])
    model.compile("adam", "mse")
    history = model.fit(make_dataset(x, y, batch_size=16, seed=0), epochs=2, verbose=0, shuffle=False)
    assert len(history.history["loss"]) == 2


def test_downsample_count_fraction_seed():
    x, y = one_hot(rows=100)
    x_small, y_small = downsample(x, y, 30, seed=1)
    assert x_small.shape == (30, 9, 4) and x_small.dtype == np.uint8 and y_small.shape == (30, 2)
    rows = y_small[:, 0].astype(int)
    assert list(rows) == sorted(set(rows))
    np.testing.assert_array_equal(x_small, x[rows])
    np.testing.assert_array_equal(downsample(x, y, 30, seed=1)[1], y_small)
    assert not np.array_equal(downsample(x, y, 30, seed=2)[1], y_small)
    assert downsample(x, y, 0.25, seed=1)[0].shape[0] == 25
    assert downsample(x, None, 0.001)[0].shape[0] == 1
    assert downsample(x, None, 1.0)[1] is None


@pytest.mark.parametrize("bad", [0, 101, 0.0, 1.01])
def test_downsample_rejects(bad):
    x, y = one_hot(rows=100)
    with pytest.raises(ValueError, match=f"Received: n_or_fraction={bad}"):
        downsample(x, y, bad)
