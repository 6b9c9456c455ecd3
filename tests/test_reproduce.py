"""python -m evoaug_tf reproduce --quick: the paper's arms end to end on tiny synthetic data."""

import json

import pandas as pd
import pytest

from evoaug_tf import published
from evoaug_tf.commands import reproduce


@pytest.mark.slow
def test_quick_reproduction_writes_results_figures_and_the_published_comparison(tmp_path, capsys):
    assert reproduce.main(["--quick", "--out", str(tmp_path)]) == 0
    table = pd.read_csv(tmp_path / "results.csv")
    assert set(table["experiment"]) == {"deepstarr", "downsample", "chip"}
    deepstarr = table[table["experiment"] == "deepstarr"]
    # "EvoAug ITD": one subset per sequence, the original EvoAug's method; "EvoAug-TF ...": one per mini-batch.
    assert {
        "standard",
        "EvoAug ITD",
        "EvoAug ITD+finetune",
        "EvoAug-TF ITD",
        "EvoAug-TF ITD+finetune",
        "EvoAug-TF ITD batch",
        "EvoAug-TF ITD batch+finetune",
    } <= set(deepstarr["run"])
    assert deepstarr["pearson_r"].between(-1, 1).all()
    assert table.loc[table["experiment"] == "chip", "auroc"].between(0, 1).all()
    assert set(table.loc[table["experiment"] == "downsample", "setting"].astype(int)) == {100_000, 402_278}

    comparison = pd.read_csv(tmp_path / "published_comparison.csv")
    with_paper = comparison.dropna(subset=["published_mean"])
    keys = set(
        zip(with_paper["experiment"], with_paper["run"], with_paper["task"], with_paper["published_mean"].round(3))
    )
    assert {
        ("deepstarr", "standard", "Dev", 0.665),
        ("chip", "EvoAug-TF ITD batch+finetune", "GABPA", 0.835),
        ("downsample", "EvoAug-TF ITD batch+finetune", "Hk", 0.749),
    } <= keys
    assert {"mean", "std", "published_std", "published_min", "published_max", "difference"} <= set(comparison)

    arms = json.loads((tmp_path / "runs" / "deepstarr" / "402278" / "settings.json").read_text())["arms"]
    assert arms["EvoAug ITD"]["subset_mode"] == "sequence"
    assert arms["EvoAug-TF ITD"]["subset_mode"] == arms["EvoAug-TF ITD batch"]["subset_mode"] == "batch"
    chip = json.loads((tmp_path / "runs" / "chip" / "GABPA" / "settings.json").read_text())
    assert chip["protocol"]["finetune_patience"] == reproduce.CHIP_FINETUNE_PATIENCE == 3
    assert chip["protocol"]["finetune_optimizer"] == "keep"  # the stage-1 Adam, as the analysis
    settings = json.loads((tmp_path / "settings.json").read_text())
    assert settings["downsample_protocol"]["finetune_patience"] <= reproduce.DOWNSAMPLE_FINETUNE_PATIENCE == 3
    assert settings["protocol"]["finetune_optimizer"] == "fresh"
    assert chip["arms"]["EvoAug-TF ITD batch"] == {"subset_mode": "batch", "max_augs_per_seq": 1, "hard_aug": True}

    for name in ("deepstarr.png", "downsample.png", "chip.png", "settings.json"):
        assert (tmp_path / name).exists()
    printed = capsys.readouterr().out
    assert "published" in printed and "0.672 / 0.745" in printed

    # Called again, every run is read back from disk: the same table.
    assert reproduce.main(["--quick", "--out", str(tmp_path)]) == 0
    again = pd.read_csv(tmp_path / "results.csv")
    pd.testing.assert_frame_equal(again.drop(columns="seconds"), table.drop(columns="seconds"))
    assert "already finished" in capsys.readouterr().out


def test_paper_settings_come_from_the_published_table():
    assert reproduce.DEEPSTARR_COMBINATIONS == ("R", "I", "T", "D", "M", "N", "ITD", "ITN", "RITDMN")
    assert reproduce.DOWNSAMPLE_SIZES == (10_000, 25_000, 50_000, 100_000, 200_000, 300_000, 402_278)
    assert not hasattr(reproduce, "PUBLISHED")  # no hand-typed table
    summary = published.summary(
        "deepstarr", metric="pearson_r", train_sequences=402_278, arm="evoaug_itd_batch_finetune"
    )
    assert dict(zip(summary["task"], summary["mean"].round(3))) == {"Dev": 0.704, "Hk": 0.779}
    assert set(reproduce.PUBLISHED_ARMS.values()) == set(published.ARMS)


def test_paper_arms():
    arms = reproduce.deepstarr_arms(("ITD",))
    assert {name: arm.subset_mode for name, arm in arms.items()} == {
        "EvoAug ITD": "sequence",
        "EvoAug-TF ITD": "batch",
        "EvoAug-TF ITD batch": "batch",
    }
    assert [type(a).__name__ for a in arms["EvoAug-TF ITD batch"].build()] == [
        "RandomInsertionBatch",
        "RandomTranslocationBatch",
        "RandomDeletionBatch",
    ]
    assert [a.delete_max for a in reproduce.chip_augmentations()[2:]] == [20]


def test_downsample_sizes_per_run_size():
    from types import SimpleNamespace

    from evoaug_tf import sizes

    args = SimpleNamespace(downsample_sizes=None)
    assert reproduce.downsample_sizes(args, sizes.get("paper")) == list(reproduce.DOWNSAMPLE_SIZES)
    assert reproduce.downsample_sizes(args, sizes.get("class")) == [10_000, 25_000, 50_000]
    assert reproduce.downsample_sizes(SimpleNamespace(downsample_sizes=[25_000]), sizes.get("paper")) == [25_000]
