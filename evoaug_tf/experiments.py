"""The paper's experiments as functions: standard vs EvoAug vs EvoAug + finetuning, on any dataset.

Used by the ``demo`` and ``reproduce`` commands (:mod:`evoaug_tf.commands`) and the training notebooks.

>>> data = datasets.make_synthetic_deepstarr(n=7000, seed=0)
>>> table = compare_training(data, augmentations("ITD"), protocol, trials=[0], out_dir="runs")
>>> arms = {"EvoAug-TF ITD": Arm(lambda: augmentations("ITD"), subset_mode="batch")}
>>> table = compare_training(data, arms, protocol, trials=[0, 1], out_dir="runs_tf")  # resumes if interrupted
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any, cast

import keras
import numpy as np
import pandas as pd

from evoaug_tf import augment, runs
from evoaug_tf.datasets.pipeline import make_dataset
from evoaug_tf.evoaug import RobustModel
from evoaug_tf.models import DeepSTARR
from evoaug_tf.runs import run_folder  # where it always was: commands and notebooks use it
from evoaug_tf.training import (  # Task, REGRESSION and BINARY live in training; re-exported here
    BINARY,
    PAPER_PROTOCOL,
    REGRESSION,
    Protocol,
    Task,
    progress_callbacks,
    stage_callbacks,
    train_two_stage,
)

if TYPE_CHECKING:
    from evoaug_tf.datasets.h5 import SequenceDataset

__all__ = [
    "BINARY",
    "REGRESSION",
    "Arm",
    "Task",
    "augmentations",
    "compare_training",
    "downsample_train",
    "run_folder",
    "summarize",
    "train_evoaug",
    "train_standard",
]


def augmentations(letters: str = "ITD", batch_mode: bool = False) -> list:
    """The paper's augment list for a letter code such as ``"ITD"``: see :func:`evoaug_tf.augment.from_letters`."""
    return augment.from_letters(letters, batch_mode=batch_mode)


def downsample_train(
    data: SequenceDataset, n: int, order: str = "first", seed: int = 0, repeats: int = 1
) -> SequenceDataset:
    """Keep ``n`` training sequences; validation and test stay whole (the paper's down-sampling).

    Parameters
    ----------
    data : SequenceDataset
        ``x_train`` ``(N, L, 4)``, ``y_train`` ``(N, T)``.
    n : int
        Training sequences to keep, ``1 <= n <= N`` (``n == N`` with one copy returns ``data`` itself).
    order : {"first", "random"}
        ``"first"``: the first ``n`` rows, as the paper's analysis does; ``"random"``: ``n`` rows drawn
        without replacement with ``seed`` (file order kept).
    seed : int
        Seed of the random draw.
    repeats : int
        Copies of the kept rows, one after another (``sizes.downsample_repeats``: an epoch on few
        sequences as long as the full set's). 1: each row once.

    Returns
    -------
    SequenceDataset
        ``x_train`` ``(repeats * n, L, 4)``, ``y_train`` ``(repeats * n, T)``; ``info["train_rows"]``
        says which rows.
    """
    total = len(data.x_train)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= total:
        raise ValueError(f"Expected n to be an int from 1 to the {total} training sequences. Received: n={n!r}")
    if order not in ("first", "random"):
        raise ValueError(f"Expected order to be 'first' or 'random'. Received: order={order!r}")
    if isinstance(repeats, bool) or not isinstance(repeats, (int, np.integer)) or repeats < 1:
        raise ValueError(f"Expected repeats to be a positive int. Received: repeats={repeats!r}")
    if n == total and repeats == 1:
        return data
    rows: Any
    if order == "first":
        rows, described = slice(0, int(n)), f"first {n}"
    else:
        from evoaug_tf.datasets.pipeline import downsample_indices

        rows, described = downsample_indices(total, int(n), seed=seed, name="n"), f"random {n} (seed {seed})"
    if repeats > 1:
        kept = np.arange(total)[rows]
        rows, described = np.tile(kept, int(repeats)), f"{described}, {repeats} copies"
    info: dict[str, Any] = {**(data.info or {}), "train_rows": described}
    per_split = info.get("per_split")
    if isinstance(per_split, dict):  # per-row extras of the training split (activity, motif counts) follow the rows
        info["per_split"] = {
            key: {**value, "train": np.asarray(value["train"])[rows]}
            if isinstance(value, dict) and len(np.asarray(value.get("train", ()))) == total
            else value
            for key, value in per_split.items()
        }
    changes: dict[str, Any] = {"x_train": data.x_train[rows], "y_train": data.y_train[rows], "info": info}
    for field in ("sites", "motif_mask"):
        value = getattr(data, field, None)
        if isinstance(value, dict) and "train" in value:
            train = value["train"]
            picked = (
                train[rows]
                if isinstance(train, np.ndarray)
                else (train[rows] if isinstance(rows, slice) else [train[i] for i in rows])
            )
            changes[field] = {**value, "train": picked}
    return replace(data, **changes)


