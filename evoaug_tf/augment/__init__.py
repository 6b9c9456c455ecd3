"""EvoAug augmentations: evolution-inspired, label-preserving changes to one-hot DNA.

Every augmentation takes a ``(N, L, A)`` batch (A = 4, ACGT order) and returns the
augmented batch. Classes ending in ``Batch`` draw one set of parameters for the
whole mini-batch (EvoAug-TF's batch mode); the others draw per sequence.

>>> from evoaug_tf import augment
>>> aug = augment.RandomDeletion(delete_min=0, delete_max=30)
>>> x_aug = aug(x)                      # (N, L, 4) -> (N, L, 4)
"""

from evoaug_tf.augment.base import AugmentBase, deserialize, serialize
from evoaug_tf.augment.deletion import RandomDeletion, RandomDeletionBatch
from evoaug_tf.augment.insertion import RandomInsertion, RandomInsertionBatch
from evoaug_tf.augment.inversion import RandomInversion, RandomInversionBatch
from evoaug_tf.augment.mutation import RandomMutation
from evoaug_tf.augment.noise import RandomNoise
from evoaug_tf.augment.reverse_complement import RandomRC, RandomRCBatch
from evoaug_tf.augment.translocation import RandomTranslocation, RandomTranslocationBatch

__all__ = [
    "AugmentBase",
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
    "deserialize",
    "serialize",
]
