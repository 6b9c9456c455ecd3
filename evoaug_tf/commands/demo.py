"""``python -m evoaug_tf demo``: DeepSTARR trained three ways, compared on the test set.

Standard training, EvoAug (insertion + translocation + deletion, 2 per sequence) and EvoAug +
finetuning, on synthetic DeepSTARR-like data by default (minutes on 2 CPU cores) or on the real
DeepSTARR data with ``--data deepstarr`` (a GPU job: the paper's protocol).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import time
from dataclasses import asdict, replace

from evoaug_tf.experiments import run_command
from evoaug_tf.training import PAPER_PROTOCOL

#: The synthetic demo: 5,000 training sequences, where augmentation matters.
SYNTHETIC_TRAIN_SIZE = 5000
SYNTHETIC_PROTOCOL = replace(
    PAPER_PROTOCOL, epochs=20, patience=5, lr_patience=3, finetune_epochs=5, finetune_patience=3
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evoaug_tf demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", choices=["synthetic", "deepstarr"], default="synthetic",
                        help="synthetic (default, offline) or the real DeepSTARR data (downloaded to --data-dir)")
    parser.add_argument("--train-size", type=int, default=SYNTHETIC_TRAIN_SIZE,
                        help=f"synthetic training sequences (default {SYNTHETIC_TRAIN_SIZE})")
    parser.add_argument("--trials", type=int, default=1, help="trials (seeds 0, 1, ...) per run (paper: 5)")
    parser.add_argument("--epochs", type=int, default=None, help="maximum stage-1 epochs (default: the protocol's)")
    parser.add_argument("--finetune-epochs", type=int, default=None)
    parser.add_argument("--batch-mode", action="store_true", help="use the batch versions of I, T and D")
    parser.add_argument("--data-dir", default="data")
    parser.add_argument("--out", default=os.path.join("outputs", "demo"), help="folder for the table and figure")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic data")
    return parser


def run(args) -> "pandas.DataFrame":  # noqa: F821
    import matplotlib

    matplotlib.use("agg")
    from evoaug_tf import datasets, experiments, viz
    from evoaug_tf.models import DeepSTARR

    if args.data == "synthetic":
        data = datasets.make_synthetic_deepstarr(n=round(args.train_size / 0.8), seed=args.seed)
        protocol = SYNTHETIC_PROTOCOL
        # Few steps per epoch: BatchNorm statistics must follow the weights faster than the default.
        model_func = functools.partial(DeepSTARR, batchnorm_momentum=0.9)
    else:
        data = datasets.load_deepstarr(data_dir=args.data_dir)
        protocol = PAPER_PROTOCOL
        model_func = DeepSTARR
    if args.epochs is not None:
        protocol = replace(protocol, epochs=args.epochs)
    if args.finetune_epochs is not None:
        protocol = replace(protocol, finetune_epochs=args.finetune_epochs)

    print(f"{data.name or args.data}: train {len(data.x_train):,}, valid {len(data.x_valid):,}, "
          f"test {len(data.x_test):,} sequences of {data.x_train.shape[1]} nt; tasks {', '.join(data.task_names)}")
    print(f"protocol: {protocol}")
    start = time.perf_counter()
    table = experiments.compare_training(
        data, lambda: experiments.augmentations("ITD", batch_mode=args.batch_mode), protocol,
        trials=range(args.trials), model_func=model_func,
    )
    summary = experiments.summarize(table, "pearson_r")
    print(f"\nTest Pearson r (mean over {args.trials} trial{'s' * (args.trials > 1)}):")
    print(summary["mean"].round(3).to_string())
    print("\nTest Spearman rho:")
    print(experiments.summarize(table, "spearman_r")["mean"].round(3).to_string())

    os.makedirs(args.out, exist_ok=True)
    table.to_csv(os.path.join(args.out, "results.csv"), index=False)
    with open(os.path.join(args.out, "settings.json"), "w") as handle:
        json.dump({"args": vars(args), "protocol": asdict(protocol)}, handle, indent=2)
    figure = viz.plot_comparison(table, metric="pearson_r")
    figure.savefig(os.path.join(args.out, "comparison.png"), dpi=150)
    print(f"\nSaved {args.out}/results.csv and comparison.png ({time.perf_counter() - start:.0f} s)")
    return table


def main(argv=None) -> int:
    return run_command(build_parser(), run, argv)
