"""One resolver from (size, dataset) to data and model; each fact stated once; one meaning of down-sampling;
one precedence between an explicit size and the environment."""

import inspect

import h5py
import numpy as np
import pytest

from evoaug_tf import datasets, experiments, published, recipes, sizes, tutorial
from evoaug_tf.commands import demo, reproduce, search
from evoaug_tf.datasets import registry
from evoaug_tf.models import ChIPCNN, DeepSTARR


@pytest.fixture
def no_size_env(monkeypatch):
    monkeypatch.delenv(sizes.SIZE_ENV, raising=False)
    monkeypatch.delenv(sizes.QUICK_ENV, raising=False)


# ----------------------------------------------------------------------------- one home for each fact


def test_the_factor_list_has_one_home():
    assert sizes.ALL_CHIP_FACTORS is registry.CHIP_TF_NAMES
    assert published.CHIP_FACTORS is registry.CHIP_TF_NAMES
    assert reproduce.CHIP_FACTORS is registry.CHIP_TF_NAMES
    assert published.DEEPSTARR_ALL == registry.DATASETS["DeepSTARR"].rows[0] == 402_278


def test_the_commands_write_no_recipe_of_their_own():
    for module in (demo, search, reproduce, tutorial.data):
        source = inspect.getsource(module)
        for written in ("/ 0.8", "make_synthetic_", "load_deepstarr(", "load_chip(", "partial(DeepSTARR", "ChIPCNN"):
            assert written not in source, f"{module.__name__} writes {written!r}: use evoaug_tf.recipes.resolve"


# ----------------------------------------------------------------------------- the resolver


@pytest.mark.parametrize("size_name", ["quick", "offline"])
@pytest.mark.parametrize("dataset, length, tasks", [("deepstarr", 249, 2), ("ctcf", 200, 1)])
def test_rows_are_those_of_the_loaded_data(size_name, dataset, length, tasks):
    recipe = recipes.resolve(size_name, dataset)
    data = recipe.load()
    assert recipe.rows() == (len(data.x_train), len(data.x_valid), len(data.x_test))
    assert len(data.x_train) == sizes.get(size_name).train_sequences
    assert data.x_train.shape[1:] == (length, 4) and data.y_train.shape[1] == tasks
    assert recipe.downloads == ()


@pytest.mark.parametrize("size_name", list(sizes.SIZES))
def test_model_protocol_and_task_follow_the_size_and_dataset(size_name):
    size = sizes.get(size_name)
    deepstarr, chip = recipes.resolve(size_name, "deepstarr"), recipes.resolve(size_name, "CTCF")
    assert deepstarr.model_func.func is DeepSTARR and chip.model_func.func is ChIPCNN
    assert deepstarr.model_func.keywords == {"batchnorm_momentum": size.batchnorm_momentum}
    assert deepstarr.protocol == chip.protocol == size.protocol
    assert deepstarr.task == experiments.REGRESSION and chip.task == experiments.BINARY
    assert tutorial.model_function("deepstarr", size_name).keywords == deepstarr.model_func.keywords


def test_published_rows_come_from_the_registry():
    assert recipes.resolve("class", "deepstarr").rows() == (50_000, 40_570, 41_186)
    assert recipes.resolve("paper", "deepstarr").rows() == registry.DEEPSTARR_ROWS
    assert recipes.resolve("paper", "ctcf").rows() == registry.CHIP_ROWS_ESTIMATE
    assert recipes.resolve("class", "deepstarr").downloads == ("deepstarr",)


def test_published_data_keeps_the_first_rows_or_random_ones(monkeypatch):
    full = datasets.make_synthetic_deepstarr(n=500, seed=3)
    monkeypatch.setattr(datasets, "load_deepstarr", lambda data_dir, **options: full)
    first = recipes.resolve("class", "deepstarr", train_sequences=100).load("unused")
    np.testing.assert_array_equal(first.x_train, full.x_train[:100])
    assert len(first.x_valid) == len(full.x_valid) and len(first.x_test) == len(full.x_test)
    drawn = recipes.resolve("class", "deepstarr", train_sequences=100, downsample_order="random", seed=2).load("x")
    expected = experiments.downsample_train(full, 100, order="random", seed=2)
    np.testing.assert_array_equal(drawn.x_train, expected.x_train)
    assert not np.array_equal(drawn.x_train, first.x_train)
    assert recipes.resolve("paper", "deepstarr").load("unused") is full


def test_tutorial_load_data_is_the_recipe(no_size_env):
    recipe = recipes.resolve("quick", "deepstarr", train_sequences=300)
    data = tutorial.load_data("deepstarr", "quick", downsample=300)
    np.testing.assert_array_equal(data.x_train, recipe.load().x_train)
    drawn = tutorial.load_data("deepstarr", "quick", downsample=300, downsample_order="random", seed=1)
    full = recipes.resolve("quick", "deepstarr", seed=1).load_full()
    np.testing.assert_array_equal(drawn.x_train, experiments.downsample_train(full, 300, "random", seed=1).x_train)
    assert len(drawn.x_train) == 300 and len(drawn.x_valid) == len(full.x_valid)


