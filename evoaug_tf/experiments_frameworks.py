"""EvoAug (PyTorch) against EvoAug-TF: the preprint's Fig. 1c-e as one experiment.

The two packages differ in how :class:`~evoaug_tf.evoaug.RobustModel` picks which augmentations a
sequence gets. The PyTorch EvoAug draws the number and the subset **per sequence**; EvoAug-TF gives
every sequence of a mini-batch **the same number and types** of augmentations (drawn anew per
mini-batch), each sequence still with its own random parameters. Here both are the same code with
``subset_mode="sequence"`` (EvoAug's draw) or ``subset_mode="batch"`` (EvoAug-TF's).

What this can and cannot show inside one package: with a single augmentation in the list
(``max_augs_per_seq`` is capped at 1, ``hard_aug``) every sequence gets that augmentation in both modes,
and the draws are identical seed for seed (:func:`modes_coincide`). So the single-augmentation points
of Fig. 1c-d lie on the diagonal here: the paper's differences there came from the two frameworks'
implementations (PyTorch against TensorFlow, their random streams and kernels), not from the draw.
The combinations (ITD, all) test the design.

>>> table = compare_frameworks(data, protocol, trials=[0, 1], out_dir="runs")   # resumes when called again
>>> summary = summarize_frameworks(table)
>>> plot_frameworks(table)
>>> times = time_per_epoch(data, protocol)
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import keras
import numpy as np
import pandas as pd
import tensorflow as tf

from evoaug_tf import augment
from evoaug_tf.evoaug import RobustModel
from evoaug_tf.experiments import REGRESSION, Arm, Task, compare_training
from evoaug_tf.models import DeepSTARR
from evoaug_tf.training import PAPER_PROTOCOL, Protocol

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "PAPER_DIRECTION",
    "PAPER_DIRECTION_EXCEPTIONS",
    "SETTINGS",
    "SETTING_NAMES",
    "SUBSET_MODES",
    "compare_frameworks",
    "frameworks_arms",
    "modes_coincide",
    "paper_direction",
    "plot_frameworks",
    "summarize_frameworks",
    "time_per_epoch",
]

#: Fig. 1c-d's settings in the figure's order: each augmentation alone (the paper's settings, see
#: ``augment.from_letters``), then insertion + translocation + deletion and all six.
SETTINGS = ("R", "I", "T", "D", "M", "N", "ITD", "RITDMN")
#: What the letters stand for. The preprint calls reverse-complement "transversion".
SETTING_NAMES = {
    "R": "reverse-complement",
    "I": "insertion",
    "T": "translocation",
    "D": "deletion",
    "M": "mutation",
    "N": "noise",
    "ITD": "ITD",
    "RITDMN": "all",
}
#: ``subset_mode`` -> the package whose draw it is.
SUBSET_MODES = {"sequence": "EvoAug (PyTorch)", "batch": "EvoAug-TF"}
#: The preprint's statements about Fig. 1c-e, as directions: +1 when EvoAug-TF (one subset per
#: mini-batch) is said to score higher, -1 when EvoAug (per sequence) is; per stage. After stage 1
#: EvoAug-TF is better except for noise; after finetuning EvoAug is slightly better.
PAPER_DIRECTION = {"stage 1": 1, "finetune": -1}
PAPER_DIRECTION_EXCEPTIONS = {("N", "stage 1"): -1}


def paper_direction(letters: str, stage: str) -> int:
    """The sign of (EvoAug-TF - EvoAug) the preprint's text states for a setting and stage (+1 or -1)."""
    if stage not in PAPER_DIRECTION:
        raise ValueError(f"Expected stage to be one of {list(PAPER_DIRECTION)}. Received: stage={stage!r}")
    return PAPER_DIRECTION_EXCEPTIONS.get((letters, stage), PAPER_DIRECTION[stage])


