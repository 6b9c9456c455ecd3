"""`RobustModel`: a Keras 3 model that trains with EvoAug augmentations.

The augmentations are part of the forward pass: ``call(x, training=True)``
augments the batch (stage 1) or only pads it (stage 2, finetuning), then runs
the wrapped model. Keras' own ``train_step``/``test_step`` therefore do the
rest, so losses, metrics, ``sample_weight``, mixed precision and distribution
strategies behave exactly as for any Keras model.

The evoaug-tf 1.0.3 API keeps working::

    from evoaug_tf import evoaug, augment
    model = evoaug.RobustModel(model_func, input_shape, augment_list=[...],
                               max_augs_per_seq=2, hard_aug=True)
    model.compile(...); model.fit(...)
    model.finetune_mode(optimizer=keras.optimizers.Adam(1e-4)); model.fit(...)
"""

from __future__ import annotations

import inspect

import keras
import tensorflow as tf

from evoaug_tf.augment import _checks, ops
from evoaug_tf.augment.base import AugmentBase, deserialize, serialize
from evoaug_tf.augment.insertion import RandomInsertion

SUBSET_MODES = ("sequence", "batch")
EVAL_PADDING_STREAM = 7919  # second seed word of the fixed evaluation padding


def augment_max_len(augment_list) -> int:
    """Total length the augmentations in ``augment_list`` can add (the sum of ``insert_max``)."""
    return sum(_length_added(augmentation) for augmentation in augment_list)


def _length_added(augmentation) -> int:
    if isinstance(augmentation, AugmentBase):
        return augmentation.output_length(0)
    return int(getattr(augmentation, "insert_max", 0))  # 1.0.3-style duck typing


def pad_random(x, extra: int, seed):
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
    padding = RandomInsertion(insert_min=0, insert_max=extra)
    params = padding.sample(ops.shape_of(x), seed)
    params["length"] = tf.zeros_like(params["length"])
    return padding.apply(x, params)


def choose_subsets(seed, size, count: int, max_augs: int, hard: bool, per_batch: bool):
    """Choose which augmentations each sequence gets.

    Parameters
    ----------
    seed : tf.Tensor
        Stateless seed ``(2,)``.
    size : int or tf.Tensor
        Batch size ``N``.
    count : int
        Number of augmentations in the list ``K``.
    max_augs : int
        ``max_augs_per_seq`` (already capped at ``count``).
    hard : bool
        Exactly ``max_augs`` per sequence; otherwise ``U{1 .. max_augs}``.
    per_batch : bool
        One subset for the whole batch (EvoAug-TF 1.0.3) instead of one per sequence.

    Returns
    -------
    tf.Tensor
        ``(N, K)`` bool; row ``n`` marks the augmentations applied to sequence ``n``.
    """
    rows = 1 if per_batch else size
    seed_number, seed_subset = ops.split_seed(seed, 2)
    if hard:
        number = tf.fill([rows], tf.constant(max_augs, tf.int32))
    else:
        number = ops.draw_int(seed_number, rows, 1, max_augs)
    scores = ops.uniform([rows, count], seed_subset)
    ranks = tf.argsort(tf.argsort(scores, axis=1), axis=1)  # a random permutation per row
    chosen = ranks < number[:, tf.newaxis]
    return tf.broadcast_to(chosen, [size, count]) if per_batch else chosen


