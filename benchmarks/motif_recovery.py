"""Motif recovery on the synthetic world: which ground truth, and how high can an AUROC go?

Notebook 06 scores a map by how well the magnitude of each position's (corrected) attribution
separates planted motif positions from the rest (:func:`evoaug_tf.attribution.motif_recovery_auroc`).
This script asks what the ceiling of that score is, by scoring the world's own oracle the same way:
its in-silico mutagenesis (the mean absolute change of the noise-free activity over the three
substitutions at each position) is the importance a perfect model would have.

Two ground truths are compared, for each task's motifs:

- ``planted``: every planted site, whatever its affinity. A draw from a JASPAR matrix is often a
  weak site: rule 2 of :mod:`evoaug_tf.datasets.world` makes its occupancy small, so it barely moves
  the activity and a perfect model gives it little importance.
- ``bound``: the planted sites whose occupancy (rule 2, :func:`evoaug_tf.datasets.world.scan` at the
  site's start and strand) is at least one half.

It reads the models notebook 06 trained at ``offline`` size (``--runs``: their folder; runs that are
missing, or were made with other settings, are trained with notebook 06's) and prints the pooled AUROC
of the oracle and of every model, with both ground truths, on the same test sequences::

    python benchmarks/motif_recovery.py --sequences 200
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pandas as pd

from evoaug_tf import attribution, experiments, sizes, tutorial
from evoaug_tf.datasets import world
from evoaug_tf.datasets.synthetic import DEEPSTARR_DEV_MOTIFS, DEEPSTARR_HK_MOTIFS
from evoaug_tf.tutorial import plans

TASK_MOTIFS = (DEEPSTARR_DEV_MOTIFS, DEEPSTARR_HK_MOTIFS)


def masks(data, split, gc):
    """{"planted": (N, L), "bound": (N, L)} per task: bool masks of each task's sites."""
    x = data.x_test if split == "test" else data.x_train
    occupancy = world.scan(x, gc)  # (N, M, 2, L)
    out = []
    for motifs in TASK_MOTIFS:
        planted = np.zeros(x.shape[:2], bool)
        bound = np.zeros(x.shape[:2], bool)
        for row, row_sites in enumerate(data.sites[split]):
            for site in row_sites:
                if site.name not in motifs:
                    continue
                planted[row, site.start : site.end] = True
                m = world.MOTIF_NAMES.index(site.name)
                if occupancy[row, m, int(site.strand == "-"), site.start] >= 0.5:
                    bound[row, site.start : site.end] = True
        out.append({"planted": planted, "bound": bound})
    return out


def oracle_ism(x, gc, chunk=8):
    """(N, L, T): mean |change| of the oracle over the three substitutions at each position."""
    return np.concatenate([_oracle_ism(x[i : i + chunk], gc) for i in range(0, len(x), chunk)])


def _oracle_ism(x, gc):
    n, length, _ = x.shape
    reference = world.oracle(x, gc)
    variants = np.repeat(x[:, None], length * 3, axis=1).reshape(n, length, 3, length, 4)
    observed = x.argmax(-1)  # (N, L)
    for shift in range(3):
        new_base = (observed + 1 + shift) % 4
        rows, positions = np.meshgrid(np.arange(n), np.arange(length), indexing="ij")
        variants[rows, positions, shift, positions] = np.eye(4, dtype=x.dtype)[new_base]
    changed = world.oracle(variants.reshape(-1, length, 4), gc).reshape(n, length, 3, -1)
    return np.abs(changed - reference[:, None, None]).mean(axis=2)


def load_models(data, size, runs_dir, models=None):
    """Notebook 06's models, {arm: [model per seed]}, from ``compare_training`` with notebook 06's settings.

    Finished runs are read back after a check that they were made with these settings; a missing or
    mismatched one is trained (about 5 min a seed on 2 CPU cores). ``models``: seeds 0 .. models - 1;
    None: as many as notebook 06 trains.
    """
    epochs, finetune = plans.INTERPRETABILITY_EPOCHS[size.name]
    seeds = range(plans.INTERPRETABILITY_MODELS[size.name] if models is None else models)
    table = experiments.compare_training(
        data,
        lambda: experiments.augmentations("RITDMN"),
        dataclasses.replace(size.protocol, epochs=epochs, finetune_epochs=finetune),
        trials=seeds,
        model_func=tutorial.model_function("deepstarr", size),
        max_augs_per_seq=2,
        hard_aug=True,
        subset_mode="batch",
        keep_models=True,
        out_dir=runs_dir,
    )
    models = table.attrs["models"]
    return {"standard": [models[("standard", k)] for k in seeds], "EvoAug-TF": [models[("evoaug", k)] for k in seeds]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequences", type=int, default=200, help="test sequences per task (with a task motif)")
    parser.add_argument("--runs", default="docs/_build/home/outputs/06/offline/deepstarr")
    parser.add_argument("--out", default="benchmarks/results/motif_recovery.csv")
    args = parser.parse_args(argv)
    size = sizes.get("offline")
    data = tutorial.load_data("deepstarr", size, n=plans.interpretability_total(size))  # notebook 06's world
    gc = data.info.get("gc_content", 0.42)
    x = data.x_test.astype("float32")
    task_masks = masks(data, "test", gc)
    models = load_models(data, size, args.runs)
    rows = []
    for t, task in enumerate(data.task_names):
        chosen = np.flatnonzero(task_masks[t]["planted"].any(axis=1))[: args.sequences]
        start = time.perf_counter()
        importances = {("oracle ISM", 0): oracle_ism(x[chosen], gc)[..., t]}
        print(f"{task}: oracle ISM of {len(chosen)} sequences in {time.perf_counter() - start:.0f} s", flush=True)
        for arm, arm_models in models.items():
            for k, model in enumerate(arm_models):
                grads = attribution.saliency(model, x[chosen], task=t)
                importances[arm, k] = attribution.position_importance(grads, x[chosen])
        for (arm, k), importance in importances.items():
            for truth in ("planted", "bound"):
                mask = task_masks[t][truth][chosen]
                per_sequence, pooled = attribution.motif_recovery_auroc(importance, mask)
                rows.append(
                    {
                        "task": task,
                        "arm": arm,
                        "model": k,
                        "truth": truth,
                        "pooled": pooled,
                        "per_sequence_mean": float(np.nanmean(per_sequence)),
                        "positive_share": float(mask.mean()),
                    }
                )
    table = pd.DataFrame(rows)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    with pd.option_context("display.width", 200):
        print(
            table.groupby(["truth", "arm", "task"], sort=False)[["pooled", "per_sequence_mean", "positive_share"]]
            .mean()
            .round(3)
        )


if __name__ == "__main__":
    main()
