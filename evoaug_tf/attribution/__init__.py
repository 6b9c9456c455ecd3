"""Interpretability: attribution maps, gradient correction, consistency, robustness, motif recovery.

Public API::

    from evoaug_tf import attribution
    grads = attribution.saliency(model, x, task=0)                      # (N, L, 4), batched, on-graph
    ig = attribution.integrated_gradients(model, x, task=0, steps=50)   # baseline zeros by default
    eg = attribution.expected_gradients(model, x, background, task=0)   # IG averaged over a background
    shap_map = attribution.deep_shap(model, x, background, task=0)      # shap.DeepExplainer (optional dep)
    corrected = attribution.correct_gradients(grads)                    # Majdandzic et al. 2023
    logo = attribution.attribution_map(grads, x, kind="corrected_x_input")
    kld = attribution.kld_consistency(grads)                            # the paper's KLD, one per model & task
    kld, noise, shuffled, _ = attribution.kld_with_baselines(grads)     # ... beside noise baselines, same shape
    test = attribution.compare_arms(kld_standard, kld_evoaug)           # Mann-Whitney U, models as replicates
    per_seq, score = attribution.kmer_consistency(grads, x, k=6)        # our k-mer statistic (not the paper's)
    variation = attribution.translational_robustness(model, x, task=0)  # absolute (paper); lower = more robust
    per_seq, pooled = attribution.motif_recovery_auroc(grads, data.motif_mask["test"], x)
    pair = attribution.pair_spacing(model, "TGATTCAT", "GGGATTCC")     # GIA: (2 orientations, spacings, T)
    scan = attribution.position_scan(oracle, "TGATTCAT")                # GIA: one motif at every position
    error = attribution.curve_error(pair.effect, oracle_pair.effect)    # per task: rmse, pearson

Every function takes ``x`` ``(N, L, 4)`` one-hot (A, C, G, T) and works with plain Keras models and
with :class:`~evoaug_tf.evoaug.RobustModel` on length-``L`` input.
"""

from evoaug_tf.attribution.consistency import (
    PROJECTIONS,
    ArmComparison,
    Consistency,
    KLDBaselines,
    attribution_consistency,
    compare_arms,
    gaussian_maps,
    kld_consistency,
    kld_noise_floor,
    kld_shuffled,
    kld_with_baselines,
    kmer_consistency,
    kmer_ids,
    mann_whitney_floor,
    shuffle_positions,
)
from evoaug_tf.attribution.correction import (
    MAP_KINDS,
    attribution_map,
    correct_gradients,
)
from evoaug_tf.attribution.gia import (
    ORIENTATIONS,
    CurveError,
    PairSpacing,
    PositionScan,
    curve_error,
    pair_spacing,
    position_scan,
    random_backgrounds,
)
from evoaug_tf.attribution.gradients import (
    BASELINES,
    METHODS,
    attribute,
    deep_shap,
    expected_gradients,
    integrated_gradients,
    saliency,
)
from evoaug_tf.attribution.motifs import (
    MotifRecovery,
    motif_recovery_auroc,
    position_importance,
)
from evoaug_tf.attribution.robustness import (
    Robustness,
    corrected_attribution,
    roll_sequences,
    shared_padding,
    translational_robustness,
    variation_score,
)

__all__ = [
    "BASELINES",
    "MAP_KINDS",
    "METHODS",
    "ORIENTATIONS",
    "PROJECTIONS",
    "ArmComparison",
    "Consistency",
    "CurveError",
    "KLDBaselines",
    "MotifRecovery",
    "PairSpacing",
    "PositionScan",
    "Robustness",
    "attribute",
    "attribution_consistency",
    "attribution_map",
    "compare_arms",
    "correct_gradients",
    "corrected_attribution",
    "curve_error",
    "deep_shap",
    "expected_gradients",
    "gaussian_maps",
    "integrated_gradients",
    "kld_consistency",
    "kld_noise_floor",
    "kld_shuffled",
    "kld_with_baselines",
    "kmer_consistency",
    "kmer_ids",
    "mann_whitney_floor",
    "motif_recovery_auroc",
    "pair_spacing",
    "position_importance",
    "position_scan",
    "random_backgrounds",
    "roll_sequences",
    "saliency",
    "shared_padding",
    "shuffle_positions",
    "translational_robustness",
    "variation_score",
]