def _task_names(data):
    return tuple(data.task_names)  # a SequenceDataset always has them (default task_0, task_1, ...)


def _as_float(x):
    return x.astype("float32", copy=False)


def _batches(x, y, protocol: Protocol, shuffle: bool):
    """Float32 batches from the uint8 arrays (``datasets.make_dataset``): DeepSTARR stays 0.4 GB in memory.

    The shuffle seed comes from NumPy's global generator, so ``keras.utils.set_random_seed`` fixes it.
    """
    seed = int(np.random.randint(2**31 - 1)) if shuffle else None  # noqa: NPY002 (the global generator on purpose)
    return make_dataset(x, y, batch_size=protocol.batch_size, shuffle=shuffle, seed=seed)


def train_standard(
    data: SequenceDataset,
    model_func: Callable[..., Any] = DeepSTARR,
    protocol: Protocol = PAPER_PROTOCOL,
    task: Task = REGRESSION,
    verbose: int | str = 0,
) -> tuple[Any, Any]:
    """Standard training (no augmentation) of ``model_func`` with the protocol's stage-1 settings.

    Returns
    -------
    (keras.Model, keras.callbacks.History)
    """
    model = model_func(data.x_train.shape[1:], data.y_train.shape[1])
    model.compile(
        keras.optimizers.Adam(protocol.learning_rate), loss=task.loss, metrics=task.compile_metrics(_task_names(data))
    )
    history = model.fit(
        _batches(data.x_train, data.y_train, protocol, shuffle=True),
        epochs=protocol.epochs,
        validation_data=_batches(data.x_valid, data.y_valid, protocol, shuffle=False),
        callbacks=[*stage_callbacks(protocol), *progress_callbacks(verbose)],
        shuffle=False,
        verbose=verbose,
    )
    return model, history


def train_evoaug(
    data: SequenceDataset,
    augment_list: list,
    model_func: Callable[..., Any] = DeepSTARR,
    protocol: Protocol = PAPER_PROTOCOL,
    task: Task = REGRESSION,
    max_augs_per_seq: int = 2,
    hard_aug: bool = True,
    subset_mode: str = "batch",
    on_stage1_end: Callable[[RobustModel], object] | None = None,
    verbose: int | str = 0,
) -> tuple[RobustModel, Any, Any]:
    """EvoAug training (stage 1) then finetuning (stage 2), the paper's curriculum.

    Parameters
    ----------
    max_augs_per_seq, hard_aug, subset_mode
        As in :class:`RobustModel`; ``subset_mode="batch"`` (default) draws one subset of
        augmentations per mini-batch, as evoaug-tf 1.0.3 and the paper; ``"sequence"`` one per sequence.
    on_stage1_end : callable, optional
        Called with the model between the stages (e.g. to score the stage-1 model).

    Returns
    -------
    (RobustModel, History, History)
    """
    model = RobustModel(
        model_func,
        data.x_train.shape[1:],
        augment_list=augment_list,
        max_augs_per_seq=max_augs_per_seq,
        hard_aug=hard_aug,
        subset_mode=subset_mode,
        output_shape=data.y_train.shape[1],
    )
    model.compile(
        keras.optimizers.Adam(protocol.learning_rate), loss=task.loss, metrics=task.compile_metrics(_task_names(data))
    )
    train = _batches(data.x_train, data.y_train, protocol, shuffle=True)
    valid = _batches(data.x_valid, data.y_valid, protocol, shuffle=False)
    history, history_finetune = train_two_stage(
        model, train, valid, protocol, verbose=verbose, on_stage1_end=on_stage1_end
    )
    return model, history, history_finetune


