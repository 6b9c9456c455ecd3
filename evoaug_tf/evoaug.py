"""`RobustModel`: a Keras 3 model that trains with EvoAug augmentations.

The augmentations are part of the forward pass: ``call(x, training=True)``
augments the batch (stage 1) or only pads it (stage 2, finetuning), then runs
the wrapped model. Keras' own ``train_step``/``test_step`` therefore do the
rest, so losses, metrics, ``sample_weight``, mixed precision and distribution
strategies behave exactly as for any Keras model.

The augmentation step itself is a Keras layer, :class:`EvoAugment`, so a model
of your own can hold it (``keras.Input`` -> ``EvoAugment`` -> your layers);
``RobustModel`` wraps a model with one.

The evoaug-tf 1.0.3 API keeps working, and draws as 1.0.3 did: one subset of
augmentations per mini-batch (``subset_mode="batch"``, the default)::

    from evoaug_tf import evoaug, augment
    model = evoaug.RobustModel(model_func, input_shape, augment_list=[...],
                               max_augs_per_seq=2, hard_aug=True)
    model.compile(...); model.fit(...)
    model.finetune_mode(optimizer=keras.optimizers.Adam(1e-4)); model.fit(...)
"""

from __future__ import annotations

import inspect
import numbers
import os
import warnings
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, cast

import keras
import numpy as np
import tensorflow as tf

from evoaug_tf import validation
from evoaug_tf.augment import _checks, ops
from evoaug_tf.augment.base import AugmentBase, deserialize, serialize
from evoaug_tf.augment.insertion import RandomInsertion

__all__ = [
    "EVAL_PADDING_STREAM",
    "SUBSET_MODES",
    "AugmentPlan",
    "EvoAugment",
    "RobustModel",
    "augment_max_len",
    "choose_subsets",
    "pad_random",
]

SUBSET_MODES = ("sequence", "batch")
EVAL_PADDING_STREAM = 7919  # second seed word of the fixed evaluation padding


def augment_max_len(augment_list: list) -> int:
    """Total length the augmentations in ``augment_list`` can add (the sum of ``insert_max``)."""
    return sum(_length_added(augmentation) for augmentation in augment_list)


def _length_added(augmentation) -> int:
    """Positions ``augmentation`` adds: ``output_length(0)``, or the ``insert_max`` a 1.0.3-style one declares."""
    declared = getattr(augmentation, "insert_max", 0)
    if isinstance(declared, bool) or not isinstance(declared, numbers.Integral) or declared < 0:
        raise ValueError(
            f"Expected `insert_max` of {type(augmentation).__name__} to be an integer >= 0 (the length it adds). "
            f"Received: insert_max={declared!r}"
        )
    if isinstance(augmentation, AugmentBase) and _uses_sample_apply(augmentation):
        return augmentation.output_length(0)
    return int(declared)  # an evoaug-tf 1.0.3-style augmentation: its own __call__ says nothing else


def _uses_sample_apply(augmentation) -> bool:
    return isinstance(augmentation, AugmentBase) and type(augmentation).__call__ is AugmentBase.__call__


def pad_random(x: Any, extra: int, seed: Any) -> Any:
    """Pad each sequence with ``extra`` random nucleotides, ``extra // 2`` before it, the rest after.

    Parameters
    ----------
    x : tf.Tensor
        ``(N, L, A)`` one-hot sequences.
    extra : int
        Number of positions to add.
    seed : tf.Tensor
        Stateless seed ``(2,)``.

    Returns
    -------
    tf.Tensor
        ``(N, L + extra, A)``; the same as an insertion of length 0.
    """
    if extra == 0:
        return x
    return _apply_padding(x, extra, _sample_padding(ops.shape_of(x), extra, seed))


def _sample_padding(shape, extra: int, seed) -> dict:
    """The draw of :func:`pad_random`: an insertion of length 0 (``position`` ``(N,)``, ``filler`` ``(N, extra)``)."""
    params = RandomInsertion(insert_min=0, insert_max=extra).sample(shape, seed)
    params["length"] = tf.zeros_like(params["length"])
    return params


def _apply_padding(x, extra: int, params: dict):
    """Pad ``x`` ``(N, L, A)`` to ``(N, L + extra, A)`` with a draw of :func:`_sample_padding`."""
    return RandomInsertion(insert_min=0, insert_max=extra).apply(x, params)


def choose_subsets(seed: Any, size: Any, count: int, max_augs: Any, hard: bool, per_batch: bool) -> Any:
    """Choose which augmentations each sequence gets.

    Parameters
    ----------
    seed : tf.Tensor
        Stateless seed ``(2,)``.
    size : int or tf.Tensor
        Batch size ``N``.
    count : int
        Number of augmentations in the list ``K``.
    max_augs : int or tf.Tensor
        ``max_augs_per_seq`` (already capped at ``count``); a scalar int tensor (a variable) too.
    hard : bool or tf.Tensor
        Exactly ``max_augs`` per sequence; otherwise ``U{1 .. max_augs}``. A scalar bool tensor too.
    per_batch : bool or tf.Tensor
        One subset for the whole batch (EvoAug-TF 1.0.3) instead of one per sequence. A scalar bool
        tensor too (both draws are made and one is selected: the same values as the Python flag).

    Returns
    -------
    tf.Tensor
        ``(N, K)`` bool; row ``n`` marks the augmentations applied to sequence ``n``.
    """
    seed_number, seed_subset = ops.split_seed(seed, 2)

    def draw(rows):
        exactly = tf.fill([rows], tf.cast(max_augs, tf.int32))
        if isinstance(hard, (bool, np.bool_)):
            number = exactly if hard else ops.draw_int(seed_number, rows, 1, max_augs)
        else:
            number = tf.where(hard, exactly, ops.draw_int(seed_number, rows, 1, max_augs))
        scores = ops.uniform([rows, count], seed_subset)
        ranks = tf.argsort(tf.argsort(scores, axis=1), axis=1)  # a random permutation per row
        return ranks < number[:, tf.newaxis]

    if isinstance(per_batch, (bool, np.bool_)):
        return tf.broadcast_to(draw(1), [size, count]) if per_batch else draw(size)
    return tf.where(per_batch, tf.broadcast_to(draw(1), [size, count]), draw(size))


