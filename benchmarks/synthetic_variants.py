"""Standard vs EvoAug vs EvoAug + finetune on the synthetic DeepSTARR data, default and grammar variants.

For each variant (``grammar=False``, ``grammar=True``) and each seed: the synthetic data (5,000
training sequences, the data seed fixed at 0 so the seeds vary only the models) is trained with
:func:`evoaug_tf.experiments.compare_training` under the ``offline`` size protocol
(``sizes.get("offline")``), with the paper's ITD augmentations in batch mode, two per sequence,
hard_aug, one subset per mini-batch. Scored on the test set: Pearson r per task, and motif
recovery, the pooled AUROC of the corrected saliency x input of the 100 most active test
sequences of each task against the positions of that task's planted motifs.

Each finished (variant, seed) is appended to ``--out`` (CSV) at once, and a rerun skips the ones
already there, so the run can be stopped and resumed. Progress goes to stdout::

    nohup python benchmarks/synthetic_variants.py --seeds 0 1 2 > synthetic_variants.log 2>&1 &
    python benchmarks/synthetic_variants.py --table      # the summary of what is in --out
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pandas as pd

from evoaug_tf import attribution, experiments, recipes, sizes
from evoaug_tf.datasets import make_synthetic_deepstarr
from evoaug_tf.datasets.synthetic import DEEPSTARR_DEV_MOTIFS, DEEPSTARR_HK_MOTIFS
from evoaug_tf.models import DeepSTARR

TASK_MOTIFS = (DEEPSTARR_DEV_MOTIFS, DEEPSTARR_HK_MOTIFS)
RUNS = ("standard", "evoaug", "evoaug+finetune")


def task_mask(sites, motif_names, length):
    """``(N, L)`` bool: True on the planted motifs of one task."""
    mask = np.zeros((len(sites), length), bool)
    for row, row_sites in enumerate(sites):
        for site in row_sites:
            if site.name in motif_names:
                mask[row, site.start : site.end] = True
    return mask


def motif_recovery(model, data, top):
    """Pooled motif-recovery AUROC per task from corrected saliency x input."""
    scores = []
    for task in range(data.y_test.shape[1]):
        rows = np.argsort(-data.y_test[:, task])[:top]
        x = data.x_test[rows].astype("float32")
        grads = attribution.saliency(model, x, task=task)
        mask = task_mask([data.sites["test"][i] for i in rows], TASK_MOTIFS[task], data.length)
        scores.append(attribution.motif_recovery_auroc(grads, mask, x).pooled)
    return scores


def run_one(grammar, seed, size, top, log):
    data = make_synthetic_deepstarr(n=recipes.synthetic_total(size.train_sequences), seed=0, grammar=grammar)

    def model_func(input_shape, output_shape=2):
        return DeepSTARR(input_shape, output_shape, batchnorm_momentum=size.batchnorm_momentum)

    recovery = {}
    original = experiments.train_evoaug

    def train_evoaug_scoring_stage1(*args, on_stage1_end=None, **kwargs):
        def hook(model):
            recovery["evoaug"] = motif_recovery(model, data, top)
            if on_stage1_end is not None:
                on_stage1_end(model)

        return original(*args, on_stage1_end=hook, **kwargs)

    experiments.train_evoaug = train_evoaug_scoring_stage1
    try:
        table = experiments.compare_training(
            data,
            lambda: experiments.augmentations("ITD", batch_mode=True),
            size.protocol,
            trials=[seed],
            model_func=model_func,
            max_augs_per_seq=2,
            hard_aug=True,
            subset_mode="batch",
            log=log,
            keep_models=True,
        )
    finally:
        experiments.train_evoaug = original
    models = table.attrs["models"]
    recovery["standard"] = motif_recovery(models[("standard", seed)], data, top)
    recovery["evoaug+finetune"] = motif_recovery(models[("evoaug", seed)], data, top)
    table = table.drop(columns=[c for c in table.columns if c not in ("run", "trial", "task", "pearson_r", "seconds")])
    task_index = {name: t for t, name in enumerate(data.task_names)}
    table["motif_auroc"] = [recovery[run][task_index[task]] for run, task in zip(table["run"], table["task"])]
    table.insert(0, "variant", "grammar" if grammar else "default")
    return table


def summary(frame):
    grouped = frame.groupby(["variant", "run", "task"], sort=False)[["pearson_r", "motif_auroc"]]
    out = grouped.agg(["mean", "std", "count"]).round(3)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--variants", nargs="+", default=["default", "grammar"], choices=["default", "grammar"])
    parser.add_argument("--size", default="offline", help="a size of evoaug_tf.sizes (default offline)")
    parser.add_argument("--top", type=int, default=100, help="most active test sequences per task for recovery")
    parser.add_argument("--out", default="benchmarks/results/synthetic_variants.csv")
    parser.add_argument("--table", action="store_true", help="only print the summary of --out")
    args = parser.parse_args(argv)
    out = Path(args.out)
    done = pd.read_csv(out) if out.exists() else pd.DataFrame(columns=["variant", "trial"])
    if not args.table:
        size = sizes.get(args.size)
        out.parent.mkdir(parents=True, exist_ok=True)
        print(f"size {size.name}: {size.train_sequences} training sequences, protocol {size.protocol}", flush=True)
        for seed in args.seeds:
            for variant in args.variants:
                if ((done["variant"] == variant) & (done["trial"] == seed)).any():
                    print(f"{variant} seed {seed}: already in {out}, skipped", flush=True)
                    continue
                start = time.perf_counter()
                print(f"{variant} seed {seed} ...", flush=True)
                table = run_one(variant == "grammar", seed, size, args.top, lambda s: print(s, flush=True))
                table.to_csv(out, mode="a", header=not out.exists(), index=False)
                done = pd.read_csv(out)
                print(f"{variant} seed {seed} done in {time.perf_counter() - start:.0f} s", flush=True)
    if len(done):
        with pd.option_context("display.width", 200):
            print(summary(done))


if __name__ == "__main__":
    main()