@dataclass(frozen=True)
class Arm:
    """One EvoAug arm of a comparison: its augmentations and how :class:`RobustModel` applies them.

    Attributes
    ----------
    augmentations : list or callable
        The augment list, or a function returning a fresh one (called once per trial).
    subset_mode : {"sequence", "batch"} or None
        ``"batch"``: one subset of augmentations per mini-batch (EvoAug-TF, the paper's runs);
        ``"sequence"``: one subset per sequence (the original EvoAug's method). None: the value
        given to :func:`compare_training`.
    max_augs_per_seq, hard_aug : int, bool or None
        As in :class:`RobustModel`; None: the values given to :func:`compare_training`.
    """

    augmentations: object
    subset_mode: str | None = None
    max_augs_per_seq: int | None = None
    hard_aug: bool | None = None

    def build(self) -> list:
        """A fresh augment list."""
        return list(cast(Iterable[Any], self.augmentations() if callable(self.augmentations) else self.augmentations))


def _arms(augment_list, subset_mode, max_augs_per_seq, hard_aug) -> dict:
    items = augment_list.items() if isinstance(augment_list, dict) else [("evoaug", augment_list)]
    arms = {}
    for name, value in items:
        if not isinstance(name, str) or not name.strip() or name == "standard" or name.endswith("+finetune"):
            raise ValueError(
                "Expected each EvoAug arm's name to be a non-empty string other than 'standard' and not ending "
                f"in '+finetune' (those names are taken). Received: name={name!r}"
            )
        arm = value if isinstance(value, Arm) else Arm(value)
        arms[name] = replace(
            arm,
            subset_mode=arm.subset_mode if arm.subset_mode is not None else subset_mode,
            max_augs_per_seq=arm.max_augs_per_seq if arm.max_augs_per_seq is not None else max_augs_per_seq,
            hard_aug=arm.hard_aug if arm.hard_aug is not None else hard_aug,
        )
    if not arms:
        raise ValueError(f"Expected at least one EvoAug arm. Received: augment_list={augment_list!r}")
    return arms


def _check_trials(trials) -> list[int]:
    values = list(trials)
    bad = [t for t in values if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 0]
    if not values or bad or len(set(values)) != len(values):
        raise ValueError(f"Expected trials to be distinct seeds, ints >= 0, at least one. Received: trials={values!r}")
    return [int(t) for t in values]


def _history_dict(history) -> dict:
    if history is None:
        return {}
    return {key: [float(v) for v in values] for key, values in history.history.items()}


def _as_history(logs: dict):
    history = keras.callbacks.History()
    history.history = {key: list(values) for key, values in logs.items()}
    return history


def _stages(arm_name) -> tuple:
    """The runs one plan entry makes: ``("standard",)`` or ``(arm, arm+finetune)``."""
    return ("standard",) if arm_name == "standard" else (arm_name, f"{arm_name}+finetune")


def _run_specs(data, arms, trials, model_func, protocol, task) -> dict:
    """A :class:`~evoaug_tf.runs.RunSpec` per (run, trial); the data hashed and the model built once."""
    common = {
        "data": runs.data_identity(data),
        "model": runs.model_architecture(model_func, data.x_train.shape[1:], data.y_train.shape[1]),
        "protocol": asdict(protocol),
        "task": asdict(task),
    }
    robust: dict[str, Any] = {"standard": None}
    for name, arm in arms.items():
        robust[name] = robust[f"{name}+finetune"] = {
            "augmentations": runs.augmentation_configs(arm.build()),
            "max_augs_per_seq": arm.max_augs_per_seq,
            "hard_aug": arm.hard_aug,
            "subset_mode": arm.subset_mode,
        }
    return {(run, t): runs.RunSpec(run, t, robust=value, **common) for run, value in robust.items() for t in trials}


def _settings(data, arms, protocol, task) -> dict:
    """What ``out_dir/settings.json`` says about the latest call (a description; it does not gate resuming)."""
    return {
        "protocol": asdict(protocol),
        "task": asdict(task),
        "arms": {
            name: {"subset_mode": a.subset_mode, "max_augs_per_seq": a.max_augs_per_seq, "hard_aug": a.hard_aug}
            for name, a in arms.items()
        },
        "data": {"name": getattr(data, "name", ""), "sizes": [len(data.x_train), len(data.x_valid), len(data.x_test)]},
    }


def _resume(store, specs, arm_name, trial):
    """The finished stages of one plan entry as ``[(rows, history dict), ...]``, or None to train it."""
    if store.out_dir is None:
        return None
    loaded = [store.load(specs[(run, trial)]) for run in _stages(arm_name)]
    return None if any(stage is None for stage in loaded) else loaded


