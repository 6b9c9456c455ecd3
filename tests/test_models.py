"""The paper's architectures, layer by layer."""

import keras
import numpy as np
import pytest

from evoaug_tf.models import ChIPCNN, DeepSTARR


def layer_summary(model, kind):
    return [layer for layer in model.layers if isinstance(layer, kind)]


def test_deepstarr_architecture():
    model = DeepSTARR((249, 4), 2)
    convs = layer_summary(model, keras.layers.Conv1D)
    assert [(c.filters, c.kernel_size[0], c.padding) for c in convs] == [
        (256, 7, "same"),
        (60, 3, "same"),
        (60, 5, "same"),
        (120, 3, "same"),
    ]
    assert len(layer_summary(model, keras.layers.MaxPooling1D)) == 4
    assert len(layer_summary(model, keras.layers.BatchNormalization)) == 6
    dense = layer_summary(model, keras.layers.Dense)
    assert [d.units for d in dense] == [256, 256, 2]
    assert dense[-1].activation is keras.activations.linear
    assert [d.rate for d in layer_summary(model, keras.layers.Dropout)] == [0.4, 0.4]
    assert model.output_shape == (None, 2)
    # 249 -> 124 -> 62 -> 31 -> 15 positions, x 120 filters into the first dense layer
    assert dense[0].kernel.shape == (15 * 120, 256)


def test_deepstarr_with_insertion_padding():
    assert DeepSTARR((269, 4)).predict(np.zeros((2, 269, 4), "float32"), verbose=0).shape == (2, 2)


def test_chip_cnn_architecture():
    model = ChIPCNN((200, 4))
    convs = layer_summary(model, keras.layers.Conv1D)
    assert [(c.filters, c.kernel_size[0]) for c in convs] == [(64, 7), (96, 5), (128, 5)]
    assert [p.pool_size[0] for p in layer_summary(model, keras.layers.MaxPooling1D)] == [4, 4, 5]
    assert [d.rate for d in layer_summary(model, keras.layers.Dropout)] == [0.2, 0.2, 0.2, 0.5]
    dense = layer_summary(model, keras.layers.Dense)
    assert [d.units for d in dense] == [256, 1]
    assert dense[-1].activation is keras.activations.sigmoid
    out = model.predict(np.zeros((3, 200, 4), "float32"), verbose=0)
    assert out.shape == (3, 1) and np.all((out >= 0) & (out <= 1))


@pytest.mark.parametrize("factory", [DeepSTARR, ChIPCNN])
def test_output_size(factory):
    assert factory((120, 4), 5).output_shape == (None, 5)
