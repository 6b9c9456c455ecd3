"""RobustModel under tf.distribute.MirroredStrategy on two logical CPU devices (in a subprocess)."""

import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow  # trains in a subprocess under MirroredStrategy

SCRIPT = textwrap.dedent(
    """
    import numpy as np, tensorflow as tf, keras
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    from evoaug_tf import RobustModel, augment
    from evoaug_tf.models import DeepSTARR

    keras.utils.set_random_seed(0)
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    assert strategy.num_replicas_in_sync == 2
    x = np.eye(4, dtype="float32")[np.random.randint(0, 4, (128, 50))]
    y = np.random.randn(128, 2).astype("float32")
    with strategy.scope():
        augs = [augment.RandomInsertion(0, 8), augment.RandomTranslocation(0, 8), augment.RandomDeletion(0, 8)]
        model = RobustModel(DeepSTARR, (50, 4), augment_list=augs, max_augs_per_seq=2, hard_aug=True)
        model.compile(keras.optimizers.Adam(1e-3), loss="mse")
    history = model.fit(x, y, epochs=2, batch_size=32, validation_data=(x[:32], y[:32]), verbose=0)
    assert all(np.isfinite(v) and v > 0 for v in history.history["loss"]), history.history
    model.finetune_mode(learning_rate=1e-4)
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    assert model.predict(x[:10], verbose=0).shape == (10, 2)

    # each replica draws its own augmentations from the same input
    same = tf.constant(x[:16])
    per_replica = strategy.run(tf.function(lambda: model.augment(same)))
    a, b = [t.numpy() for t in strategy.experimental_local_results(per_replica)]
    assert a.shape == (16, 58, 4) and not np.array_equal(a, b)
    print("OK")
    """
)


def test_mirrored_strategy_two_logical_cpus():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0 and "OK" in result.stdout, result.stderr[-4000:]
