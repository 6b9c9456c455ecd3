"""EvoAug (per-sequence subsets) against EvoAug-TF (one subset per mini-batch): the Fig. 1c-e experiment."""

import json

import keras
import numpy as np
import pandas as pd
import pytest

from evoaug_tf import augment, datasets, sizes
from evoaug_tf import experiments_frameworks as frameworks
from evoaug_tf.commands import reproduce


@pytest.fixture(scope="module")
def data():
    return datasets.make_synthetic_deepstarr(n=300, seed=0)


def tiny_model(input_shape, output_shape=2):
    inputs = keras.Input(shape=input_shape)
    hidden = keras.layers.GlobalMaxPooling1D()(keras.layers.Conv1D(8, 7, activation="relu")(inputs))
    return keras.Model(inputs, keras.layers.Dense(output_shape)(hidden))


@pytest.mark.slow  # about 1 s: the slow tier
@pytest.mark.parametrize("letter", list("RITDMN"))
def test_a_single_augmentation_is_drawn_identically_in_both_modes(data, letter):
    x = data.x_test[:16]
    assert frameworks.modes_coincide(augment.from_letters(letter), x, seeds=range(4))
    assert frameworks.modes_coincide(augment.from_letters(letter), x, seeds=range(2), hard_aug=False)


@pytest.mark.parametrize("letters", ["ITD", "RITDMN"])
def test_a_combination_is_drawn_differently(data, letters):
    assert not frameworks.modes_coincide(augment.from_letters(letters), data.x_test[:16], seeds=range(2))


def test_the_grid_and_the_papers_directions():
    assert frameworks.SETTINGS == ("R", "I", "T", "D", "M", "N", "ITD", "RITDMN")
    arms = frameworks.frameworks_arms()
    assert {name: arm.subset_mode for name, arm in arms.items() if "ITD" in name} == {
        "ITD sequence": "sequence",
        "ITD batch": "batch",
        "RITDMN sequence": "sequence",
        "RITDMN batch": "batch",
    }
    assert [name for name in arms if "both modes" in name] == [f"{letter} both modes" for letter in "RITDMN"]
    assert len(frameworks.frameworks_arms(share_single=False)) == 16
    assert [type(a).__name__ for a in arms["ITD batch"].build()] == [
        "RandomInsertion",
        "RandomTranslocation",
        "RandomDeletion",
    ]
    assert frameworks.paper_direction("ITD", "stage 1") == 1 and frameworks.paper_direction("N", "stage 1") == -1
    assert frameworks.paper_direction("N", "finetune") == frameworks.paper_direction("R", "finetune") == -1
    with pytest.raises(ValueError, match="Received: letters='X'"):
        frameworks.frameworks_arms(("X",))
    with pytest.raises(ValueError, match=r"Received: settings=\('I', 'I'\)"):
        frameworks.frameworks_arms(("I", "I"))
    with pytest.raises(ValueError, match="Received: stage='stage 2'"):
        frameworks.paper_direction("I", "stage 2")


@pytest.mark.slow
def test_single_augmentation_trains_identically_in_both_modes_and_the_table_is_tidy(data, tmp_path):
    protocol = sizes.with_overrides(sizes.get("quick"), epochs=2, finetune_epochs=1).protocol
    table = frameworks.compare_frameworks(
        data, protocol, trials=[0], settings=("T",), model_func=tiny_model, share_single=False, out_dir=tmp_path
    )
    arms = table[table["stage"] != "standard"]
    by_mode = {
        mode: part.sort_values(["stage", "task"])["pearson_r"].to_numpy() for mode, part in arms.groupby("subset_mode")
    }
    np.testing.assert_array_equal(by_mode["sequence"], by_mode["batch"])  # same seed, same training
    assert not arms["shared"].any()
    summary = frameworks.summarize_frameworks(table)
    assert list(summary["stage"]) == ["stage 1", "stage 1", "finetune", "finetune"]
    assert (summary["difference"] == 0).all()

    shared = frameworks.compare_frameworks(
        data, protocol, trials=[0], settings=("T",), model_func=tiny_model, out_dir=tmp_path / "shared"
    )
    assert shared["shared"].sum() == 8  # one run: 2 stages x 2 tasks, reported under both modes
    left = shared[shared["stage"] != "standard"].sort_values(["subset_mode", "stage", "task"])
    np.testing.assert_allclose(
        left["pearson_r"].to_numpy(), arms.sort_values(["subset_mode", "stage", "task"])["pearson_r"]
    )


