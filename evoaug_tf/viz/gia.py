"""Figure of a global importance analysis: each arm's response beside the ground truth's.

>>> from evoaug_tf import attribution, viz
>>> pairs = {"oracle": attribution.pair_spacing(oracle, a, b), "standard": attribution.pair_spacing(model, a, b)}
>>> fig = viz.plot_gia(pairs, task_names=("Dev", "Hk"))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from evoaug_tf.attribution.gia import PairSpacing, PositionScan

__all__ = ["plot_gia"]

_REFERENCE_STYLE = {"color": "black", "linewidth": 2.4, "zorder": 5}


def _check_results(results, kind, name):
    if not isinstance(results, Mapping) or not results:
        raise ValueError(
            f"Expected {name} to be a non-empty dict of arm name -> {kind.__name__}. Received: {name}={results!r}"
        )
    shapes = set()
    for arm, result in results.items():
        if not isinstance(result, kind):
            raise ValueError(f"Expected {name}[{arm!r}] to be a {kind.__name__}. Received: {type(result).__name__}")
        shapes.add(result.effect.shape)
    if len(shapes) != 1:
        raise ValueError(f"Expected every arm of {name} to have the same shape. Received: {sorted(shapes)}")


def plot_gia(
    pairs: Mapping[str, PairSpacing],
    scans: Mapping[str, PositionScan] | None = None,
    task_names: Sequence[str] | None = None,
    reference: str | None = "oracle",
    title: str | None = None,
) -> Figure:
    """Pair-spacing curves (same and opposite orientation) and, optionally, a position scan, per task.

    One row per task; columns: motif B on A's strand, B on the opposite strand, and (with
    ``scans``) the single motif's position scan. Every arm is a line with its standard-error band;
    the ``reference`` arm (the ground truth) is drawn thick and black.

    Parameters
    ----------
    pairs : dict of str -> PairSpacing
        Arm name -> :func:`~evoaug_tf.attribution.pair_spacing` result; all with the same shape.
    scans : dict of str -> PositionScan, optional
        Arm name -> :func:`~evoaug_tf.attribution.position_scan` result.
    task_names : sequence of str, optional
        One name per task (default "task 0", ...).
    reference : str or None
        The arm drawn as ground truth.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_results(pairs, PairSpacing, "pairs")
    if scans is not None:
        _check_results(scans, PositionScan, "scans")
    first = next(iter(pairs.values()))
    n_tasks = first.effect.shape[-1]
    names = list(task_names) if task_names is not None else [f"task {t}" for t in range(n_tasks)]
    if len(names) != n_tasks:
        raise ValueError(f"Expected {n_tasks} task names. Received: task_names={task_names!r}")
    columns = 3 if scans is not None else 2
    fig, axes = plt.subplots(n_tasks, columns, figsize=(4.2 * columns, 2.8 * n_tasks), squeeze=False)
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    colours: dict[str, str] = {}
    for arm in list(pairs) + list(scans or {}):
        if arm != reference and arm not in colours:
            colours[arm] = cycle[len(colours) % len(cycle)]

    def draw(ax, x, y, sem, arm):
        style = _REFERENCE_STYLE if arm == reference else {"color": colours[arm], "linewidth": 1.4}
        ax.plot(x, y, label=arm, **style)
        ax.fill_between(x, y - sem, y + sem, color=style["color"], alpha=0.15, linewidth=0)

    for task in range(n_tasks):
        for column, orientation in enumerate(first.orientations):
            ax = axes[task, column]
            for arm, result in pairs.items():
                draw(ax, result.spacings, result.effect[column, :, task], result.sem[column, :, task], arm)
            ax.axhline(0.0, color="grey", linewidth=0.6)
            ax.set_title(f"{names[task]}: pair, {orientation} strand", fontsize=10)
            ax.set_xlabel("gap between the motifs (nt)")
            if column == 0:
                ax.set_ylabel("mean effect (GIA)")
        if scans is not None:
            ax = axes[task, 2]
            for arm, scan in scans.items():
                draw(ax, scan.positions, scan.effect[:, task], scan.sem[:, task], arm)
            ax.axhline(0.0, color="grey", linewidth=0.6)
            ax.set_title(f"{names[task]}: one motif scanned", fontsize=10)
            ax.set_xlabel("motif start (nt)")
    axes[0, -1].legend(fontsize=8, loc="best")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
