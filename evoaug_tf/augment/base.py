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

Each class is also its own catalogue entry (read by :mod:`evoaug_tf.augment.lookup`,
the experiments, the search space, the explorer and the figures): ``name``, the paper's
``letter``, its ``parameters`` (:class:`Parameter`: range and step for widgets and search),
its ``paper_settings`` (DeepSTARR), its batch-mode form (a subclass that sets
``batch_mode = True``, found with :meth:`AugmentBase.mode_class`), and how to describe
one drawn change (:meth:`AugmentBase.describe_one`, :meth:`AugmentBase.figure_layout`).
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import keras
import numpy as np
import tensorflow as tf

from evoaug_tf.augment import _checks, ops
from evoaug_tf.augment._checks import Interval

__all__ = ["Parameter", "check_parameters", "AugmentBase", "register", "serialize", "deserialize"]

_PACKAGE = "evoaug_tf"

#: Catalogue name -> sequence-mode class, in definition order (filled by ``AugmentBase.__init_subclass__``).
_REGISTRY: dict[str, type[AugmentBase]] = {}
#: Sequence-mode class -> its batch-mode form.
_BATCH_FORMS: dict[type[AugmentBase], type[AugmentBase]] = {}


@dataclasses.dataclass(frozen=True)
class Parameter:
    """One constructor argument of an augmentation: the values it accepts, and how widgets and searches offer it.

    Declared once on the class (``parameters``), a ``Parameter`` drives the constructor's checks
    (:meth:`AugmentBase.__init__` checks every value against ``valid``, and every ``*_min`` against its
    ``*_max``), the explorer's sliders (``low`` .. ``high`` by ``step``, inside ``valid``) and the generic
    bad-parameter test. The default is not repeated here: it is read from the class' ``__init__`` signature.

    Parameters
    ----------
    name : str
        Constructor argument, e.g. ``"delete_max"``.
    kind : {"int", "float"}
        Value type.
    low, high : int or float
        Range offered by widgets (a part of ``valid``; ``valid`` is what the constructor accepts).
    step : int or float
        Widget step.
    label : str
        Short human label, e.g. ``"deletion length"``; a ``*_min``/``*_max`` pair shares one label
        (widgets draw one range slider for it).
    search : tuple, optional
        The values the paper's hyperparameter search tried (None: not searched).
    valid : Interval, optional
        The values the constructor accepts. Default: an integer >= 0 for ``"int"`` (lengths, counts),
        a finite number for ``"float"``.

    Examples
    --------
    >>> Parameter("rc_prob", "float", 0.0, 1.0, 0.05, "rc_prob", valid=Interval("float", 0, 1))
    """

    name: str
    kind: str
    low: float
    high: float
    step: float
    label: str
    search: tuple | None = None
    valid: Interval = None  # type: ignore[assignment]  # filled in by __post_init__

    def __post_init__(self) -> None:
        if self.valid is None:
            default = Interval(self.kind, 0) if self.kind == "int" else Interval(self.kind)
            object.__setattr__(self, "valid", default)
        if self.valid.kind != self.kind:
            raise ValueError(
                f"Expected `valid` to be an Interval of kind {self.kind!r} like the parameter. "
                f"Received: valid={self.valid!r} for {self.name}"
            )

    @property
    def role(self) -> str:
        """``"min"`` or ``"max"`` for one end of an inclusive range, else ``"value"``."""
        if self.kind == "int" and self.name.endswith("_min"):
            return "min"
        if self.kind == "int" and self.name.endswith("_max"):
            return "max"
        return "value"

    def check(self, value: object) -> int | float:
        """``value`` as an int or float if ``valid`` accepts it, else ``ValueError`` naming the argument."""
        return self.valid.check(self.name, value)


