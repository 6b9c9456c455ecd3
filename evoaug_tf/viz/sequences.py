"""Nucleotide tracks: a sequence, an augmentation explained, sequence mode vs batch mode.

Every figure here draws one-hot DNA as a row of coloured cells, one per position
(A green, C blue, G amber, T red, the usual logo colours), with the letters
written in when the cells are wide enough to read them.

* :func:`plot_sequence`: one sequence ``(L, 4)`` as a track, or as a heatmap of
  its values when it is not one-hot (e.g. after noise).
* :func:`plot_augmentation`: the original above its augmented version. Grey
  ribbons join every stretch of DNA to where it went; what the augmentation
  changed is outlined (deleted, inserted, inverted, wrapped, mutated) and the
  random DNA it added is outlined dashed in purple.
* :func:`describe_augmentation`: the drawn change as a plain dict.
* :func:`plot_modes`: sequence mode (a draw per sequence) next to batch mode (one
  draw for the whole batch), as in the EvoAug-TF paper's Fig. 1b.

Inputs may be NumPy arrays or tensors. Every function returns the matplotlib
``Figure`` and never shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import matplotlib.transforms as mtransforms
import numpy as np
import tensorflow as tf
from matplotlib.artist import Artist
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon, Rectangle
from matplotlib.ticker import MaxNLocator

from evoaug_tf import augment, validation
from evoaug_tf.validation import ALPHABET, is_int, is_real  # noqa: F401  (order of the one-hot axis, re-exported)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from evoaug_tf.augment import AugmentBase

__all__ = ["BASE_COLORS", "describe_augmentation", "plot_sequence", "plot_augmentation", "plot_modes"]

#: Colour of each base in tracks and logos.
BASE_COLORS = {"A": "#2E9E44", "C": "#2B62C8", "G": "#F2A900", "T": "#D62E3C"}

_LETTER_COLORS = {"A": "white", "C": "white", "G": "#1F1F1F", "T": "white"}
_EMPTY_COLOR = "#D9D9D9"  # positions with no base (all-zero rows)
_RIBBON_COLOR = "#B8B8B8"  # DNA that only moved
_RIBBON_EVENT_COLOR = "#5E5E5E"  # DNA that the augmentation turned round or wrapped
_NOISE_CMAP = "RdBu_r"

# How each kind of change is outlined: Rectangle keyword arguments and a legend label.
_MARK_STYLES: dict[str, dict[str, Any]] = {
    "deleted": dict(facecolor=(1, 1, 1, 0.6), edgecolor="black", linewidth=2.0, hatch="//"),
    "filler": dict(facecolor="none", edgecolor="#7A3DB8", linewidth=2.2, linestyle=(0, (2.5, 1.5))),
    "inserted": dict(facecolor="none", edgecolor="black", linewidth=2.5),
    "inverted": dict(facecolor="none", edgecolor="black", linewidth=2.5),
    "wrapped": dict(facecolor="none", edgecolor="black", linewidth=2.5),
    "flipped": dict(facecolor="none", edgecolor="black", linewidth=2.5),
    "mutated": dict(facecolor="none", edgecolor="black", linewidth=2.0),
    "silent": dict(facecolor="none", edgecolor="#4D4D4D", linewidth=1.4, linestyle=(0, (2, 1.5))),
    "changed": dict(facecolor="none", edgecolor="black", linewidth=2.0),
}
_MARK_LABELS = {
    "deleted": "deleted",
    "filler": "random DNA (fill / padding)",
    "inserted": "inserted random DNA",
    "inverted": "inverted (reverse complement)",
    "wrapped": "wrapped round the end",
    "flipped": "reverse-complemented",
    "mutated": "mutated",
    "silent": "redrawn, same base (silent)",
    "changed": "argmax changed",
    "cut": "cut point",
}

# --------------------------------------------------------------------------- inputs
_to_numpy = validation.to_numpy


def _as_batch(x, name: str = "x", one_hot: bool = True) -> np.ndarray:
    """``(L, 4)`` or ``(N, L, 4)`` -> ``(N, L, 4)`` float32, finite, one-hot unless told otherwise."""
    return validation.check_sequence_or_batch(x, name, one_hot=one_hot)


def _as_sequence(x, name: str = "x") -> np.ndarray:
    """``(L, 4)`` or ``(1, L, 4)`` -> ``(L, 4)`` float32, finite (any values: noisy input is drawn as a heatmap)."""
    return validation.check_sequence(x, name)


def _is_onehot(values: np.ndarray) -> bool:
    return bool(np.all((values == 0) | (values == 1)) and np.all(values.sum(-1) <= 1))


def _seed_tensor(seed) -> tf.Tensor:
    """An int ``s`` means the stateless seed ``[s, 0]``; a pair is used as it is."""
    if is_int(seed):
        return tf.constant([int(seed), 0], tf.int64)
    array = _to_numpy(seed)
    if array.shape != (2,) or not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"Expected `seed` to be an int or a pair of ints (a stateless seed). Received: seed={seed!r}")
    return tf.constant(array, tf.int64)


def _check_index(index, size: int) -> int:
    if not is_int(index) or not 0 <= index < size:
        raise ValueError(
            f"Expected `index` to be an integer in [0, {size - 1}] (the batch has {size} sequences). "
            f"Received: index={index!r}"
        )
    return int(index)


def _check_letters(letters):
    if letters not in ("auto", True, False):
        raise ValueError(f"Expected `letters` to be 'auto', True or False. Received: letters={letters!r}")
    return letters


# --------------------------------------------------------------------------- the draw
def _draw(x, aug, seed):
    """Sample and apply ``aug`` once: ``(x, params, output)`` as NumPy, ``x`` as ``(N, L, 4)``."""
    if not isinstance(aug, augment.AugmentBase):
        raise ValueError(f"Expected `aug` to be an evoaug_tf augmentation (AugmentBase). Received: aug={aug!r}")
    batch = _as_batch(x)
    aug.check_length(batch.shape[1])
    inputs = tf.convert_to_tensor(batch)
    seed = _seed_tensor(seed)
    try:
        params = aug.sample(tf.shape(inputs), seed)
    except NotImplementedError:  # an evoaug-tf 1.0.3 style augmentation: __call__ only, nothing to mark
        return batch, {}, _to_numpy(aug.augment(inputs, seed))
    output = aug.apply(inputs, params)
    return batch, {key: _to_numpy(value) for key, value in params.items()}, _to_numpy(output)


def _describe(aug, batch, params, output, index) -> dict:
    """The catalogue's description of the change at ``index`` (``aug.describe_one``) with the common fields."""
    kind = (aug.name or "other") if params else "other"
    length = batch.shape[1]
    info = {
        "name": type(aug).__name__,
        "kind": kind,
        "batch_mode": bool(aug.batch_mode),
        "index": index,
        "input_length": int(length),
        "output_length": int(output.shape[1]),
    }
    if params:
        info.update(aug.describe_one(batch[index], {key: value[index] for key, value in params.items()}, output[index]))
    info.setdefault("short", "augmented")
    info["summary"] = f"{info['name']}: {info['short']}"
    return info