class AugmentPlan(NamedTuple):
    """The random draws of one :class:`EvoAugment` step for a batch (:meth:`EvoAugment.sample_plan`).

    A plan holds tensors only (a ``tf.nest`` structure): it crosses ``tf.function`` boundaries and
    :meth:`EvoAugment.apply_plan` turns it into the augmented batch without drawing anything.
    """

    chosen: tf.Tensor
    """``(N, K)`` bool: ``chosen[n, k]`` when sequence ``n`` gets augmentation ``k``."""
    params: tuple
    """``K`` dicts: augmentation ``k``'s ``sample`` draw for the whole batch (used where ``chosen[:, k]``).

    A :class:`~evoaug_tf.augment.RandomInsertion` draw also pads the sequences it skips (as an insertion
    of length 0). ``{}`` for an evoaug-tf 1.0.3-style augmentation, which draws inside its own ``__call__``.
    """
    padding: tuple
    """``K`` dicts: for augmentation ``k`` that lengthens sequences (other than an insertion), the random
    padding (``position`` ``(N,)``, ``filler`` ``(N, added)``) of the sequences it skips; ``{}`` otherwise."""


def _rebuild_augmentations(configs) -> list:
    """Deserialise a saved ``augment_list``, naming the class and the cure when one cannot be rebuilt."""
    items = []
    for config in configs:
        try:
            items.append(deserialize(config))
        except Exception as error:  # noqa: BLE001  (Keras raises TypeError or ValueError, with the whole config)
            name = config.get("class_name", "?") if isinstance(config, dict) else type(config).__name__
            raise TypeError(
                f"Could not rebuild the augmentation {name!r} of a saved EvoAug model. Expected its class to be "
                f"registered: decorate it with @evoaug_tf.augment.register(package='mylab') before loading, or "
                f"pass custom_objects={{'{name}': {name}}} to keras.models.load_model. Received: {error}"
            ) from None
    return items


def _unregistered(augment_list) -> list[str]:
    """Names of augmentations that ``keras.models.load_model`` could not find again."""
    names = []
    for augmentation in augment_list:
        cls = type(augmentation)
        registered = keras.saving.get_registered_object(keras.saving.get_registered_name(cls)) is cls
        if not isinstance(augmentation, AugmentBase) or not registered:
            names.append(cls.__name__)
    return names


