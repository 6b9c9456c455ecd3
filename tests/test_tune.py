"""Ray Tune search: config -> augment list, and tiny ASHA and PBT searches on 2 CPU cores."""

import keras
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
    assert [type(a) for a in augs] == [augment.RandomRC, augment.RandomTranslocation, augment.RandomDeletion,
                                       augment.RandomNoise]
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


@pytest.fixture(scope="module")
def ray_session():
    import sys

    import ray
    from ray import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import this test module

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


@pytest.mark.slow
@pytest.mark.parametrize("scheduler", ["asha", "pbt"])
def test_tiny_search_runs(ray_session, scheduler, tmp_path):
    data = datasets.make_synthetic_deepstarr(n=250, seed=0)
    small = {"max_augs_per_seq": [1, 2], "insert_max": [0, 10], "shift_max": [0, 10], "delete_max": [0, 10]}
    result = evotune.run_search(
        data, scheduler, num_samples=2, values=small, protocol=Protocol(epochs=2, finetune_epochs=1, batch_size=50),
        model_func=tiny_cnn, finetune=scheduler == "asha", storage_path=str(tmp_path), perturbation_interval=1,
    )
    assert len(result.table) == 2 and "error" not in result.table
    assert set(result.best_config) == set(small)
    assert -1 <= result.best_metrics["val_pearson_r"] <= 1
    assert all("val_loss" in history for history in result.histories.values())
