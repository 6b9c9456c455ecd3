"""The paper's training protocol: stage 1 with augmentations, stage 2 finetuning on the original data.

>>> history_aug, history_finetune = train_two_stage(model, (x_train, y_train), (x_valid, y_valid))
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import keras

from evoaug_tf import metrics
from evoaug_tf.evoaug import RobustModel

__all__ = [
    "BINARY",
    "FINETUNE_OPTIMIZERS",
    "PAPER_PROTOCOL",
    "REGRESSION",
    "Protocol",
    "StepProgress",
    "Task",
    "progress_callbacks",
    "stage_callbacks",
    "train_two_stage",
]

#: How stage 2 gets its optimizer (:attr:`Protocol.finetune_optimizer`).
FINETUNE_OPTIMIZERS = ("fresh", "keep")


@dataclass(frozen=True)
class Protocol:
    """Training hyperparameters. Defaults are the EvoAug-TF paper's DeepSTARR protocol.

    Attributes
    ----------
    batch_size, learning_rate, epochs, patience : int, float, int, int
        Stage 1: mini-batch size, Adam's learning rate, epoch cap, early-stopping patience (val_loss).
    lr_factor, lr_patience, min_lr : float, int, float
        Stage 1's ``ReduceLROnPlateau``.
    finetune_learning_rate, finetune_epochs, finetune_patience : float, int, int
        Stage 2 (finetuning): learning rate, epoch cap, early-stopping patience. The paper's DeepSTARR
        protocol uses patience 5; its down-sampling experiment (Fig. 1g) and ChIP-seq use 3
        (:func:`evoaug_tf.sizes.downsample_protocol`, :func:`evoaug_tf.sizes.chip_protocol`).
    finetune_optimizer : {"fresh", "keep"}
        ``"fresh"`` (default): stage 2 starts a new Adam at ``finetune_learning_rate``, its moment
        estimates at zero, as evoaug-tf 1.0.3's README example does. ``"keep"``: stage 2 continues with
        the stage-1 optimizer (its moments and step count kept) and only sets its learning rate to
        ``finetune_learning_rate``, as the paper's ChIP-seq analysis does.
    """

    batch_size: int = 100
    learning_rate: float = 1e-3
    epochs: int = 100
    patience: int = 10
    lr_factor: float = 0.1
    lr_patience: int = 5
    min_lr: float = 1e-7
    finetune_learning_rate: float = 1e-4
    finetune_epochs: int = 10
    finetune_patience: int = 5
    finetune_optimizer: str = "fresh"

    def __post_init__(self) -> None:
        if self.finetune_optimizer not in FINETUNE_OPTIMIZERS:
            raise ValueError(
                f"Expected `finetune_optimizer` to be one of {FINETUNE_OPTIMIZERS}. "
                f"Received: finetune_optimizer={self.finetune_optimizer!r}"
            )


PAPER_PROTOCOL = Protocol()


@dataclass(frozen=True)
class Task:
    """How a dataset is learned and scored."""

    loss: str = "mse"
    kind: str = "regression"  # or "binary"

    def compile_metrics(self, task_names: Sequence[str]) -> list:
        """Keras metrics for ``model.compile``: AUROC and AUPR (binary), or Pearson r per task and their mean."""
        if self.kind == "binary":
            return [keras.metrics.AUC(name="auroc"), keras.metrics.AUC(curve="PR", name="aupr")]
        # The mean over tasks ("pearson_r") to monitor, and one per task ("pearson_r_Dev", ...) to read.
        return [metrics.PearsonR(num_tasks=len(task_names)), *metrics.task_metrics(task_names, kinds=("pearson_r",))]

    def score(self, y_true: Any, y_pred: Any, task_names: Sequence[str]) -> list[dict]:
        """One row per task: ``{"task", "pearson_r", "spearman_r", "mse"}`` or ``{"task", "auroc", "aupr"}``."""
        if self.kind == "binary":
            auroc = metrics.auroc(y_true, y_pred)
            aupr = metrics.average_precision(y_true, y_pred)
            return [{"task": t, "auroc": a, "aupr": p} for t, a, p in zip(task_names, auroc, aupr)]
        table = metrics.evaluate_regression(y_true, y_pred, task_names)
        return [{"task": t, **{key: table[key][t] for key in ("pearson_r", "spearman_r", "mse")}} for t in task_names]


#: Regression (MSE loss; Pearson r per task): DeepSTARR.
REGRESSION = Task()
#: Binary classification (binary cross-entropy; AUROC and AUPR): the ChIP-seq tasks.
BINARY = Task(loss="binary_crossentropy", kind="binary")


def stage_callbacks(protocol: Protocol = PAPER_PROTOCOL, finetune: bool = False, monitor: str = "val_loss") -> list:
    """EarlyStopping (restore best) and, in stage 1, ReduceLROnPlateau, as in the paper."""
    if finetune:
        return [
            keras.callbacks.EarlyStopping(
                monitor=monitor, patience=protocol.finetune_patience, restore_best_weights=True
            )
        ]
    return [
        keras.callbacks.EarlyStopping(monitor=monitor, patience=protocol.patience, restore_best_weights=True),
        keras.callbacks.ReduceLROnPlateau(
            monitor=monitor, factor=protocol.lr_factor, patience=protocol.lr_patience, min_lr=protocol.min_lr
        ),
    ]


def train_two_stage(
    model: RobustModel,
    train: Any,
    validation: Any,
    protocol: Protocol = PAPER_PROTOCOL,
    finetune: bool = True,
    callbacks: Sequence[Any] = (),
    verbose: str | int = "auto",
    on_stage1_end: Callable[[RobustModel], object] | None = None,
    stage: int = 1,
    initial_epoch: int = 0,
) -> tuple[Any, Any]:
    """Train a compiled :class:`RobustModel` with augmentations, then finetune without them.

    Stage 1 uses the model's compiled optimizer (the paper: Adam, lr 1e-3) with
    early stopping and learning-rate decay; stage 2 switches to ``finetune_mode``
    at ``protocol.finetune_learning_rate``, with a fresh Adam
    (``protocol.finetune_optimizer="fresh"``, the default) or with the stage-1
    optimizer and its state, only its learning rate changed (``"keep"``, as the
    paper's ChIP-seq analysis does).

    Parameters
    ----------
    model : RobustModel
        Compiled; its ``augment_list`` defines stage 1.
    train : tuple or tf.data.Dataset
        ``(x, y)`` or ``(x, y, sample_weight)`` with ``x`` ``(N, L, 4)``, or a batched dataset.
    validation : tuple or tf.data.Dataset
        Validation data in the same form.
    protocol : Protocol
        Epochs, patience, learning rates and the finetuning optimizer (default: the paper's DeepSTARR
        protocol).
    finetune : bool
        Run stage 2 (default True).
    callbacks : list
        Extra callbacks for both stages.
    on_stage1_end : callable, optional
        Called with the model after stage 1, before finetuning (e.g. to score the stage-1 model);
        ``model.history`` is then stage 1's History.
    stage : {1, 2}
        The stage to start in, to continue an interrupted run (a population-based search restoring
        a checkpoint): 2 skips stage 1 (and ``on_stage1_end``).
    initial_epoch : int
        The epoch of ``stage`` to start at (Keras' ``initial_epoch``): the epochs before it were done.

    Returns
    -------
    tuple of keras.callbacks.History
        ``(stage1_history, stage2_history)``; the first is None when stage 1 did not run (``stage=2``,
        or ``initial_epoch`` at its end), the second None without finetuning.
    """
    if not isinstance(model, RobustModel):
        raise ValueError(f"Expected a RobustModel. Received: model of type {type(model).__name__}")
    if getattr(model, "optimizer", None) is None:
        raise ValueError(
            "Expected a compiled model: call model.compile(optimizer, loss, metrics) first. "
            "Received: a model that is not compiled"
        )
    if stage not in (1, 2) or isinstance(stage, bool):
        raise ValueError(f"Expected `stage` to be 1 or 2. Received: stage={stage!r}")
    if stage == 2 and not finetune:
        raise ValueError("Expected `finetune=True` to start in stage 2 (finetuning). Received: stage=2, finetune=False")
    if isinstance(initial_epoch, bool) or not isinstance(initial_epoch, numbers.Integral) or initial_epoch < 0:
        raise ValueError(f"Expected `initial_epoch` to be an integer >= 0. Received: initial_epoch={initial_epoch!r}")
    history = None
    if stage == 1 and initial_epoch < protocol.epochs:
        history = _fit(
            model,
            train,
            validation,
            protocol.epochs,
            protocol,
            stage_callbacks(protocol),
            callbacks,
            verbose,
            initial_epoch,
        )
        if on_stage1_end is not None:
            # The hook reads stage 1's History from the model; some Keras releases (seen with 3.5-3.8 on
            # TensorFlow 2.16) leave model.history empty once fit returns, so point it at the one fit returned.
            model.history = history
            on_stage1_end(model)
    if not finetune:
        return history, None
    if protocol.finetune_optimizer == "keep":
        model.finetune_mode(learning_rate=protocol.finetune_learning_rate)
    else:
        model.finetune_mode(optimizer=keras.optimizers.Adam(learning_rate=protocol.finetune_learning_rate))
    start = initial_epoch if stage == 2 else 0
    if start >= protocol.finetune_epochs:
        return history, None
    history_finetune = _fit(
        model,
        train,
        validation,
        protocol.finetune_epochs,
        protocol,
        stage_callbacks(protocol, finetune=True),
        callbacks,
        verbose,
        start,
    )
    return history, history_finetune


def _fit(model, train, validation, epochs, protocol, stage, extra, verbose, initial_epoch=0):
    kwargs = {
        "epochs": epochs,
        "initial_epoch": initial_epoch,
        "validation_data": validation,
        "callbacks": [*stage, *extra, *progress_callbacks(verbose)],
        "verbose": verbose,
    }
    if isinstance(train, tuple):
        if len(train) not in (2, 3):
            raise ValueError(
                "Expected `train` to be (x, y) or (x, y, sample_weight), or a tf.data.Dataset. "
                f"Received: a tuple of {len(train)} items"
            )
        x, y, *weights = train
        kwargs.update(batch_size=protocol.batch_size, shuffle=True)
        if weights:
            kwargs["sample_weight"] = weights[0]
        return model.fit(x, y, **kwargs)
    return model.fit(train, shuffle=False, **kwargs)  # a tf.data.Dataset shuffles itself


class StepProgress(keras.callbacks.Callback):
    """A per-step progress bar inside each long epoch; it disappears when the epoch ends.

    With ``verbose=2`` Keras prints one line per epoch, so a class-size DeepSTARR epoch on a CPU shows
    nothing for a minute and a half. This bar (``tqdm.auto``: a widget in Colab and Jupyter, text in a
    terminal) counts the steps of each epoch that has at least ``min_steps`` of them, and leaves the
    screen as it was when the epoch ends, so the epoch lines Keras prints stay as they were.

    Parameters
    ----------
    min_steps : int
        Epochs with fewer steps (or an unknown number) show no bar.
    """

    def __init__(self, min_steps: int = 100) -> None:
        super().__init__()
        self.min_steps = min_steps
        self.counted = 0  # steps the last bar counted
        self._bar = None

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        steps = (self.params or {}).get("steps")
        if steps is None or steps < self.min_steps:
            self._bar = None
            return
        from tqdm.auto import tqdm

        self._bar = tqdm(total=steps, desc=f"epoch {epoch + 1}", unit="step", leave=False, mininterval=1.0)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self._bar is not None:
            self.counted = self._bar.n
            self._bar.close()
            self._bar = None


def progress_callbacks(verbose: str | int) -> list:
    """``[StepProgress()]`` when ``verbose == 2`` (one line per epoch), so long epochs still show progress."""
    return [StepProgress()] if verbose == 2 else []
