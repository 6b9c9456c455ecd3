"""load_h5: key case, layout, chunked reading, errors, down-sampling."""

import h5py
import numpy as np
import pytest

from evoaug_tf.datasets import SequenceDataset, load_h5
from evoaug_tf.datasets import h5 as h5_module

SIZES = {"train": 40, "valid": 7, "test": 9}


def random_split_arrays(length=12, tasks=2, seed=0, one_dim_labels=False):
    """{split: (x (N, L, 4) float32 one-hot, y (N, T) float32 or (N,))}."""
    rng = np.random.default_rng(seed)
    arrays = {}
    for split, rows in SIZES.items():
        x = np.eye(4, dtype=np.float32)[rng.integers(0, 4, size=(rows, length))]
        y = rng.normal(size=(rows,) if one_dim_labels else (rows, tasks)).astype(np.float32)
        arrays[split] = (x, y)
    return arrays


def write_h5(path, arrays, upper=False, channels_first=False, dtype=np.float32):
    with h5py.File(path, "w") as handle:
        for split, (x, y) in arrays.items():
            stored = np.swapaxes(x, 1, 2) if channels_first else x
            handle.create_dataset(f"{'X' if upper else 'x'}_{split}", data=stored.astype(dtype))
            handle.create_dataset(f"{'Y' if upper else 'y'}_{split}", data=y)
    return path


@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("channels_first", [False, True])
def test_layouts_and_key_cases_load_identically(tmp_path, upper, channels_first):
    arrays = random_split_arrays()
    data = load_h5(write_h5(tmp_path / "d.h5", arrays, upper=upper, channels_first=channels_first))
    assert isinstance(data, SequenceDataset)
    for split in SIZES:
        x, y = data.split(split)
        assert x.dtype == np.uint8 and x.shape == (SIZES[split], 12, 4)
        assert y.dtype == np.float32 and y.shape == (SIZES[split], 2)
        np.testing.assert_array_equal(x, arrays[split][0].astype(np.uint8))
        np.testing.assert_array_equal(y, arrays[split][1])
    assert (data.length, data.alphabet_size, data.num_tasks) == (12, 4, 2)
    assert data.sizes == SIZES
    assert data.task_names == ("task_0", "task_1")
    assert data.info["layout"] == ("NCL" if channels_first else "NLC")


def test_exact_small_file(tmp_path):
    # "ACGT" and "TTAA" stored channels-first as uint8; y as 1-D.
    x = np.eye(4, dtype=np.uint8)[[[0, 1, 2, 3, 0], [3, 3, 0, 0, 1]]]
    arrays = {split: (x, np.array([1.0, 0.0], dtype=np.float32)) for split in SIZES}
    data = load_h5(write_h5(tmp_path / "CTCF_200.h5", arrays, channels_first=True, dtype=np.uint8))
    np.testing.assert_array_equal(data.x_test.argmax(-1), [[0, 1, 2, 3, 0], [3, 3, 0, 0, 1]])
    assert data.y_test.shape == (2, 1) and data.y_test.dtype == np.float32
    assert data.task_names == ("CTCF",) and data.name == "CTCF"


def test_known_file_name_gives_task_names(tmp_path):
    data = load_h5(write_h5(tmp_path / "DeepSTARR_data.h5", random_split_arrays()))
    assert data.task_names == ("Dev", "Hk") and data.name == "DeepSTARR"


def test_length_four_is_ambiguous_but_resolved(tmp_path):
    arrays = random_split_arrays(length=4)
    for channels_first in (False, True):
        path = write_h5(tmp_path / f"l4_{channels_first}.h5", arrays, channels_first=channels_first)
        data = load_h5(path)
        for split in SIZES:
            np.testing.assert_array_equal(data.split(split)[0], arrays[split][0].astype(np.uint8))


def test_chunked_reading_matches(tmp_path, monkeypatch):
    arrays = random_split_arrays()
    path = write_h5(tmp_path / "d.h5", arrays, channels_first=True)
    whole = load_h5(path)
    monkeypatch.setattr(h5_module, "_CHUNK_BYTES", 12 * 4 * 4 * 3)  # three rows per chunk
    chunked = load_h5(path)
    np.testing.assert_array_equal(whole.x_train, chunked.x_train)
    sub_whole = load_h5(path, downsample=11, seed=3)
    monkeypatch.setattr(h5_module, "_CHUNK_BYTES", 1)
    np.testing.assert_array_equal(load_h5(path, downsample=11, seed=3).x_train, sub_whole.x_train)


def test_downsample_count_and_fraction(tmp_path):
    arrays = random_split_arrays()
    path = write_h5(tmp_path / "d.h5", arrays)
    full = load_h5(path)
    by_count = load_h5(path, downsample=10, seed=1)
    assert by_count.sizes == {"train": 10, "valid": 7, "test": 9}
    assert load_h5(path, downsample=0.25, seed=1).sizes["train"] == 10
    # Same seed, same rows; the rows are real rows of the full set with their labels.
    np.testing.assert_array_equal(by_count.x_train, load_h5(path, downsample=10, seed=1).x_train)
    other = load_h5(path, downsample=10, seed=2)
    assert not np.array_equal(by_count.y_train, other.y_train)
    rows = [int(np.flatnonzero((full.y_train == row).all(axis=1))[0]) for row in by_count.y_train]
    assert rows == sorted(rows)
    np.testing.assert_array_equal(full.x_train[rows], by_count.x_train)
    np.testing.assert_array_equal(load_h5(path, downsample=1.0).x_train, full.x_train)


