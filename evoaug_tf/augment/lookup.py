"""The augmentation catalogue: every augmentation by name and by the paper's letter code.

The catalogue is read from the classes themselves (``name``, ``letter``, ``parameters``,
``paper_settings`` and their batch-mode form, see :class:`~evoaug_tf.augment.AugmentBase`), so
the experiments, the hyperparameter search, the explorer and the figures all agree.

>>> from evoaug_tf import augment
>>> augment.get("deletion", delete_max=30)
RandomDeletion(delete_min=0, delete_max=30, seed=None)
>>> augment.from_letters("ITD", batch_mode=True)        # the paper's DeepSTARR settings
[RandomInsertionBatch(...), RandomTranslocationBatch(...), RandomDeletionBatch(...)]
>>> [entry.name for entry in augment.catalogue()]
['deletion', 'insertion', 'inversion', 'mutation', 'noise', 'rc', 'translocation']
"""

from __future__ import annotations

import dataclasses
from typing import Any

from evoaug_tf.augment.base import _REGISTRY, AugmentBase, Parameter

__all__ = [
    "PAPER_LETTER_ORDER",
    "Entry",
    "catalogue",
    "names",
    "entry",
    "get",
    "search_values",
    "from_values",
    "from_letters",
]

#: The paper's letter codes in the order its augment lists apply them (EvoAug-TF, DeepSTARR: "RITDMN").
PAPER_LETTER_ORDER = "RITDMN"


@dataclasses.dataclass(frozen=True)
class Entry:
    """One augmentation of the catalogue.

    Attributes
    ----------
    name : str
        Catalogue name, e.g. ``"deletion"``.
    sequence_class : type
        Sequence-mode class, e.g. ``RandomDeletion``.
    batch_class : type or None
        Batch-mode class, e.g. ``RandomDeletionBatch``; None for mutation and noise.
    letter : str or None
        The paper's letter code (R, I, T, D, M, N); None for inversion.
    parameters : tuple of Parameter
        Constructor arguments with widget ranges, steps and the paper's search values.
    defaults : dict
        Constructor defaults (from the class' ``__init__``).
    paper_settings : dict
        Constructor arguments of the paper's DeepSTARR runs.
    """

    name: str
    sequence_class: type[AugmentBase]
    batch_class: type[AugmentBase] | None
    letter: str | None
    parameters: tuple[Parameter, ...]
    defaults: dict
    paper_settings: dict

    @property
    def has_batch_mode(self) -> bool:
        """Whether a batch-mode class exists (not for mutation and noise)."""
        return self.batch_class is not None

    def cls(self, batch_mode: bool = False) -> type[AugmentBase]:
        """The class for ``batch_mode`` (the sequence-mode class when there is no batch form)."""
        return self.sequence_class.mode_class(batch_mode)

    def build(self, batch_mode: bool = False, **params: Any) -> AugmentBase:
        """An instance with ``params`` over the defaults."""
        return self.cls(batch_mode)(**params)

    def controls(self) -> list[dict]:
        """Widget controls: a ``*_min``/``*_max`` pair is one ``"int_range"``, any other parameter one value.

        Returns
        -------
        list of dict
            Each with ``label``, ``kind`` (``"int_range"``, ``"int"`` or ``"float"``), ``keys`` (the constructor
            arguments it sets), ``min``, ``max``, ``step`` and ``default`` (a pair for ``"int_range"``).
        """
        controls, by_name = [], {parameter.name: parameter for parameter in self.parameters}
        for parameter in self.parameters:
            if parameter.role == "max" and parameter.name[: -len("max")] + "min" in by_name:
                continue  # drawn with its *_min
            partner = by_name.get(parameter.name[: -len("min")] + "max") if parameter.role == "min" else None
            control = {"label": parameter.label, "min": parameter.low, "max": parameter.high, "step": parameter.step}
            if partner is not None:
                keys = (parameter.name, partner.name)
                control.update(kind="int_range", keys=keys, default=tuple(self.defaults[key] for key in keys))
            else:
                control.update(kind=parameter.kind, keys=(parameter.name,), default=self.defaults[parameter.name])
            controls.append(control)
        return controls


def _entry(cls: type[AugmentBase]) -> Entry:
    return Entry(
        name=str(cls.name),  # catalogued classes have one
        sequence_class=cls,
        batch_class=cls.batch_class(),
        letter=cls.letter,
        parameters=tuple(cls.parameters),
        defaults=cls.default_params(),
        paper_settings=dict(cls.paper_settings),
    )


def catalogue() -> list[Entry]:
    """Every catalogued augmentation, sorted by name.

    Returns
    -------
    list of Entry
        Built-in augmentations and any class of your own that sets ``name`` (see CONTRIBUTING.md).
    """
    return [_entry(_REGISTRY[name]) for name in sorted(_REGISTRY)]


def names() -> list[str]:
    """Catalogue names, sorted: ``['deletion', 'insertion', ...]``."""
    return sorted(_REGISTRY)


