"""Run specifications with a fingerprint, and a store of finished runs keyed by it.

A finished run is only reused when everything that made it is the same: the data (a content hash
of ``x`` and ``y`` of every split), the model's architecture, the :class:`~evoaug_tf.evoaug.RobustModel`
settings with every augmentation's config, the protocol, the task, the run's name and its seed.
:class:`RunStore` keeps each run in ``out_dir/<run>_trial<k>/`` with its specification
(``spec.json``); a run made otherwise is moved aside to ``out_dir/stale/`` (never deleted) with a
message naming what changed, and a damaged file is named in a warning and its run trained again.
Every file is written atomically (a temporary file, then ``os.replace``).

>>> spec = RunSpec("standard", 0, data=data_identity(data), model=model_architecture(DeepSTARR, (249, 4), 2),
...                robust=None, protocol=asdict(protocol), task=asdict(task))  # doctest: +SKIP
>>> store = RunStore("runs")  # doctest: +SKIP
>>> store.load(spec)  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

__all__ = [
    "RunSpec",
    "RunStore",
    "atomic_write",
    "augmentation_configs",
    "changed_fields",
    "data_identity",
    "file_hash",
    "model_architecture",
    "run_folder",
    "SPLITS",
    "write_json",
]

#: The splits of a :class:`~evoaug_tf.datasets.SequenceDataset` whose contents identify the data.
SPLITS = ("train", "valid", "test")
#: The files of a finished run; ``scores.json`` is written last and marks the run finished.
SPEC_FILE, SCORES_FILE, HISTORY_FILE, HISTORY_CSV, WEIGHTS_FILE = (
    "spec.json",
    "scores.json",
    "history.json",
    "history.csv",
    "model.weights.h5",
)
#: Where runs made with other settings, or damaged, are moved: ``out_dir/stale/<folder>.<fingerprint>``.
STALE_FOLDER = "stale"


def _hash_bytes(array) -> str:
    array = np.ascontiguousarray(np.asarray(array))
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{array.dtype.str}{array.shape}".encode())
    digest.update(memoryview(array).cast("B"))
    return digest.hexdigest()


def data_identity(data) -> dict:
    """What identifies a dataset: its name and a content hash of ``x`` and ``y`` of each split.

    Parameters
    ----------
    data : SequenceDataset
        ``x_<split>`` ``(N, L, 4)`` and ``y_<split>`` ``(N, T)`` for ``split`` in train, valid, test.

    Returns
    -------
    dict
        ``{"name": str, "x_train": hash, "y_train": hash, ...}``: a BLAKE2b hash (16 bytes, hex) of each
        array's dtype, shape and bytes, so other rows, other labels or other synthetic data all differ.
    """
    identity = {"name": str(getattr(data, "name", ""))}
    for split in SPLITS:
        for kind in ("x", "y"):
            identity[f"{kind}_{split}"] = _hash_bytes(getattr(data, f"{kind}_{split}"))
    return identity


def _callable_name(function) -> dict:
    if isinstance(function, functools.partial):
        return {
            **_callable_name(function.func),
            "args": [repr(a) for a in function.args],
            "keywords": {k: repr(v) for k, v in sorted(function.keywords.items())},
        }
    return {"function": f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', repr(function))}"}


def _layer_names(config, names: list) -> None:
    if isinstance(config, dict):
        inner = config.get("config")
        if "class_name" in config and isinstance(inner, dict) and isinstance(inner.get("name"), str):
            if inner["name"] not in names:
                names.append(inner["name"])
        for value in config.values():
            _layer_names(value, names)
    elif isinstance(config, list):
        for value in config:
            _layer_names(value, names)


def _renamed(config, mapping: dict):
    if isinstance(config, dict):
        return {key: _renamed(value, mapping) for key, value in config.items()}
    if isinstance(config, list):
        return [_renamed(value, mapping) for value in config]
    if isinstance(config, str):
        return mapping.get(config, config)
    return config


def model_architecture(model_func: Callable, input_shape, output_shape) -> dict:
    """The architecture ``model_func`` builds, as a JSON-able config that does not depend on the session.

    The model is built once and its Keras config kept, with the automatic layer names
    (``conv1d_7``, which count up in a session) replaced by their order (``layer0``, ``layer1``, ...);
    so a changed ``model_func`` (other filters, other layers, another ``partial`` keyword) gives another
    architecture, and the same one built twice gives the same. A model without a config (a subclassed
    model that does not define ``get_config``) is described by the function's qualified name, its
    ``partial`` arguments and its weights' shapes.

    Parameters
    ----------
    model_func : callable
        ``model_func(input_shape, output_shape) -> keras.Model``.
    input_shape : tuple
        ``(L, 4)``.
    output_shape : int
        Number of tasks.
    """
    import keras

    model = model_func(tuple(input_shape), output_shape)
    try:
        config = json.loads(json.dumps(keras.saving.serialize_keras_object(model), default=repr))
    except (NotImplementedError, TypeError, ValueError):
        config = None
    if not config or not isinstance(config.get("config"), dict) or "layers" not in config["config"]:
        return {
            **_callable_name(model_func),
            "weights": [list(w.shape) for w in model.weights],
        }
    names: list = []
    _layer_names(config, names)
    return _renamed(config, {name: f"layer{i}" for i, name in enumerate(names)})


def augmentation_configs(augment_list) -> list[dict]:
    """Each augmentation's class and ``get_config()``, in order."""
    return [
        {"class": f"{type(a).__module__}.{type(a).__qualname__}", "config": json.loads(json.dumps(a.get_config()))}
        for a in augment_list
    ]


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=repr)


