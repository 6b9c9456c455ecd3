"""``python -m evoaug_tf reproduce``: the EvoAug-TF paper's experiments, saved as CSV, JSON and figures.

    python -m evoaug_tf reproduce                 # the paper's protocol on the real data (a GPU job)
    python -m evoaug_tf reproduce --quick         # a tiny version on synthetic data (minutes on a CPU)
    python -m evoaug_tf reproduce --experiments deepstarr --trials 5 --out outputs/reproduce

Experiments: ``deepstarr`` (single augmentations and combinations vs standard), ``downsample``
(DeepSTARR with 25k, 100k, 200k training sequences, ITD batch mode vs standard), ``chip`` (the nine
ChIP-seq factors, batch-mode ITD, one augmentation per sequence). A printed table sets the results
beside the published numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import asdict, replace

import pandas as pd

from evoaug_tf import augment
from evoaug_tf.experiments import BINARY, REGRESSION, augmentations, run_command, train_evoaug, train_standard
from evoaug_tf.training import PAPER_PROTOCOL

#: DeepSTARR augment lists of the paper's Fig. 1 (letters: see ``experiments.augmentations``).
DEEPSTARR_COMBINATIONS = ("R", "I", "T", "D", "M", "N", "ITD", "ITN", "RITDMN")
DOWNSAMPLE_SIZES = (25_000, 100_000, 200_000)
CHIP_FACTORS = ("ATF2", "BACH1", "CTCF", "ELK1", "GABPA", "MAX", "REST", "SRF", "ZNF24")

#: Published test scores (means of 5 trials): (experiment, run, size or factor, task) -> value.
PUBLISHED = {
    ("deepstarr", "standard", "all", "Dev"): 0.665, ("deepstarr", "standard", "all", "Hk"): 0.746,
    ("deepstarr", "ITD batch", "all", "Dev"): 0.704, ("deepstarr", "ITD batch", "all", "Hk"): 0.779,
    ("deepstarr", "ITD batch+finetune", "all", "Dev"): 0.704, ("deepstarr", "ITD batch+finetune", "all", "Hk"): 0.778,
    ("downsample", "standard", 25_000, "Dev"): 0.45, ("downsample", "standard", 25_000, "Hk"): 0.58,
    ("downsample", "ITD batch+finetune", 25_000, "Dev"): 0.50, ("downsample", "ITD batch+finetune", 25_000, "Hk"): 0.65,
    ("downsample", "standard", 100_000, "Dev"): 0.589, ("downsample", "standard", 100_000, "Hk"): 0.698,
    ("downsample", "ITD batch+finetune", 100_000, "Dev"): 0.654,
    ("downsample", "ITD batch+finetune", 100_000, "Hk"): 0.749,
    ("downsample", "standard", 200_000, "Dev"): 0.626, ("downsample", "standard", 200_000, "Hk"): 0.721,
    ("downsample", "ITD batch+finetune", 200_000, "Dev"): 0.680,
    ("downsample", "ITD batch+finetune", 200_000, "Hk"): 0.763,
    ("chip", "standard", "CTCF", "auroc"): 0.989, ("chip", "ITD batch+finetune", "CTCF", "auroc"): 0.992,
    ("chip", "standard", "BACH1", "auroc"): 0.82, ("chip", "ITD batch+finetune", "BACH1", "auroc"): 0.84,
    ("chip", "standard", "MAX", "auroc"): 0.85, ("chip", "ITD batch+finetune", "MAX", "auroc"): 0.87,
}

QUICK_PROTOCOL = replace(PAPER_PROTOCOL, epochs=2, patience=2, lr_patience=1, finetune_epochs=1, finetune_patience=1)


def chip_augmentations():
    """Batch-mode insertion, translocation and deletion, 0-20 each (the ChIP-seq setting)."""
    return [augment.RandomInsertionBatch(0, 20), augment.RandomTranslocationBatch(0, 20),
            augment.RandomDeletionBatch(0, 20)]


def _score_rows(task, data, model, protocol, **labels):
    y_pred = model.predict(data.x_test.astype("float32"), batch_size=max(256, protocol.batch_size), verbose=0)
    names = tuple(data.task_names) or tuple(f"task{t}" for t in range(data.y_test.shape[1]))
    return [{**labels, **row} for row in task.score(data.y_test, y_pred, names)]


def run_comparison(data, runs, trials, protocol, model_func, task=REGRESSION, max_augs_per_seq=2, log=print,
                   **labels) -> list[dict]:
    """Standard training once per trial, then every augment list of ``runs`` (with and without finetuning).

    Parameters
    ----------
    runs : dict
        Run name -> function returning a fresh augment list.

    Returns
    -------
    list of dict
        One row per (run, trial, task) with the scores and ``labels``.
    """
    import keras

    rows = []
    for trial in trials:
        keras.utils.set_random_seed(trial)
        start = time.perf_counter()
        model, _ = train_standard(data, model_func, protocol, task)
        rows += _score_rows(task, data, model, protocol, run="standard", trial=trial, **labels)
        log(f"  {labels} trial {trial} standard ({time.perf_counter() - start:.0f} s)")
        for name, make in runs.items():
            keras.utils.set_random_seed(trial)
            start = time.perf_counter()
            model, _, _ = train_evoaug(
                data, make(), model_func, protocol, task, max_augs_per_seq=max_augs_per_seq,
                on_stage1_end=lambda m, name=name: rows.extend(
                    _score_rows(task, data, m, protocol, run=name, trial=trial, **labels)),
            )
            rows += _score_rows(task, data, model, protocol, run=f"{name}+finetune", trial=trial, **labels)
            log(f"  {labels} trial {trial} {name} ({time.perf_counter() - start:.0f} s)")
    return rows


def compare_with_published(table: pd.DataFrame) -> pd.DataFrame:
    """Mean of each (experiment, run, size/factor, task) beside the published value where there is one."""
    metric = [column for column in ("pearson_r", "auroc") if column in table]
    rows = []
    for keys, group in table.groupby(["experiment", "run", "setting", "task"], sort=False):
        for column in metric:
            if group[column].notna().any():
                published_task = keys[3] if column == "pearson_r" else "auroc"
                rows.append({"experiment": keys[0], "run": keys[1], "setting": keys[2], "task": keys[3],
                             "metric": column, "mean": group[column].mean(), "trials": len(group),
                             "published": PUBLISHED.get((keys[0], keys[1], keys[2], published_task))})
    return pd.DataFrame(rows)


def run(args) -> pd.DataFrame:
    import matplotlib

    matplotlib.use("agg")
    from evoaug_tf import datasets, tutorial, viz

    quick = args.quick
    protocol = QUICK_PROTOCOL if quick else PAPER_PROTOCOL
    trials = range(args.trials if args.trials is not None else (1 if quick else 5))
    deepstarr_model = tutorial.model_function("deepstarr", quick=quick)
    chip_model = tutorial.model_function("CTCF", quick=quick)
    rows = []

    def deepstarr(downsample=None):
        if quick:
            size = downsample or 600
            return datasets.make_synthetic_deepstarr(n=round(size / 0.8), seed=0)
        return datasets.load_deepstarr(data_dir=args.data_dir, downsample=downsample)

    if "deepstarr" in args.experiments:
        data = deepstarr()
        combos = ("I", "ITD") if quick else DEEPSTARR_COMBINATIONS
        runs = {letters: (lambda letters=letters: augmentations(letters)) for letters in combos}
        runs["ITD batch"] = lambda: augmentations("ITD", batch_mode=True)
        rows += run_comparison(data, runs, trials, protocol, deepstarr_model, experiment="deepstarr", setting="all")
    if "downsample" in args.experiments:
        sizes = (300, 600) if quick else DOWNSAMPLE_SIZES
        for size in sizes:
            data = deepstarr(downsample=size)
            runs = {"ITD batch": lambda: augmentations("ITD", batch_mode=True)}
            rows += run_comparison(data, runs, trials, protocol, deepstarr_model, experiment="downsample",
                                   setting=size)
    if "chip" in args.experiments:
        factors = ("CTCF",) if quick else CHIP_FACTORS
        for factor in factors:
            data = (datasets.make_synthetic_chip(n=800, seed=0) if quick
                    else datasets.load_chip(factor, data_dir=args.data_dir))
            rows += run_comparison(data, {"ITD batch": chip_augmentations}, trials, protocol, chip_model, task=BINARY,
                                   max_augs_per_seq=1, experiment="chip", setting=factor)

    table = pd.DataFrame(rows)
    os.makedirs(args.out, exist_ok=True)
    table.to_csv(os.path.join(args.out, "results.csv"), index=False)
    comparison = compare_with_published(table)
    comparison.to_csv(os.path.join(args.out, "published_comparison.csv"), index=False)
    with open(os.path.join(args.out, "settings.json"), "w") as handle:
        json.dump({"args": vars(args), "protocol": asdict(protocol)}, handle, indent=2, default=str)
    for experiment, group in table.groupby("experiment", sort=False):
        metric = "auroc" if experiment == "chip" else "pearson_r"
        frame = group.assign(task=group["setting"].astype(str) + " " + group["task"].astype(str))
        viz.plot_comparison(frame, metric=metric).savefig(os.path.join(args.out, f"{experiment}.png"), dpi=150)
    with pd.option_context("display.width", 140, "display.max_rows", 200):
        print("\n" + comparison.round(3).to_string(index=False))
    print(f"\nSaved results.csv, published_comparison.csv, settings.json and figures in {args.out}")
    return table


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m evoaug_tf reproduce", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny synthetic version (tests, CPU)")
    parser.add_argument("--experiments", nargs="+", choices=["deepstarr", "downsample", "chip"],
                        default=["deepstarr", "downsample", "chip"])
    parser.add_argument("--trials", type=int, default=None, help="trials per run (default: 5; quick: 1)")
    parser.add_argument("--data-dir", default="data")
    parser.add_argument("--out", default=os.path.join("outputs", "reproduce"))
    return parser


def main(argv=None) -> int:
    return run_command(build_parser(), run, argv)