@keras.saving.register_keras_serializable(package="evoaug_tf")
class EvoAugment(keras.layers.Layer):
    """The EvoAug step as a Keras layer: augment in training, pad with random DNA otherwise.

    Put it first in a model of your own and train with an ordinary ``fit``::

        inputs = keras.Input((L, 4))
        x = EvoAugment([augment.RandomDeletion(0, 30), augment.RandomRC()])(inputs)  # (N, L + insert_max, 4)
        x = keras.layers.Conv1D(64, 7)(x)
        ...

    Parameters
    ----------
    augment_list : list of AugmentBase
        Augmentations, applied in list order. Empty: the layer returns its input.
    max_augs_per_seq : int
        Upper bound on augmentations per sequence, capped at ``len(augment_list)``.
    hard_aug : bool
        Every sequence gets exactly ``max_augs_per_seq``; otherwise ``U{1 .. max_augs_per_seq}``.
    inference_aug : bool
        Augment at evaluation and prediction too.
    subset_mode : {"batch", "sequence"}
        ``"batch"`` (default): one draw of which augmentations apply for the whole mini-batch, as
        evoaug-tf 1.0.3 and the EvoAug-TF paper (each sequence still draws its own parameters).
        ``"sequence"``: one draw per sequence, as the PyTorch EvoAug (Lee et al. 2023).
    finetune : bool
        Stage 2: only pad, never augment. A variable, so switching does not retrace a compiled step.
    seed : int, optional
        Seed of the layer's augmentation stream (``None`` follows ``keras.utils.set_random_seed``).
    **kwargs
        Keras layer arguments (``name``, ...).

    Input shape: ``(N, L, A)``; output shape: ``(N, L + insert_max, A)``, where ``insert_max`` is the
    length the insertions can add. Sequences without an insertion are padded with random DNA
    (``insert_max // 2`` before, the rest after); at evaluation the padding comes from a fixed seed.
    """

    def __init__(
        self,
        augment_list: Sequence[AugmentBase] = (),
        max_augs_per_seq: int = 2,
        hard_aug: bool = False,
        inference_aug: bool = False,
        subset_mode: str = "batch",
        finetune: bool = False,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.augment_list = _check_augment_list(augment_list)
        self.insert_max = augment_max_len(self.augment_list)
        self.seed = seed
        # The settings a compiled step reads are variables (not Keras weights: nothing is saved with them),
        # so changing one after the first fit or predict takes effect without a retrace.
        settings = {
            "max_augs_per_seq": (_check_max_augs(max_augs_per_seq, self.augment_list), tf.int32),
            "subset_per_batch": (_check_subset_mode(subset_mode) == "batch", tf.bool),
            "hard_aug": (_check_flag(hard_aug, "hard_aug"), tf.bool),
            "inference_aug": (_check_flag(inference_aug, "inference_aug"), tf.bool),
            "finetune": (_check_flag(finetune, "finetune"), tf.bool),
        }
        variables = {
            name: tf.Variable(value, trainable=False, name=name, dtype=dtype)
            for name, (value, dtype) in settings.items()
        }
        self._max_augs = variables["max_augs_per_seq"]
        self._per_batch = variables["subset_per_batch"]
        self._hard_aug = variables["hard_aug"]
        self._inference_aug = variables["inference_aug"]
        self._finetune = variables["finetune"]
        self.seed_generator = keras.random.SeedGenerator(seed)

    @property
    def max_augs_per_seq(self) -> int:
        """Most augmentations a sequence gets (capped at ``len(augment_list)``); settable at any time."""
        return int(self._max_augs.numpy())

    @max_augs_per_seq.setter
    def max_augs_per_seq(self, value: int) -> None:
        self._max_augs.assign(_check_max_augs(value, self.augment_list))

    @property
    def subset_mode(self) -> str:
        """``"sequence"`` (a subset per sequence) or ``"batch"`` (one per mini-batch); settable at any time."""
        return "batch" if bool(self._per_batch.numpy()) else "sequence"

    @subset_mode.setter
    def subset_mode(self, value: str) -> None:
        self._per_batch.assign(_check_subset_mode(value) == "batch")

    @property
    def hard_aug(self) -> bool:
        """Exactly ``max_augs_per_seq`` per sequence (else ``U{1 .. max_augs_per_seq}``); settable at any time."""
        return bool(self._hard_aug.numpy())

    @hard_aug.setter
    def hard_aug(self, value: bool) -> None:
        self._hard_aug.assign(_check_flag(value, "hard_aug"))

    @property
    def inference_aug(self) -> bool:
        """Augment at evaluation and prediction too; settable at any time."""
        return bool(self._inference_aug.numpy())

    @inference_aug.setter
    def inference_aug(self, value: bool) -> None:
        self._inference_aug.assign(_check_flag(value, "inference_aug"))

    @property
    def finetune(self) -> bool:
        """Stage 2: training pads the original sequences, without augmentations."""
        return bool(self._finetune.numpy())

    @finetune.setter
    def finetune(self, value: bool) -> None:
        self._finetune.assign(_check_flag(value, "finetune"))

    def check_length(self, length: int | None) -> None:
        """Raise ``ValueError`` if sequences of ``length`` are too short for an augmentation."""
        if length is None:
            return
        for augmentation in self.augment_list:
            if isinstance(augmentation, AugmentBase):
                augmentation.check_length(length)

    def call(self, inputs: Any, training: bool = False) -> Any:
        """``(N, L, A)`` -> ``(N, L + insert_max, A)``: augmented (training, stage 1) or padded.

        In stage-1 training (and at evaluation with ``inference_aug``) this is
        ``apply_plan(x, sample_plan(shape, seed))`` with the next seed of the layer's stream.
        """
        x = inputs if inputs.dtype.is_floating else tf.cast(inputs, "float32")
        if not self.augment_list:
            return x
        if training:
            seed = self._replica_seed()
            return tf.cond(
                self._finetune,
                lambda: pad_random(x, self.insert_max, seed),
                lambda: self.augment(x, seed),
            )
        # Evaluation padding is random DNA drawn from a fixed seed: predictions repeat call after call.
        # The stream moves on only when the batch is augmented (as before inference_aug was a variable).
        return tf.cond(
            self._inference_aug,
            lambda: self.augment(x, self._replica_seed()),
            lambda: pad_random(x, self.insert_max, tf.constant([self.seed or 0, EVAL_PADDING_STREAM], tf.int64)),
        )

    def augment(self, x: Any, seed: Any = None) -> Any:
        """Apply a random subset of ``augment_list`` to every sequence (the stage-1 training view).

        ``apply_plan(x, sample_plan(shape of x, seed))``.

        Parameters
        ----------
        x : tf.Tensor
            ``(N, L, A)`` sequences.
        seed : tf.Tensor, optional
            Stateless seed ``(2,)``; by default the layer's stream.

        Returns
        -------
        tf.Tensor
            ``(N, L + insert_max, A)`` float: sequences without an insertion are padded with random DNA.
        """
        x = _as_float_batch(x)
        if not self.augment_list:
            return x
        return self.apply_plan(x, self.sample_plan(ops.shape_of(x), seed))

    def sample_plan(self, shape: Any, seed: Any = None) -> AugmentPlan:
        """Draw the plan of one augmentation step for a batch: who gets what, and every random parameter.

        Like Keras' ``get_random_transformation``: all randomness is here, and
        :meth:`apply_plan` is a pure function of the batch and the plan. Vectorised over the batch
        and stateless (the same seed gives the same plan), in eager, ``tf.function`` and XLA.

        Parameters
        ----------
        shape : list or tf.Tensor
            ``[N, L, A]`` of the batch: ints where static (``ops.shape_of(x)``) or ``tf.shape(x)``.
        seed : tf.Tensor, optional
            Stateless seed ``(2,)``; by default the next one of the layer's stream.

        Returns
        -------
        AugmentPlan
            ``chosen`` ``(N, K)`` bool (from ``max_augs_per_seq``, ``hard_aug`` and ``subset_mode``), the
            ``K`` augmentations' ``params`` and the ``padding`` of the sequences a lengthening one skips.
        """
        size, length, alphabet = _check_shape(shape)
        if seed is None:
            seed = self._replica_seed()
        count = len(self.augment_list)
        if not count:
            return AugmentPlan(tf.zeros([size, 0], tf.bool), (), ())
        seeds = ops.split_seed(seed, count + 1)
        chosen = choose_subsets(seeds[0], size, count, self._max_augs, self._hard_aug, self._per_batch)
        params, padding = [], []
        for augmentation, seed_k in zip(self.augment_list, seeds[1:]):
            drawn, padded = _sample_one(augmentation, [size, length, alphabet], seed_k)
            params.append(drawn)
            padding.append(padded)
            length = length + _length_added(augmentation)
        return AugmentPlan(chosen, tuple(params), tuple(padding))

    def apply_plan(self, x: Any, plan: AugmentPlan) -> Any:
        """Apply a plan from :meth:`sample_plan` to a batch (no random draw, except in 1.0.3-style augmentations).

        Parameters
        ----------
        x : tf.Tensor
            ``(N, L, A)`` sequences, the batch the plan was drawn for.
        plan : AugmentPlan
            From ``sample_plan([N, L, A], seed)``.

        Returns
        -------
        tf.Tensor
            ``(N, L + insert_max, A)`` float: augmentation ``k`` applied, in list order, to the sequences
            marked in ``plan.chosen[:, k]``; the others padded where it lengthens sequences.
        """
        x = _as_float_batch(x)
        count = len(self.augment_list)
        if not isinstance(plan, AugmentPlan) or len(plan.params) != count or len(plan.padding) != count:
            received = f"{len(plan.params)} augmentations" if isinstance(plan, AugmentPlan) else repr(plan)
            raise ValueError(
                f"Expected `plan` to be an AugmentPlan from this layer's sample_plan, for {count} augmentations. "
                f"Received: plan={received}"
            )
        if not count:
            return x
        chosen = tf.convert_to_tensor(plan.chosen)
        for index, augmentation in enumerate(self.augment_list):
            x = _apply_one(augmentation, x, plan.params[index], plan.padding[index], chosen[:, index])
        return x

    def _replica_seed(self):
        seed = self.seed_generator.next()
        replica = tf.distribute.get_replica_context()
        if replica is not None and tf.distribute.has_strategy():
            seed = tf.random.experimental.stateless_fold_in(
                ops.as_seed(seed), tf.cast(replica.replica_id_in_sync_group, tf.int32), alg=ops.RNG_ALGORITHM
            )
        return seed

    def compute_output_shape(self, input_shape: Any) -> Any:
        batch, length, alphabet = input_shape
        return (batch, None if length is None else length + self.insert_max, alphabet)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "augment_list": [serialize(augmentation) for augmentation in self.augment_list],
            "max_augs_per_seq": self.max_augs_per_seq,
            "hard_aug": self.hard_aug,
            "inference_aug": self.inference_aug,
            "subset_mode": self.subset_mode,
            "finetune": self.finetune,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config: dict) -> Any:
        config = dict(config)
        config["augment_list"] = _rebuild_augmentations(config["augment_list"])
        return cls(**config)


