"""DeepSTARR epoch time: standard training vs RobustModel variants, as ratios measured in one run.

    python benchmarks/bench_train.py [--sequences 5000] [--epochs 4] [--old /tmp/evoaug_tf_103]

The compute floor is standard training on inputs already as long as the padded ones (249 + 20 nt):
whatever a RobustModel costs above that floor is the augmentation itself.

Variants run in rounds (one epoch each per round) and the fastest epoch counts. Both wall time and
process CPU time are reported: on a shared virtual machine wall time can jump between levels from one
epoch to the next, while CPU time counts only the work done.
"""

from __future__ import annotations

import argparse

import _common
import keras
import numpy as np

from evoaug_tf import experiments
from evoaug_tf.evoaug import RobustModel
from evoaug_tf.models import DeepSTARR

LENGTH, INSERT_MAX = 249, 20


def variants(old):
    """name -> function building a compiled model and the length of its training input."""

    def standard(length):
        return lambda: (DeepSTARR((length, 4)), length)

    def robust(letters, batch_mode=False, subset_mode="sequence", max_augs=2):
        def build():
            model = RobustModel(
                DeepSTARR,
                (LENGTH, 4),
                augment_list=experiments.augmentations(letters, batch_mode),
                max_augs_per_seq=max_augs,
                hard_aug=True,
                subset_mode=subset_mode,
            )
            return model, LENGTH

        return build

    table = {
        "standard (249 nt)": standard(LENGTH),
        "compute floor (269 nt)": standard(LENGTH + INSERT_MAX),
        "ITD, 2/seq, per-sequence subsets": robust("ITD"),
        "ITD, 2/seq, per-batch subsets": robust("ITD", subset_mode="batch"),
        "ITD batch mode, 2/seq": robust("ITD", batch_mode=True),
        "RITDMN, 2/seq": robust("RITDMN"),
        "finetune mode (padding only)": None,  # filled below: ITD model after finetune_mode
    }

    def finetuned():
        model, length = robust("ITD")()
        model.finetune_mode()
        return model, length

    table["finetune mode (padding only)"] = finetuned
    if old is not None:

        def old_robust():
            augs = [
                old["augment"].RandomInsertion(0, 20),
                old["augment"].RandomTranslocation(0, 20),
                old["augment"].RandomDeletion(0, 30),
            ]
            return old["evoaug"].RobustModel(
                DeepSTARR, (LENGTH, 4), augment_list=augs, max_augs_per_seq=2, hard_aug=True
            ), LENGTH

        table["evoaug-tf 1.0.3 ITD, 2/seq"] = old_robust
    return table


def prepare(build, x, y, batch_size):
    """Build, compile and warm up one variant; returns a function that runs one timed epoch."""
    keras.utils.set_random_seed(0)
    model, length = build()
    model.compile(keras.optimizers.Adam(1e-3), loss="mse")
    inputs = np.ascontiguousarray(x[:, :length])
    return _common.epoch_timer(model, x=inputs, y=y, batch_size=batch_size)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sequences", type=int, default=5000, help="training sequences per epoch")
    parser.add_argument(
        "--epochs", type=int, default=4, help="rounds of one timed epoch per variant (the fastest counts)"
    )
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--old", help="folder where evoaug-tf 1.0.3 is installed (pip install --target)")
    parser.add_argument("--only", nargs="+", help="substrings of the variant names to run")
    args = parser.parse_args(argv)
    old = _common.load_old(args.old)
    rng = np.random.default_rng(0)
    x = np.eye(4, dtype="float32")[rng.integers(0, 4, (args.sequences, LENGTH + INSERT_MAX))]
    y = rng.normal(size=(args.sequences, 2)).astype("float32")
    chosen = {
        name: build for name, build in variants(old).items() if not args.only or any(part in name for part in args.only)
    }
    epochs = {name: prepare(build, x, y, args.batch_size) for name, build in chosen.items()}
    # Rounds: every variant runs one epoch per round, so a slow spell of a shared (virtual) machine
    # hits all of them alike; the fastest epoch of each variant counts.
    wall, cpu = {name: [] for name in epochs}, {name: [] for name in epochs}
    for round_ in range(args.epochs):
        for name, epoch in epochs.items():
            seconds, cpu_seconds = epoch()
            wall[name].append(seconds)
            cpu[name].append(cpu_seconds)
        print(f"  round {round_ + 1}/{args.epochs}: " + ", ".join(f"{w[-1]:.1f}" for w in wall.values()), flush=True)
    rows = [{"variant": name, "s/epoch": min(wall[name]), "cpu s/epoch": min(cpu[name])} for name in epochs]
    base = rows[0]
    floor = next((r for r in rows if r["variant"].startswith("compute floor")), None)
    for row in rows:
        row["x standard"] = row["s/epoch"] / base["s/epoch"]
        row["x floor"] = row["s/epoch"] / floor["s/epoch"] if floor else ""
        row["x standard (cpu)"] = row["cpu s/epoch"] / base["cpu s/epoch"]
    _common.print_table(
        rows,
        ["variant", "s/epoch", "x standard", "x floor", "cpu s/epoch", "x standard (cpu)"],
        f"DeepSTARR, {args.sequences:,} sequences/epoch, batch {args.batch_size}, CPU",
    )


if __name__ == "__main__":
    main()