def _rebuild(data, arm, model_func, folder):
    """A resumed run's model, its weights loaded from ``folder``."""
    if arm is None:
        model = model_func(data.x_train.shape[1:], data.y_train.shape[1])
    else:
        model = RobustModel(
            model_func,
            data.x_train.shape[1:],
            augment_list=arm.build(),
            max_augs_per_seq=arm.max_augs_per_seq,
            hard_aug=arm.hard_aug,
            subset_mode=arm.subset_mode,
            output_shape=data.y_train.shape[1],
        )
        model.build((None, *data.x_train.shape[1:]))
    model.load_weights(os.path.join(folder, runs.WEIGHTS_FILE))
    if arm is not None:
        model.finetune = True
    return model


def _train_run(data, arm_name, arm, trial, model_func, protocol, task, score, report, save, verbose):
    """Train one plan entry (standard, or an EvoAug arm's two stages) with seed ``trial``.

    Returns ``(rows, model, (history, history or None))``; each finished stage is scored, reported
    and saved as soon as it ends.
    """
    keras.utils.set_random_seed(trial)
    start = time.perf_counter()
    if arm is None:
        model, history = train_standard(data, model_func, protocol, task, verbose=verbose)
        scored = score("standard", trial, model, time.perf_counter() - start)
        save("standard", trial, scored, history, model)
        report(scored)
        return scored, model, (history, None)
    stage1 = {}

    def end_of_stage1(model):
        stage1["rows"] = score(arm_name, trial, model, time.perf_counter() - start)
        report(stage1["rows"])
        save(arm_name, trial, stage1["rows"], model.history, model)

    model, h1, h2 = train_evoaug(
        data, arm.build(), model_func, protocol, task, arm.max_augs_per_seq, arm.hard_aug, arm.subset_mode,
        on_stage1_end=end_of_stage1, verbose=verbose,
    )  # fmt: skip
    scored = score(f"{arm_name}+finetune", trial, model, time.perf_counter() - start)
    save(f"{arm_name}+finetune", trial, scored, h2, model)
    report(scored)
    return stage1["rows"] + scored, model, (h1, h2)