def _check_settings(settings) -> tuple[str, ...]:
    values = tuple(settings)
    for letters in values:
        augment.from_letters(letters)  # names the bad letters
    if not values or len(set(values)) != len(values):
        raise ValueError(
            f"Expected settings to be distinct letter codes such as 'R' or 'ITD', at least one. "
            f"Received: settings={values!r}"
        )
    return values


def modes_coincide(
    augment_list: Sequence[Any],
    x: Any,
    seeds: Iterable[int] = (0, 1, 2),
    max_augs_per_seq: int = 2,
    hard_aug: bool = True,
) -> bool:
    """True when ``subset_mode="sequence"`` and ``"batch"`` augment ``x`` identically for every seed.

    It holds for any single augmentation (every sequence gets it in both modes, and its own random
    parameters come from the same sub-seed); it fails for a combination, where the modes choose
    different subsets.

    Parameters
    ----------
    augment_list : list of AugmentBase
        As given to :class:`RobustModel`.
    x : array-like
        ``(N, L, 4)`` one-hot, ACGT; N > 1 so that the modes can differ.
    seeds : iterable of int
        Stateless seeds ``[seed, 0]`` to compare.
    max_augs_per_seq, hard_aug
        As in :class:`RobustModel`.
    """
    x = tf.constant(np.asarray(x, dtype="float32"))
    outputs = {}
    for mode in SUBSET_MODES:
        model = RobustModel(
            None,
            None,
            augment_list=list(augment_list),
            max_augs_per_seq=max_augs_per_seq,
            hard_aug=hard_aug,
            subset_mode=mode,
        )
        outputs[mode] = [model.augment(x, tf.constant([int(seed), 0], tf.int64)).numpy() for seed in seeds]
    return all(np.array_equal(a, b) for a, b in zip(outputs["sequence"], outputs["batch"]))


def frameworks_arms(settings: Iterable[str] = SETTINGS, share_single: bool = True) -> dict:
    """The arms of the grid for :func:`~evoaug_tf.experiments.compare_training`.

    Each combination twice, ``"<letters> sequence"`` (EvoAug's draw) and ``"<letters> batch"``
    (EvoAug-TF's). A single augmentation once, ``"<letters> both modes"``, when ``share_single`` (the
    two modes train identically, see :func:`modes_coincide`); otherwise twice like the combinations.
    """
    import functools

    arms = {}
    for letters in _check_settings(settings):
        make = functools.partial(augment.from_letters, letters)
        if len(letters) == 1 and share_single:
            arms[f"{letters} both modes"] = Arm(make, subset_mode="batch")
            continue
        for mode in SUBSET_MODES:
            arms[f"{letters} {mode}"] = Arm(make, subset_mode=mode)
    return arms


