"""What the three explorers share: showing a figure in an ``Output``, and a box that stays visible statically.

Works with ipywidgets 7.7 (Colab's preinstalled version) and 8.x:

* :func:`show_bundle` writes a display bundle into an ``Output`` widget (in a kernel
  through ``with output: display(...)``, as Jupyter, Voila and Colab capture it;
  elsewhere straight into ``Output.outputs``, so unit tests read it back).
* :class:`ExplorerBox` is a ``VBox`` whose display bundle also holds the current
  figure as ``image/png``: a page rendered without a live kernel (GitHub, the
  documentation site) shows that figure; a live frontend shows the widget.
"""

from __future__ import annotations

import base64
import io

import ipywidgets as widgets
import matplotlib.pyplot as plt

#: ``(major, minor)`` of the installed ipywidgets, e.g. ``(7, 7)`` on Colab.
IPYWIDGETS_VERSION = tuple(int(part) for part in widgets.__version__.split(".")[:2])

STYLE = {"description_width": "initial"}


def in_kernel() -> bool:
    """Whether we run inside an IPython kernel (a notebook, Voila, Colab), not a script or a test."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - ipywidgets depends on IPython
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def show_bundle(output: widgets.Output, bundle: dict) -> None:
    """Replace what ``output`` shows by one display bundle ``{mime type: data}``."""
    if in_kernel():
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
    for item in output.outputs:
        png = item.get("data", {}).get("image/png")
        if png:
            return png
    return None


class ExplorerBox(widgets.VBox):
    """A ``VBox`` that also carries its figure as ``image/png`` when displayed (static fallback).

    ``controls`` maps names to the explorer's widgets; ``controls["output"]`` is
    the ``Output`` the figure is drawn into.
    """

    controls: dict

    def _static_png(self) -> str | None:
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
