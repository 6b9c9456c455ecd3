"""Numbers a notebook quotes from a benchmark's results are the numbers in that benchmark's results file.

Notebooks 03, 04 and 06 quote three-seed tables and a ceiling from ``benchmarks/`` (``world_v3.py`` and its
``--gia``, ``low_data.py``, ``interpretability.py``, ``motif_recovery.py``); when a benchmark is run again,
this test fails until the notebook's text says what the new results say.
"""

import json
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def markdown(notebook: str) -> str:
    cells = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")


def mean_sd(values: pd.Series) -> str:
    return f"{values.mean():.3f} ± {values.std(ddof=1):.3f}"


@pytest.mark.parametrize("task", ["Dev", "Hk"])
def test_notebook_03_quotes_the_three_seed_pearson_r(task):
    results = pd.read_csv(RESULTS / "world_v3.csv")
    results = results[(results["train_sequences"] == 5000) & (results["task"] == task)]
    assert sorted(results["trial"].unique()) == [0, 1, 2], "three seeds"
    cells = [mean_sd(results[results["run"] == run]["pearson_r"]) for run in ("standard", "evoaug", "evoaug+finetune")]
    row = f"| test Pearson r, {task} | {' | '.join(cells)} |"
    assert row in markdown("03_train_deepstarr.ipynb"), f"notebook 03 should quote {row!r}"


def test_notebook_03_quotes_the_three_seed_gia_counts():
    gia = pd.read_csv(RESULTS / "world_v3_gia.csv")
    curves = gia.pivot_table(index=["trial", "experiment", "task"], columns="arm", values="rmse")
    assert len(curves) == 12 and sorted(gia["trial"].unique()) == [0, 1, 2]
    standard = int((curves["standard"] > curves["stage 1"]).sum())
    finetune = int((curves["finetune"] > curves["stage 1"]).sum())
    row = f"| curves farther from the oracle than stage 1's | {standard} of 12 | - | {finetune} of 12 |"
    assert row in markdown("03_train_deepstarr.ipynb"), f"notebook 03 should quote {row!r}"


def test_notebook_06_quotes_the_motif_recovery_ceiling():
    results = pd.read_csv(RESULTS / "motif_recovery.csv")
    oracle = results[(results["arm"] == "oracle ISM") & (results["truth"] == "planted")].set_index("task")["pooled"]
    quoted = f"reaches {oracle['Dev']:.3f} (Dev) and {oracle['Hk']:.3f} (Hk) on 200 test sequences"
    assert quoted in " ".join(markdown("06_interpretability.ipynb").split()), f"notebook 06 should say {quoted!r}"


def test_notebook_04_quotes_the_three_seed_table_at_every_measured_size():
    from evoaug_tf import sizes
    from evoaug_tf.tutorial import plans

    results = pd.read_csv(RESULTS / "low_data.csv")
    text = markdown("04_low_data.ipynb")
    measured = sorted(int(n) for n in results["train_sequences"].unique())
    assert set(plans.low_data_sizes(sizes.get("offline"))) <= set(measured), "every size notebook 04 trains"
    for n in measured:  # and the size between them that only the benchmark trains
        for task in ("Dev", "Hk"):
            chosen = results[(results["train_sequences"] == n) & (results["task"] == task)]
            assert sorted(chosen["trial"].unique()) == [0, 1, 2], f"three seeds at {n}"
            cells = [
                mean_sd(chosen[chosen["run"] == run]["pearson_r"]) for run in ("standard", "evoaug", "evoaug+finetune")
            ]
            row = f"| {n:,} | {task} | {' | '.join(cells)} |"
            assert row in text, f"notebook 04 should quote {row!r}"


def test_notebook_06_quotes_the_three_model_findings():
    from evoaug_tf.tutorial import findings

    results = pd.read_csv(RESULTS / "interpretability.csv")
    assert sorted(results["model"].unique()) == [0, 1, 2], "three models per arm"
    text = " ".join(markdown("06_interpretability.ipynb").split())
    paper = {"KLD authors": "higher", "variation, saliency": "lower", "variation, integrated_gradients": "lower"}
    for measure, direction in {**paper, "motif AUROC": None}.items():
        for task in ("Dev", "Hk"):
            chosen = results[(results["measure"] == measure) & (results["task"] == task)]
            scores = [chosen[chosen["arm"] == arm]["value"] for arm in ("standard", "EvoAug-TF")]
            row = findings.compare(
                f"{measure}, {task}", *scores, paper=direction, digits=4 if "variation" in measure else 3
            )
            quoted = f"| {row.finding} | {row.standard} | {row.evoaug} | {row.paper} | {row.this_run} | {row.agrees} |"
            assert quoted in text, f"notebook 06 should quote {quoted!r}"


def _arm_means(results, measure):
    chosen = results[results["measure"] == measure]
    return chosen.groupby(["arm", "task"])["value"].mean()


def _arm_values(results, measure, task):
    """(standard's, EvoAug-TF's) values of one measure and task, one per model."""
    chosen = results[(results["measure"] == measure) & (results["task"] == task)]
    return tuple(chosen[chosen["arm"] == arm]["value"] for arm in ("standard", "EvoAug-TF"))


def _per_model(results, measure):
    return results[results["measure"] == measure].set_index(["arm", "model", "task"])["value"]


def _text_06():
    return " ".join(markdown("06_interpretability.ipynb").split())


