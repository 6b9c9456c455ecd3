"""Figures for interpretability: attribution logos side by side, score distributions with a test.

* :func:`plot_attribution_logos`: the same sequences explained by several models (e.g. standard
  vs EvoAug training), one logo per model and sequence, ground-truth motifs shaded.
* :func:`plot_score_boxes`: box plots of per-sequence scores (attribution consistency, variation
  under shifts, motif-recovery AUROC) per model, with a two-sided Mann-Whitney U p-value.
* :func:`mann_whitney_table`: the same tests as a table.

Every plotting function returns the matplotlib Figure and never shows it.
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import scipy.stats

from evoaug_tf import validation
from evoaug_tf.attribution.correction import MAP_KINDS, attribution_map
from evoaug_tf.viz.logos import plot_logo

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from matplotlib.figure import Figure

__all__ = ["GROUP_COLORS", "plot_attribution_logos", "mann_whitney_table", "plot_score_boxes"]

#: Colours of the groups in box plots, in order (standard blue, EvoAug orange, then tab10).
GROUP_COLORS = ("#1F5FA8", "#D9641E", "#2E9E44", "#7A3DB8", "#8C564B", "#E377C2")


def _check_maps(maps) -> dict[str, np.ndarray]:
    if not isinstance(maps, dict) or not maps:
        raise ValueError(
            "Expected `maps` to be a non-empty dict {name: (N, L, 4) attribution map}. "
            f"Received: {type(maps).__name__}"
        )
    arrays = {str(name): np.asarray(values, dtype=np.float32) for name, values in maps.items()}
    shapes = {array.shape for array in arrays.values()}
    first = next(iter(arrays.values()))
    if len(shapes) != 1 or first.ndim != 3 or first.shape[-1] != 4 or 0 in first.shape:
        raise ValueError(
            "Expected every map in `maps` to have the same shape (N, L, 4), not empty. "
            f"Received: maps with shapes {[array.shape for array in arrays.values()]}"
        )
    for name, array in arrays.items():
        validation.check_finite(array, f"maps[{name!r}]")
    return arrays


def _spans_from_mask(row: np.ndarray) -> list[tuple[int, int]]:
    """``(L,)`` bool -> runs of True as (start, end)."""
    padded = np.concatenate([[False], row.astype(bool), [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


def _highlights(highlight, sequences, count, length):
    """One list of spans per chosen sequence, from a mask ``(N, L)`` or from lists of spans."""
    if highlight is None:
        return [[] for _ in sequences]
    if isinstance(highlight, np.ndarray) and highlight.ndim == 2:
        if highlight.shape != (count, length):
            raise ValueError(
                f"Expected a `highlight` mask of shape (N, L) = {(count, length)}. "
                f"Received: highlight with shape {highlight.shape}"
            )
        return [_spans_from_mask(highlight[index]) for index in sequences]
    spans = list(highlight)
    if len(spans) != len(sequences):
        raise ValueError(
            f"Expected `highlight` to be an (N, L) mask or one list of (start, end) spans per sequence "
            f"({len(sequences)}). Received: {len(spans)} lists"
        )
    return [list(item) for item in spans]


def _motif_marks(motifs, sequences):
    """One list of (start, end, name) per chosen sequence, from sites or (start, end, name) tuples."""
    if motifs is None:
        return [[] for _ in sequences]
    rows = list(motifs)
    if len(rows) != len(sequences):
        raise ValueError(
            f"Expected `motifs` to hold one list of sites per entry of `sequences` ({len(sequences)}). "
            f"Received: {len(rows)} lists"
        )
    marks = []
    for row in rows:
        row_marks = []
        for site in row:
            if hasattr(site, "start") and hasattr(site, "end"):
                first, last, name = site.start, site.end, str(getattr(site, "name", ""))
            else:
                try:
                    first, last, name = site
                except (TypeError, ValueError):
                    raise ValueError(
                        "Expected each motif to be a site with start, end and name (e.g. data.sites['test'][i][j]) "
                        f"or a (start, end, name) tuple. Received: {site!r}"
                    ) from None
            row_marks.append((int(first), int(last), str(name)))
        marks.append(row_marks)
    return marks


def _clip_spans(spans, start, end):
    return [(max(a, start), min(b, end)) for a, b in spans if min(b, end) > max(a, start)]


def plot_attribution_logos(
    maps: Mapping[str, np.ndarray],
    x: np.ndarray | None = None,
    sequences: int | Sequence[int] = (0,),
    kind: str = "corrected_x_input",
    window: tuple[int, int] | None = None,
    highlight: Any | None = None,
    labels: Sequence[str] | None = None,
    sharey: bool = False,
    figsize: tuple[float, float] | None = None,
    motifs: Sequence[Sequence[Any]] | None = None,
) -> Figure:
    """Logos of the same sequences explained by several models, stacked for comparison.

    Parameters
    ----------
    maps : dict of str -> array-like
        ``{model name: (N, L, 4) attribution map}``, e.g. ``{"standard": a, "EvoAug-TF": b}``;
        all for the same ``N`` sequences.
    x : array-like, optional
        ``(N, L, 4)`` one-hot sequences; needed for the ``*_x_input`` kinds.
    sequences : sequence of int
        Which of the ``N`` sequences to draw (rows of the figure, one per model each).
    kind : str
        View of the map, see :func:`evoaug_tf.attribution.attribution_map` (default: the observed
        nucleotide's gradient-corrected score).
    window : (int, int), optional
        Positions ``start .. end - 1`` to draw (default: all ``L``).
    highlight : (N, L) bool array or list of lists of (start, end), optional
        Ground truth to shade: a mask such as ``data.motif_mask["test"]``, or one list of spans
        per entry of ``sequences``.
    labels : sequence of str, optional
        A label per entry of ``sequences`` (e.g. "Dev activity 3.2"); default "sequence i".
    sharey : bool
        Same y range for all models of a sequence (compares magnitudes; default: each its own).
    figsize : (float, float), optional
        Figure size; by default it grows with the window and the number of rows.
    motifs : list of lists of sites, optional
        Planted motifs to mark, one list per entry of ``sequences``: sites with ``start``, ``end``
        and ``name`` (a synthetic set's ``data.sites[split][i]``, :class:`~evoaug_tf.datasets.synthetic.MotifSite`)
        or ``(start, end, name)`` tuples. Each is shaded like ``highlight`` and named above the
        logo of the first model (text with gid ``"motif-label"``).

    Returns
    -------
    matplotlib.figure.Figure
        One axes per (sequence, model), sequences outermost.
    """
    arrays = _check_maps(maps)
    if kind not in MAP_KINDS:
        raise ValueError(f"Expected `kind` to be one of {MAP_KINDS}. Received: kind={kind!r}")
    count, length, _ = next(iter(arrays.values())).shape
    sequences = [sequences] if isinstance(sequences, numbers.Integral) else list(sequences)  # type: ignore[list-item, arg-type]
    if not sequences or any(not validation.is_int(i) or not 0 <= i < count for i in sequences):
        raise ValueError(f"Expected `sequences` to be indices in [0, {count}). Received: sequences={sequences!r}")
    start, end = (0, length) if window is None else window
    if not (validation.is_int(start) and validation.is_int(end) and 0 <= start < end <= length):
        raise ValueError(
            f"Expected `window` = (start, end) with 0 <= start < end <= {length}. Received: window={window!r}"
        )
    if x is not None:
        x = np.asarray(x, dtype=np.float32)
    if labels is not None and len(labels) != len(sequences):
        raise ValueError(f"Expected one label per sequence ({len(sequences)}). Received: {len(labels)} labels")
    views = {name: attribution_map(values, x, kind) for name, values in arrays.items()}
    spans = _highlights(highlight, sequences, count, length)
    marks = _motif_marks(motifs, sequences)
    for row, row_marks in enumerate(marks):
        for first, last, _ in row_marks:
            if not 0 <= first < last <= length:
                raise ValueError(
                    f"Expected motif positions 0 <= start < end <= {length}. "
                    f"Received: ({first}, {last}) in motifs[{row}]"
                )
        spans[row] = list(spans[row]) + [(first, last) for first, last, _ in row_marks]

    rows = len(sequences) * len(views)
    width = min(18.0, max(6.0, 0.08 * (end - start) + 2.0))
    fig, axes = plt.subplots(rows, 1, figsize=figsize or (width, 1.5 * rows + 0.4), layout="constrained", squeeze=False)
    axes = axes[:, 0]
    for row, index in enumerate(sequences):
        group = axes[row * len(views) : (row + 1) * len(views)]
        for ax, (name, view) in zip(group, views.items()):
            plot_logo(
                view[index, start:end],
                ax=ax,
                kind="attribution",
                start=int(start),
                highlight=_clip_spans(spans[row], start, end),
                ylabel=name,
            )
            ax.set_xlabel("")
        for first, last, name in marks[row]:
            if min(last, end) > max(first, start):
                group[0].text(
                    (max(first, start) + min(last, end) - 1) / 2,
                    1.0,
                    name,
                    transform=group[0].get_xaxis_transform(),
                    ha="center",
                    va="bottom",
                    fontsize=7,
                    gid="motif-label",
                )
        label = labels[row] if labels is not None else f"sequence {index}"
        group[0].set_title(label, loc="left", fontsize=10)
        group[-1].set_xlabel("position")
        if sharey:
            low = min(ax.get_ylim()[0] for ax in group)
            high = max(ax.get_ylim()[1] for ax in group)
            for ax in group:
                ax.set_ylim(low, high)
    return fig


def _check_scores(scores) -> dict[str, dict[str, np.ndarray]]:
    """``{group: values}`` or ``{panel: {group: values}}`` -> panels of finite 1-D arrays."""
    if not isinstance(scores, dict) or not scores:
        raise ValueError(
            "Expected `scores` to be a dict {group: values} or {panel: {group: values}}. "
            f"Received: {type(scores).__name__}"
        )
    nested = all(isinstance(value, dict) for value in scores.values())
    panels = scores if nested else {"": scores}
    result = {}
    for panel, groups in panels.items():
        if not groups:
            raise ValueError(f"Expected at least one group in panel {panel!r}. Received: an empty dict")
        cleaned = {}
        for group, values in groups.items():
            array = np.asarray(values, dtype=np.float64).ravel()
            array = array[np.isfinite(array)]
            if array.size == 0:
                raise ValueError(f"Expected finite values for group {group!r}. Received: none")
            cleaned[str(group)] = array
        result[str(panel)] = cleaned
    return result


def _format_p(p: float) -> str:
    return "p = n/a" if not np.isfinite(p) else f"p = {p:.2g}" if p >= 1e-3 else f"p = {p:.1e}"


def mann_whitney_table(scores: Mapping[str, np.ndarray], alternative: str = "two-sided") -> pd.DataFrame:
    """Mann-Whitney U test of every group against the first, per panel.

    Parameters
    ----------
    scores : dict
        ``{group: (n,) values}`` or ``{panel: {group: (n,) values}}``; NaNs are dropped.
    alternative : {"two-sided", "less", "greater"}
        As in :func:`scipy.stats.mannwhitneyu` (first group vs the other).

    Returns
    -------
    pandas.DataFrame
        Columns ``panel, group_a, group_b, n_a, n_b, median_a, median_b, U, p``.
    """
    if alternative not in ("two-sided", "less", "greater"):
        raise ValueError(
            f"Expected `alternative` to be 'two-sided', 'less' or 'greater'. Received: alternative={alternative!r}"
        )
    rows = []
    for panel, groups in _check_scores(scores).items():
        names = list(groups)
        for other in names[1:]:
            a, b = groups[names[0]], groups[other]
            statistic, p = scipy.stats.mannwhitneyu(a, b, alternative=alternative)
            rows.append(
                {
                    "panel": panel,
                    "group_a": names[0],
                    "group_b": other,
                    "n_a": a.size,
                    "n_b": b.size,
                    "median_a": float(np.median(a)),
                    "median_b": float(np.median(b)),
                    "U": float(statistic),
                    "p": float(p),
                }
            )
    columns = ["panel", "group_a", "group_b", "n_a", "n_b", "median_a", "median_b", "U", "p"]
    return pd.DataFrame(rows, columns=columns)


def plot_score_boxes(
    scores: Mapping[str, np.ndarray],
    ylabel: str = "score",
    title: str | None = None,
    alternative: str = "two-sided",
    points: bool = True,
    axes: Any = None,
    figsize: tuple[float, float] | None = None,
    seed: int = 0,
) -> Figure:
    """Box plots of per-sequence scores per group, with the Mann-Whitney U p-value.

    Parameters
    ----------
    scores : dict
        ``{group: (n,) values}`` (one panel) or ``{panel: {group: (n,) values}}`` (one panel
        each, e.g. per task). Groups are drawn in order; each is tested against the first with
        :func:`scipy.stats.mannwhitneyu` (unpaired, as in the paper) and the p-value written above.
        NaNs are dropped.
    ylabel : str
        Y-axis label, e.g. "attribution consistency (nats)".
    title : str, optional
        Figure title.
    alternative : {"two-sided", "less", "greater"}
        Alternative hypothesis of the test.
    points : bool
        Overlay the individual scores as jittered dots.
    axes : sequence of matplotlib.axes.Axes, optional
        One per panel; a new figure when None.
    figsize : (float, float), optional
        Size of a new figure.
    seed : int
        Seed of the jitter.

    Returns
    -------
    matplotlib.figure.Figure
    """
    panels = _check_scores(scores)
    table = mann_whitney_table(scores, alternative)
    if axes is None:
        width = 1.2 + 1.1 * max(len(groups) for groups in panels.values())
        fig, axes = plt.subplots(
            1, len(panels), figsize=figsize or (width * len(panels) + 0.5, 3.6), layout="constrained", squeeze=False
        )
        axes = list(axes[0])
    else:
        axes = list(np.atleast_1d(axes))
        if len(axes) != len(panels):
            raise ValueError(f"Expected {len(panels)} axes (one per panel). Received: {len(axes)}")
        fig = axes[0].figure
    rng = np.random.default_rng(seed)
    for ax, (panel, groups) in zip(axes, panels.items()):
        names = list(groups)
        colors = [GROUP_COLORS[i % len(GROUP_COLORS)] for i in range(len(names))]
        boxes = ax.boxplot(
            list(groups.values()),
            tick_labels=names,
            widths=0.55,
            patch_artist=True,
            showfliers=not points,
            medianprops=dict(color="black", linewidth=1.5),
        )
        for patch, color in zip(boxes["boxes"], colors):
            patch.set(facecolor=color, alpha=0.35, edgecolor=color, gid="box")
        if points:
            for position, (values, color) in enumerate(zip(groups.values(), colors), start=1):
                jitter = rng.uniform(-0.15, 0.15, values.size)
                ax.scatter(
                    position + jitter,
                    values,
                    s=7,
                    color=color,
                    alpha=0.55,
                    edgecolors="none",
                    zorder=3,
                    rasterized=values.size > 500,
                    gid="scores",
                )
        tests = table[table["panel"] == panel]
        if len(tests):
            low, high = ax.get_ylim()
            step = 0.08 * (high - low)
            top = max(values.max() for values in groups.values())
            for level, (_, test) in enumerate(tests.iterrows()):
                other = names.index(test["group_b"]) + 1
                y = top + step * (0.6 + 1.2 * level)
                ax.plot(
                    [1, 1, other, other],
                    [y - 0.25 * step, y, y, y - 0.25 * step],
                    color="#333333",
                    linewidth=1,
                    gid="bracket",
                )
                ax.text(
                    (1 + other) / 2,
                    y + 0.1 * step,
                    f"Mann-Whitney U {_format_p(test['p'])}",
                    ha="center",
                    va="bottom",
                    fontsize=8.5,
                    gid="pvalue",
                )
            ax.set_ylim(low, top + step * (1.6 + 1.2 * len(tests)))
        if panel:
            ax.set_title(panel)
        ax.set_ylabel(ylabel)
        ax.grid(axis="y", color="#E5E5E5", linewidth=0.8)
        ax.set_axisbelow(True)
    if title:
        fig.suptitle(title)
    return fig
