"""Ray Tune search: config -> augment list, and tiny ASHA and PBT searches on 2 CPU cores."""

import keras
import pandas as pd
import pytest

from evoaug_tf import augment, datasets
from evoaug_tf import tune as evotune
from evoaug_tf.training import Protocol

pytest.importorskip("ray.tune")


def tiny_cnn(input_shape, output_shape=2):
    inputs = keras.Input(input_shape)
    x = keras.layers.Conv1D(4, 5, padding="same", activation="relu")(inputs)
    x = keras.layers.GlobalMaxPooling1D()(x)
    return keras.Model(inputs, keras.layers.Dense(output_shape)(x))


def test_config_to_augment_list_keeps_order_and_drops_zeros():
    augs = evotune.augment_list_from_config(
        {"rc_prob": 0.3, "insert_max": 0, "shift_max": 10, "delete_max": 20, "mutate_frac": 0.0, "noise_std": 0.1}
    )
    assert [type(a) for a in augs] == [
        augment.RandomRC,
        augment.RandomTranslocation,
        augment.RandomDeletion,
        augment.RandomNoise,
    ]
    assert (augs[0].rc_prob, augs[1].shift_max, augs[2].delete_max, augs[3].noise_std) == (0.3, 10, 20, 0.1)
    batch = evotune.augment_list_from_config({"insert_max": 10, "rc_prob": 0.5}, batch_mode=True)
    assert [type(a) for a in batch] == [augment.RandomRCBatch, augment.RandomInsertionBatch]
    assert evotune.augment_list_from_config({}) == []


def test_bad_config_key():
    with pytest.raises(ValueError, match="unknown keys.*'shift'"):
        evotune.augment_list_from_config({"shift": 10})


def test_paper_search_space():
    values = evotune.SEARCH_VALUES
    assert values["max_augs_per_seq"] == [1, 2, 3, 4]
    assert values["insert_max"] == [0, 10, 20, 30, 40, 50] == values["delete_max"] == values["shift_max"]
    assert values["noise_std"][-1] == 0.35 and values["mutate_frac"][-1] == 0.35
    assert set(evotune.search_space()) == set(values)


def test_init_ray_runs_workers_at_normal_priority_unless_asked(monkeypatch):
    """Ray's workers default to nice 15, which starves a search beside any other work; init_ray asks for 0."""
    import ray

    seen = []
    monkeypatch.setattr(ray, "init", lambda **kwargs: seen.append(kwargs))
    evotune.init_ray(num_cpus=1)
    evotune.init_ray(num_cpus=1, _system_config={"worker_niceness": 15})
    assert seen[0]["_system_config"] == {"worker_register_timeout_seconds": 600, "worker_niceness": 0}
    assert seen[1]["_system_config"]["worker_niceness"] == 15 and seen[1]["num_cpus"] == 1


@pytest.fixture(scope="module")
def ray_session():
    import sys

    import ray
    from ray import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import this test module

    evotune.init_ray(num_cpus=2, log_to_driver=False)  # tries again if a busy machine times out Ray's start-up
    yield
    ray.shutdown()


@pytest.mark.slow
@pytest.mark.timeout(3600)  # a hang guard only (a Ray that never starts a worker waits forever)
@pytest.mark.parametrize("scheduler", ["asha", "pbt"])
def test_tiny_search_runs(ray_session, scheduler, tmp_path):
    data = datasets.make_synthetic_deepstarr(n=250, seed=0)
    small = {"max_augs_per_seq": [1, 2], "insert_max": [0, 10], "shift_max": [0, 10], "delete_max": [0, 10]}
    result = evotune.run_search(
        data,
        scheduler,
        num_samples=2,
        values=small,
        protocol=Protocol(epochs=2, finetune_epochs=1, batch_size=50),
        model_func=tiny_cnn,
        finetune=scheduler == "asha",
        storage_path=str(tmp_path),
        perturbation_interval=1,
    )
    assert len(result.table) == 2 and "error" not in result.table
    assert set(result.best_config) == set(small)
    assert -1 <= result.best_metrics["val_pearson_r"] <= 1
    assert all("val_loss" in history for history in result.histories.values())


def flat_cnn(input_shape, output_shape=2):
    """Its dense layer's weights depend on the input length, like DeepSTARR's."""
    inputs = keras.Input(input_shape)
    x = keras.layers.Conv1D(4, 5, padding="same", activation="relu", name="conv1")(inputs)
    x = keras.layers.MaxPooling1D(4, name="pool1")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    return keras.Model(inputs, keras.layers.Dense(output_shape, name="dense1")(x))


