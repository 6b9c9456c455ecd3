"""Translational robustness made visible: a sequence's attribution logo per model as the input shifts.

* :func:`shifted_attribution`: roll one sequence by ``shift`` (circularly), explain it,
  roll the map back, so it lines up with the unshifted sequence.
* :func:`draw_attribution`: one logo per model of such realigned maps, with the
  unshifted map drawn as a grey outline and how far the two differ.
* :func:`attribution_explorer`: the same with controls for the sequence, the method,
  gradient correction and the shift (core ipywidgets only). Maps are computed on
  demand for one sequence and cached.

A model that is robust to translation gives nearly the same realigned logo at every
shift; the EvoAug-TF paper measures this over many shifts with a variation score
(:func:`evoaug_tf.attribution.translational_robustness`).

>>> from evoaug_tf.viz import attribution_explorer
>>> attribution_explorer({"standard": model_a, "EvoAug": model_b}, x_top, task=0)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from evoaug_tf.attribution import attribute, attribution_map, roll_sequences
from evoaug_tf.validation import is_int
from evoaug_tf.viz._widgets import STYLE, ExplorerBox, show_error, show_figure
from evoaug_tf.viz.logos import plot_logo
from evoaug_tf.viz.sequences import _as_batch, _as_sequence

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    import keras
    from matplotlib.figure import Figure

__all__ = ["EXPLORER_METHODS", "MAX_SHIFT", "shifted_attribution", "draw_attribution", "attribution_explorer"]

#: Methods the explorer offers (those of :func:`evoaug_tf.attribution.attribute` that need no background).
EXPLORER_METHODS = ("saliency", "integrated_gradients")
MAX_SHIFT = 30
_CACHE_SIZE = 512


def _check_shift(shift, length: int | None = None) -> int:
    limit = MAX_SHIFT if length is None else min(MAX_SHIFT, length - 1)
    if not is_int(shift) or abs(shift) > limit:
        raise ValueError(f"Expected `shift` to be an integer in [-{limit}, {limit}]. Received: shift={shift!r}")
    return int(shift)


def _check_method(method) -> str:
    if method not in EXPLORER_METHODS:
        raise ValueError(f"Expected `method` to be one of {EXPLORER_METHODS}. Received: method={method!r}")
    return method


def _check_models(models) -> dict:
    if not isinstance(models, dict) or not models or not all(isinstance(name, str) for name in models):
        raise ValueError(
            "Expected `models` to be a non-empty dict {name: keras model}, e.g. "
            f"{{'standard': model_a, 'EvoAug': model_b}}. Received: models={models!r}"
        )
    return dict(models)


def shifted_attribution(
    model: keras.Model, x: np.ndarray, method: str = "saliency", task: int = 0, shift: int = 0, **kwargs: Any
) -> np.ndarray:
    """Attribution map of a sequence rolled by ``shift``, rolled back onto the unshifted sequence.

    Parameters
    ----------
    model : keras.Model or RobustModel
        The model to explain.
    x : array-like
        ``(L, 4)`` one-hot sequence (or ``(1, L, 4)``), ACGT.
    method : {"saliency", "integrated_gradients"}
        See :func:`evoaug_tf.attribution.attribute`. Integrated gradients are taken
        without multiplying by the input (a gradient-like map, so it can be
        corrected); the figure multiplies by the input.
    task : int
        Output column to explain.
    shift : int
        Circular shift, -30 to 30 (positive: towards the end), as
        :func:`evoaug_tf.attribution.roll_sequences`.
    **kwargs
        Passed to the method (e.g. ``steps=`` for integrated gradients).

    Returns
    -------
    np.ndarray
        ``(L, 4)`` float32 raw map in the unshifted sequence's coordinates.
    """
    sequence = _as_sequence(x)
    method = _check_method(method)
    shift = _check_shift(shift, sequence.shape[0])
    rolled = roll_sequences(sequence[np.newaxis], [shift])
    if method == "integrated_gradients":
        kwargs.setdefault("multiply_by_inputs", False)
    attr = np.asarray(attribute(model, rolled, method=method, task=task, **kwargs), dtype=np.float32)
    return roll_sequences(attr, [-shift])[0]


def _view(raw: np.ndarray, x: np.ndarray, corrected: bool) -> np.ndarray:
    return attribution_map(raw, x, kind="corrected_x_input" if corrected else "grad_x_input")


def draw_attribution(
    x: np.ndarray,
    maps: dict,
    reference: dict | None = None,
    shift: int = 0,
    corrected: bool = True,
    window: tuple[int, int] | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Logos of one sequence's realigned attribution maps, a row per model, with the unshifted map outlined.

    Parameters
    ----------
    x : array-like
        ``(L, 4)`` one-hot sequence, ACGT.
    maps : dict of str -> array-like
        ``{model name: (L, 4) raw map}`` of the shifted sequence, realigned
        (:func:`shifted_attribution`).
    reference : dict of str -> array-like, optional
        The same models' maps at shift 0; drawn as a grey outline (the per-position
        sum) and compared: the title gives the root-mean-squared difference relative
        to the reference's root mean square.
    shift : int
        The shift of ``maps`` (for the titles).
    corrected : bool
        Gradient correction (``corrected_x_input``) or not (``grad_x_input``).
    window : (int, int), optional
        Positions ``start .. end - 1`` to draw (default: all).
    title : str, optional
        Figure title.
    figsize : (float, float), optional

    Returns
    -------
    matplotlib.figure.Figure
        One axes per model, in ``maps`` order; axes ``i``'s left title names the
        model, the shift and the change.
    """
    sequence = _as_sequence(x)
    length = sequence.shape[0]
    if not isinstance(maps, dict) or not maps:
        raise ValueError(f"Expected `maps` to be a non-empty dict {{name: (L, 4) map}}. Received: maps={maps!r}")
    start, end = (0, length) if window is None else window
    if not (is_int(start) and is_int(end) and 0 <= start < end <= length):
        raise ValueError(
            f"Expected `window` to be (start, end) with 0 <= start < end <= {length}. Received: window={window!r}"
        )
    rows = len(maps)
    width = min(18.0, max(8.0, 0.16 * (end - start) + 2.0))
    fig, axes = plt.subplots(rows, 1, figsize=figsize or (width, 2.3 * rows + 0.6), layout="constrained", squeeze=False)
    for ax, (name, raw) in zip(axes[:, 0], maps.items()):
        raw = _as_sequence(raw, f"maps[{name!r}]")
        if raw.shape != sequence.shape:
            raise ValueError(f"Expected maps[{name!r}] of shape {sequence.shape}. Received: shape {raw.shape}")
        values = _view(raw, sequence, corrected)
        plot_logo(values[start:end], ax=ax, kind="attribution", start=start)
        label = f"{name}: shift {shift:+d}, realigned"
        if reference is not None and name in reference:
            base = _view(_as_sequence(reference[name], f"reference[{name!r}]"), sequence, corrected)
            positions = np.arange(start, end)
            ax.step(
                positions,
                base[start:end].sum(-1),
                where="mid",
                color="#444444",
                linewidth=1.0,
                alpha=0.8,
                label="shift 0",
                zorder=3,
            )
            scale = float(np.sqrt(np.mean(base**2))) or 1.0
            change = float(np.sqrt(np.mean((values - base) ** 2))) / scale
            label += f"; change vs. shift 0: {change:.0%} of the map's RMS"
            low, high = ax.get_ylim()
            ax.set_ylim(min(low, float(base[start:end].sum(-1).min())), max(high, float(base[start:end].sum(-1).max())))
            ax.legend(loc="upper right", fontsize=8, frameon=False)
        ax.set_title(label, loc="left", fontsize=11, fontweight="bold")
    if title:
        fig.suptitle(title, fontsize=12)
    return fig


