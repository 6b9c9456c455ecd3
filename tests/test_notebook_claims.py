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