@pytest.mark.parametrize(
    "options, match",
    [
        ({"dataset": "starr"}, r"Expected dataset to be 'deepstarr' or a ChIP-seq factor .*Received: dataset='starr'"),
        ({"downsample_order": "last"}, r"Received: downsample_order='last'"),
        ({"train_sequences": 0}, r"Received: train_sequences=0"),
        ({"train_sequences": True}, r"Received: train_sequences=True"),
        ({"total_sequences": 2.5}, r"Received: total_sequences=2.5"),
        ({"size": "huge"}, r"Expected name to be one of quick, offline, class, paper\. Received: name='huge'"),
    ],
)
def test_bad_recipes_are_refused(options, match):
    options = {"size": "quick", "dataset": "deepstarr", **options}
    with pytest.raises(ValueError, match=match):
        recipes.resolve(options.pop("size"), options.pop("dataset"), **options)


# ----------------------------------------------------------------------------- one meaning of downsample


def _write_deepstarr(folder, rows=40):
    rng = np.random.default_rng(0)
    with h5py.File(folder / "DeepSTARR_data.h5", "w") as handle:
        for split, n in (("train", rows), ("valid", 5), ("test", 5)):
            handle.create_dataset(f"x_{split}", data=np.eye(4, dtype=np.uint8)[rng.integers(0, 4, (n, 249))])
            handle.create_dataset(f"y_{split}", data=rng.normal(size=(n, 2)).astype(np.float32))


def test_load_deepstarr_keeps_the_first_rows_unless_told(tmp_path):
    _write_deepstarr(tmp_path)
    full = datasets.load_deepstarr(tmp_path, download=False)
    first = datasets.load_deepstarr(tmp_path, downsample=10, download=False)
    np.testing.assert_array_equal(first.x_train, full.x_train[:10])
    np.testing.assert_array_equal(
        datasets.load_deepstarr(tmp_path, downsample=0.25, download=False).y_train, full.y_train[:10]
    )
    drawn = datasets.load_deepstarr(tmp_path, downsample=10, downsample_order="random", seed=4, download=False)
    np.testing.assert_array_equal(drawn.x_train, experiments.downsample_train(full, 10, "random", seed=4).x_train)
    # the earlier releases' random rows: the same draw as load_h5(downsample=, seed=)
    earlier = datasets.load_h5(tmp_path / "DeepSTARR_data.h5", downsample=10, seed=4)
    np.testing.assert_array_equal(drawn.x_train, earlier.x_train)
    with pytest.raises(ValueError, match=r"Received: downsample_order='last'"):
        datasets.load_deepstarr(tmp_path, downsample=10, downsample_order="last", download=False)
    with pytest.raises(ValueError, match=r"Received: downsample=0"):
        datasets.load_deepstarr(tmp_path, downsample=0, download=False)


# ----------------------------------------------------------------------------- one precedence


def test_an_explicit_size_beats_the_environment(monkeypatch):
    monkeypatch.setenv(sizes.SIZE_ENV, "quick")
    assert sizes.choose("offline") == (sizes.get("offline"), "name")
    assert sizes.get("offline").name == "offline"
    assert recipes.resolve("offline", "deepstarr").size.name == "offline"
    assert len(tutorial.load_data("deepstarr", "offline").x_train) == 5000


def test_the_environment_beats_a_default(monkeypatch):
    monkeypatch.setenv(sizes.SIZE_ENV, "quick")
    assert sizes.choose(None, default="class") == (sizes.get("quick"), sizes.SIZE_ENV)
    assert sizes.get(None).name == "quick" and recipes.resolve(None, "deepstarr").size.name == "quick"
    monkeypatch.delenv(sizes.SIZE_ENV)
    monkeypatch.setenv(sizes.QUICK_ENV, "1")
    assert sizes.choose(None, default="paper") == (sizes.get("quick"), sizes.QUICK_ENV)


def test_without_environment_the_default_is_used_and_named(no_size_env):
    assert sizes.choose(None, default="offline", default_label="SIZE") == (sizes.get("offline"), "SIZE")
    assert sizes.get().name == sizes.DEFAULT_SIZE
    with pytest.raises(ValueError, match=r"Expected SIZE to be one of .*Received: SIZE='huge'"):
        sizes.choose(None, default="huge", default_label="SIZE")


def test_a_bad_environment_size_is_named(monkeypatch):
    monkeypatch.setenv(sizes.SIZE_ENV, "tiny")
    with pytest.raises(ValueError, match=r"Expected EVOAUG_TF_SIZE to be one of .*Received: EVOAUG_TF_SIZE='tiny'"):
        sizes.get()
    assert sizes.get("class").name == "class", "an explicit size never reads the environment"


def test_a_synthetic_total_keeps_all_its_training_rows_and_real_sizes_ignore_it():
    assert recipes.resolve("offline", "deepstarr", total_sequences=25_000).rows()[0] == 20_000
    assert recipes.resolve("offline", "deepstarr").rows()[0] == 5_000
    assert recipes.resolve("class", "deepstarr", total_sequences=25_000).rows()[0] == 50_000  # the size's cap
    assert recipes.resolve("offline", "deepstarr", train_sequences=1_000, total_sequences=25_000).rows()[0] == 1_000
