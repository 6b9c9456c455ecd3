"""Synthetic DeepSTARR v3 (:mod:`evoaug_tf.datasets.world`): grammar share, calibration, and the three arms.

``--calibrate``: standard training only (DeepSTARR, ``sizes.get(size)`` protocol, model seed 0) at
the given noise levels, to set :data:`~evoaug_tf.datasets.world.DEFAULT_NOISE` from the standard arm
alone (target: test Pearson r 0.45-0.70 on both tasks at offline size). Otherwise: standard, EvoAug
stage 1 and finetune (ITD in batch mode, two per sequence, hard_aug, one subset per mini-batch) with
:func:`evoaug_tf.experiments.compare_training`, one seed at a time; the data seed is fixed at 0 so the
seeds vary only the models. Each finished row is appended to ``--out`` at once and a rerun skips what
is there (and ``compare_training`` resumes finished runs from ``--runs``), so the job can be stopped
and resumed::

    nohup python benchmarks/world_v3.py --seeds 0 1 2 > world_v3.log 2>&1 &
    python benchmarks/world_v3.py --table
    python benchmarks/world_v3.py --gia --seeds 0 1 2   # each arm's GIA error against the oracle

``--gia`` loads each finished seed's three models from ``--runs`` and repeats notebook 03's global
importance analysis (the same motif pairs, spacings 0-30 in both orientations, position scans every
10 nt, 32 backgrounds, background seed 0), writing each arm's RMSE against the oracle's curve (in units
of the oracle curve's root-mean-square) to ``benchmarks/results/world_v3_gia.csv``.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pandas as pd
from _common import pearson_summary

from evoaug_tf import experiments, recipes, sizes
from evoaug_tf.datasets import world
from evoaug_tf.models import DeepSTARR


def _data(size, noise):
    return world.make_world(n=recipes.synthetic_total(size.train_sequences), seed=0, noise=noise)


def _model_func(size):
    def model_func(input_shape, output_shape=2):
        return DeepSTARR(input_shape, output_shape, batchnorm_momentum=size.batchnorm_momentum)

    return model_func


def calibrate(size, noises, out, log):
    import keras

    from evoaug_tf.metrics import pearson_r

    for noise in noises:
        data = _data(size, noise)
        ceiling = [
            np.corrcoef(data.y_test[:, t], data.info["per_split"]["activity"]["test"][:, t])[0, 1] for t in (0, 1)
        ]
        share = world.grammar_share(data.x_train)
        keras.utils.set_random_seed(0)
        start = time.perf_counter()
        model, _ = experiments.train_standard(data, _model_func(size), size.protocol)
        r = pearson_r(data.y_test, model.predict(data.x_test.astype("float32"), verbose=0))
        row = pd.DataFrame(
            [
                {
                    "noise": noise,
                    "task": task,
                    "standard_pearson_r": r[t],
                    "ceiling_r": ceiling[t],
                    "grammar_share": share[t],
                    "seconds": time.perf_counter() - start,
                }
                for t, task in enumerate(world.TASKS)
            ]
        )
        row.to_csv(out, mode="a", header=not out.exists(), index=False)
        log(row.round(3).to_string(index=False))


#: Notebook 03's EvoAug arm: ITD in batch mode, two per sequence, hard_aug, one subset per mini-batch.
EVOAUG_ARM = experiments.Arm(
    lambda: experiments.augmentations("ITD", batch_mode=True), subset_mode="batch", max_augs_per_seq=2, hard_aug=True
)


def compare(data, size, seed, runs_dir, log, keep_models=False):
    """Standard, stage 1 and finetune for one seed: finished runs are read back, checked against these settings."""
    return experiments.compare_training(
        data,
        {"evoaug": EVOAUG_ARM},
        size.protocol,
        trials=[seed],
        model_func=_model_func(size),
        log=log,
        out_dir=runs_dir,
        keep_models=keep_models,
    )


def run_seed(size, seed, noise, runs_dir, log):
    table = compare(_data(size, noise), size, seed, runs_dir, log)
    table = table[["run", "trial", "task", "pearson_r", "seconds"]].copy()
    table.insert(0, "train_sequences", size.train_sequences)
    table.insert(1, "noise", noise)
    return table


GIA_PAIRS = {"Dev": ("GATA", "AP-1"), "Hk": ("Dref", "Ohler1")}  # as notebook 03


def gia_seed(size, seed, noise, runs_dir, log):
    """Notebook 03's GIA for one seed's standard, stage-1 and finetuned models: a row per arm, experiment, task.

    The models come from ``compare_training`` (each finished run checked against these settings, a missing
    one trained); the stage-1 model from the checked ``evoaug`` run's weights, as notebook 03 reads it.
    """
    from evoaug_tf import attribution, runs

    data = _data(size, noise)
    length = data.length
    consensus = dict(data.info["motifs"])
    gc = data.info.get("gc_content", 0.42)
    models = compare(data, size, seed, runs_dir, log, keep_models=True).attrs["models"]
    stage1 = experiments._rebuild(data, EVOAUG_ARM, _model_func(size), runs.run_folder(runs_dir, "evoaug", seed))
    arms = {
        "oracle": lambda x: world.oracle(np.asarray(x), gc),
        "standard": models[("standard", seed)],
        "stage 1": stage1,
        "finetune": models[("evoaug", seed)],
    }
    settings = dict(n_backgrounds=32, length=length, gc_content=float(data.x_train[..., 1:3].sum(-1).mean()), seed=0)
    curves = {}
    for arm, predict in arms.items():
        for t, (a, b) in enumerate(GIA_PAIRS.values()):
            pair = attribution.pair_spacing(predict, consensus[a], consensus[b], range(31), **settings)
            scan = attribution.position_scan(
                predict, consensus[a], range(0, length - len(consensus[a]) + 1, 10), **settings
            )
            curves[arm, "pair spacing", t] = pair.effect[..., t]
            curves[arm, "position scan", t] = scan.effect[..., t]
    rows = []
    for arm in ("standard", "stage 1", "finetune"):
        for experiment in ("pair spacing", "position scan"):
            for t, task in enumerate(world.TASKS):
                truth = curves["oracle", experiment, t][..., None]
                error = attribution.curve_error(curves[arm, experiment, t][..., None], truth)
                rows.append(
                    {
                        "train_sequences": size.train_sequences,
                        "trial": seed,
                        "arm": arm,
                        "experiment": experiment,
                        "task": task,
                        "rmse": float(error.rmse[0]),
                        "r": float(error.pearson[0]),
                    }
                )
    return pd.DataFrame(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--size", default="offline")
    parser.add_argument("--noise", type=float, default=world.DEFAULT_NOISE)
    parser.add_argument("--calibrate", type=float, nargs="*", help="noise levels to try (standard arm only)")
    parser.add_argument("--out", default="benchmarks/results/world_v3.csv")
    parser.add_argument("--runs", default="/tmp/world_v3_runs", help="compare_training's out_dir (resume)")
    parser.add_argument("--table", action="store_true")
    parser.add_argument("--gia", action="store_true", help="GIA error against the oracle, per finished seed")
    args = parser.parse_args(argv)
    size = sizes.get(args.size)
    log = lambda line: print(line, flush=True)  # noqa: E731
    if args.calibrate:
        calibrate(size, args.calibrate, Path("benchmarks/results/world_v3_calibration.csv"), log)
        return
    if args.gia:
        gia_out = Path("benchmarks/results/world_v3_gia.csv")
        for seed in args.seeds:
            start = time.perf_counter()
            frame = gia_seed(size, seed, args.noise, args.runs, log)
            if gia_out.exists():  # a seed's rows are replaced, not added again
                earlier = pd.read_csv(gia_out)
                frame = pd.concat([earlier[earlier["trial"] != seed], frame], ignore_index=True)
            frame.to_csv(gia_out, index=False)
            log(f"seed {seed}: GIA in {time.perf_counter() - start:.0f} s")
        table = pd.read_csv(gia_out).groupby(["arm", "experiment", "task"], sort=False)["rmse"]
        print(table.agg(["mean", "std", "count"]).round(3))
        return
    out = Path(args.out)
    done = pd.read_csv(out) if out.exists() else pd.DataFrame(columns=["train_sequences", "trial"])
    if not args.table:
        log(f"size {size.name}: {size.train_sequences} training sequences, protocol {size.protocol}")
        for seed in args.seeds:
            if ((done["train_sequences"] == size.train_sequences) & (done["trial"] == seed)).any():
                log(f"seed {seed}: already in {out}, skipped")
                continue
            start = time.perf_counter()
            table = run_seed(size, seed, args.noise, args.runs, log)
            table.to_csv(out, mode="a", header=not out.exists(), index=False)
            done = pd.read_csv(out)
            log(f"seed {seed} done in {time.perf_counter() - start:.0f} s")
    if len(done):
        with pd.option_context("display.width", 200):
            print(pearson_summary(done))


if __name__ == "__main__":
    main()
