"""Standard vs EvoAug vs EvoAug + finetune on the synthetic GABPA ChIP-seq stand-in, at the ``offline`` size.

The data: :func:`evoaug_tf.datasets.synthetic_chip.make_synthetic_chip_pwm` (GABPA, JASPAR MA0062.4), as
``tutorial.load_data("GABPA", "offline")`` makes it (5,000 training sequences, data seed 0; the seeds vary
only the models). The protocol: ``sizes.chip_protocol("offline")``; the model: the ChIP-seq CNN with the
offline BatchNorm momentum; EvoAug: the paper's ChIP-seq recipe (batch-mode insertion, translocation and
deletion 0-20, one augmentation per sequence, one subset per mini-batch). Scored: test AUROC (and AUPR).

``--calibrate`` trains the **standard** arm only, for the given ``--motifless`` rates: the one knob tuned so
that standard AUROC sits within 0.05 of GABPA's published 0.824 (EvoAug's numbers are not looked at).
Without it, all three arms are trained for each seed. Each finished run is appended to ``--out`` at once,
and a rerun skips what is there::

    python benchmarks/chip_gabpa.py --calibrate --motifless 0.1 0.15 0.2 --seeds 0
    nohup python benchmarks/chip_gabpa.py --seeds 0 1 2 > chip_gabpa.log 2>&1 &
    python benchmarks/chip_gabpa.py --table
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import pandas as pd

from evoaug_tf import augment, experiments, metrics, recipes, sizes, tutorial
from evoaug_tf.datasets.synthetic_chip import make_synthetic_chip_pwm

RESULTS = Path(__file__).parent / "results"
RUNS = ("standard", "evoaug", "evoaug+finetune")
PUBLISHED = {"standard": 0.824, "evoaug": 0.838, "evoaug+finetune": 0.835}  # GABPA, mean of 5 (spec)


def make_augmentations():
    return [
        augment.RandomInsertionBatch(0, 20),
        augment.RandomTranslocationBatch(0, 20),
        augment.RandomDeletionBatch(0, 20),
    ]


def offline_data(motifless=None, **kwargs):
    size = sizes.get("offline")
    kwargs = kwargs if motifless is None else {**kwargs, "motifless_fraction": motifless}
    return make_synthetic_chip_pwm(n=recipes.synthetic_total(size.train_sequences), seed=0, **kwargs)


def calibrate(motifless, seed, log, **kwargs):
    size = sizes.get("offline")
    data = offline_data(motifless, **kwargs)
    keras.utils.set_random_seed(seed)
    start = time.perf_counter()
    model, _ = experiments.train_standard(
        data, tutorial.model_function("GABPA", size), sizes.chip_protocol(size), experiments.BINARY
    )
    score = model.predict(data.x_test.astype("float32"), batch_size=256, verbose=0)[:, 0]
    auroc = float(metrics.auroc(data.y_test[:, 0], score)[0])
    seconds = time.perf_counter() - start
    log(f"calibrate motifless={motifless} seed={seed}: standard AUROC {auroc:.3f} ({seconds:.0f} s)")
    rates = data.info["rates"]
    return {**rates, "seed": seed, "run": "standard", "auroc": auroc, "seconds": seconds}


def run_one(seed, log):
    size = sizes.get("offline")
    data = offline_data()
    table = experiments.compare_training(
        data,
        make_augmentations,
        sizes.chip_protocol(size),
        trials=[seed],
        model_func=tutorial.model_function("GABPA", size),
        task=experiments.BINARY,
        max_augs_per_seq=1,
        hard_aug=True,
        subset_mode="batch",
        log=log,
    )
    return table[["run", "trial", "auroc", "aupr", "seconds"]].rename(columns={"trial": "seed"})


def summary(table):
    grouped = table.groupby("run")["auroc"].agg(["mean", "std", "count"]).reindex(list(RUNS))
    grouped["published"] = pd.Series(PUBLISHED)
    return grouped.round(3)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--motifless", type=float, nargs="+", default=[0.15])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--table", action="store_true")
    args = parser.parse_args(argv)
    name = "chip_gabpa_calibration.csv" if args.calibrate else "chip_gabpa.csv"
    out = args.out or RESULTS / name
    done = pd.read_csv(out) if out.exists() else pd.DataFrame()
    if args.table:
        print(summary(done).to_string() if not args.calibrate else done.to_string())
        return
    log = lambda line: print(line, flush=True)  # noqa: E731
    for seed in args.seeds:
        for motifless in args.motifless if args.calibrate else [None]:
            if args.calibrate:
                if len(done) and ((done["seed"] == seed) & (done["motifless_fraction"] == motifless)).any():
                    continue
                rows = pd.DataFrame([calibrate(motifless, seed, log)])
            else:
                if len(done) and (done["seed"] == seed).any():
                    continue
                rows = run_one(seed, log)
            done = pd.concat([done, rows], ignore_index=True)
            out.parent.mkdir(parents=True, exist_ok=True)
            done.to_csv(out, index=False)
    if not args.calibrate:
        print(summary(done).to_string())


if __name__ == "__main__":
    main()