def entry(name: str) -> Entry:
    """The catalogue entry of ``name``.

    ``name`` is a catalogue name (``"deletion"``), a class name (``"RandomDeletion"``, ``"RandomDeletionBatch"``)
    or a paper letter (``"D"``).
    """
    if isinstance(name, str):
        if name in _REGISTRY:
            return _entry(_REGISTRY[name])
        for cls in _REGISTRY.values():
            batch = cls.batch_class()
            if name in (cls.__name__, cls.letter) or (batch is not None and name == batch.__name__):
                return _entry(cls)
    raise ValueError(
        f"Expected `name` to be an augmentation name ({', '.join(names())}), a class name such as "
        f"'RandomDeletion' or a paper letter ({PAPER_LETTER_ORDER}). Received: name={name!r}"
    )


def get(name: str, batch_mode: bool = False, **params: Any) -> AugmentBase:
    """Build an augmentation by name.

    Parameters
    ----------
    name : str
        Catalogue name (``"deletion"``), class name (``"RandomDeletion"``) or paper letter (``"D"``).
    batch_mode : bool
        Build the batch-mode form (``RandomDeletionBatch``); mutation and noise have none and are
        returned as they are. A batch class name (``"RandomDeletionBatch"``) means batch mode.
    **params
        Constructor arguments; the others keep the class defaults.

    Returns
    -------
    AugmentBase

    Examples
    --------
    >>> get("deletion", delete_max=30)
    RandomDeletion(delete_min=0, delete_max=30, seed=None)
    """
    if not isinstance(batch_mode, bool):
        raise ValueError(f"Expected `batch_mode` to be True or False. Received: batch_mode={batch_mode!r}")
    found = entry(name)
    batch_mode = batch_mode or (found.batch_class is not None and name == found.batch_class.__name__)
    known = {parameter.name for parameter in found.parameters} | {"seed"}
    unknown = sorted(set(params) - known)
    if unknown:
        raise ValueError(
            f"Expected parameters of {found.sequence_class.__name__} among {sorted(known)}. "
            f"Received: {', '.join(f'{key}={params[key]!r}' for key in unknown)}"
        )
    return found.build(batch_mode, **params)


def search_values() -> dict[str, list]:
    """The paper's hyperparameter search grid, per constructor argument, in the paper's letter order.

    Returns
    -------
    dict
        ``{"rc_prob": [0.0, ..., 0.5], "insert_max": [0, 10, ..., 50], "shift_max": [...], "delete_max": [...],
        "mutate_frac": [...], "noise_std": [...]}``; a 0 drops that augmentation (see :func:`from_values`).
        ``max_augs_per_seq`` belongs to ``RobustModel``, not to an augmentation, and is not included.
    """
    values = {}
    for letter in PAPER_LETTER_ORDER:
        for parameter in entry(letter).parameters:
            if parameter.search:
                values[parameter.name] = list(parameter.search)
    return values


def from_values(values: dict[str, Any], batch_mode: bool = False) -> list[AugmentBase]:
    """The augment list a search configuration describes, in the paper's order; a 0 (or missing) drops one.

    Parameters
    ----------
    values : dict
        Searched arguments (keys of :func:`search_values`), e.g. ``{"insert_max": 20, "rc_prob": 0.3}``.
        The other arguments keep the class defaults (range minimums 0, ``noise_mean`` 0).
    batch_mode : bool
        Batch-mode forms where they exist.

    Returns
    -------
    list of AugmentBase
        e.g. ``[RandomRC(rc_prob=0.3), RandomInsertion(insert_min=0, insert_max=20)]``.
    """
    searched = search_values()
    unknown = sorted(set(values) - set(searched))
    if unknown:
        raise ValueError(f"Expected keys among {sorted(searched)}. Received unknown keys: {unknown}")
    augmentations = []
    for letter in PAPER_LETTER_ORDER:
        found = entry(letter)
        for parameter in found.parameters:
            value = values.get(parameter.name, 0)
            if parameter.name in searched and value:
                value = int(value) if parameter.kind == "int" else float(value)
                augmentations.append(found.build(batch_mode, **{parameter.name: value}))
    return augmentations


def from_letters(letters: str = "ITD", batch_mode: bool = False) -> list[AugmentBase]:
    """The paper's augment list for a letter code such as ``"ITD"`` or ``"RITDMN"``, in the order given.

    With the paper's DeepSTARR settings: R (reverse-complement, rc_prob 0.5), I (insertion 0-20),
    T (translocation 0-20), D (deletion 0-30), M (mutation 0.05), N (noise, sd 0.3).

    Parameters
    ----------
    letters : str
        Upper-case letters from ``"RITDMN"``, each at most once.
    batch_mode : bool
        Batch-mode forms of R, I, T and D (EvoAug-TF's batch mode); M and N are per position anyway.

    Returns
    -------
    list of AugmentBase
    """
    by_letter = {cls.letter: cls for cls in _REGISTRY.values() if cls.letter}
    known = "".join(letter for letter in PAPER_LETTER_ORDER if letter in by_letter)
    known += "".join(sorted(set(by_letter) - set(PAPER_LETTER_ORDER)))
    if (
        not isinstance(letters, str)
        or not letters
        or set(letters) - set(by_letter)
        or len(set(letters)) != len(letters)
    ):
        raise ValueError(
            f"Expected `letters` to be distinct letters from {known!r} (e.g. 'ITD'). Received: letters={letters!r}"
        )
    if not isinstance(batch_mode, bool):
        raise ValueError(f"Expected `batch_mode` to be True or False. Received: batch_mode={batch_mode!r}")
    return [_entry(by_letter[letter]).build(batch_mode, **by_letter[letter].paper_settings) for letter in letters]
