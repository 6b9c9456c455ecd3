"""EvoAug-TF: evolution-inspired data augmentation for genomic deep learning (TensorFlow, Keras 3).

Public API::

    from evoaug_tf import augment, evoaug     # the evoaug-tf 1.0.3 imports still work
    from evoaug_tf import RobustModel
"""

from evoaug_tf import augment

__version__ = "2.0.0.dev0"

__all__ = ["augment", "__version__"]
