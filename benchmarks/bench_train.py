"""DeepSTARR epoch time: standard training vs RobustModel variants, as ratios measured in one run.

    python benchmarks/bench_train.py [--sequences 5000] [--epochs 2] [--old /tmp/evoaug_tf_103]

The compute floor is standard training on inputs already as long as the padded ones (249 + 20 nt):
whatever a RobustModel costs above that floor is the augmentation itself.
"""

from __future__ import annotations

import argparse
import time

import _common
import keras
import numpy as np

from evoaug_tf import augment, experiments
from evoaug_tf.evoaug import RobustModel
from evoaug_tf.models import DeepSTARR

LENGTH, INSERT_MAX = 249, 20


def variants(old):
    """name -> function building a compiled model and the length of its training input."""

    def standard(length):
        return lambda: (DeepSTARR((length, 4)), length)

    def robust(letters, batch_mode=False, subset_mode="sequence", max_augs=2):
        def build():
            model = RobustModel(DeepSTARR, (LENGTH, 4), augment_list=experiments.augmentations(letters, batch_mode),
                                max_augs_per_seq=max_augs, hard_aug=True, subset_mode=subset_mode)
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
            augs = [old["augment"].RandomInsertion(0, 20), old["augment"].RandomTranslocation(0, 20),
                    old["augment"].RandomDeletion(0, 30)]
            return old["evoaug"].RobustModel(DeepSTARR, (LENGTH, 4), augment_list=augs, max_augs_per_seq=2,
                                             hard_aug=True), LENGTH
        table["evoaug-tf 1.0.3 ITD, 2/seq"] = old_robust
    return table


def epoch_seconds(build, x, y, epochs, batch_size):
    keras.utils.set_random_seed(0)
    model, length = build()
    model.compile(keras.optimizers.Adam(1e-3), loss="mse")
    inputs = x[:, :length] if length <= x.shape[1] else x
    model.fit(inputs, y, epochs=1, batch_size=batch_size, verbose=0)  # compile and warm up
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.fit(inputs, y, epochs=1, batch_size=batch_size, verbose=0)
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sequences", type=int, default=5000, help="training sequences per epoch")
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs per variant (the fastest counts)")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--old", help="folder where evoaug-tf 1.0.3 is installed (pip install --target)")
    parser.add_argument("--only", nargs="+", help="substrings of the variant names to run")
    args = parser.parse_args(argv)
    old = _common.load_old(args.old)
    rng = np.random.default_rng(0)
    x = np.eye(4, dtype="float32")[rng.integers(0, 4, (args.sequences, LENGTH + INSERT_MAX))]
    y = rng.normal(size=(args.sequences, 2)).astype("float32")
    rows, base = [], None
    for name, build in variants(old).items():
        if args.only and not any(part in name for part in args.only):
            continue
        seconds = epoch_seconds(build, x, y, args.epochs, args.batch_size)
        base = base or seconds
        rows.append({"variant": name, "s/epoch": seconds, "x standard": seconds / base})
        print(f"  {name}: {seconds:.2f} s/epoch", flush=True)
    floor = next((r["s/epoch"] for r in rows if r["variant"].startswith("compute floor")), None)
    for row in rows:
        row["x floor"] = row["s/epoch"] / floor if floor else ""
    _common.print_table(rows, ["variant", "s/epoch", "x standard", "x floor"],
                        f"DeepSTARR, {args.sequences:,} sequences/epoch, batch {args.batch_size}, CPU")


if __name__ == "__main__":
    main()