def attribution_explorer(
    models: Mapping[str, keras.Model],
    x: np.ndarray,
    task: int = 0,
    methods: Sequence[str] = EXPLORER_METHODS,
    steps: int = 50,
    window: tuple[int, int] | None = None,
    figsize: tuple[float, float] | None = None,
) -> ExplorerBox:
    """Interactive attribution logos: pick a sequence, a method, correction and a shift; compare models.

    Controls: the sequence (index into ``x``), the method, gradient correction and
    the shift (-30 to 30; the sequence is rolled, explained, and the map rolled
    back). Each model gets a logo of its realigned map, with its unshifted map
    outlined: a translation-robust model barely moves. Maps are computed for one
    sequence at a time, when first needed, and cached.

    Parameters
    ----------
    models : dict of str -> keras.Model or RobustModel
        e.g. ``{"standard": model_a, "EvoAug": model_b}``.
    x : array-like
        ``(N, L, 4)`` one-hot sequences, ACGT.
    task : int
        Output column to explain.
    methods : sequence of str
        Offered methods, among :data:`EXPLORER_METHODS`.
    steps : int
        Integration steps of integrated gradients.
    window : (int, int), optional
        Positions to draw (default: all).
    figsize : (float, float), optional

    Returns
    -------
    ExplorerBox
        An ``ipywidgets.VBox`` (its first figure also shows without a live kernel);
        ``controls`` maps "sequence", "method", "corrected", "shift" and "output" to
        the widgets, and ``cache`` holds the computed maps.
    """
    models = _check_models(models)
    batch = _as_batch(x)
    methods = tuple(_check_method(method) for method in methods)
    if not methods:
        raise ValueError(f"Expected at least one method among {EXPLORER_METHODS}. Received: methods={methods!r}")
    if not is_int(task) or task < 0:
        raise ValueError(f"Expected `task` to be a non-negative integer. Received: task={task!r}")
    if not is_int(steps) or steps < 1:
        raise ValueError(f"Expected `steps` to be a positive integer. Received: steps={steps!r}")
    size, length = batch.shape[0], batch.shape[1]
    limit = min(MAX_SHIFT, length - 1)
    sequence = widgets.IntSlider(
        value=0,
        min=0,
        max=max(size - 1, 0),
        description="sequence",
        style=STYLE,
        disabled=size == 1,
        continuous_update=False,
    )
    method = widgets.Dropdown(options=list(methods), value=methods[0], description="method", style=STYLE)
    corrected = widgets.Checkbox(value=True, description="gradient correction", indent=False)
    shift = widgets.IntSlider(value=0, min=-limit, max=limit, description="shift", style=STYLE, continuous_update=False)
    output = widgets.Output()
    cache: dict = {}

    def raw_map(name: str, index: int, method_name: str, amount: int) -> np.ndarray:
        key = (name, index, method_name, amount)
        if key not in cache:
            if len(cache) >= _CACHE_SIZE:
                cache.pop(next(iter(cache)))
            options = {"steps": int(steps)} if method_name == "integrated_gradients" else {}
            cache[key] = shifted_attribution(models[name], batch[index], method_name, task, amount, **options)
        return cache[key]

    def redraw(_change=None) -> None:
        index, method_name, amount = sequence.value, method.value, shift.value
        try:
            maps = {name: raw_map(name, index, method_name, amount) for name in models}
            reference = {name: raw_map(name, index, method_name, 0) for name in models}
            fig = draw_attribution(
                batch[index],
                maps,
                reference,
                amount,
                corrected.value,
                window=window,
                title=f"sequence {index}, {method_name.replace('_', ' ')}, task {task}",
                figsize=figsize,
            )
        except ValueError as error:
            show_error(output, error)
            return
        show_figure(output, fig)

    for control in (sequence, method, corrected, shift):
        control.observe(redraw, names="value")
    explorer = ExplorerBox(
        [
            widgets.HBox([sequence, method, corrected]),
            shift,
            output,
        ]
    )
    explorer.controls = {
        "sequence": sequence,
        "method": method,
        "corrected": corrected,
        "shift": shift,
        "output": output,
    }
    explorer.cache = cache
    redraw()
    return explorer
