"""Figures for EvoAug-TF: augmentations explained, logos, training curves and results, an explorer.

Public API::

    from evoaug_tf import viz
    viz.plot_sequence(x[0])                                  # a nucleotide track
    viz.plot_augmentation(x, augment.RandomDeletion(0, 20), seed=3)
    viz.describe_augmentation(x, aug, seed=3)                # the drawn change as a dict
    viz.plot_modes(x, augment.RandomDeletion(), augment.RandomDeletionBatch())
    viz.plot_logo(attribution_map, highlight=[(40, 52)])
    viz.plot_history(history_stage1, history_stage2)
    viz.plot_scatter(y_test, y_pred, task_names=("Dev", "Hk"))
    viz.plot_comparison({"standard": r_standard, "EvoAug-TF": r_evoaug}, task_names=("Dev", "Hk"))
    viz.plot_gia({"oracle": oracle_pair, "standard": pair}, task_names=("Dev", "Hk"))  # global importance
    viz.augmentation_explorer(x[:6])                         # ipywidgets: several sequences, batch/sequence mode
    viz.batch_explorer(x[:8], augment_list)                  # ipywidgets: a RobustModel mini-batch
    viz.attribution_explorer({"standard": a, "EvoAug": b}, x_top, task=0)  # ipywidgets: logos under shifts

The explorers are built from core ipywidgets controls (7.7, as on Colab, and 8.x); each draws
with a plain function (``draw_explorer``, ``draw_batch``, ``draw_attribution``) and, shown
without a live kernel, displays its first figure as an image.

Every plotting function returns the matplotlib Figure and never shows it.
"""

from evoaug_tf.viz.explorer import (
    AUGMENTATION_NAMES,
    PARAMETER_SPECS,
    augmentation_explorer,
    default_params,
    draw_explorer,
    has_batch_mode,
    make_augmentation,
)
from evoaug_tf.viz.logos import plot_logo
from evoaug_tf.viz.sequences import (
    ALPHABET,
    BASE_COLORS,
    describe_augmentation,
    plot_augmentation,
    plot_modes,
    plot_sequence,
)
from evoaug_tf.viz.training import comparison_table, plot_comparison, plot_history, plot_scatter

__all__ = [
    "ALPHABET",
    "AUGMENTATION_NAMES",
    "BASE_COLORS",
    "PARAMETER_SPECS",
    "augmentation_explorer",
    "comparison_table",
    "default_params",
    "describe_augmentation",
    "draw_explorer",
    "has_batch_mode",
    "make_augmentation",
    "plot_augmentation",
    "plot_comparison",
    "plot_history",
    "plot_logo",
    "plot_modes",
    "plot_scatter",
    "plot_sequence",
]

from evoaug_tf.viz.attribution import mann_whitney_table, plot_attribution_logos, plot_score_boxes  # noqa: E402

__all__ += ["mann_whitney_table", "plot_attribution_logos", "plot_score_boxes"]

from evoaug_tf.viz.attribution_explorer import (  # noqa: E402
    EXPLORER_METHODS,
    attribution_explorer,
    draw_attribution,
    shifted_attribution,
)
from evoaug_tf.viz.batch_view import AugmentedBatch, augment_batch, batch_explorer, draw_batch  # noqa: E402

__all__ += [
    "EXPLORER_METHODS",
    "AugmentedBatch",
    "attribution_explorer",
    "augment_batch",
    "batch_explorer",
    "draw_attribution",
    "draw_batch",
    "shifted_attribution",
]

from evoaug_tf.viz.gia import plot_gia  # noqa: E402

__all__ += ["plot_gia"]
