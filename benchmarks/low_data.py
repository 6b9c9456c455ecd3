"""Notebook 04's down-sampling experiment at offline size, three seeds: standard, EvoAug stage 1 and finetune.

The same call as notebook 04's section 3, one seed at a time: the first N rows of the synthetic
training set (:func:`evoaug_tf.tutorial.first_rows`), ITD in batch mode (two per sequence, hard_aug,
one subset per mini-batch), ``sizes.downsample_protocol(size)`` (finetuning patience 3), and below the
full set ``sizes.downsample_repeats(size, N)`` copies of the N rows per epoch (an epoch as long as the
full set's). The data seed is fixed at 0, so the seeds vary only the
models. The full set's runs are notebook 03's (and ``world_v3.py``'s): ``--full-runs`` points at that
``world_v3.py --runs`` folder, where ``compare_training`` finds them finished with these settings and
reads them back. Each finished (size, seed) is appended to ``--out`` at once, a rerun skips what is
there, and ``compare_training`` resumes finished runs, so the job can be stopped and resumed::

    nohup python benchmarks/low_data.py --seeds 0 1 2 --sizes 500 1250 5000 > low_data.log 2>&1 &
    python benchmarks/low_data.py --table
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pandas as pd
from _common import pearson_summary

from evoaug_tf import experiments, sizes, tutorial
from evoaug_tf.tutorial import plans


def run(size, n, seed, runs_dir, log):
    """One (size, seed): the table ``compare_training`` returns, with its training size."""
    data = tutorial.load_data("deepstarr", size)
    table = experiments.compare_training(
        tutorial.first_rows(data, n, repeats=sizes.downsample_repeats(size, n)),
        lambda: experiments.augmentations("ITD", batch_mode=True),
        sizes.downsample_protocol(size),
        trials=[seed],
        model_func=tutorial.model_function("deepstarr", size),
        max_augs_per_seq=2,
        hard_aug=True,
        subset_mode="batch",
        out_dir=runs_dir,
        log=log,
    )
    table = table[["run", "trial", "task", "pearson_r", "seconds"]].copy()
    table.insert(0, "train_sequences", n)
    return table


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--size", default="offline")
    parser.add_argument("--sizes", type=int, nargs="+", help="training sizes (default: notebook 04's, 500 and 5,000)")
    parser.add_argument("--out", default="benchmarks/results/low_data.csv")
    parser.add_argument("--runs", default="/tmp/low_data_runs", help="compare_training's out_dir per size (resume)")
    parser.add_argument("--full-runs", default="/tmp/world_v3_runs", help="the full set's runs (world_v3.py --runs)")
    parser.add_argument("--table", action="store_true")
    args = parser.parse_args(argv)
    size = sizes.get(args.size)
    log = lambda line: print(line, flush=True)  # noqa: E731
    out = Path(args.out)
    done = pd.read_csv(out) if out.exists() else pd.DataFrame(columns=["train_sequences", "trial"])
    train_sizes = args.sizes or plans.low_data_sizes(size)
    if not args.table:
        tutorial.setup(size.name, notebook="04")
        for seed in args.seeds:
            for n in train_sizes:
                if ((done["train_sequences"] == n) & (done["trial"] == seed)).any():
                    log(f"{n} sequences, seed {seed}: already in {out}, skipped")
                    continue
                full = size.synthetic and n == size.train_sequences  # notebook 03's run, as world_v3.py made it
                runs_dir = args.full_runs if full else os.path.join(args.runs, f"first_{n}")
                log(f"--- {n} sequences x {sizes.downsample_repeats(size, n)} copies, seed {seed}")
                start = time.perf_counter()
                table = run(size, n, seed, runs_dir, log)
                table.to_csv(out, mode="a", header=not out.exists(), index=False)
                done = pd.read_csv(out)
                log(f"{n} sequences, seed {seed} done in {time.perf_counter() - start:.0f} s")
    if len(done):
        with pd.option_context("display.width", 200):
            print(pearson_summary(done))


if __name__ == "__main__":
    main()
