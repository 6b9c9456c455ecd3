"""Throughput of every augmentation (sequences per second), sequence and batch mode, graph and XLA.

    python benchmarks/bench_augment.py                      # this package
    python benchmarks/bench_augment.py --old /tmp/evoaug_tf_103   # side by side with evoaug-tf 1.0.3

Ratios are measured in the same run on the same machine. See ``_common.OLD_HELP`` for installing 1.0.3.
"""

from __future__ import annotations

import argparse

import _common
import numpy as np
import tensorflow as tf

from evoaug_tf import augment

LENGTH = 249

# name -> (this package's constructor, 1.0.3 class name or None, 1.0.3 constructor kwargs)
CASES = {
    "RandomDeletion": (lambda: augment.RandomDeletion(0, 30), "RandomDeletion", {"delete_min": 0, "delete_max": 30}),
    "RandomInsertion": (lambda: augment.RandomInsertion(0, 20), "RandomInsertion", {"insert_min": 0, "insert_max": 20}),
    "RandomTranslocation": (
        lambda: augment.RandomTranslocation(0, 20),
        "RandomTranslocation",
        {"shift_min": 0, "shift_max": 20},
    ),
    "RandomInversion": (lambda: augment.RandomInversion(0, 20), None, {}),
    "RandomMutation": (lambda: augment.RandomMutation(0.05), "RandomMutation", {"mutate_frac": 0.05}),
    "RandomRC": (lambda: augment.RandomRC(0.5), "RandomRC", {"rc_prob": 0.5}),
    "RandomNoise": (lambda: augment.RandomNoise(0.0, 0.3), "RandomNoise", {"noise_mean": 0.0, "noise_std": 0.3}),
    "RandomDeletionBatch": (
        lambda: augment.RandomDeletionBatch(0, 30),
        "RandomDeletionBatch",
        {"delete_min": 0, "delete_max": 30},
    ),
    "RandomInsertionBatch": (
        lambda: augment.RandomInsertionBatch(0, 20),
        "RandomInsertionBatch",
        {"insert_min": 0, "insert_max": 20},
    ),
    "RandomTranslocationBatch": (
        lambda: augment.RandomTranslocationBatch(0, 20),
        "RandomTranslocationBatch",
        {"shift_min": 0, "shift_max": 20},
    ),
    "RandomInversionBatch": (lambda: augment.RandomInversionBatch(0, 20), None, {}),
    "RandomRCBatch": (lambda: augment.RandomRCBatch(0.5), "RandomRCBatch", {"rc_prob": 0.5}),
}


def throughput(fn, x, seconds) -> float:
    return x.shape[0] / _common.time_call(lambda: fn(x), min_seconds=seconds)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", help="folder where evoaug-tf 1.0.3 is installed (pip install --target)")
    parser.add_argument("--batch", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--only", nargs="+", help="augmentation names to run")
    parser.add_argument("--seconds", type=float, default=1.0, help="timing per measurement")
    args = parser.parse_args(argv)
    old = _common.load_old(args.old)
    if old is None:
        print(_common.OLD_HELP)
    rng = np.random.default_rng(0)
    rows = []
    for batch in args.batch:
        x = tf.constant(np.eye(4, dtype="float32")[rng.integers(0, 4, (batch, LENGTH))])
        for name, (make, old_name, old_kwargs) in CASES.items():
            if args.only and name not in args.only:
                continue
            aug = make()
            row = {"augmentation": name, "batch": batch}
            row["graph seq/s"] = throughput(tf.function(lambda t, a=aug: a(t)), x, args.seconds)
            row["xla seq/s"] = throughput(tf.function(lambda t, a=aug: a(t), jit_compile=True), x, args.seconds)
            if old is not None and old_name is not None:
                old_aug = getattr(old["augment"], old_name)(**old_kwargs)
                try:
                    row["1.0.3 seq/s"] = throughput(old_aug, x, args.seconds)  # 1.0.3 __call__ is a tf.function
                except tf.errors.OpError as error:  # 1.0.3 has bugs of its own
                    row["1.0.3 seq/s"] = f"fails: {error.message.splitlines()[0][:40]}"
                else:
                    row["x 1.0.3 (graph)"] = row["graph seq/s"] / row["1.0.3 seq/s"]
                    row["x 1.0.3 (xla)"] = row["xla seq/s"] / row["1.0.3 seq/s"]
            rows.append(row)
            print(f"  {name} @ {batch}: graph {row['graph seq/s']:,.0f} seq/s", flush=True)
    columns = ["augmentation", "batch", "graph seq/s", "xla seq/s"]
    if old is not None:
        columns += ["1.0.3 seq/s", "x 1.0.3 (graph)", "x 1.0.3 (xla)"]
    _common.print_table(rows, columns, f"Augmentation throughput, L = {LENGTH}, {tf.__version__} CPU")


if __name__ == "__main__":
    main()
