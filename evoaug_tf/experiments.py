"""The paper's experiments as functions: standard vs EvoAug vs EvoAug + finetuning, on any dataset.

Used by the ``demo`` command, the training notebooks and the reproduction scripts.

>>> data = datasets.make_synthetic_deepstarr(n=7000, seed=0)
>>> table = compare_training(data, augmentations("ITD"), protocol, trials=[0])
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

import keras
import numpy as np
import pandas as pd

from evoaug_tf import augment, metrics
from evoaug_tf.datasets.pipeline import make_dataset
from evoaug_tf.evoaug import RobustModel
from evoaug_tf.models import DeepSTARR
from evoaug_tf.training import PAPER_PROTOCOL, Protocol, stage_callbacks, train_two_stage

#: The paper's DeepSTARR settings per augmentation letter (R, I, T, D, M, N).
PAPER_AUGMENTATIONS = {
    "R": lambda batch: (augment.RandomRCBatch if batch else augment.RandomRC)(rc_prob=0.5),
    "I": lambda batch: (augment.RandomInsertionBatch if batch else augment.RandomInsertion)(0, 20),
    "T": lambda batch: (augment.RandomTranslocationBatch if batch else augment.RandomTranslocation)(0, 20),
    "D": lambda batch: (augment.RandomDeletionBatch if batch else augment.RandomDeletion)(0, 30),
    "M": lambda batch: augment.RandomMutation(0.05),
    "N": lambda batch: augment.RandomNoise(0.0, 0.3),
}


def augmentations(letters: str = "ITD", batch_mode: bool = False) -> list:
    """The paper's augment list for a combination such as ``"ITD"`` or ``"RITDMN"``.

    Parameters
    ----------
    letters : str
        R (reverse-complement 0.5), I (insertion 0-20), T (translocation 0-20), D (deletion 0-30),
        M (mutation 0.05), N (noise sd 0.3), in the order they are applied.
    batch_mode : bool
        Use the batch versions of R, I, T and D (EvoAug-TF's batch mode).
    """
    unknown = sorted(set(letters) - set(PAPER_AUGMENTATIONS))
    if not letters or unknown:
        raise ValueError(
            f"Expected letters from {''.join(PAPER_AUGMENTATIONS)} (e.g. 'ITD'). Received: letters={letters!r}"
        )
    return [PAPER_AUGMENTATIONS[letter](batch_mode) for letter in letters]


@dataclass(frozen=True)
class Task:
    """How a dataset is learned and scored."""

    loss: str = "mse"
    kind: str = "regression"  # or "binary"

    def compile_metrics(self, task_names):
        """Keras metrics for ``model.compile``: AUROC and AUPR (binary), or Pearson r per task and their mean."""
        if self.kind == "binary":
            return [keras.metrics.AUC(name="auroc"), keras.metrics.AUC(curve="PR", name="aupr")]
        # The mean over tasks ("pearson_r") to monitor, and one per task ("pearson_r_Dev", ...) to read.
        return [metrics.PearsonR(num_tasks=len(task_names)), *metrics.task_metrics(task_names, kinds=("pearson_r",))]

    def score(self, y_true, y_pred, task_names) -> list[dict]:
        """One row per task: ``{"task", "pearson_r", "spearman_r", "mse"}`` or ``{"task", "auroc", "aupr"}``."""
        if self.kind == "binary":
            auroc = metrics.auroc(y_true, y_pred)
            aupr = metrics.average_precision(y_true, y_pred)
            return [{"task": t, "auroc": a, "aupr": p} for t, a, p in zip(task_names, auroc, aupr)]
        table = metrics.evaluate_regression(y_true, y_pred, task_names)
        return [{"task": t, **{key: table[key][t] for key in ("pearson_r", "spearman_r", "mse")}} for t in task_names]


REGRESSION = Task()
BINARY = Task(loss="binary_crossentropy", kind="binary")


def _task_names(data):
    names = tuple(getattr(data, "task_names", ()) or ())
    return names or tuple(f"task{t}" for t in range(data.y_train.shape[1]))


def _as_float(x):
    return x.astype("float32", copy=False)


def _batches(x, y, protocol: Protocol, shuffle: bool):
    """Float32 batches from the uint8 arrays (``datasets.make_dataset``): DeepSTARR stays 0.4 GB in memory.

    The shuffle seed comes from NumPy's global generator, so ``keras.utils.set_random_seed`` fixes it.
    """
    seed = int(np.random.randint(2**31 - 1)) if shuffle else None
    return make_dataset(x, y, batch_size=protocol.batch_size, shuffle=shuffle, seed=seed)


def train_standard(data, model_func=DeepSTARR, protocol: Protocol = PAPER_PROTOCOL, task: Task = REGRESSION,
                   verbose=0):
    """Standard training (no augmentation) of ``model_func`` with the protocol's stage-1 settings.

    Returns
    -------
    (keras.Model, keras.callbacks.History)
    """
    model = model_func(data.x_train.shape[1:], data.y_train.shape[1])
    model.compile(keras.optimizers.Adam(protocol.learning_rate), loss=task.loss,
                  metrics=task.compile_metrics(_task_names(data)))
    history = model.fit(
        _batches(data.x_train, data.y_train, protocol, shuffle=True), epochs=protocol.epochs,
        validation_data=_batches(data.x_valid, data.y_valid, protocol, shuffle=False),
        callbacks=stage_callbacks(protocol), shuffle=False, verbose=verbose,
    )
    return model, history


def train_evoaug(data, augment_list, model_func=DeepSTARR, protocol: Protocol = PAPER_PROTOCOL,
                 task: Task = REGRESSION, max_augs_per_seq=2, hard_aug=True, subset_mode="sequence",
                 on_stage1_end=None, verbose=0):
    """EvoAug training (stage 1) then finetuning (stage 2), the paper's curriculum.

    Parameters
    ----------
    on_stage1_end : callable, optional
        Called with the model between the stages (e.g. to score the stage-1 model).

    Returns
    -------
    (RobustModel, History, History)
    """
    model = RobustModel(model_func, data.x_train.shape[1:], augment_list=augment_list,
                        max_augs_per_seq=max_augs_per_seq, hard_aug=hard_aug, subset_mode=subset_mode,
                        output_shape=data.y_train.shape[1])
    model.compile(keras.optimizers.Adam(protocol.learning_rate), loss=task.loss,
                  metrics=task.compile_metrics(_task_names(data)))
    train = _batches(data.x_train, data.y_train, protocol, shuffle=True)
    valid = _batches(data.x_valid, data.y_valid, protocol, shuffle=False)
    history, history_finetune = train_two_stage(model, train, valid, protocol, verbose=verbose,
                                                on_stage1_end=on_stage1_end)
    return model, history, history_finetune


def compare_training(data, augment_list, protocol: Protocol = PAPER_PROTOCOL, trials=(0,), model_func=DeepSTARR,
                     task: Task = REGRESSION, max_augs_per_seq=2, hard_aug=True, subset_mode="sequence",
                     log=print, keep_models=False):
    """Train standard, EvoAug and EvoAug + finetuning for each trial and score them on the test set.

    Parameters
    ----------
    data : SequenceDataset
        ``x_*`` ``(N, L, 4)`` one-hot, ``y_*`` ``(N, tasks)``.
    augment_list : list or callable
        Augmentations (a callable is called once per trial to build fresh ones).
    trials : iterable of int
        Seeds; each trial calls ``keras.utils.set_random_seed(trial)``.

    Returns
    -------
    pandas.DataFrame
        Columns ``run`` ("standard", "evoaug", "evoaug+finetune"), ``trial``, ``task`` and the scores
        (``pearson_r``, ``spearman_r``, ``mse`` or ``auroc``, ``aupr``), plus ``seconds``. With
        ``keep_models`` the frame's ``attrs["models"]`` and ``attrs["histories"]`` hold the runs.
    """
    names = _task_names(data)
    x_test = _as_float(data.x_test)
    rows, models, histories = [], {}, {}

    def score(run, trial, model, seconds):
        y_pred = model.predict(x_test, batch_size=max(protocol.batch_size, 256), verbose=0)
        for row in task.score(data.y_test, y_pred, names):
            rows.append({"run": run, "trial": trial, **row, "seconds": seconds})
        summary = ", ".join(f"{r['task']} {_headline(r):.3f}" for r in rows[-len(names):])
        log(f"  trial {trial} {run:<16} {summary}  ({seconds:.0f} s)")

    for trial in trials:
        keras.utils.set_random_seed(trial)
        start = time.perf_counter()
        model, history = train_standard(data, model_func, protocol, task)
        score("standard", trial, model, time.perf_counter() - start)
        models[("standard", trial)], histories[("standard", trial)] = model, (history, None)

        keras.utils.set_random_seed(trial)
        augs = augment_list() if callable(augment_list) else augment_list
        start = time.perf_counter()
        model, h1, h2 = train_evoaug(
            data, augs, model_func, protocol, task, max_augs_per_seq, hard_aug, subset_mode,
            on_stage1_end=lambda m: score("evoaug", trial, m, time.perf_counter() - start),
        )
        score("evoaug+finetune", trial, model, time.perf_counter() - start)
        models[("evoaug", trial)], histories[("evoaug", trial)] = model, (h1, h2)

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


def run_command(parser, run, argv=None) -> int:
    """Parse ``argv`` and ``run(args)``; report a failure as one ``error:`` line and exit status 1."""
    args = parser.parse_args(argv)
    try:
        run(args)
    except (OSError, RuntimeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0