@keras.saving.register_keras_serializable(package="evoaug_tf")
class RobustModel(keras.Model):
    """Keras model that trains a wrapped model with EvoAug augmentations.

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
        Augmentations, applied in list order. Empty: standard training.
    max_augs_per_seq : int
        Upper bound on augmentations per sequence, capped at ``len(augment_list)``.
    hard_aug : bool
        Every sequence gets exactly ``max_augs_per_seq``; otherwise ``U{1 .. max_augs_per_seq}``.
    finetune : bool
        Start in stage 2 (no augmentations during training).
    inference_aug : bool
        Augment at evaluation and prediction too.
    subset_mode : {"sequence", "batch"}
        ``"sequence"`` (default): each sequence draws its own number and subset of
        augmentations, as in EvoAug (Lee et al. 2023). ``"batch"``: one draw for
        the whole mini-batch, as evoaug-tf 1.0.3 and the EvoAug-TF paper. The
        default is per sequence because here it costs the same (every
        augmentation is one vectorised gather over the batch) and every
        mini-batch then mixes all augmentations, which is the original method.
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
        model_func=None,
        input_shape=None,
        augment_list=(),
        max_augs_per_seq: int = 2,
        hard_aug: bool = False,
        finetune: bool = False,
        inference_aug: bool = False,
        subset_mode: str = "sequence",
        seed: int | None = None,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(name=name)
        self.augment_list = _check_augment_list(augment_list)
        self.max_augs_per_seq = _check_max_augs(max_augs_per_seq, self.augment_list)
        if subset_mode not in SUBSET_MODES:
            raise ValueError(
                f"Expected `subset_mode` to be one of {SUBSET_MODES}. Received: subset_mode={subset_mode!r}"
            )
        self.subset_mode = subset_mode
        self.hard_aug = bool(hard_aug)
        self.inference_aug = bool(inference_aug)
        self.insert_max = augment_max_len(self.augment_list)
        self.seed = seed
        self.model_kwargs = kwargs
        self._finetune = tf.Variable(bool(finetune), trainable=False, name="finetune")
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.model = None
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

    # ------------------------------------------------------------------ building
    def build_model(self, input_shape):
        """Build the wrapped model for sequences of ``input_shape = (L, A)`` (padded by ``insert_max``)."""
        if self.model_func is None:
            raise ValueError("RobustModel.build_model needs a `model_func`. Received: model_func=None")
        length, alphabet = _check_input_shape(input_shape)
        model = self.model_func((length + self.insert_max, alphabet), **self.model_kwargs)
        if not isinstance(model, keras.Model):
            raise ValueError(
                f"Expected `model_func` to return a keras.Model. Received: {type(model).__name__}"
            )
        self._set_model(model, (length, alphabet))

    def _set_model(self, model, input_shape):
        model_shape = tuple(model.input_shape)
        if len(model_shape) != 3:
            raise ValueError(
                "Expected the wrapped model to take (batch, length, alphabet) inputs. "
                f"Received: a model with input shape {model_shape}"
            )
        model_length = model_shape[1]
        if input_shape is not None:
            length, alphabet = _check_input_shape(input_shape)
            if model_length is not None and model_length != length + self.insert_max:
                raise ValueError(
                    f"Expected the wrapped model to take length {length} + insert_max {self.insert_max} = "
                    f"{length + self.insert_max}. Received: a model with input shape {model_shape}"
                )
        else:
            length = None if model_length is None else model_length - self.insert_max
        for augmentation in self.augment_list:
            if isinstance(augmentation, AugmentBase) and length is not None:
                augmentation.check_length(length)
        self.model = model
        self.input_length = length
        self.build((None, length, model_shape[2]))

    def build(self, input_shape=None):
        if self.model is None:
            raise ValueError(
                "RobustModel has no model yet: pass `input_shape` to the constructor or call `build_model(input_shape)`."
            )
        self.built = True

    # ------------------------------------------------------------------ forward
    @property
    def finetune(self) -> bool:
        """Stage 2: train on the original (padded) data, no augmentations."""
        return bool(self._finetune.numpy())

    @finetune.setter
    def finetune(self, value: bool):
        self._finetune.assign(bool(value))

    def call(self, inputs, training=False):
        """Augment (training) or pad (evaluation, finetuning), then run the wrapped model.

        Parameters
        ----------
        inputs : tf.Tensor
            ``(N, L, A)`` sequences, or ``(N, L + insert_max, A)`` already padded.

        Returns
        -------
        tf.Tensor
            The wrapped model's output, e.g. ``(N, tasks)``.
        """
        x = inputs
        if not x.dtype.is_floating:
            x = tf.cast(x, "float32")
        if not self.augment_list:
            return self.model(x, training=training)
        if self.insert_max:
            padded_length = self.model.input_shape[1]
            if x.shape[1] == padded_length:
                return self.model(x, training=training)  # already padded by the caller
            if x.shape[1] is None:  # a relaxed trace: decide at run time
                x = tf.cond(
                    tf.equal(tf.shape(x)[1], padded_length),
                    lambda: x,
                    lambda: self._prepare(x, training),
                )
                return self.model(x, training=training)
        return self.model(self._prepare(x, training), training=training)

    def _prepare(self, x, training):
        """The wrapped model's input: augmented (stage 1 training, ``inference_aug``) or padded."""
        if training:
            seed = self._replica_seed()
            return tf.cond(
                self._finetune,
                lambda: pad_random(x, self.insert_max, seed),
                lambda: self.augment(x, seed),
            )
        if self.inference_aug:
            return self.augment(x, self._replica_seed())
        # Evaluation padding is random DNA drawn from a fixed seed: predictions repeat call after call.
        return pad_random(x, self.insert_max, tf.constant([self.seed or 0, EVAL_PADDING_STREAM], tf.int64))

    def _replica_seed(self):
        seed = self.seed_generator.next()
        replica = tf.distribute.get_replica_context()
        if replica is not None and tf.distribute.has_strategy():
            seed = tf.random.experimental.stateless_fold_in(
                ops.as_seed(seed), tf.cast(replica.replica_id_in_sync_group, tf.int32), alg=ops.RNG_ALGORITHM
            )
        return seed

    def augment(self, x, seed=None):
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
        x = _checks.check_sequences(x)
        if not x.dtype.is_floating:
            x = tf.cast(x, "float32")
        if seed is None:
            seed = self._replica_seed()
        seeds = ops.split_seed(seed, len(self.augment_list) + 1)
        size = ops.shape_of(x)[0]
        chosen = choose_subsets(
            seeds[0],
            size,
            len(self.augment_list),
            self.max_augs_per_seq,
            self.hard_aug,
            per_batch=self.subset_mode == "batch",
        )
        for index, augmentation in enumerate(self.augment_list):
            x = _apply_where(augmentation, x, seeds[index + 1], chosen[:, index])
        return x

    # ------------------------------------------------------------------ stages
    def finetune_mode(self, optimizer=None, learning_rate=None, lr=None):
        """Switch to stage 2: the next ``fit`` trains on the original data, without augmentations.

        Parameters
        ----------
        optimizer : keras.optimizers.Optimizer, optional
            New optimizer (e.g. ``Adam(1e-4)``); it replaces the compiled one.
        learning_rate : float, optional
            New learning rate for the current (or new) optimizer.
        lr : float, optional
            Alias of ``learning_rate`` (evoaug-tf 1.0.3).
        """
        if lr is not None and learning_rate is None:
            learning_rate = lr
        self.finetune = True
        if optimizer is not None:
            if not isinstance(optimizer, keras.optimizers.Optimizer):
                optimizer = keras.optimizers.get(optimizer)
            self.optimizer = optimizer
            # The compiled step holds the old optimizer: rebuild it for the new one.
            self.train_function = None
            self.make_train_function(force=True)
        if learning_rate is not None:
            if self.optimizer is None:
                raise ValueError("finetune_mode(learning_rate=...) needs a compiled model or an `optimizer`.")
            self.optimizer.learning_rate = float(learning_rate)

    # ------------------------------------------------------------------ saving
    def get_config(self):
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
    def from_config(cls, config):
        config = dict(config)
        config["model_func"] = keras.saving.deserialize_keras_object(config["model_func"])
        config["augment_list"] = [deserialize(item) for item in config["augment_list"]]
        return cls(**config)


