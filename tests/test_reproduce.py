"""python -m evoaug_tf reproduce --quick: every experiment end to end on tiny synthetic data."""

import pandas as pd
import pytest

from evoaug_tf import reproduce


@pytest.mark.slow
def test_quick_reproduction_writes_results_figures_and_the_published_comparison(tmp_path, capsys):
    assert reproduce.main(["--quick", "--out", str(tmp_path)]) == 0
    table = pd.read_csv(tmp_path / "results.csv")
    assert set(table["experiment"]) == {"deepstarr", "downsample", "chip"}
    deepstarr = table[table["experiment"] == "deepstarr"]
    assert {"standard", "ITD", "ITD+finetune", "ITD batch", "ITD batch+finetune"} <= set(deepstarr["run"])
    assert deepstarr["pearson_r"].between(-1, 1).all()
    assert table.loc[table["experiment"] == "chip", "auroc"].between(0, 1).all()
    comparison = pd.read_csv(tmp_path / "published_comparison.csv")
    published = comparison.dropna(subset=["published"])
    assert {("deepstarr", "standard", "Dev", 0.665), ("chip", "ITD batch+finetune", "CTCF-like", 0.992)} <= set(
        zip(published["experiment"], published["run"], published["task"], published["published"])
    )
    for name in ("deepstarr.png", "downsample.png", "chip.png", "settings.json"):
        assert (tmp_path / name).exists()
    assert "published" in capsys.readouterr().out


def test_published_numbers_match_the_paper():
    assert reproduce.PUBLISHED[("deepstarr", "ITD batch+finetune", "all", "Hk")] == 0.778
    assert reproduce.PUBLISHED[("downsample", "standard", 25_000, "Dev")] == 0.45
    assert reproduce.DEEPSTARR_COMBINATIONS == ("R", "I", "T", "D", "M", "N", "ITD", "ITN", "RITDMN")
