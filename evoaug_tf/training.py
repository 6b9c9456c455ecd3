"""The paper's training protocol: stage 1 with augmentations, stage 2 finetuning on the original data.

>>> history_aug, history_finetune = train_two_stage(model, (x_train, y_train), (x_valid, y_valid))
"""

from __future__ import annotations

from dataclasses import dataclass

import keras

from evoaug_tf.evoaug import RobustModel

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

    def __post_init__(self):
        if self.finetune_optimizer not in FINETUNE_OPTIMIZERS:
            raise ValueError(
                f"Expected `finetune_optimizer` to be one of {FINETUNE_OPTIMIZERS}. "
                f"Received: finetune_optimizer={self.finetune_optimizer!r}"
            )


PAPER_PROTOCOL = Protocol()


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
    train,
    validation,
    protocol: Protocol = PAPER_PROTOCOL,
    finetune: bool = True,
    callbacks=(),
    verbose="auto",
    on_stage1_end=None,
):
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

    Returns
    -------
    tuple of keras.callbacks.History
        ``(stage1_history, stage2_history)``; the second is None without finetuning.
    """
    if not isinstance(model, RobustModel):
        raise ValueError(f"Expected a RobustModel. Received: model of type {type(model).__name__}")
    if getattr(model, "optimizer", None) is None:
        raise ValueError(
            "Expected a compiled model: call model.compile(optimizer, loss, metrics) first. "
            "Received: a model that is not compiled"
        )
    history = _fit(model, train, validation, protocol.epochs, protocol, stage_callbacks(protocol), callbacks, verbose)
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
    history_finetune = _fit(
        model,
        train,
        validation,
        protocol.finetune_epochs,
        protocol,
        stage_callbacks(protocol, finetune=True),
        callbacks,
        verbose,
    )
    return history, history_finetune


def _fit(model, train, validation, epochs, protocol, stage, extra, verbose):
    kwargs = {"epochs": epochs, "validation_data": validation, "callbacks": [*stage, *extra], "verbose": verbose}
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

    def __init__(self, min_steps: int = 100):
        super().__init__()
        self.min_steps = min_steps
        self.counted = 0  # steps the last bar counted
        self._bar = None

    def on_epoch_begin(self, epoch, logs=None):
        steps = (self.params or {}).get("steps")
        if steps is None or steps < self.min_steps:
            self._bar = None
            return
        from tqdm.auto import tqdm

        self._bar = tqdm(total=steps, desc=f"epoch {epoch + 1}", unit="step", leave=False, mininterval=1.0)

    def on_train_batch_end(self, batch, logs=None):
        if self._bar is not None:
            self._bar.update(1)

    def on_epoch_end(self, epoch, logs=None):
        if self._bar is not None:
            self.counted = self._bar.n
            self._bar.close()
            self._bar = None


def progress_callbacks(verbose) -> list:
    """``[StepProgress()]`` when ``verbose == 2`` (one line per epoch), so long epochs still show progress."""
    return [StepProgress()] if verbose == 2 else []
