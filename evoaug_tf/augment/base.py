"""`AugmentBase`: the contract every EvoAug augmentation follows.

An augmentation is split in two, like Keras' random preprocessing layers:

* ``sample(shape, seed)`` draws the random parameters for a batch (one value per
  sequence, or one for the whole batch in batch mode) from a stateless seed;
* ``apply(x, params)`` is a pure function of the input and those parameters,
  made of index arithmetic and one gather (or one ``where``) over the batch.

``augment(x, seed)`` chains the two, and ``__call__(x)`` draws the seed from the
augmentation's own ``keras.random.SeedGenerator`` (seeded by ``seed=`` or by
``keras.utils.set_random_seed``). ``RobustModel`` calls ``augment`` with seeds
of its own, so every augmentation in a model shares one reproducible stream.

Custom augmentations written the evoaug-tf 1.0.3 way, a subclass that only
implements ``__call__(self, x)``, keep working: ``augment`` falls back to it.
"""

from __future__ import annotations

import keras

from evoaug_tf.augment import _checks, ops

_PACKAGE = "evoaug_tf"


def _uses_base_call(augmentation) -> bool:
    return type(augmentation).__call__ is AugmentBase.__call__


class AugmentBase:
    """Base class of EvoAug augmentations for one-hot genomic sequences.

    Subclasses implement ``sample`` and ``apply`` (the recommended way: exact
    tests, seeds, XLA) or, the 1.0.3 way, just ``__call__(self, x)``.

    Parameters
    ----------
    seed : int, optional
        Seed of the augmentation's own random stream, used when it is called
        directly (``aug(x)``). Inside a ``RobustModel`` the model's stream is
        used instead. ``None`` draws the seed from Python's global generator,
        which ``keras.utils.set_random_seed`` sets.
    """

    #: Whether one draw is shared by the whole batch (batch mode).
    batch_mode: bool = False
    #: Whether ``apply`` complements bases (needs the ACGT alphabet, size 4).
    needs_complement: bool = False

    def __init__(self, seed: int | None = None):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ValueError(f"Expected `seed` to be an int or None. Received: seed={seed!r}")
        self.seed = seed

    # ------------------------------------------------------------------ contract
    def sample(self, shape, seed) -> dict:
        """Draw the random parameters for a batch.

        Parameters
        ----------
        shape : list or tf.Tensor
            ``[N, L, A]`` of the batch: ints where static (``ops.shape_of(x)``) or ``tf.shape(x)``.
        seed : tf.Tensor
            Stateless seed, int tensor of shape ``(2,)``.

        Returns
        -------
        dict of tf.Tensor
            Named parameters, each with leading dimension ``N``.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement `sample` and `apply`, or `__call__(self, x)`."
        )

    def apply(self, x, params: dict):
        """Apply the augmentation with the given parameters (pure, no randomness).

        Parameters
        ----------
        x : tf.Tensor
            ``(N, L, A)`` batch of one-hot sequences.
        params : dict
            As returned by ``sample``.

        Returns
        -------
        tf.Tensor
            ``(N, output_length(L), A)``, same dtype as ``x``.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement `sample` and `apply`, or `__call__(self, x)`."
        )

    def output_length(self, length: int) -> int:
        """Length of the output for an input of ``length`` (insertions grow it)."""
        return length

    def check_length(self, length: int | None) -> None:
        """Raise ``ValueError`` if sequences of ``length`` are too short for this augmentation."""
        return None

    # ------------------------------------------------------------------ running
    def augment(self, x, seed):
        """Draw parameters from ``seed`` and apply them: ``apply(x, sample(shape, seed))``.

        Parameters
        ----------
        x : tf.Tensor
            ``(N, L, A)`` batch of one-hot sequences (any float or int dtype).
        seed : tf.Tensor
            Stateless seed, int tensor of shape ``(2,)``.
        """
        if not _uses_base_call(self):  # a 1.0.3-style subclass with its own __call__
            return self(x)
        x = _checks.check_sequences(x, needs_complement=self.needs_complement)
        self.check_length(x.shape[1])
        return self.apply(x, self.sample(ops.shape_of(x), seed))

    def __call__(self, x):
        """Augment a batch with a fresh draw from this augmentation's own stream.

        Parameters
        ----------
        x : array-like
            ``(N, L, A)`` batch of one-hot sequences.

        Returns
        -------
        tf.Tensor
            ``(N, output_length(L), A)``, the dtype of ``x``.
        """
        return self.augment(x, self._seed_generator().next())

    def _seed_generator(self) -> keras.random.SeedGenerator:
        generator = self.__dict__.get("_generator")
        if generator is None:
            generator = keras.random.SeedGenerator(self.seed)
            self.__dict__["_generator"] = generator
        return generator

    # ------------------------------------------------------------------ config
    def get_config(self) -> dict:
        """Constructor arguments, so ``type(aug).from_config(aug.get_config())`` rebuilds it."""
        return {"seed": self.seed}

    @classmethod
    def from_config(cls, config: dict):
        """Rebuild an augmentation from the dict :meth:`get_config` returns."""
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.get_config() == other.get_config()

    __hash__ = object.__hash__


def register(cls=None, *, package: str = _PACKAGE):
    """Register an augmentation class with Keras serialisation, so saved models can rebuild it.

    Use as ``@register`` (package ``evoaug_tf``) or, for your own classes, ``@register(package="mylab")``
    so their names cannot collide with the library's.
    """
    if cls is None:
        return lambda klass: keras.saving.register_keras_serializable(package=package)(klass)
    return keras.saving.register_keras_serializable(package=package)(cls)


AugmentBase = register(AugmentBase)


def serialize(augmentation) -> dict:
    """Serialise an augmentation to a JSON-friendly dict (Keras' format)."""
    return keras.saving.serialize_keras_object(augmentation)


def deserialize(config):
    """Rebuild an augmentation serialised with :func:`serialize`."""
    if isinstance(config, AugmentBase):
        return config
    return keras.saving.deserialize_keras_object(config)