def compare_frameworks(
    data: Any,
    protocol: Protocol = PAPER_PROTOCOL,
    trials: Iterable[int] = (0,),
    settings: Iterable[str] = SETTINGS,
    model_func: Callable[..., Any] = DeepSTARR,
    task: Task = REGRESSION,
    max_augs_per_seq: int = 2,
    hard_aug: bool = True,
    share_single: bool = True,
    out_dir: str | os.PathLike | None = None,
    log: Callable[..., object] = print,
    verbose: int | str = 0,
) -> pd.DataFrame:
    """Train Fig. 1c-d's grid: every setting in both subset modes, stage 1 and finetuning, and standard.

    One :func:`~evoaug_tf.experiments.compare_training` call (so one standard run per trial, and
    ``out_dir`` resumes). The paper's settings: ``max_augs_per_seq=2``, ``hard_aug=True`` (capped at 1
    for a single augmentation), the paper's protocol, five trials.

    Parameters
    ----------
    data : SequenceDataset
        ``x_*`` ``(N, L, 4)`` one-hot, ``y_*`` ``(N, tasks)``.
    protocol, trials, model_func, task, max_augs_per_seq, hard_aug, out_dir, log, verbose
        As in :func:`~evoaug_tf.experiments.compare_training`.
    settings : iterable of str
        Letter codes (:data:`SETTINGS`: each augmentation, ``"ITD"``, ``"RITDMN"``).
    share_single : bool
        Train a single augmentation once and report it under both modes (``shared`` is True in its
        rows): the modes coincide there (:func:`modes_coincide`).

    Returns
    -------
    pandas.DataFrame
        One row per run, trial and task: ``augmentations`` (letters, or ``"standard"``), ``name``
        (``"insertion"``, ..., ``"ITD"``, ``"all"``), ``subset_mode`` (``"sequence"``, ``"batch"``;
        empty for standard), ``framework`` (``"EvoAug (PyTorch)"``, ``"EvoAug-TF"``), ``stage``
        (``"standard"``, ``"stage 1"``, ``"finetune"``), ``shared``, ``trial``, ``task``, the scores
        (``pearson_r``, ``spearman_r``, ``mse``), ``run`` (compare_training's run name), ``seconds``
        (compare_training's wall time of the run), ``epochs`` (epochs trained in that stage) and
        ``seconds_per_epoch`` (stage 1 and standard only: seconds / epochs, which includes the model's
        build, the first epoch's tracing and the test predictions).
    """
    settings = _check_settings(settings)
    arms = frameworks_arms(settings, share_single)
    table = compare_training(
        data,
        arms,
        protocol,
        trials=trials,
        model_func=model_func,
        task=task,
        max_augs_per_seq=max_augs_per_seq,
        hard_aug=hard_aug,
        subset_mode="batch",  # every arm sets its own; given explicitly all the same
        log=log,
        keep_models=True,
        out_dir=out_dir,
        verbose=verbose,
    )
    histories = table.attrs.get("histories", {})
    rows = []
    for record in table.to_dict("records"):
        run = record["run"]
        arm, _, finetune = run.partition("+")
        stage = "standard" if run == "standard" else ("finetune" if finetune else "stage 1")
        pair = histories.get((arm, record["trial"]), (None, None))
        history = pair[1] if stage == "finetune" else pair[0]
        epochs = len(history.history.get("loss", [])) if history is not None else np.nan
        per_epoch = record["seconds"] / epochs if stage != "finetune" and epochs else np.nan
        if run == "standard":
            letters, modes, shared = "standard", [""], False
        else:
            letters, mode = arm.split(" ", 1)
            shared = mode == "both modes"
            modes = list(SUBSET_MODES) if shared else [mode]
        for mode in modes:
            rows.append(
                {
                    "augmentations": letters,
                    "name": SETTING_NAMES.get(letters, letters),
                    "subset_mode": mode,
                    "framework": SUBSET_MODES.get(mode, ""),
                    "stage": stage,
                    "shared": shared,
                    **record,
                    "epochs": epochs,
                    "seconds_per_epoch": per_epoch,
                }
            )
    columns = ["augmentations", "name", "subset_mode", "framework", "stage", "shared", "trial", "task"]
    frame = pd.DataFrame(rows)
    return frame[columns + [c for c in frame.columns if c not in columns]]


