"""What the three explorers share: showing a figure in an ``Output``, and a box that stays visible statically.

Works with ipywidgets 7.7 (Colab's preinstalled version) and 8.x:

* :func:`show_bundle` writes a display bundle into an ``Output`` widget (in a Jupyter
  or Colab kernel through ``with output: display(...)``, as their frontends capture
  it; under Voila, and outside a kernel, straight into ``Output.outputs``: see
  :func:`writes_outputs_directly`).
* :class:`ExplorerBox` is a ``VBox`` whose display bundle also holds the current
  figure as ``image/png``: a page rendered without a live kernel (GitHub, the
  documentation site) shows that figure; a live frontend shows the widget.
"""

from __future__ import annotations

import base64
import io
import os
import weakref

import ipywidgets as widgets
import matplotlib.pyplot as plt

#: ``(major, minor)`` of the installed ipywidgets, e.g. ``(7, 7)`` on Colab.
IPYWIDGETS_VERSION = tuple(int(part) for part in widgets.__version__.split(".")[:2])

STYLE = {"description_width": "initial"}

# The PNG each Output shows now. In a kernel, ``Output.outputs`` is kept by the frontend, not here.
_SHOWN_PNG: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def in_kernel() -> bool:
    """Whether we run inside an IPython kernel (a notebook, Voila, Colab), not a script or a test."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - ipywidgets depends on IPython
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def in_voila() -> bool:
    """Whether this kernel was started by a Voila server (Voila sets ``VOILA_PREHEAT`` in every kernel it starts)."""
    return "VOILA_PREHEAT" in os.environ


def writes_outputs_directly() -> bool:
    """Whether :func:`show_bundle` sets ``Output.outputs`` itself instead of capturing a ``display`` call.

    Outside a kernel there is no frontend to capture anything. Under Voila, a
    captured display during the cell's first run is caught by Voila's executor
    (nbclient), which stands in for the browser's ``Output`` widget and sends the
    widget's new state to the kernel on the shell channel while it waits on that
    same channel for the cell's reply. On a loaded machine that wait sometimes
    never ends although the kernel has run the cell and gone idle, and the page
    never leaves "Executing" (our browser tests under ``stress-ng --cpu 2``, Voila
    0.5.13, nbclient 0.11, pyzmq 27: 3 pages of 9 before this change, none of 30 since).
    Setting ``outputs`` sends the state from the kernel instead; Voila's frontend
    renders it. Jupyter and Colab keep the capture their frontends are built for.
    """
    return not in_kernel() or in_voila()


def show_bundle(output: widgets.Output, bundle: dict) -> None:
    """Replace what ``output`` shows by one display bundle ``{mime type: data}``."""
    _SHOWN_PNG[output] = bundle.get("image/png")
    if not writes_outputs_directly():
        from IPython.display import display

        output.clear_output(wait=True)
        with output:
            display(bundle, raw=True)
    else:
        output.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)


def figure_bundle(fig, dpi: int = 80) -> dict:
    """``{"image/png": base64 PNG, "text/plain": the first axes' left title}`` of a matplotlib figure."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    title = fig.axes[0].get_title(loc="left") if fig.axes else ""
    return {"image/png": base64.b64encode(buffer.getvalue()).decode("ascii"), "text/plain": title}


def show_figure(output: widgets.Output, fig, dpi: int = 80) -> dict:
    """Show ``fig`` as a PNG in ``output``, close it, and return the bundle shown."""
    try:
        bundle = figure_bundle(fig, dpi=dpi)
    finally:
        plt.close(fig)
    show_bundle(output, bundle)
    return bundle


def show_error(output: widgets.Output, error: Exception) -> None:
    """Say in ``output`` why nothing could be drawn."""
    show_bundle(output, {"text/plain": f"Cannot draw: {error}"})


def _shown_png(output: widgets.Output) -> str | None:
    return _SHOWN_PNG.get(output)


class ExplorerBox(widgets.VBox):
    """A ``VBox`` that also carries its figure as ``image/png`` when displayed (static fallback).

    ``controls`` maps names to the explorer's widgets; ``controls["output"]`` is
    the ``Output`` the figure is drawn into.
    """

    controls: dict
    #: Add the figure as ``image/png`` to the display bundle (set False to publish the widget view only).
    static_figure: bool = True

    def _static_png(self) -> str | None:
        if not self.static_figure:
            return None
        output = getattr(self, "controls", {}).get("output")
        return _shown_png(output) if output is not None else None

    def _with_png(self, data: dict) -> dict:
        png = self._static_png()
        if png:
            data = {**data, "image/png": png}
        return data

    if IPYWIDGETS_VERSION >= (8, 0):

        def _repr_mimebundle_(self, **kwargs):
            bundle = super()._repr_mimebundle_(**kwargs)
            return self._with_png(bundle) if isinstance(bundle, dict) else bundle

    else:  # ipywidgets 7: widgets display themselves through _ipython_display_

        def _ipython_display_(self, **kwargs):
            from IPython.display import display

            data = {"text/plain": repr(self)}
            if self._view_name is not None:
                data["application/vnd.jupyter.widget-view+json"] = {
                    "version_major": 2,
                    "version_minor": 0,
                    "model_id": self._model_id,
                }
            display(self._with_png(data), raw=True)
            if self._view_name is not None:
                self._handle_displayed(**kwargs)