@pytest.mark.parametrize("bad", [0, 41, 0.0, 1.5, -0.1])
def test_downsample_out_of_range(tmp_path, bad):
    path = write_h5(tmp_path / "d.h5", random_split_arrays())
    with pytest.raises(ValueError, match=f"Received: downsample={bad}"):
        load_h5(path, downsample=bad)


def test_downsample_wrong_type(tmp_path):
    path = write_h5(tmp_path / "d.h5", random_split_arrays())
    with pytest.raises(TypeError, match="downsample=True"):
        load_h5(path, downsample=True)


def test_missing_key_lists_keys_found(tmp_path):
    arrays = random_split_arrays()
    path = tmp_path / "d.h5"
    with h5py.File(path, "w") as handle:
        for split, (x, y) in arrays.items():
            handle.create_dataset(f"x_{split}", data=x)
            if split != "valid":
                handle.create_dataset(f"y_{split}", data=y)
    with pytest.raises(ValueError, match=r"Missing: \['y_valid'\].*x_valid"):
        load_h5(path)


def test_valid_alias_is_accepted(tmp_path):
    arrays = random_split_arrays()
    path = tmp_path / "d.h5"
    with h5py.File(path, "w") as handle:
        for split, (x, y) in arrays.items():
            name = "val" if split == "valid" else split
            handle.create_dataset(f"X_{name}", data=x)
            handle.create_dataset(f"Y_{name}", data=y)
    assert load_h5(path).sizes == SIZES


def test_missing_file_says_how_to_download(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"data_download.py deepstarr"):
        load_h5(tmp_path / "DeepSTARR_data.h5")


def test_truncated_file_says_delete_and_redownload(tmp_path):
    path = write_h5(tmp_path / "d.h5", random_split_arrays(length=50))
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 2])
    with pytest.raises(OSError, match=r"d\.h5.*truncated or corrupt.*delete it and download it again"):
        load_h5(path)


def test_not_hdf5_at_all(tmp_path):
    path = tmp_path / "d.h5"
    path.write_bytes(b"<html>404 Not Found</html>")
    with pytest.raises(OSError, match="truncated or corrupt"):
        load_h5(path)


@pytest.mark.parametrize(
    "split, where, value, match",
    [
        ("valid", (3, 5, 2), 0.7, r"one-hot.*0\.7.*sequence 3, position 5"),
        ("test", (2, 1), [1, 1, 0, 0], r"at most one 1.*sequence 2, position 1"),
    ],
    ids=["a value that is not 0 or 1", "two ones at a position"],
)
def test_not_one_hot_is_refused_naming_the_place(tmp_path, split, where, value, match):
    arrays = random_split_arrays()
    x, y = arrays[split]
    x = x.copy()
    x[where] = value
    arrays[split] = (x, y)
    with pytest.raises(ValueError, match=match):
        load_h5(write_h5(tmp_path / "d.h5", arrays))


def test_wrong_rank(tmp_path):
    arrays = random_split_arrays()
    arrays["train"] = (arrays["train"][0].argmax(-1), arrays["train"][1])
    with pytest.raises(ValueError, match=r"Expected 'x_train'.*\(N, L, 4\).*Received: x_train.shape=\(40, 12\)"):
        load_h5(write_h5(tmp_path / "d.h5", arrays))


def test_unknown_bases_as_quarters_become_zeros(tmp_path):
    arrays = random_split_arrays()
    x, y = arrays["train"]
    x = x.copy()
    x[0, 0] = 0.25
    arrays["train"] = (x, y)
    with pytest.warns(UserWarning, match="1 positions encoded as 0.25"):
        data = load_h5(write_h5(tmp_path / "d.h5", arrays))
    assert data.x_train[0, 0].tolist() == [0, 0, 0, 0]
    assert data.info["unknown_bases"] == 1


def test_mismatched_rows(tmp_path):
    arrays = random_split_arrays()
    arrays["test"] = (arrays["test"][0], arrays["test"][1][:-1])
    with pytest.raises(ValueError, match="same number of rows"):
        load_h5(write_h5(tmp_path / "d.h5", arrays))


def test_sequence_dataset_fills_default_task_names_and_checks_rows():
    x = np.zeros((3, 5, 4), np.uint8)
    y = np.zeros((3, 2), np.float32)
    data = SequenceDataset(x, y, x, y, x, y)
    assert data.task_names == ("task_0", "task_1")
    assert SequenceDataset(x, y, x, y, x, y, task_names=["Dev", "Hk"]).task_names == ("Dev", "Hk")
    with pytest.raises(ValueError, match=r"Expected `y_valid`.*\(3\).*Received: y_valid with shape \(2, 2\)"):
        SequenceDataset(x, y, x, y[:2], x, y)
    with pytest.raises(ValueError, match=r"task_names='ab' \(a string"):
        SequenceDataset(x, y, x, y, x, y, task_names="ab")


def test_load_h5_refuses_a_directory_and_two_keys_for_one_split(tmp_path):
    path = write_h5(tmp_path / "d.h5", random_split_arrays())
    with pytest.raises(IsADirectoryError, match=r"a directory holding \['d.h5'\]"):
        load_h5(tmp_path)
    with h5py.File(path, "a") as handle:
        handle.create_dataset("x_val", data=np.zeros((7, 12, 4), np.float32))
    with pytest.raises(ValueError, match=r"one key for x_valid.*\['x_val', 'x_valid'\]"):
        load_h5(path)