def summarize_frameworks(table: pd.DataFrame, metric: str = "pearson_r") -> pd.DataFrame:
    """Fig. 1c-d as numbers: per setting, stage and task, both modes' means and the paper's direction.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`compare_frameworks`' table.
    metric : str
        A score column.

    Returns
    -------
    pandas.DataFrame
        One row per (augmentations, stage, task), in :data:`SETTINGS` order: ``name``, ``trials``,
        ``sequence`` and ``batch`` (mean over trials), ``sequence_sd``, ``batch_sd``, ``difference``
        (batch - sequence: EvoAug-TF minus EvoAug), ``shared``, ``standard`` (the standard runs' mean),
        ``paper_direction`` (+1: the text says EvoAug-TF is higher) and ``same_direction`` (None where
        the run shows no difference, i.e. a shared single augmentation).
    """
    arms = table[table["stage"] != "standard"]
    standard = table[table["stage"] == "standard"].groupby("task")[metric].mean()
    grouped = arms.groupby(["augmentations", "stage", "task", "subset_mode"], sort=False)[metric]
    means, sds, counts = grouped.mean().unstack(), grouped.std().unstack(), grouped.count().unstack()
    rows = []
    for (letters, stage, task), mean in means.iterrows():
        difference = mean["batch"] - mean["sequence"]
        direction = paper_direction(letters, stage)
        shared = bool(arms[(arms["augmentations"] == letters) & (arms["stage"] == stage)]["shared"].all())
        rows.append(
            {
                "augmentations": letters,
                "name": SETTING_NAMES.get(letters, letters),
                "stage": stage,
                "task": task,
                "trials": int(counts.loc[(letters, stage, task)].min()),
                "sequence": mean["sequence"],
                "batch": mean["batch"],
                "sequence_sd": sds.loc[(letters, stage, task), "sequence"],
                "batch_sd": sds.loc[(letters, stage, task), "batch"],
                "difference": difference,
                "shared": shared,
                "standard": standard.get(task, np.nan),
                "paper_direction": direction,
                "same_direction": None if shared or difference == 0 else bool(np.sign(difference) == direction),
            }
        )
    order = {letters: k for k, letters in enumerate(SETTINGS)}
    frame = pd.DataFrame(rows)
    frame["_stage"] = frame["stage"].map({"stage 1": 0, "finetune": 1})
    frame["_order"] = frame["augmentations"].map(lambda s: order.get(s, len(order)))
    frame = frame.sort_values(["_stage", "_order", "task"], kind="stable")
    return frame.drop(columns=["_stage", "_order"]).reset_index(drop=True)