@keras.saving.register_keras_serializable(package="evoaug_tf")
class RobustModel(keras.Model):
    """Keras model that trains a wrapped model with EvoAug augmentations.

    The augmentation step is an :class:`EvoAugment` layer (``model.augmenter``) in front of the
    wrapped model. Inputs are checked on the Python side before any graph runs: ``fit`` takes the
    original sequences of length ``L`` only (the model pads and augments them itself; already padded
    input would train without augmentations), ``evaluate``/``predict`` take length ``L`` or the
    padded ``L + insert_max``; ``y`` and ``sample_weight`` must match the model's outputs.

    Parameters
    ----------
    model_func : callable or keras.Model
        Either a function ``model_func(input_shape, **kwargs) -> keras.Model``
        (called with the padded shape ``(L + insert_max, A)``) or an already
        built Keras model that takes ``(N, L + insert_max, A)``.
    input_shape : tuple, optional
        ``(L, A)`` of the original sequences. Needed with a model function
        (else call :meth:`build_model` later); inferred from a built model.
    augment_list : list of AugmentBase
        Augmentations, applied in list order. Empty: standard training. An
        evoaug-tf 1.0.3-style object (callable on a batch, with an ``insert_max``
        attribute when it lengthens sequences) is accepted too.
    max_augs_per_seq : int
        Upper bound on augmentations per sequence, capped at ``len(augment_list)``.
    hard_aug : bool
        Every sequence gets exactly ``max_augs_per_seq``; otherwise ``U{1 .. max_augs_per_seq}``.
    finetune : bool
        Start in stage 2 (no augmentations during training).
    inference_aug : bool
        Augment at evaluation and prediction too.
    subset_mode : {"batch", "sequence"}
        ``"batch"`` (default): one draw of the number and subset of augmentations
        for the whole mini-batch, drawn anew for every mini-batch, as evoaug-tf
        1.0.3 and the EvoAug-TF paper (Fig. 1b); the parameters (lengths,
        positions, shifts) are still drawn per sequence, except by the
        ``...Batch`` augmentations. ``"sequence"``: each
        sequence draws its own number and subset, as the PyTorch EvoAug
        (Lee et al. 2023); here it costs the same (every augmentation is one
        gather over the batch). Before this release the default was
        ``"sequence"``: pass it to keep the old behaviour.
    seed : int, optional
        Seed of the model's augmentation stream; ``None`` follows
        ``keras.utils.set_random_seed``.
    name : str, optional
        Keras model name.
    **kwargs
        Passed to ``model_func`` (as in 1.0.3).
    """

    def __init__(
        self,
        model_func: Callable[..., Any] | None = None,
        input_shape: tuple[int, ...] | None = None,
        augment_list: Sequence[AugmentBase] = (),
        max_augs_per_seq: int = 2,
        hard_aug: bool = False,
        finetune: bool = False,
        inference_aug: bool = False,
        subset_mode: str = "batch",
        seed: int | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name)
        self.augmenter = EvoAugment(
            augment_list,
            max_augs_per_seq=max_augs_per_seq,
            hard_aug=hard_aug,
            inference_aug=inference_aug,
            subset_mode=subset_mode,
            finetune=finetune,
            seed=seed,
            name="evo_augment",
        )
        self.model_kwargs = kwargs
        self.model: Any = None
        self.input_length = None
        self.model_func = None
        if isinstance(model_func, keras.Model):
            self._set_model(model_func, input_shape)
        else:
            if model_func is not None and not callable(model_func):
                raise ValueError(
                    "Expected `model_func` to be a function returning a keras.Model, or a keras.Model. "
                    f"Received: model_func={model_func!r}"
                )
            self.model_func = model_func
            if input_shape is not None:
                self.build_model(input_shape)

    # The augmentation settings live on the layer; these keep the 1.0.3 attributes.
    augment_list = property(
        lambda self: self.augmenter.augment_list,
        doc="The augmentations, applied in list order (on the ``EvoAugment`` layer).",
    )
    max_augs_per_seq = property(
        lambda self: self.augmenter.max_augs_per_seq,
        lambda self, value: setattr(self.augmenter, "max_augs_per_seq", value),
        doc="Most augmentations a sequence gets (capped at ``len(augment_list)``); takes effect in the next batch.",
    )
    subset_mode = property(
        lambda self: self.augmenter.subset_mode,
        lambda self, value: setattr(self.augmenter, "subset_mode", value),
        doc='``"batch"`` (one subset per mini-batch, the default) or ``"sequence"`` (one per sequence); takes '
        "effect in the next batch.",
    )
    insert_max = property(
        lambda self: self.augmenter.insert_max,
        doc="Length the augmentations add (the largest insertion): the model sees ``L + insert_max``.",
    )
    seed = property(
        lambda self: self.augmenter.seed, doc="The seed of the augmentation draws (None: Keras' global seed)."
    )
    seed_generator = property(
        lambda self: self.augmenter.seed_generator,
        doc="The ``keras.random.SeedGenerator`` the augmentation draws come from.",
    )

    @property
    def hard_aug(self) -> bool:
        """True: every sequence gets exactly ``max_augs_per_seq``; False: a number drawn from 1 to it.

        A variable of the layer: set after ``fit`` or ``predict``, it takes effect in the next batch.
        """
        return self.augmenter.hard_aug

    @hard_aug.setter
    def hard_aug(self, value: bool) -> None:
        self.augmenter.hard_aug = value

    @property
    def inference_aug(self) -> bool:
        """Apply the augmentations at evaluation and prediction too (takes effect in the next batch)."""
        return self.augmenter.inference_aug

    @inference_aug.setter
    def inference_aug(self, value: bool) -> None:
        self.augmenter.inference_aug = value

    @property
    def finetune(self) -> bool:
        """Stage 2: train on the original (padded) data, no augmentations."""
        return self.augmenter.finetune

    @finetune.setter
    def finetune(self, value: bool) -> None:
        self.augmenter.finetune = value

    # ------------------------------------------------------------------ building
    def build_model(self, input_shape: tuple[int, ...]) -> None:
        """Build the wrapped model for sequences of ``input_shape = (L, A)`` (padded by ``insert_max``)."""
        if self.model_func is None:
            raise ValueError("RobustModel.build_model needs a `model_func`. Received: model_func=None")
        length, alphabet = _check_input_shape(input_shape)
        model = self.model_func((length + self.insert_max, alphabet), **self.model_kwargs)
        if not isinstance(model, keras.Model):
            raise ValueError(f"Expected `model_func` to return a keras.Model. Received: {type(model).__name__}")
        self._set_model(model, (length, alphabet))

    def _set_model(self, model, input_shape):
        model_shape = tuple(model.input_shape)
        if len(model_shape) != 3:
            raise ValueError(
                "Expected the wrapped model to take (batch, length, alphabet) inputs. "
                f"Received: a model with input shape {model_shape}"
            )
        model_length = model_shape[1]
        if input_shape is None:
            length = None if model_length is None else model_length - self.insert_max
        else:
            length, _ = _check_input_shape(input_shape)
            if model_length is not None and model_length != length + self.insert_max:
                raise ValueError(
                    f"Expected the wrapped model to take length {length} + insert_max {self.insert_max} = "
                    f"{length + self.insert_max}. Received: a model with input shape {model_shape}"
                )
        self.augmenter.check_length(length)
        self.model = model
        self.input_length = length
        self.built = True

    def build(self, input_shape: Any = None) -> None:
        if self.model is None:
            raise ValueError(
                "RobustModel has no model yet: pass `input_shape` to the constructor or call "
                "`build_model(input_shape)`."
            )
        self.built = True

    # ------------------------------------------------------------------ forward
    def call(self, inputs: Any, training: bool = False) -> Any:
        """Augment (training) or pad (evaluation, finetuning), then run the wrapped model.

        Parameters
        ----------
        inputs : tf.Tensor
            ``(N, L, A)`` sequences; at evaluation also ``(N, L + insert_max, A)``, already padded.

        Returns
        -------
        tf.Tensor
            The wrapped model's output, e.g. ``(N, tasks)``.
        """
        x = inputs if inputs.dtype.is_floating else tf.cast(inputs, "float32")
        length = x.shape[1]
        self._check_length(length, "x", training)
        padded_length = None if self.input_length is None else self.input_length + self.insert_max
        if self.insert_max and length is not None and length == padded_length:
            pass  # evaluation on input the caller padded already
        elif self.insert_max and length is None and not training:
            # A relaxed trace (Keras saw both lengths): decide at run time.
            x = tf.cond(tf.equal(tf.shape(x)[1], padded_length), lambda: x, lambda: self._prepare(x, training))
        else:
            x = self._prepare(x, training)
        if padded_length is not None and x.shape[1] is None:
            # Keras relaxes a retraced step to (None, None, A) once it has seen two lengths; the wrapped model
            # always receives L + insert_max, and says so: layers that need the length (Keras 3.10's Flatten,
            # as in DeepSTARR) then trace too. A wrong length fails here, naming both shapes.
            x = tf.ensure_shape(x, [None, padded_length, x.shape[2]])
        return self.model(x, training=training)

    def _prepare(self, x, training):
        """The wrapped model's input: augmented (stage 1 training, ``inference_aug``) or padded."""
        return self.augmenter(x, training=training)

    def augment(self, x: Any, seed: Any = None) -> Any:
        """Apply a random subset of ``augment_list`` to every sequence (stage-1 training view).

        Parameters
        ----------
        x : tf.Tensor
            ``(N, L, A)`` sequences.
        seed : tf.Tensor, optional
            Stateless seed ``(2,)``; by default the model's stream.

        Returns
        -------
        tf.Tensor
            ``(N, L + insert_max, A)``: sequences without an insertion are padded with random DNA.
        """
        return self.augmenter.augment(x, seed)

    # ------------------------------------------------------------------ checks before Keras runs
    def _check_length(self, length, name: str, training: bool) -> None:
        """Raise in Python (at trace time, or before ``fit``) for a length the model cannot take."""
        if self.input_length is None or length is None:
            return
        padded_length = self.input_length + self.insert_max
        built_for = f"the length this model was built for (input_shape=({self.input_length}, ...))"
        if training and self.insert_max and length == padded_length and self.augment_list:
            raise ValueError(
                f"Expected `{name}` to hold the original sequences of length {self.input_length}: the model pads "
                f"(and augments) them to {padded_length} itself. Received: {name} with sequences of length "
                f"{length}, which would train without augmentations. Pass the unpadded sequences."
            )
        accepted = (self.input_length,) if training or not self.insert_max else (self.input_length, padded_length)
        validation.check_length(length, accepted, name, built_for)

    def _output_tasks(self) -> int | None:
        shape = self.model.output_shape if self.model is not None else None
        if isinstance(shape, tuple) and len(shape) == 2 and isinstance(shape[1], int):
            return shape[1]
        return None

    def _check_data(self, x, y=None, sample_weight=None, training: bool = False, prefix: str = ""):
        """Check ``x``, ``y`` and ``sample_weight`` once per call, on shapes (and a NaN scan of float arrays)."""
        names = [f"{prefix}[{i}]" if prefix else name for i, name in enumerate(("x", "y", "sample_weight"))]
        tasks = self._output_tasks()
        if isinstance(x, tf.data.Dataset):
            return self._check_dataset_spec(x.element_spec, names, training, tasks)
        if not _is_array_like(x):
            return None  # generators, PyDataset, dicts: Keras checks those
        x = validation.check_sequences(x, names[0], dtype=None, allow_empty=not training)
        self._check_length(x.shape[1], names[0], training)
        if y is not None and _is_array_like(y):
            validation.check_labels(y, names[1], rows=len(x), tasks=tasks, dtype=None)
        if sample_weight is not None and _is_array_like(sample_weight):
            weights = validation.to_numpy(sample_weight)
            if weights.ndim not in (1, 2) or weights.shape[0] != len(x):
                raise ValueError(
                    f"Expected `{names[2]}` of shape (N,) with one weight per sequence ({len(x)}). "
                    f"Received: {names[2]} with shape {weights.shape}"
                )
            validation.check_finite(weights, names[2])
        return None

    def _check_dataset_spec(self, spec, names, training, tasks):
        parts = spec if isinstance(spec, tuple) else (spec,)
        x_spec = parts[0]
        if not isinstance(x_spec, tf.TensorSpec):
            return
        shape = x_spec.shape
        if shape.rank is not None and (shape.rank != 3 or shape[-1] not in (None, validation.ALPHABET_SIZE)):
            raise ValueError(
                f"Expected `{names[0]}` batches of shape (batch, L, 4) from the dataset. "
                f"Received: {names[0]} elements of shape {tuple(shape)} (batch the dataset with .batch(...))"
            )
        if shape.rank == 3:
            self._check_length(shape[1], names[0], training)
        if len(parts) > 1 and isinstance(parts[1], tf.TensorSpec) and tasks is not None:
            y_shape = parts[1].shape
            received = 1 if y_shape.rank == 1 else (y_shape[-1] if y_shape.rank == 2 else -1)
            if received is not None and (received != tasks or (y_shape.rank == 1 and tasks != 1)):
                raise ValueError(
                    f"Expected `{names[1]}` batches of shape (batch, {tasks}): one column per model output. "
                    f"Received: {names[1]} elements of shape {tuple(y_shape)}"
                )

    def fit(self, x: Any = None, y: Any = None, *args: Any, **kwargs: Any) -> Any:
        """Keras ``fit``, after checking the data (see the class docstring); ``x`` is ``(N, L, A)``.

        NaN in a NumPy ``x``/``y`` is refused; for a ``tf.data.Dataset`` only the element shapes are
        checked (scan it yourself, or build it with :func:`evoaug_tf.datasets.make_dataset`).
        """
        arguments = _bind(keras.Model.fit, self, x, y, args, kwargs)
        self._check_data(x, y, arguments.get("sample_weight"), training=True)
        validation_data = arguments.get("validation_data")
        if isinstance(validation_data, tf.data.Dataset):
            self._check_data(validation_data, prefix="validation_data")
        elif isinstance(validation_data, (tuple, list)) and validation_data:
            self._check_data(*validation_data[:3], prefix="validation_data")  # type: ignore[misc]
        return super().fit(x, y, *args, **kwargs)

    def evaluate(self, x: Any = None, y: Any = None, *args: Any, **kwargs: Any) -> Any:
        """Keras ``evaluate``, after checking ``x`` ``(N, L, A)`` (or padded), ``y`` and ``sample_weight``."""
        arguments = _bind(keras.Model.evaluate, self, x, y, args, kwargs)
        self._check_data(x, y, arguments.get("sample_weight"))
        return super().evaluate(x, y, *args, **kwargs)

    def predict(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        """Keras ``predict`` on ``x`` ``(N, L, A)`` (or padded); an empty batch gives an empty result."""
        self._check_data(x)
        if _is_array_like(x) and len(validation.to_numpy(x)) == 0:
            shape = self.model.output_shape
            if isinstance(shape, tuple):
                return np.zeros((0, *shape[1:]), dtype="float32")
        return super().predict(x, *args, **kwargs)

    # ------------------------------------------------------------------ stages
    def finetune_mode(
        self,
        optimizer: keras.optimizers.Optimizer | str | None = None,
        learning_rate: float | None = None,
        lr: float | None = None,
    ) -> None:
        """Switch to stage 2: the next ``fit`` trains on the original data, without augmentations.

        Parameters
        ----------
        optimizer : keras.optimizers.Optimizer, optional
            New optimizer (e.g. ``Adam(1e-4)``); it replaces the compiled one.
        learning_rate : float, optional
            New learning rate (> 0) for the current (or new) optimizer.
        lr : float, optional
            Alias of ``learning_rate`` (evoaug-tf 1.0.3).
        """
        if lr is not None and learning_rate is None:
            learning_rate = lr
        if learning_rate is not None:
            learning_rate = validation.check_positive_number(learning_rate, "learning_rate")
            if optimizer is None and getattr(self, "optimizer", None) is None:
                raise ValueError(
                    "Expected a compiled model (call model.compile(...) first) or an `optimizer` to set "
                    f"`learning_rate` on. Received: learning_rate={learning_rate!r} for a model that is not compiled"
                )
        if optimizer is not None and not isinstance(optimizer, keras.optimizers.Optimizer):
            optimizer = keras.optimizers.get(optimizer)
        self.finetune = True
        if optimizer is not None:
            self.optimizer = optimizer
            # The compiled step holds the old optimizer: rebuild it for the new one.
            self.train_function = None
            self.make_train_function(force=True)
        if learning_rate is not None:
            cast(Any, self.optimizer).learning_rate = learning_rate

    # ------------------------------------------------------------------ saving
    def save(self, filepath: Any, *args: Any, **kwargs: Any) -> Any:
        """Keras ``save`` to a ``.keras`` file; refuses ``.h5`` and warns about unregistered augmentations."""
        path = os.fspath(filepath) if isinstance(filepath, (str, os.PathLike)) else None
        if path is not None and path.lower().endswith((".h5", ".hdf5")):
            raise ValueError(
                "Expected a `.keras` file to save a RobustModel (the legacy HDF5 format cannot rebuild it). "
                f"Received: filepath={path!r}. Use model.save('model.keras'), or model.save_weights("
                "'model.weights.h5') to keep only the weights."
            )
        missing = _unregistered(self.augment_list)
        if missing:
            warnings.warn(
                f"The augmentations {missing} are not registered with Keras: keras.models.load_model cannot "
                "rebuild them from this file. Decorate their classes with @evoaug_tf.augment.register("
                "package='mylab') (an AugmentBase subclass with get_config), or load with "
                f"custom_objects={{{', '.join(f'{name!r}: {name}' for name in missing)}}}; "
                "model.save_weights keeps the weights whatever the augmentations are.",
                stacklevel=2,
            )
        return super().save(filepath, *args, **kwargs)

    def get_config(self) -> dict:
        return {
            "model_func": keras.saving.serialize_keras_object(self.model),
            "input_shape": (self.input_length, self.model.input_shape[2]) if self.input_length else None,
            "augment_list": [serialize(augmentation) for augmentation in self.augment_list],
            "max_augs_per_seq": self.max_augs_per_seq,
            "hard_aug": self.hard_aug,
            "finetune": self.finetune,
            "inference_aug": self.inference_aug,
            "subset_mode": self.subset_mode,
            "seed": self.seed,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config: dict) -> Any:
        config = dict(config)
        config["model_func"] = keras.saving.deserialize_keras_object(config["model_func"])
        config["augment_list"] = _rebuild_augmentations(config["augment_list"])
        return cls(**config)


def _is_array_like(value) -> bool:
    return isinstance(value, (np.ndarray, list, tf.Tensor)) or (
        hasattr(value, "__array__") and not isinstance(value, (dict, str))
    )


def _bind(method, model, x, y, args, kwargs) -> dict:
    """The arguments of a Keras ``fit``/``evaluate`` call by name (``sample_weight``, ``validation_data``)."""
    try:
        return inspect.signature(method).bind(model, x, y, *args, **kwargs).arguments
    except TypeError:
        return dict(kwargs)  # Keras reports a wrong call itself


def _as_float_batch(x):
    x = _checks.check_sequences(x)
    return x if x.dtype.is_floating else tf.cast(x, "float32")


def _check_shape(shape) -> list:
    if isinstance(shape, (tf.Tensor, np.ndarray)):
        if shape.shape != (3,):
            raise ValueError(f"Expected `shape` to be [N, L, A]. Received: shape={shape!r}")
        return [shape[0], shape[1], shape[2]]
    if not isinstance(shape, (list, tuple)) or len(shape) != 3:
        raise ValueError(f"Expected `shape` to be [N, L, A] (e.g. ops.shape_of(x)). Received: shape={shape!r}")
    return list(shape)


def _check_subset_mode(value) -> str:
    if not isinstance(value, str) or value not in SUBSET_MODES:
        raise ValueError(f"Expected `subset_mode` to be one of {SUBSET_MODES}. Received: subset_mode={value!r}")
    return value


def _check_flag(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"Expected `{name}` to be True or False. Received: {name}={value!r}")
    return bool(value)


def _sample_one(augmentation, shape, seed) -> tuple[dict, dict]:
    """Augmentation ``k``'s part of a plan: its ``params``, and the ``padding`` of the sequences it skips."""
    if isinstance(augmentation, RandomInsertion) and _uses_sample_apply(augmentation):
        return augmentation.sample(shape, seed), {}  # its length-0 insertion is the padding
    padding = {}
    added = _length_added(augmentation)
    if added:  # an augmentation that lengthens: the others are padded to match
        seed, seed_pad = ops.split_seed(seed, 2)
        padding = _sample_padding(shape, added, seed_pad)
    params = augmentation.sample(shape, seed) if _uses_sample_apply(augmentation) else {}
    return params, padding


def _apply_one(augmentation, x, params, padding, chosen):
    """Apply one augmentation to the sequences marked in ``chosen`` ``(N,)``; pad the others if it lengthens."""
    if isinstance(augmentation, RandomInsertion) and _uses_sample_apply(augmentation):
        # Insertion of length 0 is exactly the random padding: one gather does both.
        params = {**params, "length": tf.where(chosen, params["length"], 0)}
        return augmentation.apply(x, params)
    added = _length_added(augmentation)
    untouched = _apply_padding(x, added, padding) if added else x
    if _uses_sample_apply(augmentation):
        checked = _checks.check_sequences(x, needs_complement=augmentation.needs_complement)
        augmentation.check_length(checked.shape[1])
        augmented = augmentation.apply(checked, params)
    else:  # an evoaug-tf 1.0.3-style object: only its __call__, which draws for itself
        augmented = augmentation(x)
    return tf.where(chosen[:, tf.newaxis, tf.newaxis], tf.cast(augmented, x.dtype), untouched)


def _check_augment_list(augment_list):
    if isinstance(augment_list, AugmentBase):
        augment_list = [augment_list]
    if augment_list is None:
        return []
    items = list(augment_list)
    for position, item in enumerate(items):
        if inspect.isclass(item):
            raise ValueError(
                f"Expected augmentation instances in `augment_list`. Received: the class {item.__name__} at "
                f"position {position}; did you mean {item.__name__}()?"
            )
        if not isinstance(item, AugmentBase) and (not callable(item) or isinstance(item, str)):
            raise ValueError(
                "Expected every item of `augment_list` to be an augmentation (an evoaug_tf.augment.AugmentBase "
                f"instance, or an object called on a batch). Received: augment_list[{position}]={item!r}"
            )
        _length_added(item)  # checks a declared insert_max
    return items


def _check_max_augs(max_augs_per_seq, augment_list) -> int:
    value = _checks.check_int("max_augs_per_seq", max_augs_per_seq, minimum=0)
    if augment_list and value < 1:
        raise ValueError(
            "Expected `max_augs_per_seq` >= 1 when `augment_list` is not empty. "
            f"Received: max_augs_per_seq={max_augs_per_seq}"
        )
    return min(value, len(augment_list))


def _check_input_shape(input_shape) -> tuple[int, int]:
    shape = tuple(input_shape)
    if len(shape) == 3 and shape[0] is None:
        shape = shape[1:]
    if len(shape) != 2 or not all(isinstance(size, int) and size > 0 for size in shape):
        raise ValueError(
            f"Expected `input_shape` to be (length, alphabet), e.g. (249, 4). Received: input_shape={input_shape!r}"
        )
    return shape
