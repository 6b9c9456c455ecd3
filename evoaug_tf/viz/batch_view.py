"""A mini-batch as `RobustModel` trains on it: which augmentations each sequence got, and the result.

* :func:`augment_batch`: the training view of a mini-batch, from RobustModel's own code: the plan
  :meth:`~evoaug_tf.evoaug.EvoAugment.sample_plan` draws (who gets what) and
  :meth:`~evoaug_tf.evoaug.EvoAugment.apply_plan` applies.
* :func:`draw_batch`: its figure, a table of ticks (sequence x augmentation) next to
  every augmented sequence.
* :func:`batch_explorer`: the same figure with controls for ``max_augs_per_seq``,
  ``hard_aug``, ``subset_mode`` and the seed (core ipywidgets only).

>>> from evoaug_tf.viz import batch_explorer
>>> batch_explorer(x_test[:8], augment_list)   # the last expression of a notebook cell
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from evoaug_tf import evoaug
from evoaug_tf.augment import ops
from evoaug_tf.viz._widgets import STYLE, ExplorerBox, show_error, show_figure
from evoaug_tf.viz.sequences import _as_batch, plot_sequence

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from evoaug_tf.augment import AugmentBase

__all__ = ["AugmentedBatch", "augment_batch", "batch_explorer", "draw_batch"]

_SEED_MAX = 999


class AugmentedBatch(NamedTuple):
    """Result of :func:`augment_batch`."""

    x: np.ndarray
    """``(N, L + insert_max, 4)`` float32: what the wrapped model receives in stage 1."""
    chosen: np.ndarray
    """``(N, K)`` bool: ``chosen[n, k]`` when sequence ``n`` received augmentation ``k``."""
    names: tuple[str, ...]
    """``(K,)`` class names of the augmentations, in list order."""


def _augmenter(augment_list, max_augs_per_seq, hard_aug, subset_mode) -> evoaug.EvoAugment:
    """RobustModel's augmentation step with these settings (it validates the arguments)."""
    return evoaug.EvoAugment(
        augment_list, max_augs_per_seq=max_augs_per_seq, hard_aug=hard_aug, subset_mode=subset_mode
    )


def _check_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= cast(int, seed):
        raise ValueError(f"Expected `seed` to be a non-negative integer. Received: seed={seed!r}")
    return int(seed)


def augment_batch(
    x: Any,
    augment_list: Sequence[AugmentBase],
    max_augs_per_seq: int = 2,
    hard_aug: bool = True,
    subset_mode: str = "batch",
    seed: int = 0,
) -> AugmentedBatch:
    """Augment a mini-batch exactly as ``RobustModel`` does in stage-1 training.

    One plan is drawn with :meth:`EvoAugment.sample_plan <evoaug_tf.evoaug.EvoAugment.sample_plan>`
    (the stateless seed ``[seed, 0]``) and applied with ``apply_plan``: the sequences are
    ``RobustModel.augment(x, [seed, 0])``, and ``chosen`` is the plan's own record of who got what.

    Parameters
    ----------
    x : array-like
        ``(N, L, 4)`` one-hot sequences, ACGT.
    augment_list : list of evoaug_tf.augment.AugmentBase
        The ``K`` augmentations, as given to ``RobustModel``.
    max_augs_per_seq : int
        At most (``hard_aug``: exactly) this many augmentations per sequence.
    hard_aug : bool
        Exactly ``max_augs_per_seq`` per sequence; otherwise 1 to ``max_augs_per_seq``.
    subset_mode : {"batch", "sequence"}
        One subset for the whole batch (the default, as ``RobustModel`` and evoaug-tf 1.0.3),
        or a subset per sequence (the PyTorch EvoAug).
    seed : int
        Stateless seed ``[seed, 0]``.

    Returns
    -------
    AugmentedBatch
        ``x`` ``(N, L + insert_max, 4)``, ``chosen`` ``(N, K)`` bool, ``names`` ``(K,)``.
    """
    batch = _as_batch(x)
    seed = _check_seed(seed)
    layer = _augmenter(augment_list, max_augs_per_seq, hard_aug, subset_mode)
    layer.check_length(batch.shape[1])
    inputs = tf.constant(batch)
    plan = layer.sample_plan(ops.shape_of(inputs), tf.constant([seed, 0], tf.int64))
    augmented = layer.apply_plan(inputs, plan)
    names = tuple(type(augmentation).__name__ for augmentation in layer.augment_list)
    return AugmentedBatch(np.asarray(augmented, dtype=np.float32), np.asarray(plan.chosen, dtype=bool), names)