@dataclass(frozen=True)
class RunSpec:
    """Everything that makes one run: frozen, JSON-able, with a fingerprint.

    Attributes
    ----------
    run : str
        The run's name (``"standard"``, an arm's name, or ``"<arm>+finetune"``).
    trial : int
        Its seed.
    data : dict
        :func:`data_identity`.
    model : dict
        :func:`model_architecture`.
    robust : dict or None
        For an EvoAug run: ``augmentations`` (:func:`augmentation_configs`), ``max_augs_per_seq``,
        ``hard_aug``, ``subset_mode``; None for a standard run.
    protocol, task : dict
        ``dataclasses.asdict`` of the protocol and the task.
    """

    run: str
    trial: int
    data: dict = field(hash=False)
    model: dict = field(hash=False)
    robust: dict | None = field(hash=False)
    protocol: dict = field(hash=False)
    task: dict = field(hash=False)

    def to_dict(self) -> dict:
        """A plain, JSON-able dict (round-trips through JSON unchanged)."""
        return json.loads(_canonical(asdict(self)))

    @property
    def fingerprint(self) -> str:
        """BLAKE2b (16 bytes, hex) of the canonical JSON of :meth:`to_dict`."""
        return hashlib.blake2b(_canonical(self.to_dict()).encode(), digest_size=16).hexdigest()


def changed_fields(old: dict, new: dict, prefix: str = "") -> list[str]:
    """The fields that differ between two specifications, as dotted names (``"data.y_train"``, ``"robust"``).

    Nested dicts are compared field by field, except the model's architecture (named ``"model"`` as a
    whole); anything else that differs is named as a whole.
    """
    changed = []
    for key in sorted(set(old) | set(new), key=str):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        name = f"{prefix}{key}"
        if isinstance(a, dict) and isinstance(b, dict) and name not in ("model",):
            changed += changed_fields(a, b, prefix=f"{name}.")
        else:
            changed.append(name)
    return changed


def run_folder(out_dir, run: str, trial: int) -> str:
    """Where a finished run is kept: ``out_dir/<run>_trial<k>``.

    Characters other than letters, digits, ``.``, ``+`` and ``-`` in ``run`` become ``_``.
    """
    return os.path.join(os.fspath(out_dir), f"{re.sub(r'[^A-Za-z0-9.+-]+', '_', run)}_trial{trial}")


def atomic_write(path, write: Callable[[str], None]) -> None:
    """Write ``path`` through a temporary file beside it, then ``os.replace``: never a half-written file.

    ``write`` receives the temporary path and writes the whole file there.
    """
    path = os.fspath(path)
    temporary = f"{path}.tmp{os.getpid()}"
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def write_json(path, value) -> None:
    """Write ``value`` as JSON to ``path`` atomically."""

    def write(temporary):
        with open(temporary, "w") as handle:
            json.dump(value, handle, indent=1, default=float)

    atomic_write(path, write)


def file_hash(path) -> str:
    """BLAKE2b (16 bytes, hex) of a file's bytes."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class DamagedRun(Exception):
    """A finished run's file cannot be read: ``path`` and ``reason``."""

    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


def _read_json(path):
    try:
        with open(path) as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise DamagedRun(path, "missing") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        reason = "empty" if os.path.getsize(path) == 0 else f"not valid JSON ({error})"
        raise DamagedRun(path, reason) from None


