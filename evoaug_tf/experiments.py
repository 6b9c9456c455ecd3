"""The paper's experiments as functions: standard vs EvoAug vs EvoAug + finetuning, on any dataset.

Used by the ``demo`` and ``reproduce`` commands (:mod:`evoaug_tf.commands`) and the training notebooks.

>>> data = datasets.make_synthetic_deepstarr(n=7000, seed=0)
>>> table = compare_training(data, augmentations("ITD"), protocol, trials=[0], out_dir="runs")
>>> arms = {"EvoAug-TF ITD": Arm(lambda: augmentations("ITD"), subset_mode="batch")}
>>> table = compare_training(data, arms, protocol, trials=[0, 1], out_dir="runs_tf")  # resumes if interrupted
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import asdict, dataclass, replace

import keras
import numpy as np
import pandas as pd

from evoaug_tf import augment
from evoaug_tf.datasets.pipeline import make_dataset
from evoaug_tf.evoaug import RobustModel
from evoaug_tf.models import DeepSTARR
from evoaug_tf.training import (  # Task, REGRESSION and BINARY live in training; re-exported here
    BINARY,  # noqa: F401
    PAPER_PROTOCOL,
    REGRESSION,
    Protocol,
    Task,
    stage_callbacks,
    train_two_stage,
)


def augmentations(letters: str = "ITD", batch_mode: bool = False) -> list:
    """The paper's augment list for a letter code such as ``"ITD"``: see :func:`evoaug_tf.augment.from_letters`."""
    return augment.from_letters(letters, batch_mode=batch_mode)


def downsample_train(data, n: int, order: str = "first", seed: int = 0):
    """Keep ``n`` training sequences; validation and test stay whole (the paper's down-sampling).

    Parameters
    ----------
    data : SequenceDataset
        ``x_train`` ``(N, L, 4)``, ``y_train`` ``(N, T)``.
    n : int
        Training sequences to keep, ``1 <= n <= N`` (``n == N`` returns ``data`` itself).
    order : {"first", "random"}
        ``"first"``: the first ``n`` rows, as the paper's analysis does; ``"random"``: ``n`` rows drawn
        without replacement with ``seed`` (file order kept).
    seed : int
        Seed of the random draw.

    Returns
    -------
    SequenceDataset
        ``x_train`` ``(n, L, 4)``, ``y_train`` ``(n, T)``; ``info["train_rows"]`` says which rows.
    """
    total = len(data.x_train)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= total:
        raise ValueError(f"Expected n to be an int from 1 to the {total} training sequences. Received: n={n!r}")
    if order not in ("first", "random"):
        raise ValueError(f"Expected order to be 'first' or 'random'. Received: order={order!r}")
    if n == total:
        return data
    if order == "first":
        rows, described = slice(0, int(n)), f"first {n}"
    else:
        from evoaug_tf.datasets.pipeline import downsample_indices

        rows, described = downsample_indices(total, int(n), seed=seed, name="n"), f"random {n} (seed {seed})"
    changes = {
        "x_train": data.x_train[rows],
        "y_train": data.y_train[rows],
        "info": {**(data.info or {}), "train_rows": described},
    }
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


def train_standard(data, model_func=DeepSTARR, protocol: Protocol = PAPER_PROTOCOL, task: Task = REGRESSION, verbose=0):
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
        callbacks=stage_callbacks(protocol),
        shuffle=False,
        verbose=verbose,
    )
    return model, history


