"""Model architectures from the EvoAug-TF paper, as functions ``f(input_shape, output_shape) -> keras.Model``."""

from evoaug_tf.models.chip_cnn import ChIPCNN
from evoaug_tf.models.deepstarr import DeepSTARR

__all__ = ["ChIPCNN", "DeepSTARR"]
