"""Motif recovery AUROC: perfect, chance, reversed, ties, and the synthetic ground truth."""

import numpy as np
import pytest
from conftest import random_onehot

from evoaug_tf import datasets, metrics
from evoaug_tf.attribution import motif_recovery_auroc, position_importance


def test_attribution_equal_to_the_mask_scores_one_and_its_reverse_zero():
    data = datasets.make_synthetic_deepstarr(n=60, seed=0)
    mask, x = data.motif_mask["train"], data.x_train.astype(np.float32)
    has_motif = mask.any(1)
    per_sequence, pooled = motif_recovery_auroc(mask.astype(float), mask)
    assert pooled == 1.0 and np.all(per_sequence[has_motif] == 1.0)
    assert np.all(np.isnan(per_sequence[~has_motif]))  # no motif: AUROC undefined
    assert motif_recovery_auroc(-mask.astype(float), mask).pooled == 0.0
    # an (N, L, 4) map on the observed bases, scored with x
    assert motif_recovery_auroc(5.0 * x * mask[..., None], mask, x).pooled == 1.0


def test_noise_scores_one_half():
    rng = np.random.default_rng(0)
    mask = rng.random((200, 100)) < 0.2
    per_sequence, pooled = motif_recovery_auroc(rng.normal(size=(200, 100, 4)), mask)
    assert pooled == pytest.approx(0.5, abs=0.02)
    assert np.nanmean(per_sequence) == pytest.approx(0.5, abs=0.02)
    assert np.nanmin(per_sequence) >= 0 and np.nanmax(per_sequence) <= 1


def test_ties_count_one_half_and_pooled_matches_metrics_auroc():
    mask = np.array([[True, False, False, True]])
    assert motif_recovery_auroc(np.ones((1, 4)), mask).pooled == 0.5
    scores = np.random.default_rng(1).normal(size=(3, 12))
    labels = np.random.default_rng(2).random((3, 12)) < 0.3
    expected = metrics.auroc(labels.reshape(-1), scores.reshape(-1))[0]
    assert motif_recovery_auroc(scores, labels).pooled == pytest.approx(expected)


def test_position_importance_views():
    attr = np.zeros((1, 2, 4))
    attr[0, 0] = [4.0, 0, 0, 0]  # corrected: 3, -1, -1, -1
    attr[0, 1] = [0.0, 0, 0, -8]  # corrected: 2, 2, 2, -6
    x = random_onehot(1, 2)
    x[0] = [[0, 1, 0, 0], [0, 0, 0, 1]]  # C, T
    np.testing.assert_allclose(position_importance(attr), [[3, 6]])
    np.testing.assert_allclose(position_importance(attr, x), [[1, 6]])
    np.testing.assert_allclose(position_importance(attr, x, correct=False), [[0, 8]])


def test_mask_shape_must_match():
    with pytest.raises(ValueError, match=r"Expected `mask` of shape \(N, L\) = \(2, 5\).*\(2, 6\)"):
        motif_recovery_auroc(np.zeros((2, 5, 4)), np.zeros((2, 6), bool))
