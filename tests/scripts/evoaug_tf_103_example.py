"""A training script written for evoaug-tf 1.0.3, in the style of its README; run unchanged by the tests.

``python evoaug_tf_103_example.py OUT.json`` trains a small model on random DNA: stage 1 with
augmentations, ``finetune_mode``, stage 2, then ``predict``. Only the 1.0.3 API is used (no
``subset_mode``). The model's first layer, ``SeenBatch``, notes for each training mini-batch which
sequences arrived with Gaussian noise (values other than 0 and 1); OUT.json gets one list of flags
per mini-batch and stage, so a test can tell whether the augmentations were drawn per mini-batch
(1.0.3's behaviour: every sequence of a batch gets the same one) or per sequence.
"""

import json
import sys

import numpy as np
import tensorflow as tf
from tensorflow import keras

from evoaug_tf import augment, evoaug

L, A = 60, 4
N_TRAIN, N_VALID, BATCH_SIZE = 192, 32, 16


class SeenBatch(keras.layers.Layer):
    """Passes its input through; in training keeps, per sequence, whether it is off one-hot (noise)."""

    def build(self, input_shape):
        self.noisy = self.add_weight(name="noisy", shape=(BATCH_SIZE,), initializer="zeros", trainable=False)

    def call(self, inputs, training=False):
        if training:
            off_onehot = tf.reduce_any(tf.abs(inputs - tf.round(inputs)) > 1e-4, axis=[1, 2])
            self.noisy.assign(tf.cast(off_onehot, self.noisy.dtype))
        return inputs


def model_func(input_shape):
    inputs = keras.Input(shape=input_shape)
    x = SeenBatch(name="seen_batch")(inputs)
    x = keras.layers.Conv1D(8, 5, activation="relu")(x)
    x = keras.layers.GlobalMaxPooling1D()(x)
    outputs = keras.layers.Dense(1)(x)
    return keras.Model(inputs=inputs, outputs=outputs)


class RecordBatches(keras.callbacks.Callback):
    def __init__(self, log):
        super().__init__()
        self.log = log

    def on_train_batch_end(self, batch, logs=None):
        layer = self.model.model.get_layer("seen_batch")
        self.log.append([int(flag) for flag in layer.noisy.numpy()])


def random_dna(n, rng):
    return np.eye(A, dtype="float32")[rng.integers(0, A, size=(n, L))]


def main(out_path):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x_train, x_valid = random_dna(N_TRAIN, rng), random_dna(N_VALID, rng)
    y_train = x_train[:, :, 0].mean(axis=1, keepdims=True)
    y_valid = x_valid[:, :, 0].mean(axis=1, keepdims=True)

    input_shape = (L, A)
    augment_list = [
        augment.RandomRC(rc_prob=0.5),
        augment.RandomNoise(noise_mean=0, noise_std=0.3),
    ]
    model = evoaug.RobustModel(model_func, input_shape, augment_list=augment_list, max_augs_per_seq=1, hard_aug=True)
    model.compile(keras.optimizers.Adam(learning_rate=0.001, weight_decay=1e-6), loss="mse")

    stage1, stage2 = [], []
    es_callback = keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, restore_best_weights=True)
    model.fit(
        x_train,
        y_train,
        epochs=3,
        batch_size=BATCH_SIZE,
        shuffle=True,
        validation_data=(x_valid, y_valid),
        callbacks=[es_callback, RecordBatches(stage1)],
        verbose=0,
    )

    finetune_optimizer = keras.optimizers.Adam(learning_rate=0.0001, weight_decay=1e-6)
    model.finetune_mode(optimizer=finetune_optimizer)
    model.fit(
        x_train,
        y_train,
        epochs=1,
        batch_size=BATCH_SIZE,
        shuffle=True,
        validation_data=(x_valid, y_valid),
        callbacks=[RecordBatches(stage2)],
        verbose=0,
    )

    predictions = model.predict(x_valid, batch_size=BATCH_SIZE, verbose=0)
    with open(out_path, "w") as handle:
        json.dump(
            {
                "stage1_noisy": stage1,
                "stage2_noisy": stage2,
                "predictions_shape": list(predictions.shape),
                "predictions_finite": bool(np.isfinite(predictions).all()),
            },
            handle,
        )


if __name__ == "__main__":
    main(sys.argv[1])
