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

from evoaug_tf.augment.base import AugmentBase, Parameter, deserialize, register, serialize
from evoaug_tf.augment.lookup import Entry, catalogue, entry, from_letters, get, names
from evoaug_tf.augment.deletion import RandomDeletion, RandomDeletionBatch
from evoaug_tf.augment.insertion import RandomInsertion, RandomInsertionBatch
from evoaug_tf.augment.inversion import RandomInversion, RandomInversionBatch
from evoaug_tf.augment.mutation import RandomMutation
from evoaug_tf.augment.noise import RandomNoise
from evoaug_tf.augment.reverse_complement import RandomRC, RandomRCBatch
from evoaug_tf.augment.translocation import RandomTranslocation, RandomTranslocationBatch

#: Modules of this folder that are not augmentations.
_SUPPORT_MODULES = {"base", "lookup", "ops"}

# Any other augmentation module (a new file) is imported and its catalogued classes exported.
for _module in pkgutil.iter_modules(__path__):
    if _module.name.startswith("_") or _module.name in _SUPPORT_MODULES:
        continue
    importlib.import_module(f"{__name__}.{_module.name}")

_AUGMENTATION_CLASSES = {}
for _entry in catalogue():
    for _cls in (_entry.sequence_class, _entry.batch_class):
        if _cls is not None and _cls.__module__.startswith(f"{__name__}."):
            _AUGMENTATION_CLASSES[_cls.__name__] = _cls
globals().update(_AUGMENTATION_CLASSES)

__all__ = [
    "AugmentBase",
    "Entry",
    "Parameter",
    *sorted(_AUGMENTATION_CLASSES),
    "catalogue",
    "deserialize",
    "entry",
    "from_letters",
    "get",
    "names",
    "register",
    "serialize",
]

del _cls, _entry, _module
