"""``python -m evoaug_tf demo``: DeepSTARR trained three ways, compared on the test set.

Standard training, EvoAug (insertion + translocation + deletion, 2 per sequence) and EvoAug +
finetuning. By default on synthetic DeepSTARR-like data at the ``offline`` size (5,000 training
sequences, minutes on 2 CPU cores, no download); ``--data deepstarr`` runs it on the real DeepSTARR
data (the ``paper`` size unless ``--size`` says otherwise: a GPU job). Sizes: ``evoaug_tf.sizes``.

Finished runs are kept in ``OUT/runs``; running the same command again resumes.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING

from evoaug_tf.commands._cli import SIZE_NAMES, non_negative_int, parser, positive_int, run_command

if TYPE_CHECKING:
    import pandas

    from evoaug_tf import sizes

__all__ = ["RESULT_FILES", "build_parser", "main", "resolve_size", "run"]


def build_parser() -> argparse.ArgumentParser:
    result = parser("python -m evoaug_tf demo", __doc__)
    result.add_argument(
        "--size",
        choices=list(SIZE_NAMES),
        default=None,
        help="run size (default: offline; with --data deepstarr: paper)",
    )
    result.add_argument(
        "--data",
        choices=["synthetic", "deepstarr"],
        default=None,
        help="synthetic (offline) or the real DeepSTARR data, downloaded to --data-dir (default: what the size uses)",
    )
    result.add_argument(
        "--train-size",
        type=positive_int,
        default=None,
        help="training sequences (default: the size's; real data keeps the first N rows)",
    )
    result.add_argument("--trials", type=positive_int, default=None, help="trials (seeds 0, 1, ...) per run")
    result.add_argument("--epochs", type=positive_int, default=None, help="maximum stage-1 epochs")
    result.add_argument("--finetune-epochs", type=positive_int, default=None, help="maximum finetuning epochs")
    result.add_argument("--batch-mode", action="store_true", help="use the batch versions of I, T and D")
    result.add_argument(
        "--subset-mode",
        choices=["sequence", "batch"],
        default="batch",
        help="batch: one subset of augmentations per mini-batch (EvoAug-TF's, as in the paper and "
        "evoaug-tf 1.0.3; default); sequence: one per sequence (the PyTorch EvoAug's method)",
    )
    result.add_argument("--data-dir", default="data")
    result.add_argument(
        "--out", default=os.path.join("outputs", "demo"), help="folder for the table, the figure and the finished runs"
    )
    result.add_argument("--seed", type=non_negative_int, default=0, help="seed of the synthetic data")
    return result


def resolve_size(args: argparse.Namespace) -> sizes.Size:
    """The size the options describe (``--size``, ``--data``, ``--train-size``, ``--epochs``, ...)."""
    from evoaug_tf import sizes

    name = args.size or ("paper" if args.data == "deepstarr" else "offline")
    size = sizes.get(name)
    changes = {}
    if args.data is not None:
        changes["synthetic"] = args.data == "synthetic"
    if args.data == "synthetic" and size.train_sequences is None:
        changes["train_sequences"] = sizes.SIZES["offline"].train_sequences
    for option, field in (
        ("train_size", "train_sequences"),
        ("trials", "trials"),
        ("epochs", "epochs"),
        ("finetune_epochs", "finetune_epochs"),
    ):
        if getattr(args, option) is not None:
            changes[field] = getattr(args, option)
    return sizes.with_overrides(size, **changes)


def run(args: argparse.Namespace) -> pandas.DataFrame:
    import matplotlib

    matplotlib.use("agg")
    from evoaug_tf import experiments, recipes, runs, viz

    size = resolve_size(args)
    recipe = recipes.resolve(size, "deepstarr", seed=args.seed)
    data = recipe.load(args.data_dir)
    protocol = recipe.protocol
    model_func = recipe.model_func

    print(
        f"size {size.name}: {data.name}: train {len(data.x_train):,}, valid {len(data.x_valid):,}, "
        f"test {len(data.x_test):,} sequences of {data.x_train.shape[1]} nt; tasks {', '.join(data.task_names)}"
    )
    print(f"protocol: {protocol}")
    print(
        f"subsets of augmentations drawn per {args.subset_mode}"
        + (" (the original EvoAug's method)" if args.subset_mode == "sequence" else " (EvoAug-TF's method)")
    )
    settings = {"args": vars(args), "size": size.name, "protocol": asdict(protocol)}
    _set_aside_other_results(args.out, settings)
    start = time.perf_counter()
    table = experiments.compare_training(
        data,
        lambda: experiments.augmentations("ITD", batch_mode=args.batch_mode),
        protocol,
        trials=range(size.trials),
        model_func=model_func,
        subset_mode=args.subset_mode,
        out_dir=os.path.join(args.out, "runs"),
    )
    summary = experiments.summarize(table, "pearson_r")
    print(f"\nTest Pearson r (mean over {size.trials} trial{'s' * (size.trials > 1)}):")
    print(summary["mean"].round(3).to_string())
    print("\nTest Spearman rho:")
    print(experiments.summarize(table, "spearman_r")["mean"].round(3).to_string())

    os.makedirs(args.out, exist_ok=True)
    runs.atomic_write(os.path.join(args.out, "results.csv"), lambda path: table.to_csv(path, index=False))
    runs.write_json(os.path.join(args.out, "settings.json"), settings)
    figure = viz.plot_comparison(table, metric="pearson_r")
    png = os.path.join(args.out, "comparison.png")
    runs.atomic_write(png, lambda path: figure.savefig(path, dpi=150, format="png"))
    print(f"\nSaved {args.out}/results.csv and comparison.png ({time.perf_counter() - start:.0f} s)")
    return table


RESULT_FILES = ("results.csv", "comparison.png", "settings.json")


def _set_aside_other_results(out, settings) -> None:
    """Move the results of a demo run with other settings out of the way (to ``out/stale/``), saying so.

    So ``results.csv`` in ``out`` is only ever the table of the settings last run, even when that run
    is interrupted before writing its own.
    """
    from evoaug_tf import runs

    path = os.path.join(out, "settings.json")
    present = [name for name in RESULT_FILES if os.path.exists(os.path.join(out, name))]
    if not present:
        return
    try:
        with open(path) as handle:
            saved = json.load(handle)
    except (OSError, ValueError):
        saved = None
    same = json.loads(json.dumps(settings)) == saved
    if same:
        return
    changed = runs.changed_fields(saved, json.loads(json.dumps(settings))) if isinstance(saved, dict) else ["unknown"]
    base = os.path.join(out, runs.STALE_FOLDER, time.strftime("results_%Y%m%d-%H%M%S"))
    stale, number = base, 1
    while os.path.exists(stale):
        number += 1
        stale = f"{base}.{number}"
    os.makedirs(stale)
    for name in present:
        os.replace(os.path.join(out, name), os.path.join(stale, name))
    print(f"{out} held the results of other settings (changed: {', '.join(changed)}): moved them to {stale}")


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(build_parser(), run, argv)
