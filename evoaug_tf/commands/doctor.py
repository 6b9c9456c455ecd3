"""``python -m evoaug_tf doctor``: is this machine ready for the tutorials, and how long does each take here.

    python -m evoaug_tf doctor                    # versions, GPU, widgets, cached data, timed steps, predictions
    python -m evoaug_tf doctor --size class       # predictions for one size only
    python -m evoaug_tf doctor --no-timing        # skip the timed steps (seconds instead of about 30)

It times a short burst of real training steps of DeepSTARR and of the ChIP-seq CNN (at most about 30 s
in all on a CPU, a few seconds on a GPU), then multiplies each notebook's training and evaluation steps
(its plan, every epoch up to the cap) by those times. The prediction is an upper bound on the training
time: early stopping usually ends sooner; start-up, downloads and tracing are not included.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any

from evoaug_tf.commands._cli import SIZE_NAMES, parser, positive_int, run_command

PROG = "python -m evoaug_tf doctor"

__all__ = ["PROG", "build_parser", "main", "report"]


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    result = parser(prog, __doc__.replace(PROG, prog))
    result.add_argument(
        "--size", choices=SIZE_NAMES, default=None, help="predict notebook times for this size only (default: all)"
    )
    result.add_argument("--no-timing", action="store_true", help="skip the timed training steps")
    result.add_argument(
        "--steps", type=positive_int, default=20, help="most training steps timed per model (default 20)"
    )
    result.add_argument("--data-dir", default=None, help="where the published data is cached (default: the notebooks')")
    return result


def _row(cells, widths) -> str:
    return "  ".join(str(cell).ljust(width) for cell, width in zip(cells, widths))


def report(args: argparse.Namespace, log: Callable[..., object] = print) -> dict:
    """Print the doctor's report; returns what it found (for tests): versions, device, step times, predictions."""
    from evoaug_tf import sizes
    from evoaug_tf.tutorial import machine, plans

    found: dict[str, Any] = {"versions": machine.versions()}
    log("Versions:")
    for name, version in found["versions"].items():
        log(f"  {name:<11} {version}")
    found["widgets"] = machine.widget_frontend()
    log(f"Widgets: {found['widgets']}")
    found["data"] = machine.cached_data(args.data_dir)
    present = [name for name, state in found["data"].items() if state != "missing"]
    log(
        f"Published data cached: {', '.join(present) if present else 'none'} "
        f"({len(found['data']) - len(present)} of {len(found['data'])} files missing; the class and paper sizes "
        "download what a notebook needs on first use, or see `python -m evoaug_tf download --help`)"
    )
    if args.no_timing:
        log("Timing skipped (--no-timing): notebook times below are the Colab T4 estimates.")
        found["times"] = None
    else:
        log("Timing a few training steps of each model (at most about 30 s) ...")
        found["times"] = machine.measure_steps(steps=args.steps, log=log)
        log(found["times"].describe())

    names = [args.size] if args.size else list(sizes.SIZES)
    notebooks = list(plans.NOTEBOOKS)
    found["predictions"] = {}
    header = ["notebook", *names]
    table = []
    for notebook in notebooks:
        row = [notebook]
        for name in names:
            plan = plans.plan(notebook, name)
            minutes = machine.predict_minutes(plan, found["times"]) if found["times"] else None
            found["predictions"][(notebook, name)] = minutes
            if not plan.runs:
                row.append("no training")
            elif minutes is not None:
                row.append(f"{plans._minutes(minutes)} here")
            else:
                row.append(f"~{plans._minutes(plan.estimated_t4_minutes)} on a T4 (estimate)")
        table.append(row)
    widths = [max(len(str(r[i])) for r in [header, *table]) for i in range(len(header))]
    where = "this machine" if found["times"] else "a Colab T4"
    log(f"\nTraining time per notebook on {where} (every epoch up to the cap; early stopping ends sooner):")
    log(_row(header, widths))
    for row in table:
        log(_row(row, widths))
    return found


def main(argv: Sequence[str] | None = None, prog: str = PROG) -> int:
    return run_command(build_parser(prog), report, argv)
