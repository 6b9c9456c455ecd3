"""A per-step bar inside long epochs when Keras prints one line per epoch (``verbose=2``)."""

import keras
import numpy as np

from evoaug_tf.training import StepProgress, progress_callbacks


def _tiny_model():
    inputs = keras.Input((8, 4))
    model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Flatten()(inputs)))
    model.compile("adam", "mse")
    return model


def test_the_bar_counts_every_step_of_a_long_epoch(capsys):
    x = np.zeros((12, 8, 4), "float32")
    progress = StepProgress(min_steps=3)
    _tiny_model().fit(x, np.zeros((12, 1)), batch_size=2, epochs=1, verbose=0, callbacks=[progress])
    err = capsys.readouterr().err
    assert "epoch 1:" in err and "/6 [" in err
    assert progress.counted == 6 and progress._bar is None


def test_short_epochs_show_no_bar(capsys):
    x = np.zeros((4, 8, 4), "float32")
    _tiny_model().fit(x, np.zeros((4, 1)), batch_size=2, epochs=1, verbose=0, callbacks=[StepProgress(min_steps=3)])
    assert "epoch 1" not in capsys.readouterr().err


def test_only_one_line_per_epoch_asks_for_the_bar():
    assert [type(c) for c in progress_callbacks(2)] == [StepProgress]
    assert progress_callbacks(0) == [] and progress_callbacks(1) == [] and progress_callbacks("auto") == []