def _apply_where(augmentation, x, seed, chosen):
    """Apply one augmentation to the sequences marked in ``chosen`` ``(N,)``; pad the others if it inserts."""
    if isinstance(augmentation, RandomInsertion) and type(augmentation).__call__ is AugmentBase.__call__:
        # Insertion of length 0 is exactly the random padding: one gather does both.
        params = augmentation.sample(ops.shape_of(x), seed)
        params["length"] = tf.where(chosen, params["length"], 0)
        return augmentation.apply(x, params)
    added = _length_added(augmentation)
    if added:  # a custom augmentation that lengthens: the others are padded to match
        seed, seed_pad = ops.split_seed(seed, 2)
        untouched = pad_random(x, added, seed_pad)
    else:
        untouched = x
    augmented = augmentation.augment(x, seed)
    return tf.where(chosen[:, tf.newaxis, tf.newaxis], tf.cast(augmented, x.dtype), untouched)


def _check_augment_list(augment_list):
    if isinstance(augment_list, AugmentBase):
        augment_list = [augment_list]
    if augment_list is None:
        return []
    items = list(augment_list)
    for position, item in enumerate(items):
        if inspect.isclass(item) and issubclass(item, AugmentBase):
            raise ValueError(
                f"Expected augmentation instances in `augment_list`. Received: the class {item.__name__} at "
                f"position {position}; did you mean {item.__name__}()?"
            )
        if not isinstance(item, AugmentBase):
            raise ValueError(
                "Expected every item of `augment_list` to be an augmentation (an evoaug_tf.augment.AugmentBase "
                f"instance). Received: augment_list[{position}]={item!r}"
            )
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