def train_evoaug(
    data,
    augment_list,
    model_func=DeepSTARR,
    protocol: Protocol = PAPER_PROTOCOL,
    task: Task = REGRESSION,
    max_augs_per_seq=2,
    hard_aug=True,
    subset_mode="sequence",
    on_stage1_end=None,
    verbose=0,
):
    """EvoAug training (stage 1) then finetuning (stage 2), the paper's curriculum.

    Parameters
    ----------
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
        return list(self.augmentations() if callable(self.augmentations) else self.augmentations)


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


def run_folder(out_dir, run: str, trial: int) -> str:
    """Where a finished run is kept: ``out_dir/<run>_trial<k>``.

    Characters other than letters, digits, ``.``, ``+`` and ``-`` in ``run`` become ``_``.
    """
    return os.path.join(os.fspath(out_dir), f"{re.sub(r'[^A-Za-z0-9.+-]+', '_', run)}_trial{trial}")


def _history_dict(history) -> dict:
    if history is None:
        return {}
    return {key: [float(v) for v in values] for key, values in history.history.items()}


def _as_history(logs: dict):
    history = keras.callbacks.History()
    history.history = {key: list(values) for key, values in logs.items()}
    return history


def _save_run(folder, rows, history, model):
    """Write weights, history (JSON and CSV) and scores; ``scores.json`` last, so it marks a finished run."""
    os.makedirs(folder, exist_ok=True)
    model.save_weights(os.path.join(folder, "model.weights.h5"))
    logs = _history_dict(history)
    with open(os.path.join(folder, "history.json"), "w") as handle:
        json.dump(logs, handle, indent=1)
    frame = pd.DataFrame(logs)
    frame.insert(0, "epoch", np.arange(1, len(frame) + 1))
    frame.to_csv(os.path.join(folder, "history.csv"), index=False)
    temporary = os.path.join(folder, "scores.json.tmp")
    with open(temporary, "w") as handle:
        json.dump(rows, handle, indent=1, default=float)
    os.replace(temporary, os.path.join(folder, "scores.json"))


def _finished(folder) -> bool:
    return os.path.exists(os.path.join(folder, "scores.json"))


def _load_run(folder):
    with open(os.path.join(folder, "scores.json")) as handle:
        rows = json.load(handle)
    with open(os.path.join(folder, "history.json")) as handle:
        history = _as_history(json.load(handle))
    return rows, history


def _check_settings(out_dir, settings):
    """Refuse to resume into a folder whose finished runs were made with other settings."""
    path = os.path.join(out_dir, "settings.json")
    if os.path.exists(path):
        with open(path) as handle:
            saved = json.load(handle)
        if saved != settings:
            changed = sorted(key for key in set(saved) | set(settings) if saved.get(key) != settings.get(key))
            raise ValueError(
                f"Expected out_dir to hold runs made with the same settings, to resume them. Received: "
                f"out_dir={out_dir!r}, whose settings.json differs in {changed}. Choose another out_dir, or "
                "delete that folder to start over."
            )
        return
    os.makedirs(out_dir, exist_ok=True)
    with open(path, "w") as handle:
        json.dump(settings, handle, indent=1)


def compare_training(
    data,
    augment_list,
    protocol: Protocol = PAPER_PROTOCOL,
    trials=(0,),
    model_func=DeepSTARR,
    task: Task = REGRESSION,
    max_augs_per_seq: int = 2,
    hard_aug: bool = True,
    subset_mode: str = "sequence",
    log=print,
    keep_models: bool = False,
    out_dir: str | os.PathLike | None = None,
    verbose=0,
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
        As in :class:`RobustModel`, for arms that do not set their own. ``subset_mode="batch"`` draws one
        subset of augmentations per mini-batch (EvoAug-TF, the paper's runs); ``"sequence"`` one per
        sequence (the original EvoAug's method).
    log : callable
        Receives one line per finished run (and the plan up front); ``print`` by default.
    keep_models : bool
        Put the models and histories in ``table.attrs`` (runs resumed from ``out_dir`` are rebuilt and
        their weights loaded).
    out_dir : str or os.PathLike, optional
        Keep each finished run in ``out_dir/<run>_trial<k>/`` (``scores.json``, ``history.json``,
        ``history.csv``, ``model.weights.h5``) and skip finished runs when called again: re-running
        the cell or command resumes. An EvoAug arm resumes as a whole (stage 1 and finetuning).
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
    names = _task_names(data)
    x_test = _as_float(data.x_test)
    if out_dir is not None:
        out_dir = os.fspath(out_dir)
        _check_settings(
            out_dir,
            {
                "protocol": asdict(protocol),
                "task": asdict(task),
                "arms": {
                    name: {"subset_mode": a.subset_mode, "max_augs_per_seq": a.max_augs_per_seq, "hard_aug": a.hard_aug}
                    for name, a in arms.items()
                },
                "data": {
                    "name": getattr(data, "name", ""),
                    "sizes": [len(data.x_train), len(data.x_valid), len(data.x_test)],
                },
            },
        )
    rows, models, histories = [], {}, {}

    def done(run, trial):
        return out_dir is not None and _finished(run_folder(out_dir, run, trial))

    plan = [(arm, trial) for trial in trials for arm in ("standard", *arms)]
    finished = sum(done("standard" if arm == "standard" else f"{arm}+finetune", trial) for arm, trial in plan)
    log(
        f"{len(plan)} runs to train ({len(trials)} trial{'s' * (len(trials) > 1)} x standard"
        f"{''.join(f' + {name}' for name in arms)}, each EvoAug arm with finetuning)"
        + (f"; {finished} already finished in {out_dir}, skipped" if finished else "")
    )

    def score(run, trial, model, seconds):
        y_pred = model.predict(x_test, batch_size=max(protocol.batch_size, 256), verbose=0)
        return [
            {"run": run, "trial": trial, **row, "seconds": seconds} for row in task.score(data.y_test, y_pred, names)
        ]

    def report(number, scored):
        summary = ", ".join(f"{r['task']} {_headline(r):.3f}" for r in scored)
        log(
            f"  [{number}/{len(plan)}] trial {scored[0]['trial']} {scored[0]['run']:<16} {summary}  "
            f"({scored[0]['seconds']:.0f} s)"
        )

    for number, (arm_name, trial) in enumerate(plan, start=1):
        if arm_name == "standard":
            folder = out_dir and run_folder(out_dir, "standard", trial)
            if done("standard", trial):
                scored, history = _load_run(folder)
                rows += scored
                log(f"  [{number}/{len(plan)}] trial {trial} standard: finished earlier, read from {folder}")
                if keep_models:
                    model = model_func(data.x_train.shape[1:], data.y_train.shape[1])
                    model.load_weights(os.path.join(folder, "model.weights.h5"))
                    models[("standard", trial)], histories[("standard", trial)] = model, (history, None)
                continue
            keras.utils.set_random_seed(trial)
            start = time.perf_counter()
            model, history = train_standard(data, model_func, protocol, task, verbose=verbose)
            scored = score("standard", trial, model, time.perf_counter() - start)
            if folder:
                _save_run(folder, scored, history, model)
            rows += scored
            report(number, scored)
            if keep_models:
                models[("standard", trial)], histories[("standard", trial)] = model, (history, None)
            continue

        arm = arms[arm_name]
        stage1_folder = out_dir and run_folder(out_dir, arm_name, trial)
        finetune_folder = out_dir and run_folder(out_dir, f"{arm_name}+finetune", trial)
        if done(arm_name, trial) and done(f"{arm_name}+finetune", trial):
            scored1, h1 = _load_run(stage1_folder)
            scored2, h2 = _load_run(finetune_folder)
            rows += scored1 + scored2
            log(f"  [{number}/{len(plan)}] trial {trial} {arm_name}: finished earlier, read from {out_dir}")
            if keep_models:
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
                model.load_weights(os.path.join(finetune_folder, "model.weights.h5"))
                model.finetune = True
                models[(arm_name, trial)], histories[(arm_name, trial)] = model, (h1, h2)
            continue
        keras.utils.set_random_seed(trial)
        augs = arm.build()
        start = time.perf_counter()
        stage1 = {}

        def end_of_stage1(
            model, arm_name=arm_name, trial=trial, start=start, stage1=stage1, number=number, folder=stage1_folder
        ):
            stage1["rows"] = score(arm_name, trial, model, time.perf_counter() - start)
            report(number, stage1["rows"])
            if folder:
                _save_run(folder, stage1["rows"], model.history, model)

        model, h1, h2 = train_evoaug(
            data,
            augs,
            model_func,
            protocol,
            task,
            arm.max_augs_per_seq,
            arm.hard_aug,
            arm.subset_mode,
            on_stage1_end=end_of_stage1,
            verbose=verbose,
        )
        scored = score(f"{arm_name}+finetune", trial, model, time.perf_counter() - start)
        if finetune_folder:
            _save_run(finetune_folder, scored, h2, model)
        rows += stage1["rows"] + scored
        report(number, scored)
        if keep_models:
            models[(arm_name, trial)], histories[(arm_name, trial)] = model, (h1, h2)

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