def check_parameters(parameters: tuple[Parameter, ...], values: dict[str, Any]) -> dict[str, int | float]:
    """Check constructor arguments against their declared :class:`Parameter`.

    Every value must lie in its parameter's ``valid`` interval, and every ``*_min`` must not exceed its
    ``*_max``. The one place augmentations validate their arguments.

    Parameters
    ----------
    parameters : tuple of Parameter
        The class' declared parameters (``cls.parameters``).
    values : dict
        Argument name -> value received.

    Returns
    -------
    dict
        The values as ``int`` or ``float`` (by each parameter's kind), in the order of ``parameters``.
    """
    declared = {parameter.name: parameter for parameter in parameters}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise TypeError(f"Expected parameters among {sorted(declared)} (declared in `parameters`). Received: {unknown}")
    checked = {name: parameter.check(values[name]) for name, parameter in declared.items() if name in values}
    for name, parameter in declared.items():
        partner = name[: -len("min")] + "max"
        if parameter.role == "min" and name in checked and partner in checked:
            _checks.check_order(name, checked[name], partner, checked[partner])
    return checked


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
    batch_mode: ClassVar[bool] = False
    #: Whether ``apply`` complements bases (needs the ACGT alphabet, size 4).
    needs_complement: ClassVar[bool] = False
    #: Whether the output stays one-hot when the input is (False for noise).
    keeps_onehot: ClassVar[bool] = True
    #: Catalogue name (e.g. ``"deletion"``); a class that sets it joins :func:`evoaug_tf.augment.catalogue`.
    name: ClassVar[str | None] = None
    #: The paper's letter code (R, I, T, D, M, N), or None.
    letter: ClassVar[str | None] = None
    #: Constructor arguments other than ``seed``, with ranges for widgets and searches.
    parameters: ClassVar[tuple[Parameter, ...]] = ()
    #: Constructor arguments of the paper's DeepSTARR runs (``augment.from_letters``).
    paper_settings: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = cls.__dict__
        if own.get("name") is not None and not own.get("batch_mode", False):
            known = _REGISTRY.get(cls.name)
            if known is not None and (known.__module__, known.__qualname__) != (cls.__module__, cls.__qualname__):
                raise ValueError(
                    f"Expected a new augmentation name. Received: name={cls.name!r} for {cls.__qualname__}, "
                    f"already used by {known.__module__}.{known.__qualname__}"
                )
            _REGISTRY[cls.name] = cls
        if own.get("batch_mode", False):
            parent = cls.__mro__[1]
            if parent.__dict__.get("name") is not None and parent not in _BATCH_FORMS:
                _BATCH_FORMS[parent] = cls
            elif parent in _BATCH_FORMS and _BATCH_FORMS[parent].__qualname__ == cls.__qualname__:
                _BATCH_FORMS[parent] = cls  # the same class defined again (a re-run notebook cell)

    @classmethod
    def sequence_class(cls) -> type[AugmentBase]:
        """The sequence-mode form of this augmentation (``RandomDeletionBatch`` -> ``RandomDeletion``)."""
        for sequence_form, batch_form in _BATCH_FORMS.items():
            if batch_form is cls:
                return sequence_form
        return cls

    @classmethod
    def batch_class(cls) -> type[AugmentBase] | None:
        """The batch-mode form (``RandomDeletion`` -> ``RandomDeletionBatch``), or None if it has none."""
        if cls.batch_mode:
            return cls
        return _BATCH_FORMS.get(cls)

    @classmethod
    def mode_class(cls, batch_mode: bool) -> type[AugmentBase]:
        """The class for ``batch_mode``; augmentations without a batch form (mutation, noise) return their own.

        Mutation and noise draw per position, so the paper's batch-mode runs use them unchanged.
        """
        if batch_mode:
            return cls.batch_class() or cls
        return cls.sequence_class()

    @classmethod
    def default_params(cls) -> dict[str, Any]:
        """Constructor defaults of the catalogued parameters, read from ``__init__``'s signature."""
        import inspect

        signature = inspect.signature(cls.__init__).parameters
        return {parameter.name: signature[parameter.name].default for parameter in cls.parameters}

    def __init__(self, seed: int | None = None, **params: Any) -> None:
        """Check ``seed`` and the declared parameters (:func:`check_parameters`), and set them as attributes.

        A subclass passes its own arguments on: ``super().__init__(seed, delete_min=delete_min, ...)``.
        """
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ValueError(f"Expected `seed` to be an int or None. Received: seed={seed!r}")
        self.seed = seed
        for name, value in check_parameters(type(self).parameters, params).items():
            setattr(self, name, value)

    # ------------------------------------------------------------------ contract
    def sample(self, shape: list | tf.Tensor, seed: tf.Tensor) -> dict[str, tf.Tensor]:
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
        raise NotImplementedError(f"{type(self).__name__} must implement `sample` and `apply`, or `__call__(self, x)`.")

    def apply(self, x: tf.Tensor, params: dict[str, tf.Tensor]) -> tf.Tensor:
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
        raise NotImplementedError(f"{type(self).__name__} must implement `sample` and `apply`, or `__call__(self, x)`.")

    def output_length(self, length: int) -> int:
        """Length of the output for an input of ``length`` (insertions grow it)."""
        return length

    def check_length(self, length: int | None) -> None:
        """Raise ``ValueError`` if sequences of ``length`` are too short for this augmentation."""
        return None

    # ------------------------------------------------------------------ describing (figures)
    def describe_one(self, x: np.ndarray, params: dict, output: np.ndarray) -> dict:
        """What this augmentation did to one sequence, as plain numbers.

        Parameters
        ----------
        x : np.ndarray
            ``(L, A)`` the input sequence.
        params : dict of np.ndarray
            This sequence's row of every parameter drawn by ``sample`` (``params[key][index]``).
        output : np.ndarray
            ``(L_out, A)`` the augmented sequence.

        Returns
        -------
        dict
            Augmentation-specific fields (see :func:`evoaug_tf.viz.describe_augmentation`) and ``short``,
            a one-line summary such as ``"d = 7 at s = 31"``.
        """
        return {"short": "augmented"}

    @classmethod
    def figure_layout(cls, info: dict) -> tuple[list, list, list]:
        """Marks and ribbons that show the change described by ``info`` (from :meth:`describe_one`).

        Returns
        -------
        marks_in, marks_out : list of (start, end, style)
            Spans ``start .. end - 1`` of the input and output rows. Styles: ``deleted``, ``filler``,
            ``inserted``, ``inverted``, ``wrapped``, ``flipped``, ``mutated``, ``silent``, ``changed``,
            and ``cut`` (``start == end``: a line before position ``start``).
        ribbons : list of (in_start, in_end, out_start, out_end, reversed, event)
            Input stretches joined to where they went; ``event`` when the augmentation turned or wrapped them.
        """
        return [], [], []

    # ------------------------------------------------------------------ running
    def augment(self, x: tf.Tensor | np.ndarray, seed: tf.Tensor) -> tf.Tensor:
        """Draw parameters from ``seed`` and apply them: ``apply(x, sample(shape, seed))``.

        Parameters
        ----------
        x : tf.Tensor
            ``(N, L, A)`` batch of one-hot sequences (any float, int or bool dtype).
        seed : tf.Tensor
            Stateless seed, int tensor of shape ``(2,)``.

        Returns
        -------
        tf.Tensor
            ``(N, output_length(L), A)``: the dtype of ``x`` (float32 from :class:`RandomNoise` on int or
            bool input).
        """
        if not _uses_base_call(self):  # a 1.0.3-style subclass with its own __call__
            return self(x)
        x = _checks.check_sequences(x, needs_complement=self.needs_complement)
        self.check_length(x.shape[1])
        if x.dtype == tf.bool:  # computed as uint8; one-hot outputs come back as bool
            output = self.apply(tf.cast(x, tf.uint8), self.sample(ops.shape_of(x), seed))
            return tf.cast(output, tf.bool) if output.dtype == tf.uint8 else output
        return self.apply(x, self.sample(ops.shape_of(x), seed))

    def __call__(self, x: tf.Tensor | np.ndarray) -> tf.Tensor:
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
    def get_config(self) -> dict[str, Any]:
        """Constructor arguments, so ``type(aug).from_config(aug.get_config())`` rebuilds it.

        The declared ``parameters`` (in their order), then ``seed``.
        """
        config = {parameter.name: getattr(self, parameter.name) for parameter in type(self).parameters}
        return {**config, "seed": self.seed}

    @classmethod
    def from_config(cls, config: dict) -> AugmentBase:
        """Rebuild an augmentation from the dict :meth:`get_config` returns."""
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        """Equal when of the same class with the same configuration (``get_config``)."""
        return type(self) is type(other) and self.get_config() == other.get_config()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        """The hash of the class and its configuration, so equal augmentations hash alike (sets, dict keys).

        Like any hashable value, an augmentation kept in a set or as a dict key must not be changed there.
        """
        return hash((type(self), _frozen(self.get_config())))