def test_notebook_06_quotes_the_scale_of_the_maps_and_the_relative_variation():
    from evoaug_tf.tutorial import findings

    results = pd.read_csv(RESULTS / "interpretability.csv")
    text = _text_06()
    for method in ("saliency", "integrated_gradients"):
        for task in ("Dev", "Hk"):
            cells = []
            for measure, digits in ((f"map RMS, {method}", 4), (f"variation relative, {method}", 3)):
                row = findings.compare(measure, *_arm_values(results, measure, task), paper=None, digits=digits)
                cells += [row.standard, row.evoaug]
            quoted = f"| {method}, {task} | {' | '.join(cells)} |"
            assert quoted in text, f"notebook 06 should quote {quoted!r}"
    # What the text says of these rows: "every model" where every EvoAug-TF model is on one side of every
    # standard one, "within the spread" where the arms overlap; and the relative score's mean directions.
    separated = {
        ("variation, saliency", "Dev"): "lower",
        ("variation, saliency", "Hk"): "lower",
        ("variation, integrated_gradients", "Hk"): "higher",
        ("variation, integrated_gradients", "Dev"): None,
        ("map RMS, saliency", "Dev"): "lower",
        ("map RMS, saliency", "Hk"): "lower",
        ("map RMS, integrated_gradients", "Hk"): "higher",
        ("map RMS, integrated_gradients", "Dev"): None,
        ("variation relative, saliency", "Dev"): "lower",
        ("variation relative, saliency", "Hk"): None,
        ("variation relative, integrated_gradients", "Dev"): None,
        ("variation relative, integrated_gradients", "Hk"): None,
    }
    for (measure, task), side in separated.items():
        standard, evoaug = _arm_values(results, measure, task)
        seen = "lower" if evoaug.max() < standard.min() else "higher" if evoaug.min() > standard.max() else None
        assert seen == side, f"{measure}, {task}: EvoAug-TF's models are {seen or 'mixed'}, the text says {side}"
    for method in ("saliency", "integrated_gradients"):
        relative = _arm_means(results, f"variation relative, {method}")
        assert relative["EvoAug-TF", "Dev"] < relative["standard", "Dev"], f"{method}: EvoAug-TF varies less on Dev"
        assert relative["EvoAug-TF", "Hk"] > relative["standard", "Hk"], f"{method}: EvoAug-TF varies more on Hk"


def test_notebook_06_quotes_the_shuffled_baselines_motif_recovery_and_test_r():
    results = pd.read_csv(RESULTS / "interpretability.csv")
    text = _text_06()
    assert (_per_model(results, "KLD authors") < _per_model(results, "KLD authors, shuffled")).all(), (
        "every model's KLD is below that of its own shuffled maps"
    )
    means = _arm_means(results, "KLD authors, shuffled")
    quoted = (
        f"standard {means['standard', 'Dev']:.3f} Dev / {means['standard', 'Hk']:.3f} Hk, "
        f"EvoAug-TF {means['EvoAug-TF', 'Dev']:.3f} / {means['EvoAug-TF', 'Hk']:.3f}"
    )
    assert quoted in text, f"notebook 06 should quote {quoted!r}"
    above = (
        (_per_model(results, "KLD orthonormal") > _per_model(results, "KLD orthonormal, shuffled"))
        .groupby(level="arm")
        .sum()
    )
    quoted = f"EvoAug-TF models score above their own shuffled maps in {above['EvoAug-TF']} of 6 model-task pairs, "
    quoted += f"the standard models in {above['standard']} of 6"
    assert quoted in text, f"notebook 06 should say {quoted!r}"
    auroc = _arm_means(results, "motif AUROC")
    assert (auroc["standard"] >= 0.7).all(), "the standard arm finds the planted motifs (AUROC at least 0.7)"
    for arm in ("standard", "EvoAug-TF"):
        quoted = f"{auroc[arm, 'Dev']:.3f} Dev, {auroc[arm, 'Hk']:.3f} Hk"
        assert quoted in text, f"notebook 06 should quote {arm}'s motif AUROC {quoted!r}"
    r = _arm_means(results, "test r")
    quoted = (
        f"Dev {r['EvoAug-TF', 'Dev']:.3f} against {r['standard', 'Dev']:.3f}, "
        f"Hk {r['EvoAug-TF', 'Hk']:.3f} against {r['standard', 'Hk']:.3f}"
    )
    assert quoted in text, f"notebook 06 should quote the arms' test r {quoted!r}"


def test_notebook_06_quotes_the_world_size_measurement():
    results = pd.read_csv(RESULTS / "world_size_motifs.csv")
    assert sorted(results["seed"].unique()) == [0, 1, 2], "three seeds"
    means = results.groupby(["train_sequences", "task", "epoch"])["motif_auroc"].mean()
    dev_16k = means[16_000, "Dev"].loc[3:6]
    quoted = f"on 16,000 the Dev motifs stayed at {dev_16k.min():.2f}-{dev_16k.max():.2f} with 3 to 6 epochs"
    quoted += f" (`benchmarks/world_size_motifs.py`; {means[24_000, 'Dev', 3]:.2f} on 24,000 after 3)"
    assert quoted in _text_06(), f"notebook 06 should say {quoted!r}"
    assert means[24_000, "Dev", 3] >= 0.7 and means[24_000, "Hk", 3] >= 0.7, "24,000 reaches the 0.7 aimed at"
