"""Sequence logos with logomaker: attribution maps and position weight matrices.

:func:`plot_logo` draws an ``(L, 4)`` matrix as stacked letters, in the same
colours as the nucleotide tracks. Attribution maps (saliency, Integrated
Gradients, DeepSHAP, ...) keep their sign: letters above the axis push the
prediction up, letters below push it down. Probability matrices can be shown as
probabilities or as information content in bits. Spans such as the positions of
a planted motif can be shaded behind the letters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import logomaker
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from evoaug_tf.validation import is_int
from evoaug_tf.viz.sequences import ALPHABET, BASE_COLORS, _as_sequence

if TYPE_CHECKING:
    from typing import Any

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_logo"]

_KINDS = ("auto", "attribution", "probability", "counts")


def _logo_matrix(values: np.ndarray, kind: str) -> tuple[np.ndarray, str]:
    """Resolve ``kind`` and return the matrix to draw: attribution as is, counts normalised per position."""
    if kind not in _KINDS:
        raise ValueError(f"Expected `kind` to be one of {_KINDS}. Received: kind={kind!r}")
    if not np.all(np.isfinite(values)):
        raise ValueError("Expected `values` to be finite. Received: values with NaN or inf entries")
    non_negative = bool(np.all(values >= 0))
    if kind == "auto":
        kind = "probability" if non_negative and np.allclose(values.sum(-1), 1.0, atol=1e-3) else "attribution"
    if kind in ("probability", "counts"):
        if not non_negative:
            raise ValueError(f"Expected `values` >= 0 for kind={kind!r}. Received: minimum {values.min():g}")
        totals = values.sum(-1, keepdims=True)
        uniform = np.full_like(values, 1.0 / len(ALPHABET))
        values = np.where(totals > 0, values / np.where(totals > 0, totals, 1.0), uniform)
        kind = "probability"
    return values, kind


def _check_spans(highlight, start: int, length: int) -> list[tuple[int, int]]:
    spans = []
    for span in highlight or ():
        try:
            low, high = span
        except (TypeError, ValueError):
            low = high = None
        valid = all(is_int(v) for v in (low, high))
        if not valid or not start <= low < high <= start + length:
            raise ValueError(
                f"Expected `highlight` to be a list of (start, end) positions with "
                f"{start} <= start < end <= {start + length}. Received: {span!r} in highlight={highlight!r}"
            )
        spans.append((int(low), int(high)))
    return spans


def plot_logo(
    values: np.ndarray,
    ax: Axes | None = None,
    kind: str = "auto",
    information: bool = False,
    highlight: Any | None = None,
    highlight_color: str = "#FFD966",
    start: int = 0,
    title: str | None = None,
    ylabel: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Draw an attribution map or a probability matrix as a sequence logo.

    Parameters
    ----------
    values : array-like
        ``(L, 4)`` matrix, columns A, C, G, T (``(1, L, 4)`` is accepted too).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    kind : {"auto", "attribution", "probability", "counts"}
        "attribution": heights are the values, positive above the axis and
        negative below (flipped letters). "probability": rows are probabilities
        (re-normalised to sum to 1). "counts": rows are counts or weights and are
        normalised to probabilities. "auto": "probability" when every row is
        non-negative and sums to 1, else "attribution".
    information : bool
        For probabilities, draw information content (bits, 0 to 2) instead:
        each letter's height is its probability times the position's information.
    highlight : list of (start, end), optional
        Spans to shade behind the letters (positions ``start .. end - 1`` in the
        logo's coordinates), e.g. ground-truth motif positions.
    highlight_color : str
        Colour of the shaded spans.
    start : int
        Position of the first row, for the x axis and ``highlight``.
    title, ylabel : str, optional
        Axes title; y label (by default "attribution", "probability" or "information (bits)").
    figsize : (float, float), optional
        Size of a new figure; by default it grows with ``L``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    matrix, kind = _logo_matrix(_as_sequence(values, "values").astype(np.float64), kind)
    if information and kind != "probability":
        raise ValueError(
            "Expected a probability matrix (kind='probability' or 'counts') for information=True. "
            f"Received: kind={kind!r}"
        )
    if not is_int(start):
        raise ValueError(f"Expected `start` to be an integer. Received: start={start!r}")
    length = matrix.shape[0]
    spans = _check_spans(highlight, int(start), length)
    frame = pd.DataFrame(matrix, columns=list(ALPHABET), index=pd.RangeIndex(start, start + length, name="pos"))
    if information:
        frame = logomaker.transform_matrix(frame, from_type="probability", to_type="information")
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize or (min(18.0, max(5.0, 0.22 * length + 1.5)), 2.6), layout="constrained")
    else:
        fig = cast("Figure", ax.figure)
    logo = logomaker.Logo(frame, ax=ax, color_scheme=BASE_COLORS, flip_below=True, vpad=0.05, zorder=2)
    logo.style_spines(visible=False)
    logo.style_spines(spines=("left", "bottom"), visible=True)
    for low, high in spans:
        ax.axvspan(low - 0.5, high - 0.5, color=highlight_color, alpha=0.45, linewidth=0, zorder=0, gid="highlight")
    if kind == "attribution":
        ax.axhline(0.0, color="#555555", linewidth=0.8, zorder=1)
        bottom = float(min(0.0, frame.clip(upper=0).sum(axis=1).min()))
        top = float(max(0.0, frame.clip(lower=0).sum(axis=1).max()))
        margin = 0.05 * max(top - bottom, 1e-12)
        ax.set_ylim(bottom - margin, top + margin)
    elif information:
        ax.set_ylim(0.0, 2.0)
    else:
        ax.set_ylim(0.0, 1.0)
    ax.set_xlim(start - 0.5, start + length - 0.5)
    ax.set_xlabel("position")
    default_label = "attribution" if kind == "attribution" else "information (bits)" if information else "probability"
    ax.set_ylabel(ylabel or default_label)
    if title:
        ax.set_title(title)
    return fig
