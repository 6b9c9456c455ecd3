"""Read a train/valid/test H5 file of one-hot DNA into uint8 arrays.

The EvoAug files hold ``{x,y}_{train,valid,test}``; published copies differ in key case
(``x_train`` / ``X_train``) and in layout (``(N, L, 4)`` or ``(N, 4, L)``). :func:`load_h5` detects
both, reads ``x`` in chunks straight into a uint8 ``(N, L, 4)`` array (DeepSTARR: 0.4 GB instead of
1.6 GB as float32) and checks on the way that it really is one-hot.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from collections.abc import Sequence

import numpy as np

from evoaug_tf import validation
from evoaug_tf.datasets import registry
from evoaug_tf.datasets.pipeline import downsample_indices

__all__ = ["SPLITS", "SequenceDataset", "load_h5"]

SPLITS = ("train", "valid", "test")
"""Split names, in order."""

_SPLIT_ALIASES = {"train": ("train",), "valid": ("valid", "val", "validation"), "test": ("test",)}

_CHUNK_BYTES = 32 * 2**20
"""Bytes of stored ``x`` read at a time (bounds the extra memory on top of the uint8 result)."""


@dataclasses.dataclass(repr=False, eq=False)
class SequenceDataset:
    """Train, validation and test splits of one-hot DNA with their labels.

    Returned by :func:`load_h5`, :func:`~evoaug_tf.datasets.load_deepstarr`,
    :func:`~evoaug_tf.datasets.load_chip` and the synthetic generators, so code can switch
    between real and synthetic data by one flag.

    Attributes
    ----------
    x_train, x_valid, x_test : np.ndarray
        ``(N_split, L, 4)`` uint8 one-hot, ACGT (an unknown base N is all zeros).
    y_train, y_valid, y_test : np.ndarray
        ``(N_split, T)`` float32 labels (activities, or 0/1 for binary tasks).
    task_names : tuple of str
        T names, one per column of ``y``; e.g. ``("Dev", "Hk")``. Left empty, it is filled with
        ``("task_0", "task_1", ...)``: every dataset has names, so no caller needs a fallback.
    name : str
        Where the data came from, e.g. ``"DeepSTARR"`` or ``"synthetic_deepstarr"``.
    sites : dict or None
        Synthetic data only: ``{split: [[MotifSite, ...] per sequence]}``, the planted motifs.
    motif_mask : dict or None
        Synthetic data only: ``{split: (N_split, L) bool}``, True on planted (non-decoy) motifs.
    info : dict
        Free-form extras (source file, motifs used, number of unknown bases, ...).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_valid: np.ndarray
    y_valid: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    task_names: tuple = ()
    name: str = ""
    sites: dict | None = None
    motif_mask: dict | None = None
    info: dict = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        for split in SPLITS:
            x, y = getattr(self, f"x_{split}"), getattr(self, f"y_{split}")
            if np.ndim(x) != 3 or np.shape(x)[-1] != validation.ALPHABET_SIZE:
                raise ValueError(
                    f"Expected `x_{split}` of shape (N, L, 4), one-hot ACGT. Received: x_{split} with shape "
                    f"{np.shape(x)}"
                )
            if np.ndim(y) not in (1, 2) or len(y) != len(x):
                raise ValueError(
                    f"Expected `y_{split}` of shape (N, T) with one row per sequence of x_{split} ({len(x)}). "
                    f"Received: y_{split} with shape {np.shape(y)}"
                )
        self.task_names = _check_task_names(self.task_names, self.num_tasks)

    @property
    def length(self):
        """Sequence length L."""
        return int(self.x_train.shape[1])

    @property
    def alphabet_size(self):
        """Size of the one-hot axis (4)."""
        return int(self.x_train.shape[2])

    @property
    def num_tasks(self):
        """Number of label columns T."""
        return int(self.y_train.shape[1]) if np.ndim(self.y_train) == 2 else 1

    @property
    def sizes(self):
        """``{"train": N_train, "valid": N_valid, "test": N_test}``."""
        return {split: int(len(getattr(self, f"x_{split}"))) for split in SPLITS}

    def split(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(x, y)`` of split ``name`` (``"train"``, ``"valid"`` or ``"test"``)."""
        if name not in SPLITS:
            raise ValueError(f"Expected name to be one of {list(SPLITS)}. Received: name={name!r}")
        return getattr(self, f"x_{name}"), getattr(self, f"y_{name}")

    def __repr__(self):
        return (
            f"SequenceDataset(name={self.name!r}, sizes={self.sizes}, length={self.length}, "
            f"tasks={list(self.task_names)}, x dtype={self.x_train.dtype}, "
            f"y dtype={self.y_train.dtype})"
        )


def _check_task_names(task_names, count: int) -> tuple:
    """Names of the ``count`` label columns: given ones checked, else ``task_0 .. task_{count-1}``."""
    if task_names is None or (not isinstance(task_names, str) and len(task_names) == 0):
        return tuple(f"task_{i}" for i in range(count))
    if isinstance(task_names, str):
        raise ValueError(
            "Expected `task_names` to be a sequence of names, one per column of y, e.g. ('Dev', 'Hk'). "
            f"Received: task_names={task_names!r} (a string; for one task write ({task_names!r},))"
        )
    names = tuple(task_names)
    if len(names) != count or not all(isinstance(name, str) and name for name in names):
        raise ValueError(
            f"Expected `task_names` to be {count} non-empty strings, one per column of y ({count}). "
            f"Received: task_names={names!r}"
        )
    return names


def _find_key(keys, letter, split, path=""):
    """Find e.g. ``x_train`` / ``X_train`` / ``x_val`` among ``keys``; refuse two candidates."""
    wanted = {f"{letter}_{alias}" for alias in _SPLIT_ALIASES[split]}
    found = [key for key in keys if key.lower() in wanted]
    if len(found) > 1:
        raise ValueError(
            f"Expected one key for {letter}_{split} in {path}. Received: several candidates {found}; "
            "keep one (rename or delete the others), so the split read is the one you mean."
        )
    return found[0] if found else None


def _detect_layout(dataset, key, path):
    """Return ``"NLC"`` for ``(N, L, 4)`` or ``"NCL"`` for ``(N, 4, L)``."""
    shape = dataset.shape
    if len(shape) != 3 or 4 not in shape[1:]:
        raise ValueError(
            f"Expected {key!r} in {path} to be one-hot DNA of shape (N, L, 4) or (N, 4, L). "
            f"Received: {key}.shape={shape}"
        )
    if shape[2] == 4 and shape[1] != 4:
        return "NLC"
    if shape[1] == 4 and shape[2] != 4:
        return "NCL"
    # L == 4: both axes have size 4. Ask the content: one-hot sums to 1 over the alphabet axis.
    sample = np.asarray(dataset[: min(len(dataset), 256)], dtype=np.float32)
    if sample.size == 0 or np.all(np.isin(sample.sum(axis=2), (0.0, 1.0))):
        return "NLC"
    if np.all(np.isin(sample.sum(axis=1), (0.0, 1.0))):
        return "NCL"
    return "NLC"  # neither fits; the one-hot check below reports it


def _one_hot_chunk(chunk, layout, key, path, first_row):
    """Check a chunk is one-hot and return it as ``(n, L, 4)`` uint8 plus its count of N bases."""
    if layout == "NCL":
        chunk = np.swapaxes(chunk, 1, 2)
    unknown = 0
    if chunk.dtype != np.bool_:
        binary = (chunk == 0) | (chunk == 1)
        if not binary.all():
            # An unknown base is sometimes written as 0.25 in each channel: make it all zeros.
            quarter = np.all(chunk == 0.25, axis=2)
            bad = ~binary & ~quarter[:, :, None]
            if bad.any():
                row, pos, channel = np.argwhere(bad)[0]
                raise ValueError(
                    f"Expected {key!r} in {path} to be one-hot (0/1 entries). Received: value "
                    f"{chunk[row, pos, channel]!r} at sequence {first_row + row}, position {pos}."
                )
            chunk = np.where(quarter[:, :, None], 0, chunk)
            unknown = int(quarter.sum())
    out = chunk.astype(np.uint8)
    totals = out.sum(axis=2, dtype=np.int32)
    if (totals > 1).any():
        row, pos = np.argwhere(totals > 1)[0]
        raise ValueError(
            f"Expected {key!r} in {path} to be one-hot (at most one 1 per position). Received: "
            f"{out[row, pos].tolist()} at sequence {first_row + row}, position {pos}."
        )
    return out, unknown


def _read_x(dataset, key, path, layout, rows=None):
    """Read ``dataset`` chunk by chunk into ``(n, L, 4)`` uint8, optionally only ``rows``."""
    total = dataset.shape[0]
    length = dataset.shape[1] if layout == "NLC" else dataset.shape[2]
    row_bytes = max(1, int(np.prod(dataset.shape[1:])) * dataset.dtype.itemsize)
    step = max(1, _CHUNK_BYTES // row_bytes)
    count = total if rows is None else len(rows)
    out = np.empty((count, length, 4), dtype=np.uint8)
    unknown = 0
    written = 0
    for start in range(0, total, step):
        stop = min(total, start + step)
        if rows is None:
            chunk = dataset[start:stop]
            first = start
        else:
            lo, hi = np.searchsorted(rows, [start, stop])
            if lo == hi:
                continue
            chunk = dataset[start:stop][rows[lo:hi] - start]
            first = int(rows[lo])
        converted, n_unknown = _one_hot_chunk(chunk, layout, key, path, first)
        out[written : written + len(converted)] = converted
        written += len(converted)
        unknown += n_unknown
    return out, unknown


def _read_y(dataset, key, path, rows=None):
    y = np.asarray(dataset[()], dtype=np.float32)
    if y.ndim == 1:
        y = y[:, None]
    if y.ndim != 2:
        raise ValueError(
            f"Expected {key!r} in {path} to be labels of shape (N,) or (N, T). Received: {key}.shape={y.shape}"
        )
    if rows is not None:
        y = y[rows]
    if not np.isfinite(y).all():
        row, column = (int(i) for i in np.argwhere(~np.isfinite(y))[0])
        raise ValueError(
            f"Expected {key!r} in {path} to hold finite labels. Received: {y[row, column]} at row {row}, "
            f"column {column} ({int((~np.isfinite(y)).sum())} NaN or inf in all); drop or impute those rows first."
        )
    return np.ascontiguousarray(y)


def _open(path):
    import h5py

    if os.path.isdir(path):
        inside = sorted(name for name in os.listdir(path) if name.endswith((".h5", ".hdf5")))
        raise IsADirectoryError(
            f"Expected `path` to be an .h5 file. Received: path={path!r}, a directory"
            + (f" holding {inside}: pass one of those files." if inside else ".")
        )
    if not os.path.exists(path):
        info = registry.find_by_filename(path)
        hint = (
            registry.download_hint(info, os.path.dirname(os.fspath(path)) or ".")
            if info is not None
            else (registry.download_hint())
        )
        raise FileNotFoundError(f"No data file at {path!r}. Download it first, e.g.: {hint}")
    try:
        return h5py.File(path, "r")
    except OSError as error:
        raise _corrupt_error(path, error) from error


def _corrupt_error(path, error):
    return OSError(
        f"Could not read {path!r} as HDF5 ({error}). The file is truncated or corrupt, "
        "probably an interrupted download: delete it and download it again "
        f"({registry.download_hint(registry.find_by_filename(path))})."
    )


def _read_splits(handle, path, downsample, seed):
    """Read every split; return ``(arrays, layouts, unknown)``."""
    keys = sorted(handle.keys())
    found = {}
    missing = []
    for split in SPLITS:
        for letter in ("x", "y"):
            key = _find_key(keys, letter, split, path)
            if key is None:
                missing.append(f"{letter}_{split}")
            found[letter, split] = key
    if missing:
        raise ValueError(
            f"Expected keys x_train, y_train, x_valid, y_valid, x_test, y_test (any case) in "
            f"{path}. Missing: {missing}. Received: keys={keys}"
        )
    layouts = {split: _detect_layout(handle[found["x", split]], found["x", split], path) for split in SPLITS}
    clear = [layout for split, layout in layouts.items() if handle[found["x", split]].shape[1:] != (4, 4)]
    if clear and len(set(clear)) == 1:
        layouts = dict.fromkeys(SPLITS, clear[0])

    arrays = {}
    unknown = 0
    for split in SPLITS:
        x_data = handle[found["x", split]]
        y_data = handle[found["y", split]]
        if x_data.shape[0] == 0:
            raise ValueError(
                f"Expected {found['x', split]!r} in {path} to hold at least one sequence. "
                f"Received: {found['x', split]}.shape={x_data.shape}"
            )
        if y_data.shape[0] != x_data.shape[0]:
            raise ValueError(
                f"Expected {found['x', split]!r} and {found['y', split]!r} in {path} to have the same "
                f"number of rows. Received: {x_data.shape} and {y_data.shape}"
            )
        rows = None
        if split == "train" and downsample is not None:
            rows = downsample_indices(x_data.shape[0], downsample, seed=seed, name="downsample")
        arrays["x", split], n_unknown = _read_x(x_data, found["x", split], path, layouts[split], rows)
        arrays["y", split] = _read_y(y_data, found["y", split], path, rows)
        unknown += n_unknown
    return arrays, layouts, unknown


def load_h5(
    path: str | os.PathLike,
    downsample: float | None = None,
    seed: int = 0,
    *,
    task_names: Sequence[str] | None = None,
) -> SequenceDataset:
    """Load the train, validation and test splits of an H5 file of one-hot DNA.

    Accepts keys ``x_train``/``X_train``, ``y_train``/``Y_train`` (``valid`` also as ``val`` or
    ``validation``) and ``x`` stored as ``(N, L, 4)`` or ``(N, 4, L)``, any numeric dtype. When
    L == 4 the layout is decided by which axis sums to one.

    Parameters
    ----------
    path : str or os.PathLike
        The ``.h5`` file.
    downsample : int, float or None
        Keep only this many (int) or this fraction (float in ``(0, 1]``) of the *training*
        sequences, drawn without replacement with ``seed`` (file order kept). Validation and test
        are always complete. None keeps everything.
    seed : int
        Seed of the down-sampling draw.
    task_names : sequence of str or None
        Names of the label columns. By default taken from the known dataset of that file name
        (e.g. ``("Dev", "Hk")`` for ``DeepSTARR_data.h5``), else ``("task_0", ...)``.

    Returns
    -------
    SequenceDataset
        ``x_*`` ``(N, L, 4)`` uint8 one-hot ACGT; ``y_*`` ``(N, T)`` float32 (1-D labels become
        ``(N, 1)``).

    Raises
    ------
    FileNotFoundError
        No file at ``path`` (the message says how to download it).
    OSError
        The file is not readable HDF5 (truncated or corrupt download).
    IsADirectoryError
        ``path`` is a directory (the message lists the .h5 files in it).
    ValueError
        A split is missing (the message lists the keys found) or empty, two keys name the same
        split (``x_valid`` and ``X_valid``), shapes disagree, ``x`` is not one-hot, ``y`` holds
        NaN or inf, or ``task_names`` is a string or of the wrong length.
    """
    path = os.fspath(path)
    handle = _open(path)
    try:
        with handle:
            arrays, layouts, unknown = _read_splits(handle, path, downsample, seed)
    except OSError as error:
        raise _corrupt_error(path, error) from error

    lengths = {split: arrays["x", split].shape[1] for split in SPLITS}
    tasks = {split: arrays["y", split].shape[1] for split in SPLITS}
    if len(set(lengths.values())) != 1 or len(set(tasks.values())) != 1:
        raise ValueError(
            f"Expected every split of {path} to share the sequence length and number of tasks. "
            f"Received: lengths={lengths}, tasks={tasks}"
        )
    num_tasks = tasks["train"]
    known = registry.find_by_filename(path)
    if task_names is None and known is not None and known.num_tasks == num_tasks:
        task_names = known.task_names
    task_names = _check_task_names(task_names, num_tasks)
    if unknown:
        warnings.warn(
            f"{path}: {unknown} positions encoded as 0.25 in every channel (unknown base N) were set to all zeros.",
            stacklevel=2,
        )
    return SequenceDataset(
        x_train=arrays["x", "train"],
        y_train=arrays["y", "train"],
        x_valid=arrays["x", "valid"],
        y_valid=arrays["y", "valid"],
        x_test=arrays["x", "test"],
        y_test=arrays["y", "test"],
        task_names=task_names,
        name=known.name if known is not None else os.path.splitext(os.path.basename(path))[0],
        info={
            "path": path,
            "layout": layouts["train"],
            "unknown_bases": unknown,
            "downsample": downsample,
            "seed": seed,
        },
    )