def _short(name: str) -> str:
    """Short label of a class name: ``"RandomDeletionBatch"`` -> ``"deletion (batch)"``."""
    short = name[len("Random") :] if name.startswith("Random") else name
    batch = short.endswith("Batch")
    short = short[: -len("Batch")] if batch else short
    short = {"RC": "rev. comp."}.get(short, short.lower())
    return short + (" (batch)" if batch else "")


def draw_batch(
    x: Any,
    augment_list: Sequence[AugmentBase],
    max_augs_per_seq: int = 2,
    hard_aug: bool = True,
    subset_mode: str = "batch",
    seed: int = 0,
    n: int | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Figure of :func:`augment_batch`: who got which augmentation (left) and the augmented sequences (right).

    Parameters
    ----------
    x, augment_list, max_augs_per_seq, hard_aug, subset_mode, seed : as in :func:`augment_batch`.
    n : int, optional
        Show the first ``n`` sequences (all by default). The draw is made for the
        whole batch, as in training.
    figsize : (float, float), optional

    Returns
    -------
    matplotlib.figure.Figure
        Axes 0: the ``(n, K)`` table of ticks; then one axes per augmented sequence
        (as a track: noisy values show their argmax), titled with what it got. The
        figure's title states the settings.
    """
    result = augment_batch(x, augment_list, max_augs_per_seq, hard_aug, subset_mode, seed)
    rows = result.x.shape[0] if n is None else n
    if isinstance(rows, bool) or not isinstance(rows, numbers.Integral) or rows < 1:
        raise ValueError(f"Expected `n` to be a positive integer or None. Received: n={n!r}")
    rows = min(int(rows), result.x.shape[0])
    chosen, names = result.chosen[:rows], result.names
    count = len(names)
    fig = plt.figure(figsize=figsize or (15.0, 0.62 * rows + 2.4), layout="constrained")
    grid = fig.add_gridspec(rows, 2, width_ratios=(1.2 + 0.55 * count, 12.0))
    table = fig.add_subplot(grid[:, 0])
    table.imshow(chosen.astype(float), cmap="Blues", vmin=0.0, vmax=1.6, aspect="auto", interpolation="nearest")
    for row, column in zip(*np.nonzero(chosen)):
        table.text(column, row, "\u2713", ha="center", va="center", fontsize=13, fontweight="bold", color="black")
    table.set_xticks(range(count), [_short(name) for name in names], rotation=45, ha="right", fontsize=9)
    table.set_yticks(range(rows), [f"seq {row}" for row in range(rows)], fontsize=9)
    table.set_xticks(np.arange(count + 1) - 0.5, minor=True)
    table.set_yticks(np.arange(rows + 1) - 0.5, minor=True)
    table.grid(which="minor", color="white", linewidth=2)
    table.tick_params(which="minor", length=0)
    top = min(max_augs_per_seq, count)
    plural = "augmentation" if top == 1 else "augmentations"
    hard = f"exactly {top} {plural}" if hard_aug else f"1 to {top} {plural}"
    subsets = "one subset for the batch" if subset_mode == "batch" else "a subset per sequence"
    table.set_title("received", loc="left", fontsize=11, fontweight="bold")
    fig.suptitle(f"RobustModel mini-batch: {hard} of {count} per sequence, {subsets} (seed {seed})", fontsize=12)
    for row in range(rows):
        ax = fig.add_subplot(grid[row, 1])
        received = ", ".join(_short(name) for name, on in zip(names, chosen[row]) if on) or "none (padded only)"
        plot_sequence(result.x[row], ax=ax, letters=False, style="track", label="")
        ax.set_yticks([])
        ax.set_title(f"seq {row}: {received}", loc="left", fontsize=9, pad=2)
        if row < rows - 1:
            ax.set_xlabel("")
            ax.tick_params(labelbottom=False)
    return fig


def batch_explorer(
    x: Any,
    augment_list: Sequence[AugmentBase],
    max_augs_per_seq: int = 2,
    hard_aug: bool = True,
    subset_mode: str = "batch",
    seed: int = 0,
    figsize: tuple[float, float] | None = None,
) -> ExplorerBox:
    """Interactive view of a RobustModel mini-batch: move the settings, see who gets which augmentation.

    Controls: ``max_augs_per_seq`` (1 to ``K``), ``hard_aug``, ``subset_mode``, the
    seed and a "new batch" button. Every change redraws :func:`draw_batch`.

    Parameters
    ----------
    x : array-like
        ``(N, L, 4)`` one-hot mini-batch, ACGT.
    augment_list : list of evoaug_tf.augment.AugmentBase
        As given to ``RobustModel``.
    max_augs_per_seq, hard_aug, subset_mode, seed : initial settings, as in :func:`augment_batch`.
    figsize : (float, float), optional

    Returns
    -------
    ExplorerBox
        An ``ipywidgets.VBox`` (its first figure also shows without a live kernel);
        ``controls`` maps "max_augs_per_seq", "hard_aug", "subset_mode", "seed",
        "new_draw" and "output" to the widgets.
    """
    batch = _as_batch(x)
    seed = _check_seed(seed)
    if seed > _SEED_MAX:
        raise ValueError(f"Expected `seed` to be an integer in [0, {_SEED_MAX}]. Received: seed={seed!r}")
    layer = _augmenter(augment_list, max_augs_per_seq, hard_aug, subset_mode)  # validates first
    count = len(layer.augment_list)
    max_augs = widgets.IntSlider(
        value=layer.max_augs_per_seq,
        min=1,
        max=max(count, 1),
        description="max_augs_per_seq",
        style=STYLE,
        continuous_update=False,
        disabled=count == 1,
    )
    hard = widgets.Checkbox(value=bool(hard_aug), description="hard_aug (exactly max_augs_per_seq)", indent=False)
    mode = widgets.ToggleButtons(
        options=list(evoaug.SUBSET_MODES), value=subset_mode, description="subset_mode", style=STYLE
    )
    seed_slider = widgets.IntSlider(
        value=seed, min=0, max=_SEED_MAX, description="seed", style=STYLE, continuous_update=False
    )
    new_draw = widgets.Button(description="new batch", icon="refresh", tooltip="next seed")
    output = widgets.Output()

    def redraw(_change=None) -> None:
        try:
            fig = draw_batch(
                batch, layer.augment_list, max_augs.value, hard.value, mode.value, seed_slider.value, figsize=figsize
            )
        except ValueError as error:
            show_error(output, error)
            return
        show_figure(output, fig)

    def next_seed(_button) -> None:
        seed_slider.value = (seed_slider.value + 1) % (_SEED_MAX + 1)

    for control in (max_augs, hard, mode, seed_slider):
        control.observe(redraw, names="value")
    new_draw.on_click(next_seed)
    explorer = ExplorerBox(
        [
            widgets.HBox([max_augs, hard]),
            mode,
            widgets.HBox([seed_slider, new_draw]),
            output,
        ]
    )
    explorer.controls = {
        "max_augs_per_seq": max_augs,
        "hard_aug": hard,
        "subset_mode": mode,
        "seed": seed_slider,
        "new_draw": new_draw,
        "output": output,
    }
    redraw()
    return explorer
