"""Notebook 06's findings with three models per arm at offline size (the notebook itself trains one).

For each model of each arm (standard, and RITDMN + finetune, trained with notebook 06's settings by
:func:`motif_recovery.load_models`: notebook 06's finished runs are read back after a check of their
settings, a missing one is trained), the same measurements as notebook 06's sections 3-5, with its
sizes: the authors' KLD and the orthonormal one on the saliency maps of the 100 most active test
sequences per task, each beside the mean of three position shuffles of the model's own maps and the
Gaussian-noise floor of the same shape; translational robustness (absolute, 10 sequences, 20 shifts of
up to 30 nt, one padding draw per sequence) with saliency and Integrated Gradients (16 steps), beside the
relative score (``normalize=True``) and the root-mean-square of each sequence's mean realigned map (the
size the relative score divides by, averaged over sequences); motif
recovery (saliency, every test sequence that carries a motif of the task); and the model's test Pearson
r. One row per model, task and measure in ``--out``; then the findings table of notebook 06's section 6::

    python benchmarks/interpretability.py --models 3
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pandas as pd
from motif_recovery import TASK_MOTIFS, load_models
from synthetic_variants import task_mask

from evoaug_tf import attribution, sizes, tutorial
from evoaug_tf.metrics import pearson_r
from evoaug_tf.tutorial import findings, plans

K, N_SHIFTED, IG_STEPS = 100, 10, 16  # notebook 06 at offline size


def measure(models, data, log):
    """{arm: [model]} -> a row per arm, model, task and measure."""
    x_test = data.x_test.astype("float32")
    test_r = {
        (arm, k): pearson_r(data.y_test, model.predict(x_test, verbose=0))
        for arm, arm_models in models.items()
        for k, model in enumerate(arm_models)
    }
    rows = []
    for t, task in enumerate(data.task_names):
        top = x_test[np.argsort(-data.y_test[:, t])[:K]]
        mask = task_mask(data.sites["test"], TASK_MOTIFS[t], data.length)
        carriers = np.flatnonzero(mask.any(axis=1))
        for arm, arm_models in models.items():
            for k, model in enumerate(arm_models):
                start = time.perf_counter()
                values = {"test r": float(test_r[arm, k][t])}
                grads = attribution.saliency(model, top, task=t)
                for projection in ("authors", "orthonormal"):
                    result = attribution.kld_with_baselines(grads, draws=3, projection=projection)
                    values[f"KLD {projection}"] = result.kld
                    values[f"KLD {projection}, shuffled"] = float(np.mean(result.shuffled))
                for method, kwargs in (("saliency", {}), ("integrated_gradients", {"steps": IG_STEPS})):
                    shifted = attribution.translational_robustness(
                        model,
                        top[:N_SHIFTED],
                        task=t,
                        method=method,
                        max_shift=30,
                        repeats=20,
                        return_maps=True,
                        **kwargs,
                    )
                    values[f"variation, {method}"] = float(shifted.variation.mean())
                    # The absolute score grows with the maps' size: beside it, the relative score (each sequence's
                    # variation over the root-mean-square of its mean realigned map) and that root-mean-square.
                    relative = attribution.variation_score(shifted.maps, normalize=True)
                    values[f"variation relative, {method}"] = float(relative.mean())
                    map_size = np.sqrt(np.mean(shifted.maps.mean(axis=1) ** 2, axis=(1, 2)))
                    values[f"map RMS, {method}"] = float(map_size.mean())
                carrier_grads = attribution.saliency(model, x_test[carriers], task=t)
                values["motif AUROC"] = attribution.motif_recovery_auroc(
                    carrier_grads, mask[carriers], x_test[carriers]
                ).pooled
                rows += [
                    {"arm": arm, "model": k, "task": task, "measure": name, "value": float(value)}
                    for name, value in values.items()
                ]
                log(f"{task} {arm} model {k}: {time.perf_counter() - start:.0f} s")
    return pd.DataFrame(rows)


def findings_table(frame):
    """Notebook 06's section-6 table, from ``measure``'s rows."""
    paper = {"KLD authors": "higher", "variation, saliency": "lower", "variation, integrated_gradients": "lower"}
    # Ours, not the paper's: the relative variation (normalize=True) and the size of the maps it divides by.
    for method in ("saliency", "integrated_gradients"):
        paper[f"variation relative, {method}"] = None
        paper[f"map RMS, {method}"] = None
    paper["motif AUROC"] = None
    paper["test r"] = None
    rows = []
    for name, direction in paper.items():
        for task in frame["task"].unique():
            chosen = frame[(frame["measure"] == name) & (frame["task"] == task)]
            scores = [chosen[chosen["arm"] == arm]["value"] for arm in ("standard", "EvoAug-TF")]
            digits = 4 if name.startswith(("variation,", "map RMS")) else 3
            rows.append(findings.compare(f"{name}, {task}", *scores, paper=direction, digits=digits))
    return findings.table(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=3, help="models per arm (seeds 0 .. models - 1)")
    parser.add_argument("--runs", default="docs/_build/home/outputs/06/offline/deepstarr")
    parser.add_argument("--out", default="benchmarks/results/interpretability.csv")
    args = parser.parse_args(argv)
    size = sizes.get("offline")
    log = lambda line: print(line, flush=True)  # noqa: E731
    data = tutorial.load_data("deepstarr", size, n=plans.interpretability_total(size))
    models = load_models(data, size, args.runs, models=args.models)
    frame = measure(models, data, log)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(args.out, index=False)
    floors = {
        p: attribution.kld_noise_floor((K, data.length, 4), draws=3, projection=p).mean()
        for p in ("authors", "orthonormal")
    }
    print(f"Gaussian-noise floors on {K} x {data.length}: " + ", ".join(f"{p} {v:.3f}" for p, v in floors.items()))
    with pd.option_context("display.width", 220, "display.max_colwidth", 60):
        print(frame.pivot_table(index=["measure", "arm"], columns="task", values="value", aggfunc="mean").round(4))
        print(findings_table(frame).to_string())


if __name__ == "__main__":
    main()