class RunStore:
    """Finished runs in ``out_dir``, one folder each, found by their :class:`RunSpec`.

    ``out_dir=None`` keeps nothing (:meth:`load` returns None, :meth:`save` does nothing).

    Parameters
    ----------
    out_dir : str, os.PathLike or None
    log : callable
        Receives a line when a run made with other settings is moved aside.
    """

    def __init__(self, out_dir, log: Callable = print):
        self.out_dir = None if out_dir is None else os.fspath(out_dir)
        self.log = log

    def folder(self, spec: RunSpec) -> str | None:
        """The folder that holds the run ``spec`` names, or None when the store keeps nothing on disk."""
        return None if self.out_dir is None else run_folder(self.out_dir, spec.run, spec.trial)

    def load(self, spec: RunSpec):
        """The finished run made with exactly ``spec``: ``(score rows, history dict)``, or None.

        A finished run made with another specification is moved to ``out_dir/stale/`` with a line naming
        what changed; a damaged one (a file empty, cut, missing, or not the file that was written) is moved
        there too and named in a :class:`UserWarning`. Either way the caller trains the run anew.
        """
        folder = self.folder(spec)
        if folder is None or not os.path.exists(os.path.join(folder, SCORES_FILE)):
            return None  # never run, or interrupted before it finished: trained (again) and overwritten
        try:
            if not os.path.exists(os.path.join(folder, SPEC_FILE)):
                raise DamagedRun(os.path.join(folder, SPEC_FILE), "missing: a run kept before specifications were")
            saved = _read_json(os.path.join(folder, SPEC_FILE))
            if not isinstance(saved, dict) or not isinstance(saved.get("spec"), dict):
                raise DamagedRun(os.path.join(folder, SPEC_FILE), "no run specification in it")
            if saved.get("fingerprint") != spec.fingerprint:
                changed = changed_fields(saved["spec"], spec.to_dict()) or ["fingerprint"]
                moved = self._move_aside(folder, saved.get("fingerprint"))
                self.log(
                    f"  {spec.run} trial {spec.trial}: the finished run in {folder} was made with other settings "
                    f"(changed: {', '.join(changed)}); moved it to {moved} and training it anew"
                )
                return None
            rows = _read_json(os.path.join(folder, SCORES_FILE))
            history = _read_json(os.path.join(folder, HISTORY_FILE))
            if not isinstance(rows, list) or not rows or not isinstance(history, dict):
                raise DamagedRun(os.path.join(folder, SCORES_FILE), "no score rows in it")
            for name, expected in saved.get("files", {}).items():
                path = os.path.join(folder, name)
                if not os.path.exists(path):
                    raise DamagedRun(path, "missing")
                if file_hash(path) != expected:
                    raise DamagedRun(path, f"not the file that was written (size {os.path.getsize(path)} bytes)")
        except DamagedRun as damage:
            moved = self._move_aside(folder, "damaged")
            warnings.warn(
                f"{damage.path} is damaged ({damage.reason}); moved the run to {moved} and training "
                f"{spec.run} trial {spec.trial} anew",
                stacklevel=2,
            )
            return None
        return rows, history

    def _move_aside(self, folder: str, label) -> str:
        stale = os.path.join(os.path.dirname(folder), STALE_FOLDER)  # folder is a run folder of out_dir
        os.makedirs(stale, exist_ok=True)
        base = os.path.join(stale, f"{os.path.basename(folder)}.{str(label)[:12]}")
        target, number = base, 1
        while os.path.exists(target):
            number += 1
            target = f"{base}.{number}"
        shutil.move(folder, target)
        return target

    def save(self, spec: RunSpec, rows: list, history: dict, model) -> None:
        """Keep a finished run: weights, history (JSON and CSV), ``spec.json``, then ``scores.json`` (last).

        Every file is written atomically; ``spec.json`` records each file's hash, so a later
        :meth:`load` finds a truncated or replaced one.
        """
        folder = self.folder(spec)
        if folder is None:
            return
        import pandas as pd

        os.makedirs(folder, exist_ok=True)
        for name in (SCORES_FILE, SPEC_FILE):  # an older run there is no longer finished
            if os.path.exists(os.path.join(folder, name)):
                os.remove(os.path.join(folder, name))
        atomic_write(os.path.join(folder, WEIGHTS_FILE), lambda path: _save_weights(model, path))
        write_json(os.path.join(folder, HISTORY_FILE), history)
        frame = pd.DataFrame(history)
        frame.insert(0, "epoch", np.arange(1, len(frame) + 1))
        atomic_write(os.path.join(folder, HISTORY_CSV), lambda path: frame.to_csv(path, index=False))
        files = {name: file_hash(os.path.join(folder, name)) for name in (WEIGHTS_FILE, HISTORY_FILE)}
        write_json(
            os.path.join(folder, SPEC_FILE), {"fingerprint": spec.fingerprint, "spec": spec.to_dict(), "files": files}
        )
        write_json(os.path.join(folder, SCORES_FILE), rows)

    def write_settings(self, settings: dict) -> None:
        """Describe the latest call in ``out_dir/settings.json`` (atomically; it does not gate resuming)."""
        if self.out_dir is None:
            return
        os.makedirs(self.out_dir, exist_ok=True)
        path = os.path.join(self.out_dir, "settings.json")
        if os.path.exists(path):
            try:
                _read_json(path)
            except DamagedRun as damage:
                warnings.warn(f"{path} is damaged ({damage.reason}); writing it anew", stacklevel=2)
        write_json(path, settings)


def _save_weights(model, path: str) -> None:
    # Keras wants the name to end in .weights.h5: write beside, then move to the temporary name.
    staging = f"{path}.weights.h5"
    try:
        model.save_weights(staging)
        os.replace(staging, path)
    finally:
        if os.path.exists(staging):
            os.remove(staging)