def plot_frameworks(table: pd.DataFrame, metric: str = "pearson_r", standard_line: dict | None = None) -> Figure:
    """Fig. 1c-d: per sequence (EvoAug) on x, per mini-batch (EvoAug-TF) on y, one point per setting.

    A panel per stage (stage 1, finetune) and task; the diagonal is "no difference"; dashed lines mark
    standard training.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`compare_frameworks`' table.
    metric : str
        A score column.
    standard_line : dict, optional
        ``{task: value}`` for the dashed lines; default: this run's standard mean. (The preprint draws
        it at ``published.FIG1CD_STANDARD_DRAWN``, 0.672 / 0.745.)

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    summary = summarize_frameworks(table, metric)
    stages = [s for s in ("stage 1", "finetune") if s in set(summary["stage"])]
    tasks = list(dict.fromkeys(summary["task"]))
    fig, axes = plt.subplots(
        len(stages), len(tasks), figsize=(4.2 * len(tasks), 4.0 * len(stages)), squeeze=False, layout="constrained"
    )
    colours = plt.get_cmap("tab10")
    for i, stage in enumerate(stages):
        for j, task in enumerate(tasks):
            ax = axes[i, j]
            part = summary[(summary["stage"] == stage) & (summary["task"] == task)]
            for k, row in enumerate(part.itertuples()):
                ax.errorbar(
                    row.sequence,
                    row.batch,
                    xerr=None if pd.isna(row.sequence_sd) else row.sequence_sd,
                    yerr=None if pd.isna(row.batch_sd) else row.batch_sd,
                    fmt="o" if row.shared else "s",
                    color=colours(k % 10),
                    markersize=7,
                    capsize=2,
                    label=row.name + (" (one run, both modes)" if row.shared else ""),
                )
            values = np.concatenate([part["sequence"], part["batch"]])
            line = (standard_line or {}).get(task, part["standard"].iloc[0] if len(part) else np.nan)
            low = np.nanmin(np.append(values, line)) - 0.01
            high = np.nanmax(np.append(values, line)) + 0.01
            ax.plot([low, high], [low, high], color="grey", linewidth=1)
            if np.isfinite(line):
                ax.axvline(line, color="grey", linestyle="--", linewidth=1)
                ax.axhline(line, color="grey", linestyle="--", linewidth=1)
            ax.set_xlim(low, high)
            ax.set_ylim(low, high)
            ax.set_aspect("equal")
            ax.set_xlabel(f"per sequence, EvoAug ({metric})")
            ax.set_ylabel(f"per mini-batch, EvoAug-TF ({metric})")
            ax.set_title(f"{task}, {stage}", loc="left", fontweight="bold")
    axes[0, -1].legend(fontsize=8, loc="lower right")
    return fig


class _EpochTimer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds = time.perf_counter() - self.start


def time_per_epoch(
    data: Any,
    protocol: Protocol = PAPER_PROTOCOL,
    settings: Iterable[str] = ("ITD", "RITDMN"),
    epochs: int = 3,
    model_func: Callable[..., Any] = DeepSTARR,
    task: Task = REGRESSION,
    max_augs_per_seq: int = 2,
    hard_aug: bool = True,
    standard: bool = True,
    seed: int = 0,
) -> pd.DataFrame:
    """Fig. 1e: seconds per training epoch of each subset mode, measured here.

    One model per (setting, mode) and one standard model, trained on the training set one epoch at a
    time in turn (round-robin), so that a slow spell of a shared machine hits every variant alike.
    Round 0 traces the graphs and is marked ``warmup``; compare the other rounds.

    Parameters
    ----------
    data : SequenceDataset
        ``x_train`` ``(N, L, 4)``, ``y_train`` ``(N, tasks)``.
    protocol : Protocol
        Its batch size and stage-1 learning rate are used.
    settings : iterable of str
        Letter codes whose two modes are timed.
    epochs : int
        Rounds, the warm-up included (at least 2).
    standard : bool
        Also time standard training (no augmentations), the compute floor.
    seed : int
        ``keras.utils.set_random_seed`` before the models are built.

    Returns
    -------
    pandas.DataFrame
        One row per variant and round: ``augmentations``, ``subset_mode`` (empty for standard),
        ``framework``, ``round``, ``warmup``, ``seconds`` (the epoch's wall time, training only).
    """
    from evoaug_tf.datasets.pipeline import make_dataset

    settings = _check_settings(settings)
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 2:
        raise ValueError(
            f"Expected epochs to be an int >= 2 (a warm-up and a timed epoch). Received: epochs={epochs!r}"
        )
    keras.utils.set_random_seed(seed)
    input_shape, outputs = data.x_train.shape[1:], data.y_train.shape[1]
    variants = []
    if standard:
        variants.append(("standard", "", model_func(input_shape, outputs)))
    for letters in settings:
        for mode in SUBSET_MODES:
            model = RobustModel(
                model_func,
                input_shape,
                augment_list=augment.from_letters(letters),
                max_augs_per_seq=max_augs_per_seq,
                hard_aug=hard_aug,
                subset_mode=mode,
                output_shape=outputs,
            )
            variants.append((letters, mode, model))
    for _, _, model in variants:
        model.compile(keras.optimizers.Adam(protocol.learning_rate), loss=task.loss)
    train = make_dataset(data.x_train, data.y_train, batch_size=protocol.batch_size, shuffle=True, seed=seed)
    rows = []
    for round_number in range(int(epochs)):
        for letters, mode, model in variants:
            timer = _EpochTimer()
            model.fit(train, epochs=1, callbacks=[timer], shuffle=False, verbose=0)
            rows.append(
                {
                    "augmentations": letters,
                    "subset_mode": mode,
                    "framework": SUBSET_MODES.get(mode, "standard training"),
                    "round": round_number,
                    "warmup": round_number == 0,
                    "seconds": timer.seconds,
                }
            )
    return pd.DataFrame(rows)
