"""The checks of notebooks 03 and 04's exercises: right answers pass, wrong ones get a hint."""

import numpy as np
import pandas as pd
import pytest

from evoaug_tf import datasets, published
from evoaug_tf.tutorial import exercises
from evoaug_tf.tutorial.data import first_rows


class History:
    def __init__(self, loss, val_loss):
        self.history = {"loss": loss, "val_loss": val_loss}


def test_03_1_epochs_and_best_epoch_count_from_one():
    history = History([1.0, 0.9, 0.8, 0.85], [1.0, 0.7, 0.75, 0.8])
    assert exercises.check("03.1", (4, 2), history=history)
    assert not exercises.check("03.1", (4, 1), history=history)  # argmin without the + 1


def test_03_3_the_published_gain_per_size():
    means = published.summary("deepstarr", metric="pearson_r").pivot_table(
        index="train_sequences", columns="arm", values="mean"
    )
    gain = means["evoaug_itd_batch_finetune"] - means["standard"]
    assert exercises.check("03.3", gain, solution=True)
    assert not exercises.check("03.3", means["evoaug_itd_batch"] - means["standard"])  # stage 1, not finetune


def test_04_1_two_positive_rates():
    assert exercises.check("04.1", (1000.0, 1200.0))
    assert not exercises.check("04.1", (1000.0, -1.0))


def test_04_2_the_standard_run_is_section_3s():
    results = pd.DataFrame(
        {"run": ["standard"] * 2, "task": ["Dev", "Hk"], "pearson_r": [0.3, 0.4], "train_sequences": [500, 500]}
    )
    table = pd.DataFrame(
        {
            "run": ["standard", "standard", "sequence mode", "sequence mode", "sequence mode+finetune"] * 1,
            "task": ["Dev", "Hk", "Dev", "Hk", "Dev"],
            "pearson_r": [0.3, 0.4, 0.35, 0.45, 0.36],
        }
    )
    assert exercises.check("04.2", table, smallest=500, results=results)
    retrained = table.assign(pearson_r=[0.2, 0.4, 0.35, 0.45, 0.36])
    assert not exercises.check("04.2", retrained, smallest=500, results=results)
    with pytest.raises(AssertionError, match="sequence mode"):
        exercises.check("04.2", table[table["run"] == "standard"], smallest=500, results=results, solution=True)


def test_04_3_the_fraction_of_rows_kept_in_place():
    data = datasets.make_synthetic_deepstarr(n=200, seed=0)
    n = 40
    x_random, _ = datasets.downsample(data.x_train, data.y_train, n, seed=0)
    same = float((x_random == first_rows(data, n).x_train).all(axis=(1, 2)).mean())
    assert exercises.check("04.3", same, data=data, n=n, solution=True)
    assert not exercises.check("04.3", same + 0.5, data=data, n=n)
    assert np.isfinite(same)
