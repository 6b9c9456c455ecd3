"""Correlation metrics: exact functions and the Keras metrics used during fit."""

import keras
import numpy as np
import pytest
import scipy.stats

from evoaug_tf import metrics


@pytest.fixture
def pair():
    rng = np.random.default_rng(0)
    y = rng.normal(size=(500, 2))
    return y.astype("float32"), (y + rng.normal(scale=[0.5, 2.0], size=(500, 2))).astype("float32")


def test_functions_match_scipy(pair):
    y, p = pair
    np.testing.assert_allclose(metrics.pearson_r(y, p), [scipy.stats.pearsonr(y[:, t], p[:, t])[0] for t in (0, 1)])
    np.testing.assert_allclose(metrics.spearman_r(y, p), [scipy.stats.spearmanr(y[:, t], p[:, t])[0] for t in (0, 1)])
    table = metrics.evaluate_regression(y, p, ["Dev", "Hk"])
    assert set(table) == {"mse", "pearson_r", "spearman_r"} and set(table["mse"]) == {"Dev", "Hk"}
    assert table["pearson_r"]["Dev"] > table["pearson_r"]["Hk"]


def test_one_dimensional_input():
    assert metrics.pearson_r([1, 2, 3], [1, 2, 4]).shape == (1,)


def test_streaming_pearson_is_exact_over_batches(pair):
    y, p = pair
    metric = metrics.PearsonR(num_tasks=2)
    for start in range(0, 500, 64):
        metric.update_state(y[start : start + 64], p[start : start + 64])
    np.testing.assert_allclose(float(metric.result()), metrics.pearson_r(y, p).mean(), rtol=1e-5)
    per_task = metrics.PearsonR(num_tasks=2, task=1)
    per_task.update_state(y, p)
    np.testing.assert_allclose(float(per_task.result()), metrics.pearson_r(y, p)[1], rtol=1e-5)
    metric.reset_state()
    assert float(metric.result()) == 0.0


def test_pearson_sample_weight_matches_repetition():
    y = np.array([[1.0], [2.0], [3.0], [4.0]], "float32")
    p = np.array([[1.0], [3.0], [2.0], [5.0]], "float32")
    weighted = metrics.PearsonR()
    weighted.update_state(y, p, sample_weight=np.array([1, 2, 1, 1], "float32"))
    repeated = metrics.PearsonR()
    repeated.update_state(np.repeat(y, [1, 2, 1, 1], axis=0), np.repeat(p, [1, 2, 1, 1], axis=0))
    np.testing.assert_allclose(float(weighted.result()), float(repeated.result()), rtol=1e-5)


def test_spearman_single_batch_is_exact(pair):
    y, p = pair
    metric = metrics.SpearmanR(num_tasks=2, task=0)
    metric.update_state(y, p)
    np.testing.assert_allclose(float(metric.result()), metrics.spearman_r(y, p)[0], rtol=1e-4)


@pytest.mark.slow
def test_metrics_in_fit_under_xla(pair):
    y, _ = pair
    x = np.random.default_rng(1).normal(size=(500, 3)).astype("float32")
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    model.compile("adam", "mse", metrics=metrics.task_metrics(["Dev", "Hk"]), jit_compile=True)
    history = model.fit(x, y, epochs=1, batch_size=100, validation_data=(x, y), verbose=0)
    assert set(history.history) >= {"val_pearson_r_Dev", "val_pearson_r_Hk", "val_spearman_r_Dev", "spearman_r_Hk"}
    pred = model.predict(x, verbose=0)
    result = model.evaluate(x, y, batch_size=500, return_dict=True, verbose=0)
    np.testing.assert_allclose(result["pearson_r_Dev"], metrics.pearson_r(y, pred)[0], atol=1e-4)


def test_bad_arguments():
    with pytest.raises(ValueError, match="num_tasks"):
        metrics.PearsonR(num_tasks=0)
    with pytest.raises(ValueError, match="task"):
        metrics.SpearmanR(num_tasks=2, task=2)
    with pytest.raises(ValueError, match="same shape"):
        metrics.pearson_r(np.zeros((5, 2)), np.zeros((5, 1)))
    with pytest.raises(ValueError, match="kinds"):
        metrics.task_metrics(["a"], kinds=("auroc",))


# --- AUROC and AUPR (scikit-learn's definitions) -----------------------------------------------


def test_auroc_and_aupr_worked_example():
    # Scores 0.9 (+), 0.8 (-), 0.7 (+), 0.2 (-): pairs (+ above -) 3 of 4 -> AUROC 0.75.
    # AP: thresholds 0.9 (R 1/2, P 1), 0.7 (R 1, P 2/3) -> 1/2 * 1 + 1/2 * 2/3.
    y, score = [1, 0, 1, 0], [0.9, 0.8, 0.7, 0.2]
    assert metrics.auroc(y, score)[0] == pytest.approx(0.75)
    assert metrics.average_precision(y, score)[0] == pytest.approx((1 + 2 / 3) / 2)
    # Ties: all four at one threshold -> AUROC 1/2, AP = precision at full recall = 1/2.
    assert metrics.auroc(y, [0.5] * 4)[0] == pytest.approx(0.5)
    assert metrics.average_precision(y, [0.5] * 4)[0] == pytest.approx(0.5)
    # Positive tied with a negative at the top: one threshold with P = 1/2, then R 1 at P 2/3.
    assert metrics.average_precision([1, 0, 1, 0], [0.9, 0.9, 0.7, 0.2])[0] == pytest.approx(0.5 * 0.5 + 0.5 * 2 / 3)


def test_auroc_and_aupr_do_not_depend_on_row_order_with_ties():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, size=(300, 2)).astype("float32")
    score = np.round(np.clip(y * 0.3 + rng.uniform(size=y.shape), 0, 1), 1)  # few distinct values: many ties
    score[:50] = 1.0  # saturated sigmoid outputs
    reference_roc, reference_pr = metrics.auroc(y, score), metrics.average_precision(y, score)
    for seed in range(5):
        order = np.random.default_rng(seed).permutation(len(y))
        np.testing.assert_allclose(metrics.auroc(y[order], score[order]), reference_roc, rtol=0, atol=1e-12)
        np.testing.assert_allclose(metrics.average_precision(y[order], score[order]), reference_pr, rtol=0, atol=1e-12)
    # The same labels and scores, the case: ties between classes at the top.
    y_small = np.array([1, 0, 1, 1, 0, 0])
    s_small = np.array([0.99, 0.99, 0.99, 0.4, 0.4, 0.1])
    values = {metrics.average_precision(y_small[o], s_small[o])[0] for o in ([0, 1, 2, 3, 4, 5], [1, 0, 4, 2, 3, 5])}
    assert len(values) == 1


def test_auroc_aupr_one_class_and_bad_labels():
    assert np.isnan(metrics.auroc([1, 1, 1], [0.1, 0.2, 0.3])[0])
    assert np.isnan(metrics.average_precision([0, 0, 0], [0.1, 0.2, 0.3])[0])
    with pytest.raises(
        ValueError, match=r"Expected `y_true` to hold binary labels 0 and 1. Received: y_true with values \[2.0\]"
    ):
        metrics.auroc([0, 1, 2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match=r"Expected finite `y_score`"):
        metrics.average_precision([0, 1, 1], [0.1, np.nan, 0.3])