def describe_augmentation(x: np.ndarray, aug: AugmentBase, seed: int | tuple[int, int] = 0, index: int = 0) -> dict:
    """The change ``aug`` draws for one sequence, as a plain dict.

    Parameters
    ----------
    x : array-like
        ``(L, 4)`` one sequence or ``(N, L, 4)`` batch, one-hot ACGT.
    aug : evoaug_tf.augment.AugmentBase
        The augmentation; its ``sample`` is called once on the whole batch.
    seed : int or pair of ints
        Stateless seed; an int ``s`` means ``[s, 0]``.
    index : int
        Which sequence of the batch to describe.

    Returns
    -------
    dict
        Always ``name``, ``kind`` (deletion, insertion, inversion, translocation,
        mutation, rc, noise or other), ``batch_mode``, ``index``, ``input_length``,
        ``output_length``, ``short`` and ``summary`` (the figure title), plus:

        * deletion: ``length``, ``start``, ``end`` (input positions), ``fill_start``, ``fill_end``;
        * insertion: ``length``, ``position``, ``insert_max``, ``pad_start``, ``pad_end``,
          ``inserted_start``, ``inserted_end`` (output positions);
        * inversion: ``length``, ``start``, ``end``;
        * translocation: ``shift`` (signed), ``wrapped`` (bases that wrapped round);
        * mutation: ``sites``, ``changed``, ``silent`` (position lists) and their counts ``n_*``;
        * rc: ``flipped``;
        * noise: ``noise_mean``, ``noise_std`` (settings), ``drawn_mean``, ``drawn_std``,
          ``argmax_changed`` (positions whose largest entry changed), ``n_argmax_changed``.

    Examples
    --------
    >>> describe_augmentation(x, RandomDeletion(0, 20), seed=3)["summary"]
    'RandomDeletion: d = 7 at s = 31'
    """
    batch, params, output = _draw(x, aug, seed)
    return _describe(aug, batch, params, output, _check_index(index, batch.shape[0]))


