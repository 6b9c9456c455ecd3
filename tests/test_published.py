"""The published trials as package data: every number the reproduction and notebooks compare against."""

import numpy as np
import pandas as pd
import pytest

from evoaug_tf import published


def test_table_shape_and_columns():
    table = published.load()
    assert len(table) == 555
    assert list(table.columns) == ["dataset", "train_sequences", "factor", "arm", "trial", "metric", "task", "value"]
    assert set(table["arm"]) == set(published.ARMS)
    assert (
        table.groupby(["dataset", "train_sequences", "factor", "arm", "metric", "task"], dropna=False).size() == 5
    ).all()
    assert sorted(table["train_sequences"].dropna().unique()) == list(published.DEEPSTARR_TRAIN_SEQUENCES)
    assert sorted(table["factor"].dropna().unique()) == sorted(published.CHIP_FACTORS)


def test_load_returns_a_copy():
    table = published.load()
    table.loc[0, "value"] = -1.0
    assert published.load().loc[0, "value"] != -1.0


@pytest.mark.parametrize(
    "train_sequences, arm, dev, hk",
    [
        (402_278, "standard", 0.665, 0.746),
        (402_278, "evoaug_itd_batch", 0.704, 0.779),
        (402_278, "evoaug_itd_batch_finetune", 0.704, 0.779),
        (50_000, "standard", 0.533, 0.658),
        (50_000, "evoaug_itd_batch", 0.596, 0.715),
        (25_000, "standard", 0.448, 0.580),
        (100_000, "evoaug_itd_batch_finetune", 0.655, 0.749),
    ],
)
def test_means_match_the_spec(train_sequences, arm, dev, hk):
    table = published.summary("deepstarr", metric="pearson_r", train_sequences=train_sequences, arm=arm)
    means = dict(zip(table["task"], table["mean"]))
    assert means == pytest.approx({"Dev": dev, "Hk": hk}, abs=1e-3)  # the spec rounds the means to 3 places
    assert (table["trials"] == 5).all()


@pytest.mark.parametrize(
    "factor, standard, finetune", [("CTCF", 0.989, 0.992), ("BACH1", 0.823, 0.831), ("MAX", 0.855, 0.866)]
)
def test_chip_means(factor, standard, finetune):
    table = published.summary("chip", factor=factor)
    means = dict(zip(table["arm"], table["mean"]))
    assert means["standard"] == pytest.approx(standard, abs=1e-3)
    assert means["evoaug_itd_batch_finetune"] == pytest.approx(finetune, abs=1e-3)


def test_summary_spread_is_over_the_five_trials():
    values = published.trials("chip", factor="ctcf", arm="standard")["value"]
    row = published.summary("chip", factor="CTCF", arm="standard").iloc[0]
    assert row["std"] == pytest.approx(np.std(values, ddof=1))
    assert (row["min"], row["max"]) == (values.min(), values.max())


def test_compare_with_a_run():
    found = published.compare(
        [0.70, 0.71], arm="evoaug_itd_batch_finetune", metric="pearson_r", task="Dev", train_sequences=402_278
    )
    assert found["trials"] == 2 and found["published_trials"] == 5
    assert found["difference"] == pytest.approx(0.705 - found["published_mean"])
    assert isinstance(found["within_published_range"], bool)


def test_fig1cd_standard_line_is_stated():
    assert published.FIG1CD_STANDARD_DRAWN == {"Dev": 0.672, "Hk": 0.745}
    assert "0.665 / 0.746" in published.FIG1CD_STANDARD_USED


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"dataset": "deepstar"}, "dataset"),
        ({"train_sequences": 12_345}, "train_sequences"),
        ({"arm": "evoaug"}, "arm"),
        ({"factor": "FOXA1"}, "factor"),
    ],
)
def test_bad_filters_name_the_argument(kwargs, name):
    dataset = kwargs.pop("dataset", "chip" if "factor" in kwargs else "deepstarr")
    with pytest.raises(ValueError, match=rf"Expected {name} to be one of .*Received: {name}="):
        published.trials(dataset, **kwargs)


def test_is_package_data():
    from importlib import resources

    assert resources.files("evoaug_tf").joinpath("data", "published_trials.csv").is_file()
    assert isinstance(published.load(), pd.DataFrame)


@pytest.mark.parametrize(
    "dataset, kwargs, name",
    [("deepstarr", {"task": "Dev", "metric": "pearson_r"}, "train_sequences"), ("chip", {"metric": "auroc"}, "factor")],
)
def test_compare_without_a_size_or_factor_refuses_to_pool(dataset, kwargs, name):
    task = kwargs.pop("task", "CTCF")
    with pytest.raises(ValueError, match=rf"Expected {name} to be one of .*would be pooled. Received: {name}=None"):
        published.compare([0.7], dataset, arm="standard", task=task, **kwargs)


def test_compare_refuses_a_missing_trial():
    with pytest.raises(ValueError, match=r"score for every trial.*Received: measured=\[0.7, nan, 0.71\].*\[1\]"):
        published.compare(
            [0.7, float("nan"), 0.71], arm="standard", metric="pearson_r", task="Dev", train_sequences=50_000
        )


def _run_table(runs=("standard", "evoaug", "evoaug+finetune"), trials=(0, 1)):
    rows = [
        {"run": run, "trial": trial, "task": task, "pearson_r": 0.5 + 0.01 * trial}
        for run in runs
        for trial in trials
        for task in ("Dev", "Hk")
    ]
    return pd.DataFrame(rows)


def test_side_by_side_says_how_many_trials_each_mean_has():
    from evoaug_tf import tutorial

    table = _run_table()
    table = table[~((table["run"] == "evoaug") & (table["trial"] == 1))]  # one trial fewer, in the open
    found = tutorial.published.side_by_side(table, 50_000)
    assert list(found.index) == ["standard", "evoaug", "evoaug+finetune"]
    assert found.loc["evoaug", ("Dev", "trials")] == 1 and found.loc["standard", ("Hk", "trials")] == 2
    assert found.loc["standard", ("Dev", "this run")] == pytest.approx(0.505)


def test_side_by_side_refuses_unexpected_run_names_and_missing_scores():
    from evoaug_tf import tutorial

    renamed = _run_table(runs=("standard", "ITD batch", "ITD batch+finetune"))
    with pytest.raises(ValueError, match=r"Expected runs named .*Received: run=\['ITD batch', 'ITD batch\+finetune'\]"):
        tutorial.published.side_by_side(renamed, 50_000)
    fixed = renamed.replace({"run": {"ITD batch": "evoaug", "ITD batch+finetune": "evoaug+finetune"}})
    assert len(tutorial.published.side_by_side(fixed, 50_000)) == 3
    gap = _run_table()
    gap.loc[3, "pearson_r"] = float("nan")
    with pytest.raises(ValueError, match=r"Received: pearson_r=NaN for standard trial 1 Hk"):
        tutorial.published.side_by_side(gap, 50_000)