@pytest.mark.slow  # about 1 s: the slow tier
def test_weights_move_between_trials_with_different_insert_max(tmp_path):
    import numpy as np

    values = {"insert_max": [0, 10, 20]}
    length = 100 + evotune.largest_insertion(values)
    assert length == 120
    donor = evotune.build_trial_model({"insert_max": 20, "max_augs_per_seq": 1}, (100, 4), 2, flat_cnn, length)
    receiver = evotune.build_trial_model({"insert_max": 0, "shift_max": 10}, (100, 4), 2, flat_cnn, length)
    for trial, pads in ((donor, 0), (receiver, 20)):  # RobustModel pads by its insert_max, the search layer the rest
        padding = trial.model.get_layer("pad_to_search_length")
        assert padding.insert_max == pads and padding.output.shape[1] == length
    path = str(tmp_path / "network.weights.h5")
    donor.model.save_weights(path)
    receiver.model.load_weights(path)
    for mine, theirs in zip(receiver.model.weights, donor.model.weights):
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())
    x = np.eye(4, dtype="float32")[np.random.default_rng(0).integers(0, 4, (3, 100))]
    assert receiver.predict(x, verbose=0).shape == (3, 2)


def identity(input_shape):
    inputs = keras.Input(input_shape)
    return keras.Model(inputs, keras.layers.Identity()(inputs))


def test_search_padding_is_evoaugments_and_checks_length():
    """Trials pad to the search's length with EvoAugment's padding: pad_random, fixed at evaluation."""
    import numpy as np
    import tensorflow as tf

    from evoaug_tf.evoaug import EVAL_PADDING_STREAM, pad_random

    x = np.eye(4, dtype="float32")[np.random.default_rng(1).integers(0, 4, (2, 10))]
    network = evotune.fixed_length_model(identity, 15)((10, 4))
    padded = network(x, training=False).numpy()
    assert padded.shape == (2, 15, 4) and np.allclose(padded.sum(-1), 1)
    np.testing.assert_array_equal(padded[:, 2:12], x)  # floor(5 / 2) random positions before
    expected = pad_random(tf.constant(x), 5, tf.constant([0, EVAL_PADDING_STREAM], tf.int64)).numpy()
    np.testing.assert_array_equal(padded, expected)  # the package's one padding function, its evaluation seed
    np.testing.assert_array_equal(network(x, training=False).numpy(), padded)  # predictions repeat
    trained = network(x, training=True).numpy()
    assert trained.shape == (2, 15, 4) and np.allclose(trained.sum(-1), 1)
    np.testing.assert_array_equal(trained[:, 2:12], x)  # training pads too, never augments
    np.testing.assert_array_equal(evotune.fixed_length_model(identity, 10)((10, 4))(x).numpy(), x)
    with pytest.raises(ValueError, match="Received: length=0"):
        evotune.fixed_length_model(flat_cnn, 0)
    with pytest.raises(ValueError, match="input_shape"):
        evotune.fixed_length_model(flat_cnn, 50)((60, 4))


def test_trial_resources_share_the_gpu():
    assert evotune.trial_resources(2, gpus=1) == {"cpu": 1, "gpu": 0.5}
    assert evotune.trial_resources(4, gpus=0) == {"cpu": 1}
    with pytest.raises(ValueError, match="concurrent=0"):
        evotune.trial_resources(0)
    assert (
        evotune.estimate_seconds(1000, 4, Protocol(epochs=3, batch_size=100), 0.01, concurrent=2) == 4 * 30 * 0.01 / 2
    )


@pytest.mark.slow  # a real PBT search under Ray: about 60 s on a quiet machine
@pytest.mark.timeout(3600)  # a hang guard only
def test_pbt_exploits_across_insert_max(ray_session, tmp_path):
    """Two trials start at insert_max 0 and 20; every exploit flips it, so weights must cross lengths.

    Nothing here depends on timing: synchronous PBT (``synch=True``, run_search's default) perturbs only
    once both trials have reported an iteration, with a quantile of 0.5 one of the two always exploits the
    other, the loss is never NaN (a NaN score would leave a trial out of the ranking), and PBT perturbs
    nothing itself (``mutations={}``), so the new insert_max is always the donor's flipped.
    """
    from ray import tune

    data = datasets.make_synthetic_deepstarr(n=250, seed=0)
    values = {"insert_max": [0, 20]}
    result = evotune.run_search(
        data,
        "pbt",
        num_samples=1,
        metric="val_loss",
        mode="min",
        values=values,
        protocol=Protocol(epochs=4, batch_size=50),
        model_func=flat_cnn,
        storage_path=str(tmp_path),
        perturbation_interval=1,
        quantile_fraction=0.5,
        param_space={"insert_max": tune.grid_search([0, 20]), "max_augs_per_seq": 1},
        mutations={},
        explore=lambda config: {**config, "insert_max": 20 - config["insert_max"]},
        synch=True,
    )
    assert len(result.table) == 2 and "error" not in result.table
    rows = pd.concat(result.histories.values())
    print(rows[["training_iteration", "insert_max", "weights_from_insert_max", "stage", "val_loss"]])
    crossed = rows[rows["weights_from_insert_max"] != rows["insert_max"]]
    # The first perturbation point is iteration 1: one trial reports iteration 2 from the other's weights.
    assert 2 in set(crossed["training_iteration"]), "no trial continued from a checkpoint of a different insert_max"
    assert rows["training_iteration"].max() == 4


