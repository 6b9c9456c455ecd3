"""An interactive explorer of the augmentations, built from core ipywidgets only (Colab renders it).

The logic lives in plain functions that tests and notebooks call directly:

* :data:`PARAMETER_SPECS`: the one table of augmentations, their classes and the
  range and default of every parameter; both the functions and the widget read it.
* :func:`make_augmentation`: name + parameters + batch mode -> an augmentation.
* :func:`draw_explorer`: the figure the explorer shows (:func:`plot_augmentation`).

:func:`augmentation_explorer` only wires controls to them:

>>> from evoaug_tf.viz import augmentation_explorer
>>> augmentation_explorer(x_test[:8])      # the last expression of a notebook cell
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from evoaug_tf import augment
from evoaug_tf.validation import is_int
from evoaug_tf.viz._widgets import STYLE, ExplorerBox, show_error, show_figure
from evoaug_tf.viz.sequences import _as_batch, plot_augmentation

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "PARAMETER_SPECS",
    "AUGMENTATION_NAMES",
    "default_params",
    "has_batch_mode",
    "make_augmentation",
    "draw_explorer",
    "augmentation_explorer",
]

#: The order the explorer lists the augmentations in (the order of notebook 02).
_ORDER = ("deletion", "insertion", "translocation", "inversion", "mutation", "rc", "noise")


def _specs() -> dict:
    """The explorer's table, read from the augmentation catalogue (``augment.catalogue()``).

    Keys are class names ("RandomDeletion"); each value has the sequence-mode and batch-mode classes
    (None: no batch version) and the controls: "int_range" sets a (min, max) pair, "float" one number.
    """
    entries = {entry.name: entry for entry in augment.catalogue()}
    ordered = [entries[name] for name in _ORDER if name in entries]
    ordered += [entry for name, entry in entries.items() if name not in _ORDER]
    return {
        entry.sequence_class.__name__: {
            "sequence_class": entry.sequence_class,
            "batch_class": entry.batch_class,
            "controls": tuple(entry.controls()),
        }
        for entry in ordered
    }


#: Every augmentation the explorer offers (from the catalogue): classes and controls.
PARAMETER_SPECS = _specs()

#: Names accepted by :func:`make_augmentation`, in the explorer's order.
AUGMENTATION_NAMES = tuple(PARAMETER_SPECS)

_SEED_MAX = 999


def _spec(name) -> dict:
    if name not in PARAMETER_SPECS:
        raise ValueError(f"Expected `name` to be one of {list(AUGMENTATION_NAMES)}. Received: name={name!r}")
    return PARAMETER_SPECS[name]


def default_params(name: str) -> dict:
    """Constructor arguments of augmentation ``name`` at the table's defaults.

    e.g. ``default_params("RandomDeletion") == {"delete_min": 0, "delete_max": 20}``.
    """
    params: dict[str, Any] = {}
    for control in _spec(name)["controls"]:
        values = control["default"] if control["kind"] == "int_range" else (control["default"],)
        params.update(zip(control["keys"], values))
    return params


def has_batch_mode(name: str) -> bool:
    """Whether augmentation ``name`` has a batch-mode class (not mutation, not noise)."""
    return _spec(name)["batch_class"] is not None


def make_augmentation(name: str, params: dict | None = None, batch_mode: bool = False) -> augment.AugmentBase:
    """Build augmentation ``name`` from (some of) its constructor arguments.

    Parameters
    ----------
    name : str
        One of :data:`AUGMENTATION_NAMES`, e.g. "RandomDeletion".
    params : dict, optional
        Constructor arguments, e.g. ``{"delete_min": 0, "delete_max": 30}``;
        the ones left out take the defaults of :data:`PARAMETER_SPECS`.
    batch_mode : bool
        Build the batch-mode class (e.g. ``RandomDeletionBatch``).

    Returns
    -------
    evoaug_tf.augment.AugmentBase

    Raises
    ------
    ValueError
        Unknown name or parameter, batch mode for an augmentation without one,
        or a value the augmentation rejects.
    """
    spec = _spec(name)
    arguments = default_params(name)
    params = dict(params or {})
    unknown = sorted(set(params) - set(arguments))
    if unknown:
        raise ValueError(f"Expected parameters of {name} among {sorted(arguments)}. Received: {unknown}")
    if not isinstance(batch_mode, bool):
        raise ValueError(f"Expected `batch_mode` to be True or False. Received: batch_mode={batch_mode!r}")
    cls = spec["batch_class"] if batch_mode else spec["sequence_class"]
    if cls is None:
        raise ValueError(f"Expected batch_mode=False: {name} has no batch-mode version. Received: batch_mode=True")
    return cls(**{**arguments, **params})


def draw_explorer(
    x: np.ndarray,
    name: str,
    params: dict | None = None,
    batch_mode: bool = False,
    seed: int | tuple[int, int] = 0,
    index: int = 0,
    window: str | tuple[int, int] | None = None,
    figsize: tuple[float, float] | None = None,
    n: int = 1,
) -> Figure:
    """The explorer's figure: ``n`` sequences of a mini-batch, each above its augmented version.

    One draw of ``make_augmentation(name, params, batch_mode)`` for the whole batch
    (stateless ``seed``), shown for sequences ``index .. index + n - 1`` with
    :func:`plot_augmentation`, one panel each. In sequence mode every panel has its
    own change; in batch mode all panels have the same one.

    Parameters
    ----------
    x : array-like
        ``(N, L, 4)`` batch or ``(L, 4)`` sequence, one-hot ACGT.
    name, params, batch_mode : as in :func:`make_augmentation`.
    seed : int or pair of ints
        Stateless seed of the draw.
    index : int
        First sequence of the batch to show.
    window : None, "change" or (start, end)
        Positions to show (see :func:`plot_augmentation`).
    figsize : (float, float), optional
        Size of the whole figure; by default 12 inches wide, 3.6 (4.6 with noise) per panel.
    n : int
        Number of sequences (panels); fewer when the batch ends first.

    Returns
    -------
    matplotlib.figure.Figure
        ``n`` axes; axes ``i``'s left title is the drawn change of sequence ``index + i``.
    """
    aug = make_augmentation(name, params, batch_mode)
    batch = _as_batch(x)
    if not is_int(n) or n < 1:
        raise ValueError(f"Expected `n` to be a positive integer. Received: n={n!r}")
    if not is_int(index) or not 0 <= index < batch.shape[0]:
        raise ValueError(f"Expected `index` to be an integer in [0, {batch.shape[0] - 1}]. Received: index={index!r}")
    rows = range(int(index), min(int(index) + int(n), batch.shape[0]))
    if len(rows) == 1:
        return plot_augmentation(batch, aug, seed=seed, index=rows[0], window=window, figsize=figsize)
    panel = 4.6 if name == "RandomNoise" else 3.6
    fig, axes = plt.subplots(len(rows), 1, figsize=figsize or (12.0, panel * len(rows)), layout="constrained")
    for i, (ax, row) in enumerate(zip(axes, rows)):
        plot_augmentation(batch, aug, seed=seed, index=row, ax=ax, window=window, legend=i == len(rows) - 1)
    mode = "batch mode: one draw for the whole batch" if aug.batch_mode else "sequence mode: a draw per sequence"
    fig.suptitle(f"{type(aug).__name__}, {mode}", fontsize=13)
    return fig


# --------------------------------------------------------------------------- widget
def _control_widget(control: dict, length: int):
    style = STYLE
    if control["kind"] == "int_range":
        high = max(control["min"] + 1, min(control["max"], length))
        low_default, high_default = (min(value, high) for value in control["default"])
        return widgets.IntRangeSlider(
            value=(low_default, high_default),
            min=control["min"],
            max=high,
            step=1,
            description=control["label"],
            style=style,
            continuous_update=False,
        )
    return widgets.FloatSlider(
        value=control["default"],
        min=control["min"],
        max=control["max"],
        step=control["step"],
        description=control["label"],
        style=style,
        continuous_update=False,
        readout_format=".2f",
    )


def augmentation_explorer(
    x: np.ndarray, name: str = "RandomDeletion", seed: int = 0, n: int = 4, figsize: tuple[float, float] | None = None
) -> ExplorerBox:
    """An interactive explorer: pick an augmentation, move its sliders, see the change on several sequences.

    Controls: the augmentation (all seven), a slider per parameter (ranges from
    :data:`PARAMETER_SPECS`), batch mode (one draw for the whole batch; disabled
    for mutation and noise, which have none), zoom to the change, the seed and a
    "new draw" button, the first sequence shown and how many. Every change redraws
    :func:`draw_explorer` into an ``Output`` below the controls. Shown with several
    sequences, sequence mode (a change per sequence) and batch mode (the same
    change everywhere) look different.

    Parameters
    ----------
    x : array-like
        ``(N, L, 4)`` batch or ``(L, 4)`` sequence, one-hot ACGT. Batch mode
        draws once for all ``N`` sequences.
    name : str
        Augmentation shown first.
    seed : int
        Initial seed, 0 to 999.
    n : int
        Sequences shown at first (at most ``N``).
    figsize : (float, float), optional
        Size of the drawn figures.

    Returns
    -------
    ExplorerBox
        The explorer (an ``ipywidgets.VBox``; without a live kernel it displays its
        first figure as a PNG). Its ``controls`` attribute maps "augmentation",
        "batch_mode", "zoom", "parameters" (a dict label -> slider, rebuilt when the
        augmentation changes), "seed", "new_draw", "index", "count" and "output" to
        the widgets.
    """
    batch = _as_batch(x)
    size, length = batch.shape[0], batch.shape[1]
    _spec(name)
    if not is_int(seed) or not 0 <= seed <= _SEED_MAX:
        raise ValueError(f"Expected `seed` to be an integer in [0, {_SEED_MAX}]. Received: seed={seed!r}")
    if not is_int(n) or n < 1:
        raise ValueError(f"Expected `n` to be a positive integer. Received: n={n!r}")
    chooser = widgets.Dropdown(options=AUGMENTATION_NAMES, value=name, description="augmentation", style=STYLE)
    batch_mode = widgets.Checkbox(
        value=False, description="batch mode (one draw for all)", disabled=not has_batch_mode(name), indent=False
    )
    zoom = widgets.Checkbox(value=False, description="zoom to change", indent=False)
    seed_slider = widgets.IntSlider(
        value=int(seed), min=0, max=_SEED_MAX, description="seed", style=STYLE, continuous_update=False
    )
    new_draw = widgets.Button(description="new draw", icon="refresh", tooltip="next seed")
    index = widgets.IntSlider(
        value=0,
        min=0,
        max=max(size - 1, 0),
        description="first sequence",
        style=STYLE,
        disabled=size == 1,
        continuous_update=False,
    )
    count = widgets.IntSlider(
        value=min(int(n), size),
        min=1,
        max=max(size, 1),
        description="sequences shown",
        style=STYLE,
        disabled=size == 1,
        continuous_update=False,
    )
    parameter_box = widgets.VBox()
    output = widgets.Output()
    sliders: dict[str, widgets.Widget] = {}
    quiet = {"on": False}  # no redraws while controls are being rebuilt

    def current_params() -> dict:
        params: dict[str, Any] = {}
        for control in PARAMETER_SPECS[chooser.value]["controls"]:
            value = sliders[control["label"]].value
            params.update(zip(control["keys"], value if control["kind"] == "int_range" else (value,)))
        return params

    def redraw(_change=None) -> None:
        if quiet["on"]:
            return
        try:
            fig = draw_explorer(
                batch,
                chooser.value,
                current_params(),
                batch_mode.value,
                seed_slider.value,
                index.value,
                window="change" if zoom.value else None,
                figsize=figsize,
                n=count.value,
            )
        except ValueError as error:  # e.g. a length the sequences cannot hold
            show_error(output, error)
            return
        show_figure(output, fig)

    def build_parameters(_change=None) -> None:
        quiet["on"] = True
        try:
            sliders.clear()
            for control in PARAMETER_SPECS[chooser.value]["controls"]:
                slider = _control_widget(control, length)
                slider.observe(redraw, names="value")
                sliders[control["label"]] = slider
            parameter_box.children = tuple(sliders.values())
            if not has_batch_mode(chooser.value):
                batch_mode.value = False
            batch_mode.disabled = not has_batch_mode(chooser.value)
        finally:
            quiet["on"] = False
        redraw()

    def next_seed(_button) -> None:
        seed_slider.value = (seed_slider.value + 1) % (_SEED_MAX + 1)

    chooser.observe(build_parameters, names="value")
    for control in (batch_mode, zoom, seed_slider, index, count):
        control.observe(redraw, names="value")
    new_draw.on_click(next_seed)

    explorer = ExplorerBox(
        [
            widgets.HBox([chooser, batch_mode, zoom]),
            parameter_box,
            widgets.HBox([seed_slider, new_draw]),
            widgets.HBox([index, count]),
            output,
        ]
    )
    explorer.controls = {
        "augmentation": chooser,
        "batch_mode": batch_mode,
        "zoom": zoom,
        "parameters": sliders,
        "seed": seed_slider,
        "new_draw": new_draw,
        "index": index,
        "count": count,
        "output": output,
    }
    build_parameters()
    return explorer