def _frozen(value: Any) -> Any:
    """A hashable stand-in for a configuration value, equal where the values are equal (lists -> tuples ...)."""
    if isinstance(value, dict):
        return frozenset((key, _frozen(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(_frozen(item) for item in value)
    if isinstance(value, np.ndarray):
        return (value.shape, tuple(value.ravel().tolist()))
    return value


def register(cls: type | None = None, *, package: str = _PACKAGE) -> Any:
    """Register an augmentation class with Keras serialisation, so saved models can rebuild it.

    Use as ``@register`` (package ``evoaug_tf``) or, for your own classes, ``@register(package="mylab")``
    so their names cannot collide with the library's.
    """
    if cls is None:
        return lambda klass: keras.saving.register_keras_serializable(package=package)(klass)
    return keras.saving.register_keras_serializable(package=package)(cls)


register(AugmentBase)


def serialize(augmentation: AugmentBase) -> dict:
    """Serialise an augmentation to a JSON-friendly dict (Keras' format)."""
    return keras.saving.serialize_keras_object(augmentation)


def deserialize(config: dict | AugmentBase) -> AugmentBase:
    """Rebuild an augmentation serialised with :func:`serialize`."""
    if isinstance(config, AugmentBase):
        return config
    return keras.saving.deserialize_keras_object(config)