@pytest.mark.slow
def test_time_per_epoch(data):
    protocol = sizes.get("quick").protocol
    times = frameworks.time_per_epoch(data, protocol, settings=("ITD",), epochs=2, model_func=tiny_model)
    assert list(times.columns) == ["augmentations", "subset_mode", "framework", "round", "warmup", "seconds"]
    assert len(times) == 6 and times["warmup"].sum() == 3 and (times["seconds"] > 0).all()
    assert set(times["framework"]) == {"standard training", "EvoAug (PyTorch)", "EvoAug-TF"}
    with pytest.raises(ValueError, match="Received: epochs=1"):
        frameworks.time_per_epoch(data, protocol, epochs=1)


@pytest.mark.slow
def test_reproduce_frameworks_at_quick_size_and_resume(tmp_path, capsys):
    argv = ["--quick", "--experiments", "frameworks", "--out", str(tmp_path)]
    assert reproduce.main(argv) == 0
    table = pd.read_csv(tmp_path / "frameworks.csv")
    settings, timed, rounds = reproduce.FRAMEWORKS_GRID["quick"]
    assert settings == ("T", "ITD")
    assert list(table.columns[:8]) == [
        "augmentations",
        "name",
        "subset_mode",
        "framework",
        "stage",
        "shared",
        "trial",
        "task",
    ]
    assert {"pearson_r", "spearman_r", "mse", "seconds", "epochs", "seconds_per_epoch"} <= set(table.columns)
    # standard (2 tasks) + 2 settings x 2 modes x 2 stages x 2 tasks, one trial
    assert len(table) == 2 + 16
    arms = table[table["stage"] != "standard"]
    assert arms.groupby(["augmentations", "stage"]).size().to_dict() == {
        ("ITD", "finetune"): 4,
        ("ITD", "stage 1"): 4,
        ("T", "finetune"): 4,
        ("T", "stage 1"): 4,
    }
    assert arms.loc[arms["augmentations"] == "T", "shared"].all()
    assert not arms.loc[arms["augmentations"] == "ITD", "shared"].any()
    settings_file = json.loads((tmp_path / "runs" / "frameworks" / "settings.json").read_text())
    assert settings_file["arms"]["ITD sequence"]["subset_mode"] == "sequence"
    assert settings_file["arms"]["ITD batch"]["subset_mode"] == "batch"

    summary = pd.read_csv(tmp_path / "frameworks_summary.csv")
    assert len(summary) == 2 * 2 * 2  # settings x stages x tasks
    times = pd.read_csv(tmp_path / "frameworks_epoch_times.csv")
    assert len(times) == rounds * (1 + 2 * len(timed))
    results = pd.read_csv(tmp_path / "results.csv")
    assert set(results["experiment"]) == {"frameworks"}
    assert len(results) == 2 + 2 * 6  # the shared single run appears once
    for name in ("frameworks.png", "frameworks.png", "published_comparison.csv"):
        assert (tmp_path / name).exists()
    printed = capsys.readouterr().out
    assert "Fig. 1c-d" in printed and "Fig. 1e" in printed and "never published" in printed

    assert reproduce.main(argv) == 0  # every run is read back from disk
    again = pd.read_csv(tmp_path / "frameworks.csv")
    pd.testing.assert_frame_equal(
        again.drop(columns=["seconds", "seconds_per_epoch"]), table.drop(columns=["seconds", "seconds_per_epoch"])
    )
    assert "already finished" in capsys.readouterr().out
