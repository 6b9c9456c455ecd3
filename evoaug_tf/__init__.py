"""EvoAug-TF: evolution-inspired data augmentation for genomic deep learning (TensorFlow, Keras 3).

Public API::

    from evoaug_tf import augment, evoaug          # the evoaug-tf 1.0.3 imports still work
    from evoaug_tf import RobustModel, train_two_stage
    from evoaug_tf import models, metrics          # DeepSTARR, ChIP-seq CNN; Pearson/Spearman
    from evoaug_tf import datasets, viz, attribution   # loaded on first use
"""

import importlib

from evoaug_tf import augment, evoaug, metrics, models
from evoaug_tf.evoaug import RobustModel
from evoaug_tf.training import PAPER_PROTOCOL, Protocol, train_two_stage

__version__ = "2.0.0.dev0"

_LAZY = ("datasets", "viz", "attribution", "tune", "demo")

__all__ = [
    "PAPER_PROTOCOL",
    "Protocol",
    "RobustModel",
    "augment",
    "evoaug",
    "metrics",
    "models",
    "train_two_stage",
    "__version__",
    *_LAZY,
]


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f"evoaug_tf.{name}")
    raise AttributeError(f"module 'evoaug_tf' has no attribute {name!r}")
