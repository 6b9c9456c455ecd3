"""The main job (python -m evoaug_tf demo), the experiment helpers and the tutorial settings."""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from evoaug_tf import augment, experiments, sizes, tutorial
from evoaug_tf.commands import demo


@pytest.mark.slow
def test_demo_runs_end_to_end_in_a_small_configuration(tmp_path, capsys):
    status = demo.main(["--train-size", "240", "--epochs", "1", "--finetune-epochs", "1", "--out", str(tmp_path)])
    assert status == 0
    printed = capsys.readouterr().out
    assert "Test Pearson r" in printed and "evoaug+finetune" in printed
    table = pd.read_csv(tmp_path / "results.csv")
    assert set(table["run"]) == {"standard", "evoaug", "evoaug+finetune"}
    assert set(table["task"]) == {"Dev", "Hk"}
    assert table["pearson_r"].between(-1, 1).all()
    assert (tmp_path / "comparison.png").stat().st_size > 10_000
    assert (tmp_path / "runs" / "evoaug+finetune_trial0" / "scores.json").exists()  # kept for resuming


@pytest.mark.slow
def test_demo_with_another_seed_into_the_same_out_replaces_the_results(tmp_path, capsys):
    small = ["--train-size", "240", "--epochs", "1", "--finetune-epochs", "1", "--out", str(tmp_path)]
    assert demo.main(small) == 0
    first = pd.read_csv(tmp_path / "results.csv")
    capsys.readouterr()
    assert demo.main([*small, "--seed", "1"]) == 0
    printed = capsys.readouterr().out
    assert "held the results of other settings (changed: args.seed)" in printed
    assert "made with other settings" in printed and "finished earlier" not in printed  # every run trained anew
    second = pd.read_csv(tmp_path / "results.csv")
    assert not np.allclose(first["pearson_r"], second["pearson_r"])
    assert json.loads((tmp_path / "settings.json").read_text())["args"]["seed"] == 1
    (kept,) = (tmp_path / "stale").glob("results_*")
    pd.testing.assert_frame_equal(pd.read_csv(kept / "results.csv"), first)


def test_demo_results_of_other_settings_are_moved_aside(tmp_path, capsys):
    settings = {"args": {"seed": 0, "batch_mode": False}, "size": "offline"}
    demo._set_aside_other_results(str(tmp_path), settings)  # nothing there: nothing to do
    assert not (tmp_path / "stale").exists()
    (tmp_path / "results.csv").write_text("run\nold\n")
    (tmp_path / "settings.json").write_text(json.dumps(settings))
    demo._set_aside_other_results(str(tmp_path), settings)  # the same settings: resumed, kept
    assert (tmp_path / "results.csv").exists()
    demo._set_aside_other_results(str(tmp_path), {**settings, "args": {"seed": 0, "batch_mode": True}})
    assert "changed: args.batch_mode" in capsys.readouterr().out
    assert not (tmp_path / "results.csv").exists()
    (kept,) = (tmp_path / "stale").glob("results_*")
    assert (kept / "results.csv").read_text() == "run\nold\n"
    (tmp_path / "results.csv").write_text("x")
    (tmp_path / "settings.json").write_text('{"args": ')  # cut: not the same settings
    demo._set_aside_other_results(str(tmp_path), settings)
    assert not (tmp_path / "results.csv").exists() and "changed: unknown" in capsys.readouterr().out


@pytest.mark.slow
def test_command_line_usage():
    result = subprocess.run([sys.executable, "-m", "evoaug_tf"], capture_output=True, text=True, timeout=900)
    assert result.returncode == 2 and "demo" in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "evoaug_tf", "demo", "--help"], capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0 and "--data" in result.stdout


def test_demo_without_real_data_says_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EVOAUG_TF_DATA_URL", "http://127.0.0.1:9")  # nothing listens there
    status = demo.main(["--data", "deepstarr", "--data-dir", str(tmp_path), "--out", str(tmp_path)])
    assert status == 1
    assert "offline" in capsys.readouterr().err.lower()


@pytest.mark.parametrize(
    "letters, batch_mode, classes",
    [
        ("ITD", False, [augment.RandomInsertion, augment.RandomTranslocation, augment.RandomDeletion]),
        ("RD", True, [augment.RandomRCBatch, augment.RandomDeletionBatch]),
        ("MN", True, [augment.RandomMutation, augment.RandomNoise]),
    ],
)
def test_paper_augmentation_letters(letters, batch_mode, classes):
    augs = experiments.augmentations(letters, batch_mode)
    assert [type(a) for a in augs] == classes
    assert augs[0] == classes[0](**augs[0].get_config())


def test_paper_settings_per_letter():
    r, i, t, d, m, n = experiments.augmentations("RITDMN")
    assert (r.rc_prob, i.insert_max, t.shift_max, d.delete_max, m.mutate_frac, n.noise_std) == (
        0.5,
        20,
        20,
        30,
        0.05,
        0.3,
    )


@pytest.mark.parametrize("letters", ["", "ITX", "itd"])
def test_bad_letters(letters):
    with pytest.raises(ValueError, match="letters"):
        experiments.augmentations(letters)


def test_summarize():
    table = pd.DataFrame(
        {"run": ["a", "a", "b", "b"], "trial": [0, 1, 0, 1], "task": ["Dev"] * 4, "pearson_r": [0.5, 0.7, 0.2, 0.4]}
    )
    summary = experiments.summarize(table)
    np.testing.assert_allclose(summary["mean"]["Dev"].to_numpy(), [0.6, 0.3])


def test_tutorial_quick_mode(monkeypatch):
    monkeypatch.setenv("EVOAUG_TF_QUICK", "1")
    assert tutorial.is_quick() and tutorial.protocol().epochs < 10
    data = tutorial.load_data("deepstarr", n=200)
    assert data.x_train.shape[1:] == (249, 4)
    chip = tutorial.load_data("CTCF", n=200)
    assert chip.x_train.shape[1:] == (200, 4) and chip.y_train.shape[1] == 1
    assert tutorial.model_function("deepstarr")((249, 4)).get_layer("conv1_bn").momentum == 0.9
    monkeypatch.setenv("EVOAUG_TF_QUICK", "0")
    # Outside quick mode the default is now the workshop size; quick=False is the earlier full mode.
    assert not tutorial.is_quick() and tutorial.protocol().epochs == sizes.get("class").protocol.epochs
    assert tutorial.protocol(quick=False).epochs == 100
    assert tutorial.model_function("CTCF")((200, 4)).get_layer("conv1_bn").momentum == 0.99


def test_tutorial_full_mode_never_falls_back_silently(tmp_path, monkeypatch):
    monkeypatch.setenv("EVOAUG_TF_DATA_URL", "http://127.0.0.1:9")
    with pytest.raises(RuntimeError, match=r"evoaug_tf download deepstarr.*data_download.py deepstarr.*offline"):
        tutorial.load_data("deepstarr", quick=False, data_dir=str(tmp_path))
