"""EvoAug augmentations: evolution-inspired, label-preserving changes to one-hot DNA.

Every augmentation takes a ``(N, L, A)`` batch (A = 4, ACGT order) and returns the
augmented batch. Classes ending in ``Batch`` draw one set of parameters for the
whole mini-batch (EvoAug-TF's batch mode); the others draw per sequence.

>>> from evoaug_tf import augment
>>> aug = augment.RandomDeletion(delete_min=0, delete_max=30)
>>> x_aug = aug(x)                      # (N, L, 4) -> (N, L, 4)
>>> augment.get("deletion", delete_max=30) == aug
True
>>> augment.from_letters("ITD")         # the paper's DeepSTARR settings
[RandomInsertion(...), RandomTranslocation(...), RandomDeletion(...)]

Every public module of this folder holds one augmentation (and its batch form) and is
imported here, so a new augmentation is one new file: its classes join the catalogue
(:func:`catalogue`) and this namespace without any edit here (see CONTRIBUTING.md).
"""

import importlib
import pkgutil

from evoaug_tf.augment._checks import Interval
from evoaug_tf.augment.base import AugmentBase, Parameter, check_parameters, deserialize, register, serialize
from evoaug_tf.augment.deletion import RandomDeletion, RandomDeletionBatch
from evoaug_tf.augment.insertion import RandomInsertion, RandomInsertionBatch
from evoaug_tf.augment.inversion import RandomInversion, RandomInversionBatch
from evoaug_tf.augment.lookup import Entry, catalogue, entry, from_letters, from_values, get, names, search_values
from evoaug_tf.augment.mutation import RandomMutation
from evoaug_tf.augment.noise import RandomNoise
from evoaug_tf.augment.reverse_complement import RandomRC, RandomRCBatch
from evoaug_tf.augment.translocation import RandomTranslocation, RandomTranslocationBatch

__all__ = [
    "AugmentBase",
    "Entry",
    "Interval",
    "Parameter",
    "RandomDeletion",
    "RandomDeletionBatch",
    "RandomInsertion",
    "RandomInsertionBatch",
    "RandomInversion",
    "RandomInversionBatch",
    "RandomMutation",
    "RandomNoise",
    "RandomRC",
    "RandomRCBatch",
    "RandomTranslocation",
    "RandomTranslocationBatch",
    "catalogue",
    "check_parameters",
    "deserialize",
    "entry",
    "from_letters",
    "from_values",
    "get",
    "names",
    "register",
    "search_values",
    "serialize",
]


def _import_new_augmentations() -> None:
    """Import every other augmentation module of this folder and export its catalogued classes.

    The seven built-ins are imported above by name (for readers and editors); a new file needs no edit here.
    """
    support = {"base", "lookup", "ops"}
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_") and module.name not in support:
            importlib.import_module(f"{__name__}.{module.name}")
    for found in catalogue():
        for cls in (found.sequence_class, found.batch_class):
            if cls is not None and cls.__module__.startswith(f"{__name__}.") and cls.__name__ not in __all__:
                globals()[cls.__name__] = cls
                __all__.append(cls.__name__)


_import_new_augmentations()
