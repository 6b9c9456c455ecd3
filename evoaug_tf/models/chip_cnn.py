"""The CNN used for ChIP-seq peak classification in the EvoAug study (200 nt, binary)."""

from __future__ import annotations

import keras
from keras import layers

__all__ = ["ChIPCNN"]


def ChIPCNN(
    input_shape: tuple[int, int] = (200, 4),
    output_shape: int = 1,
    name: str = "chip_cnn",
    batchnorm_momentum: float = 0.99,
) -> keras.Model:
    """Build the ChIP-seq CNN.

    Conv1D(64, 7)-BN-ReLU-Dropout(0.2)-MaxPool(4); Conv1D(96, 5)-BN-ReLU-MaxPool(4)-Dropout(0.2);
    Conv1D(128, 5)-BN-ReLU-MaxPool(5)-Dropout(0.2); Flatten; Dense(256)-BN-ReLU-Dropout(0.5);
    Dense(output_shape, sigmoid).

    Parameters
    ----------
    input_shape : tuple
        ``(L, 4)``; 200 for the ChIP-seq sets (220 with insertions up to 20).
    output_shape : int
        Number of binary tasks (1).

    batchnorm_momentum : float
        Momentum of the BatchNorm moving statistics. 0.99 (Keras' default, as in the paper) suits
        large training sets; with few steps per epoch (a few thousand sequences) the moving
        statistics lag behind the weights and validation losses jump: use 0.9 there.

    Returns
    -------
    keras.Model
        Takes ``(N, L, 4)`` float one-hot, returns ``(N, output_shape)`` probabilities.
    """
    inputs = keras.Input(shape=tuple(input_shape), name="sequence")
    x = layers.Conv1D(64, 7, padding="same", name="conv1")(inputs)
    x = layers.BatchNormalization(momentum=batchnorm_momentum, name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.Dropout(0.2, name="conv1_dropout")(x)
    x = layers.MaxPooling1D(4, name="conv1_pool")(x)
    for block, (filters, pool) in enumerate(((96, 4), (128, 5)), start=2):
        x = layers.Conv1D(filters, 5, padding="same", name=f"conv{block}")(x)
        x = layers.BatchNormalization(momentum=batchnorm_momentum, name=f"conv{block}_bn")(x)
        x = layers.Activation("relu", name=f"conv{block}_relu")(x)
        x = layers.MaxPooling1D(pool, name=f"conv{block}_pool")(x)
        x = layers.Dropout(0.2, name=f"conv{block}_dropout")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(256, name="dense")(x)
    x = layers.BatchNormalization(momentum=batchnorm_momentum, name="dense_bn")(x)
    x = layers.Activation("relu", name="dense_relu")(x)
    x = layers.Dropout(0.5, name="dense_dropout")(x)
    outputs = layers.Dense(output_shape, activation="sigmoid", name="binding")(x)
    return keras.Model(inputs, outputs, name=name)
