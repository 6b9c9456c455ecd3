"""DeepSTARR (de Almeida et al., Nat Genet 2022): enhancer activity from 249 nt, two tasks."""

from __future__ import annotations

import keras
from keras import layers

__all__ = ["CONV_BLOCKS", "DENSE_UNITS", "DROPOUT", "DeepSTARR"]

#: (filters, kernel size) of the four convolutional blocks.
CONV_BLOCKS = ((256, 7), (60, 3), (60, 5), (120, 3))
DENSE_UNITS = (256, 256)
DROPOUT = 0.4


def DeepSTARR(
    input_shape: tuple[int, int] = (249, 4),
    output_shape: int = 2,
    name: str = "deepstarr",
    batchnorm_momentum: float = 0.99,
) -> keras.Model:
    """Build the DeepSTARR CNN.

    Four blocks of Conv1D (same padding) -> BatchNorm -> ReLU -> MaxPool(2) with
    (256, 7), (60, 3), (60, 5), (120, 3); Flatten; two blocks of Dense(256) ->
    BatchNorm -> ReLU -> Dropout(0.4); a linear Dense output.

    Parameters
    ----------
    input_shape : tuple
        ``(L, 4)``; ``L`` is 249 for DeepSTARR (269 with EvoAug insertions up to 20).
    output_shape : int
        Number of tasks (2: developmental and housekeeping activity).

    batchnorm_momentum : float
        Momentum of the BatchNorm moving statistics. 0.99 (Keras' default, as in the paper) suits
        large training sets; with few steps per epoch (a few thousand sequences) the moving
        statistics lag behind the weights and validation losses jump: use 0.9 there.

    Returns
    -------
    keras.Model
        Takes ``(N, L, 4)`` float one-hot, returns ``(N, output_shape)``.
    """
    inputs = keras.Input(shape=tuple(input_shape), name="sequence")
    x = inputs
    for block, (filters, kernel_size) in enumerate(CONV_BLOCKS, start=1):
        x = layers.Conv1D(filters, kernel_size, padding="same", name=f"conv{block}")(x)
        x = layers.BatchNormalization(momentum=batchnorm_momentum, name=f"conv{block}_bn")(x)
        x = layers.Activation("relu", name=f"conv{block}_relu")(x)
        x = layers.MaxPooling1D(2, name=f"conv{block}_pool")(x)
    x = layers.Flatten(name="flatten")(x)
    for block, units in enumerate(DENSE_UNITS, start=1):
        x = layers.Dense(units, name=f"dense{block}")(x)
        x = layers.BatchNormalization(momentum=batchnorm_momentum, name=f"dense{block}_bn")(x)
        x = layers.Activation("relu", name=f"dense{block}_relu")(x)
        x = layers.Dropout(DROPOUT, name=f"dense{block}_dropout")(x)
    outputs = layers.Dense(output_shape, activation="linear", name="activity")(x)
    return keras.Model(inputs, outputs, name=name)