def compare_training(
    data: SequenceDataset,
    augment_list: Any,
    protocol: Protocol = PAPER_PROTOCOL,
    trials: Iterable[int] = (0,),
    model_func: Callable[..., Any] = DeepSTARR,
    task: Task = REGRESSION,
    max_augs_per_seq: int = 2,
    hard_aug: bool = True,
    subset_mode: str = "batch",
    log: Callable[..., object] = print,
    keep_models: bool = False,
    out_dir: str | os.PathLike | None = None,
    verbose: int | str = 0,
) -> pd.DataFrame:
    """Train standard and every EvoAug arm (stage 1, then finetuning) for each trial; score on the test set.

    The one way this package runs standard vs EvoAug vs EvoAug + finetuning: the notebooks, ``demo``
    and ``reproduce`` all call it.

    Parameters
    ----------
    data : SequenceDataset
        ``x_*`` ``(N, L, 4)`` one-hot, ``y_*`` ``(N, tasks)``.
    augment_list : list, callable or dict
        One EvoAug arm, called ``"evoaug"``: augmentations, or a function returning fresh ones (called
        once per trial). Or several arms: ``{name: augmentations, callable or Arm}``.
    protocol : Protocol
        Batch size, learning rates, epochs and patiences of both stages.
    trials : iterable of int
        Seeds; each run calls ``keras.utils.set_random_seed(trial)`` first, so a run gives the same
        numbers whether it is trained in one go or after an interruption.
    model_func : callable
        ``model_func(input_shape, output_shape) -> keras.Model``.
    task : Task
        :data:`REGRESSION` (MSE, Pearson) or :data:`BINARY` (BCE, AUROC).
    max_augs_per_seq, hard_aug, subset_mode
        As in :class:`RobustModel`, for arms that do not set their own. ``subset_mode="batch"`` (default)
        draws one subset of augmentations per mini-batch (evoaug-tf 1.0.3, the paper's runs);
        ``"sequence"`` one per sequence (the PyTorch EvoAug's method).
    log : callable
        Receives one line per finished run (and the plan up front); ``print`` by default.
    keep_models : bool
        Put the models and histories in ``table.attrs`` (runs resumed from ``out_dir`` are rebuilt and
        their weights loaded).
    out_dir : str or os.PathLike, optional
        Keep each finished run in ``out_dir/<run>_trial<k>/`` (``scores.json``, ``history.json``,
        ``history.csv``, ``model.weights.h5`` and ``spec.json``, its :class:`~evoaug_tf.runs.RunSpec`)
        and skip finished runs when called again: re-running the cell or command resumes. Only runs
        made with the same data (content hash), model architecture, augmentations, protocol and task
        resume; any other is moved to ``out_dir/stale/`` with a line naming what changed, and trained
        anew. A damaged run file is named in a warning and its run trained anew. An EvoAug arm
        resumes as a whole (stage 1 and finetuning).
    verbose : int or str
        Keras' ``fit`` verbosity (0: one line per run from ``log`` only).

    Returns
    -------
    pandas.DataFrame
        Columns ``run`` (``"standard"``, ``<arm>``, ``<arm>+finetune``; one arm: ``"evoaug"`` and
        ``"evoaug+finetune"``), ``trial``, ``task``, the scores (``pearson_r``, ``spearman_r``, ``mse``
        or ``auroc``, ``aupr``) and ``seconds``. With ``keep_models``, ``attrs["models"]`` maps
        ``(run, trial)`` to the model and ``attrs["histories"]`` to ``(stage 1, stage 2)`` histories.
    """
    trials = _check_trials(trials)
    arms = _arms(augment_list, subset_mode, max_augs_per_seq, hard_aug)
    names, x_test = _task_names(data), _as_float(data.x_test)
    store = runs.RunStore(out_dir, log)
    specs = _run_specs(data, arms, trials, model_func, protocol, task) if out_dir is not None else {}
    store.write_settings(_settings(data, arms, protocol, task))
    plan = [(arm, trial) for trial in trials for arm in ("standard", *arms)]
    finished = {(arm, trial): _resume(store, specs, arm, trial) for arm, trial in plan}
    skipped = sum(value is not None for value in finished.values())
    log(
        f"{len(plan)} runs to train ({len(trials)} trial{'s' * (len(trials) > 1)} x standard"
        f"{''.join(f' + {name}' for name in arms)}, each EvoAug arm with finetuning)"
        + (f"; {skipped} already finished in {store.out_dir}, skipped" if skipped else "")
    )

    def score(run, trial, model, seconds):
        y_pred = model.predict(x_test, batch_size=max(protocol.batch_size, 256), verbose=0)
        return [
            {"run": run, "trial": trial, **row, "seconds": seconds} for row in task.score(data.y_test, y_pred, names)
        ]

    def save(run, trial, scored, history, model):
        if out_dir is not None:
            store.save(specs[(run, trial)], scored, _history_dict(history), model)

    rows, models, histories = [], {}, {}
    for number, (arm_name, trial) in enumerate(plan, start=1):
        arm, progress = arms.get(arm_name), f"  [{number}/{len(plan)}] trial {trial}"
        if finished[(arm_name, trial)] is not None:
            stages = finished[(arm_name, trial)]
            rows += [row for scored, _ in stages for row in scored]
            folder = store.folder(specs[(_stages(arm_name)[-1], trial)])
            log(f"{progress} {arm_name}: finished earlier, read from {folder if arm is None else store.out_dir}")
            if keep_models:
                models[(arm_name, trial)] = _rebuild(data, arm, model_func, folder)
                histories[(arm_name, trial)] = tuple(_as_history(h) for _, h in stages) + (None,) * (arm is None)
            continue

        def report(scored, progress=progress):
            summary = ", ".join(f"{r['task']} {_headline(r):.3f}" for r in scored)
            log(f"{progress} {scored[0]['run']:<16} {summary}  ({scored[0]['seconds']:.0f} s)")

        scored, model, stage_histories = _train_run(
            data, arm_name, arm, trial, model_func, protocol, task, score, report, save, verbose
        )
        rows += scored
        if keep_models:
            models[(arm_name, trial)], histories[(arm_name, trial)] = model, stage_histories

    table = pd.DataFrame(rows)
    if keep_models:
        table.attrs["models"], table.attrs["histories"] = models, histories
    return table


def _headline(row):
    return row.get("pearson_r", row.get("auroc", np.nan))


def summarize(table: pd.DataFrame, metric: str | None = None) -> pd.DataFrame:
    """Mean and standard deviation over trials, one row per run and columns per task."""
    metric = metric or ("pearson_r" if "pearson_r" in table else "auroc")
    grouped = table.groupby(["run", "task"], sort=False)[metric].agg(["mean", "std", "count"])
    return grouped.unstack("task")