# --------------------------------------------------------------------------- what to mark
def _layout(aug, info: dict):
    """Marks on the input row, marks on the output row and ribbons joining them (``aug.figure_layout``).

    A mark is ``(start, end, style)`` over positions ``start .. end - 1``; style
    ``"cut"`` with ``start == end`` is a line between positions. A ribbon is
    ``(in_start, in_end, out_start, out_end, reversed, event)``.
    """
    marks_in, marks_out, ribbons = aug.figure_layout(info) if info["kind"] != "other" else ([], [], [])

    def visible(mark):
        return mark[2] == "cut" or mark[1] > mark[0]

    return (
        [mark for mark in marks_in if visible(mark)],
        [mark for mark in marks_out if visible(mark)],
        [ribbon for ribbon in ribbons if ribbon[1] > ribbon[0]],
    )


def _window(window, length: int, marks=()) -> tuple[int, int]:
    """``None`` -> everything; ``"change"`` -> around the marks; ``(start, end)`` as given."""
    if window is None:
        return 0, length
    if isinstance(window, str) and window == "change":
        spans = [(start, end) for start, end, style in marks if style != "filler"]
        if not spans:
            return 0, length
        low = max(0, min(start for start, _ in spans) - 12)
        high = min(length, max(end for _, end in spans) + 12)
        missing = max(0, 40 - (high - low))
        low, high = max(0, low - missing // 2), min(length, high + missing - missing // 2)
        return low, high
    try:
        start, end = (int(value) for value in window)
    except (TypeError, ValueError):
        start, end = 0, -1
    if not 0 <= start < end <= length:
        raise ValueError(
            f"Expected `window` to be None, 'change' or (start, end) with 0 <= start < end <= {length} "
            f"(the sequence length). Received: window={window!r}"
        )
    return start, end


# --------------------------------------------------------------------------- drawing
def _new_axes(ax, figsize):
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
        return fig, ax
    return ax.figure, ax


def _cell_points(ax, cells: int) -> float:
    """Width of one position in points, from the axes' current size."""
    width = ax.figure.get_figwidth() * ax.get_position().width * 72
    return width / max(cells, 1)


def _letter_size(ax, letters, cells: int, row_points: float):
    """Font size for letters in cells, or None when they would not be readable (``letters="auto"``)."""
    if letters is False:
        return None
    size = min(12.0, 0.7 * _cell_points(ax, cells), 0.6 * row_points)
    if letters == "auto" and size < 6.0:
        return None
    return max(size, 4.0)


def _draw_track(ax, values, y0, height=1.0, window=None, fontsize=None):
    """Coloured cells for ``values`` ``(L, 4)`` at rows ``y0 .. y0 + height`` (argmax when not one-hot)."""
    length = values.shape[0]
    bases = np.argmax(values, axis=-1)
    empty = values.max(axis=-1) <= 0
    palette = np.array([to_rgb(BASE_COLORS[base]) for base in ALPHABET] + [to_rgb(_EMPTY_COLOR)])
    image = ax.imshow(
        palette[np.where(empty, len(ALPHABET), bases)][np.newaxis],
        extent=(-0.5, length - 0.5, y0, y0 + height),
        aspect="auto",
        interpolation="nearest",
        zorder=1,
    )
    image.set_gid("track")
    low, high = window if window is not None else (0, length)
    low, high = max(0, low), min(length, high)
    if fontsize is not None and high > low:
        ax.vlines(np.arange(low, high + 1) - 0.5, y0, y0 + height, colors="white", linewidth=0.8, zorder=2)
        for position in range(low, high):
            if empty[position]:
                continue
            letter = ALPHABET[bases[position]]
            ax.text(
                position,
                y0 + height / 2,
                letter,
                ha="center",
                va="center",
                fontsize=fontsize,
                fontweight="bold",
                color=_LETTER_COLORS[letter],
                clip_on=True,
                zorder=3,
                gid="letter",
            )
    return image


def _draw_heatmap(ax, values, y0, height, vmax=None):
    """The four values per position as four sub-rows (A on top), diverging colours around 0."""
    length = values.shape[0]
    vmax = float(vmax if vmax is not None else max(1.0, np.abs(values).max()))
    image = ax.imshow(
        values.T,
        extent=(-0.5, length - 0.5, y0, y0 + height),
        aspect="auto",
        interpolation="nearest",
        cmap=_NOISE_CMAP,
        vmin=-vmax,
        vmax=vmax,
        zorder=1,
    )
    image.set_gid("heatmap")
    to_right = mtransforms.blended_transform_factory(ax.transAxes, ax.transData)
    for row, letter in enumerate(ALPHABET):
        y = y0 + height * (1 - (row + 0.5) / len(ALPHABET))
        ax.text(
            1.005,
            y,
            letter,
            transform=to_right,
            ha="left",
            va="center",
            fontsize=8,
            color=BASE_COLORS[letter],
            fontweight="bold",
        )
    return image


def _draw_mark(ax, start, end, style, y0, height=1.0):
    if style == "cut":
        (line,) = ax.plot(
            [start - 0.5, start - 0.5],
            [y0 - 0.15 * height, y0 + 1.15 * height],
            color="black",
            linewidth=2.5,
            solid_capstyle="butt",
            zorder=5,
            gid="cut",
        )
        line.set_clip_on(False)
        return line
    patch = Rectangle((start - 0.5, y0), end - start, height, zorder=4, gid=style, **_MARK_STYLES[style])
    ax.add_patch(patch)
    return patch


def _draw_ribbon(ax, ribbon, y_top, y_bottom):
    """Join input stretch (at ``y_top``) to output stretch (at ``y_bottom``); crossed when reversed."""
    in_start, in_end, out_start, out_end, reverse, event = ribbon
    top_left, top_right = in_start - 0.5, in_end - 0.5
    bottom_left, bottom_right = out_start - 0.5, out_end - 0.5
    if reverse:
        bottom_left, bottom_right = bottom_right, bottom_left
    polygon = Polygon(
        [(top_left, y_top), (top_right, y_top), (bottom_right, y_bottom), (bottom_left, y_bottom)],
        closed=True,
        facecolor=_RIBBON_EVENT_COLOR if event else _RIBBON_COLOR,
        edgecolor="none",
        alpha=0.55 if event else 0.45,
        zorder=0,
        gid="ribbon",
    )
    ax.add_patch(polygon)
    return polygon


def _legend_handles(styles: set[str], ribbons: bool) -> list[Artist]:
    handles: list[Artist] = []
    for style in _MARK_LABELS:
        if style not in styles:
            continue
        if style == "cut":
            handles.append(Line2D([], [], color="black", linewidth=2.5, label=_MARK_LABELS[style]))
        else:
            handles.append(Patch(label=_MARK_LABELS[style], **_MARK_STYLES[style]))
    if ribbons:
        handles.append(Patch(facecolor=_RIBBON_COLOR, alpha=0.6, label="same DNA, before -> after"))
    return handles


def _style_axes(ax, low, high, y_max):
    ax.set_xlim(low - 0.5, high - 0.5)
    ax.set_ylim(-0.2, y_max + 0.2)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("position")
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def plot_sequence(
    x: np.ndarray,
    ax: Axes | None = None,
    letters: str | bool = "auto",
    style: str = "auto",
    window: str | tuple[int, int] | None = None,
    label: str | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Draw one sequence as a nucleotide track.

    Parameters
    ----------
    x : array-like
        ``(L, 4)`` one sequence (or ``(1, L, 4)``), ACGT order.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    letters : {"auto", True, False}
        Write the base in every cell; "auto" does it when the cells are wide
        enough to read (roughly up to 100 positions on a 12-inch figure).
    style : {"auto", "track", "heatmap"}
        "track": one coloured cell per position (the argmax base if the row is
        not one-hot); "heatmap": the four values per position as four sub-rows,
        blue below 0 and red above, with a colour bar. "auto" picks "track" for
        one-hot input and "heatmap" otherwise (e.g. after RandomNoise).
    window : (start, end), optional
        Show positions ``start .. end - 1`` only.
    label : str, optional
        Row label on the left.
    title : str, optional
        Axes title.
    figsize : (float, float), optional
        Size of a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    values = _as_sequence(x)
    letters = _check_letters(letters)
    if style not in ("auto", "track", "heatmap"):
        raise ValueError(f"Expected `style` to be 'auto', 'track' or 'heatmap'. Received: style={style!r}")
    if style == "auto":
        style = "track" if _is_onehot(values) else "heatmap"
    length = values.shape[0]
    low, high = _window(window, length)
    height = 1.0 if style == "track" else 2.0
    width = min(16.0, max(6.0, 0.18 * (high - low) + 1.5))
    fig, ax = _new_axes(ax, figsize or (width, 1.5 if style == "track" else 2.3))
    if style == "track":
        row_points = fig.get_figheight() * ax.get_position().height * 72 * height / (height + 0.4)
        _draw_track(ax, values, 0.0, height, (low, high), _letter_size(ax, letters, high - low, row_points))
    else:
        image = _draw_heatmap(ax, values, 0.0, height)
        fig.colorbar(image, ax=ax, pad=0.04, fraction=0.04, label="value")
    _style_axes(ax, low, high, height)
    ax.set_yticks([height / 2], [label or ""])
    if title:
        ax.set_title(title)
    return fig


def plot_augmentation(
    x: np.ndarray,
    aug: AugmentBase,
    seed: int | tuple[int, int] = 0,
    index: int = 0,
    ax: Axes | None = None,
    window: str | tuple[int, int] | None = None,
    letters: str | bool = "auto",
    legend: bool = True,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Draw a sequence above its augmented version and mark what the augmentation changed.

    The augmentation draws its parameters once with ``aug.sample`` (stateless
    ``seed``) for the whole batch and the sequence at ``index`` is shown. Grey
    ribbons join each stretch of the original to where it ends up (dark grey when
    it was turned round or wrapped). Marks:

    * deletion: the deleted stretch hatched in the original, the random refill at
      both ends of the output dashed purple, a black line where the gap closed;
    * insertion: a black line at the insertion point, the inserted stretch
      outlined, the random padding at both ends dashed purple;
    * inversion: the stretch outlined in both rows, its ribbon crossed;
    * translocation: the part that wrapped round outlined in both rows, an arrow
      with the shift;
    * mutation: changed sites outlined in black, silent redraws dashed grey;
    * reverse complement: a crossed ribbon and the output outlined, or "not flipped";
    * noise: the noisy values as a heatmap (four sub-rows, A to T) and their
      argmax as a third row, positions whose argmax changed outlined.

    Parameters
    ----------
    x : array-like
        ``(L, 4)`` one sequence or ``(N, L, 4)`` batch, one-hot ACGT.
    aug : evoaug_tf.augment.AugmentBase
        Any augmentation of :mod:`evoaug_tf.augment` (sequence or batch mode).
    seed : int or pair of ints
        Stateless seed of the draw; an int ``s`` means ``[s, 0]``.
    index : int
        Which sequence of the batch to show.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    window : None, "change" or (start, end)
        Positions to show: everything, the neighbourhood of the change, or a range.
    letters : {"auto", True, False}
        Write bases in the cells ("auto": when readable).
    legend : bool
        Explain the marks under the axes.
    figsize : (float, float), optional

    Returns
    -------
    matplotlib.figure.Figure
        Title: the drawn parameters, e.g. "RandomDeletion: d = 7 at s = 31".
    """
    letters = _check_letters(letters)
    batch, params, output = _draw(x, aug, seed)
    index = _check_index(index, batch.shape[0])
    info = _describe(aug, batch, params, output, index)
    marks_in, marks_out, ribbons = _layout(aug, info)
    original, augmented = batch[index], output[index]
    low, high = _window(window, max(original.shape[0], augmented.shape[0]), marks_in + marks_out)
    noise = info["kind"] == "noise"
    fig, ax = _new_axes(ax, figsize or (12.0, 4.6 if noise else 3.6))

    gap = 0.6 if noise else 1.0
    rows = [("original", 1.0, "track", original)]
    if noise:
        rows += [("noisy values", 2.0, "heatmap", augmented), ("argmax", 1.0, "track", augmented)]
    else:
        rows.append(("augmented", 1.0, "track", augmented))
    total = sum(height for _, height, _, _ in rows) + gap * (len(rows) - 1)
    bottoms, top = [], total
    for _, height, _, _ in rows:
        bottoms.append(top - height)
        top -= height + gap

    _style_axes(ax, low, high, total)
    row_points = fig.get_figheight() * ax.get_position().height * 72 / (total + 0.4)
    fontsize = _letter_size(ax, letters, high - low, row_points)
    for (_, height, style, values), y0 in zip(rows, bottoms):
        if style == "track":
            _draw_track(ax, values, y0, height, (low, high), fontsize)
        else:
            image = _draw_heatmap(ax, values, y0, height)
            fig.colorbar(image, ax=ax, pad=0.04, fraction=0.03, label="value")
    for ribbon in ribbons:
        _draw_ribbon(ax, ribbon, bottoms[0], bottoms[1] + rows[1][1])
    for start, end, style in marks_in:
        _draw_mark(ax, start, end, style, bottoms[0])
    for start, end, style in marks_out:
        _draw_mark(ax, start, end, style, bottoms[-1], rows[-1][1])

    middle_gap = bottoms[1] + rows[1][1] + gap / 2
    centre = (low + high) / 2
    if info["kind"] == "translocation":
        shift = info["shift"]
        half = max(1.0, min(abs(shift), (high - low) / 3) / 2)
        direction = 1 if shift >= 0 else -1
        ax.annotate(
            "",
            xy=(centre + direction * half, middle_gap),
            xytext=(centre - direction * half, middle_gap),
            arrowprops=dict(arrowstyle="-|>", color="black", linewidth=2, mutation_scale=18),
            zorder=6,
        )
        ax.text(
            centre,
            middle_gap + gap * 0.3,
            f"shift {shift:+d}",
            ha="center",
            va="bottom",
            fontsize=10,
            fontweight="bold",
            zorder=6,
            bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none"),
        )
    elif info["kind"] == "rc":
        text = "reverse complement" if info["flipped"] else "not flipped"
        ax.text(
            centre,
            middle_gap,
            text,
            ha="center",
            va="center",
            fontsize=11,
            fontweight="bold",
            zorder=6,
            bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="black"),
        )

    ax.set_yticks([y0 + height / 2 for y0, (_, height, _, _) in zip(bottoms, rows)], [row[0] for row in rows])
    title = info["summary"] + (f"  (sequence {index})" if batch.shape[0] > 1 else "")
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    if legend:
        handles = _legend_handles({style for _, _, style in marks_in + marks_out}, bool(ribbons))
        if handles:
            # anchored under the axes, a fixed distance (in font sizes) below the x label
            ax.legend(
                handles=handles,
                loc="upper center",
                bbox_to_anchor=(0.5, 0.0),
                borderaxespad=3.8,
                ncol=min(len(handles), 4),
                frameon=False,
                fontsize=9,
                handlelength=2.5,
            )
    return fig


def plot_modes(
    x: np.ndarray,
    sequence_aug: AugmentBase,
    batch_aug: AugmentBase,
    seed: int | tuple[int, int] = 0,
    n: int = 6,
    window: str | tuple[int, int] | None = None,
    letters: str | bool = "auto",
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Sequence mode next to batch mode for one mini-batch (EvoAug-TF Fig. 1b).

    Left: ``sequence_aug`` draws a change per sequence, so every row differs.
    Right: ``batch_aug`` draws one change for the whole batch, so every row has
    the same one (only the random DNA it adds differs). Each row is an augmented
    sequence with its change marked as in :func:`plot_augmentation`, labelled
    with its drawn parameters.

    Parameters
    ----------
    x : array-like
        ``(N, L, 4)`` batch (the first ``n`` sequences are used) or ``(L, 4)``
        one sequence, repeated ``n`` times.
    sequence_aug, batch_aug : evoaug_tf.augment.AugmentBase
        A sequence-mode augmentation and a batch-mode one (``batch_mode`` True),
        usually the same kind, e.g. ``RandomDeletion(0, 20)`` and ``RandomDeletionBatch(0, 20)``.
    seed : int or pair of ints
        Stateless seed, the same for both panels.
    n : int
        Number of sequences (rows).
    window, letters : as in :func:`plot_augmentation`.
    figsize : (float, float), optional

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: sequence mode, batch mode.
    """
    if not is_int(n) or n < 1:
        raise ValueError(f"Expected `n` to be a positive integer. Received: n={n!r}")
    letters = _check_letters(letters)
    for name, aug, wanted in (("sequence_aug", sequence_aug, False), ("batch_aug", batch_aug, True)):
        if not isinstance(aug, augment.AugmentBase):
            raise ValueError(f"Expected `{name}` to be an evoaug_tf augmentation. Received: {name}={aug!r}")
        if bool(aug.batch_mode) != wanted:
            expected = "a batch-mode augmentation (a *Batch class)" if wanted else "a sequence-mode augmentation"
            raise ValueError(f"Expected `{name}` to be {expected}. Received: {name}={aug!r}")
    batch = _as_batch(x)
    batch = np.repeat(batch, n, axis=0) if batch.shape[0] == 1 else batch[:n]
    rows = batch.shape[0]
    fig, axes = plt.subplots(1, 2, figsize=figsize or (16.0, 0.55 * rows + 1.6), layout="constrained")
    titles = ("Sequence mode: a draw per sequence", "Batch mode: one draw for the batch")
    gap = 0.35
    styles: set[str] = set()
    for ax, aug, title in zip(axes, (sequence_aug, batch_aug), titles):
        batch_in, params, output = _draw(batch, aug, seed)
        total = rows + gap * (rows - 1)
        infos = [_describe(aug, batch_in, params, output, i) for i in range(rows)]
        layouts = [_layout(aug, info)[1] for info in infos]
        low, high = _window(window, output.shape[1], [mark for marks in layouts for mark in marks])
        _style_axes(ax, low, high, total)
        row_points = fig.get_figheight() * ax.get_position().height * 72 / (total + 0.4)
        fontsize = _letter_size(ax, letters, high - low, row_points)
        centres = []
        for i, (_info, marks) in enumerate(zip(infos, layouts)):
            y0 = total - 1.0 - i * (1.0 + gap)
            _draw_track(ax, output[i], y0, 1.0, (low, high), fontsize)
            for start, end, style in marks:
                _draw_mark(ax, start, end, style, y0)
            centres.append(y0 + 0.5)
        ax.set_yticks(centres, [f"{i + 1}: {info['short']}" for i, info in enumerate(infos)], fontsize=9)
        ax.set_title(f"{title}\n{type(aug).__name__}", fontsize=11)
        styles.update(style for marks in layouts for _, _, style in marks)
    handles = _legend_handles(styles, ribbons=False)
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), frameon=False, fontsize=9)
    return fig