class _FakeCheckpoint:
    """Ray's Checkpoint, as far as the trainable uses it: a folder that outlives the report."""

    def __init__(self, folder):
        self.folder = folder

    @classmethod
    def from_directory(cls, folder):
        import shutil
        import tempfile

        copy = tempfile.mkdtemp(prefix="fake_checkpoint_")
        shutil.copytree(folder, copy, dirs_exist_ok=True)
        return cls(copy)

    def as_directory(self):
        import contextlib

        return contextlib.nullcontext(self.folder)


class _FakeTune:
    """Stands in for ``ray.tune`` inside one trial: records reports, hands out one checkpoint."""

    Checkpoint = _FakeCheckpoint

    def __init__(self, restored=None):
        self.restored = restored
        self.reports = []

    def get_checkpoint(self):
        return self.restored

    def report(self, metrics, checkpoint=None):
        self.reports.append((metrics, checkpoint))


@pytest.mark.slow  # trains two trials: about 12 s
def test_trial_resumes_from_a_checkpoint_of_another_insert_max(monkeypatch):
    """What a PBT exploit does, without Ray: a trial with insert_max 0 continues from one with 20."""
    data = datasets.make_synthetic_deepstarr(n=250, seed=0)
    trainable = evotune.make_trainable(
        data, Protocol(epochs=3, batch_size=50), flat_cnn, finetune=False, network_length=data.length + 20
    )
    donor = _FakeTune()
    monkeypatch.setattr(evotune, "_ray_tune", lambda: donor)
    trainable({"insert_max": 20, "shift_max": 10, "max_augs_per_seq": 1})
    assert len(donor.reports) == 3 and all(m["weights_from_insert_max"] == 20 for m, _ in donor.reports)

    receiver = _FakeTune(restored=donor.reports[0][1])  # the donor's checkpoint after its first epoch
    monkeypatch.setattr(evotune, "_ray_tune", lambda: receiver)
    trainable({"insert_max": 0, "shift_max": 10, "max_augs_per_seq": 1})
    assert len(receiver.reports) == 2, "resumes at the second of 3 epochs"
    metrics = receiver.reports[-1][0]
    assert (metrics["insert_max"], metrics["weights_from_insert_max"], metrics["stage"]) == (0, 20, 1)
    assert "val_loss" in metrics


@pytest.mark.slow  # about 4 s: the slow tier
def test_train_two_stage_continues_an_interrupted_run():
    """What a restored trial does: start in stage 2 at an epoch, or at a stage-1 epoch then finetune."""
    from evoaug_tf.evoaug import RobustModel
    from evoaug_tf.training import train_two_stage

    data = datasets.make_synthetic_deepstarr(n=250, seed=0)
    model = RobustModel(tiny_cnn, data.x_train.shape[1:], augment_list=augment.from_letters("T"), output_shape=2)
    model.compile("adam", loss="mse")
    train, valid = datasets.make_dataset(data.x_train, data.y_train, 50), (data.x_valid, data.y_valid)
    protocol = Protocol(epochs=3, finetune_epochs=2, batch_size=50)
    seen = []
    record = keras.callbacks.LambdaCallback(on_epoch_begin=lambda epoch, logs: seen.append((model.finetune, epoch)))
    first, second = train_two_stage(model, train, valid, protocol, callbacks=[record], verbose=0, initial_epoch=2)
    assert seen == [(False, 2), (True, 0), (True, 1)] and len(first.epoch) == 1 and len(second.epoch) == 2
    seen.clear()
    first, second = train_two_stage(
        model, train, valid, protocol, callbacks=[record], verbose=0, stage=2, initial_epoch=1
    )
    assert first is None and seen == [(True, 1)]
    with pytest.raises(ValueError, match="Received: stage=3"):
        train_two_stage(model, train, valid, protocol, stage=3)
    with pytest.raises(ValueError, match="Received: stage=2, finetune=False"):
        train_two_stage(model, train, valid, protocol, stage=2, finetune=False)
    with pytest.raises(ValueError, match="Received: initial_epoch=-1"):
        train_two_stage(model, train, valid, protocol, initial_epoch=-1)
