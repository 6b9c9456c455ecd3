"""How many synthetic sequences does a standard DeepSTARR need to find the planted motifs? Notebook 06's choice.

For each training-set size and seed, a standard model (notebook 06's offline protocol) on a world v3 of
that many training sequences (``recipes.synthetic_total``), scored after every epoch: test Pearson r per
task and the motif-recovery AUROC of its saliency maps (every test sequence that carries a motif of the
task, as notebook 06's section 5). It looks at the standard arm only: the size is chosen so that standard
training finds the motifs, never for what it does to EvoAug. Seed k trains as trial k of notebook 06's
``compare_training`` does (the same draws in the same order), but each row scores the weights at the end of
its epoch, while ``compare_training`` keeps the best epoch's (``EarlyStopping(restore_best_weights=True)``).
One row per size, seed, epoch and task in ``--out``; the results file was made with the defaults::

    python benchmarks/world_size_motifs.py --train 16000 24000 --epochs 6 --seeds 0 1 2

About 25-40 s an epoch per 16,000 sequences on 2 CPU cores, scoring included (``seconds``: since the model's
first epoch began, on a machine shared with other jobs).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import pandas as pd
from motif_recovery import TASK_MOTIFS
from synthetic_variants import task_mask

from evoaug_tf import attribution, datasets, recipes, sizes, training, tutorial
from evoaug_tf.datasets import world
from evoaug_tf.metrics import pearson_r


class EpochScores(keras.callbacks.Callback):
    """After every epoch: test r and motif AUROC per task, appended to ``rows``."""

    def __init__(self, data, n_train, seed, rows):
        super().__init__()
        self.data, self.n_train, self.seed, self.rows = data, n_train, seed, rows
        self.x = data.x_test.astype("float32")
        self.masks = [task_mask(data.sites["test"], motifs, data.length) for motifs in TASK_MOTIFS]
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        r = pearson_r(self.data.y_test, self.model.predict(self.x, verbose=0))
        for t, mask in enumerate(self.masks):
            carriers = np.flatnonzero(mask.any(axis=1))
            grads = attribution.saliency(self.model, self.x[carriers], task=t)
            auroc = attribution.motif_recovery_auroc(grads, mask[carriers], self.x[carriers]).pooled
            self.rows.append(
                {
                    "train_sequences": self.n_train,
                    "seed": self.seed,
                    "epoch": epoch + 1,
                    "task": self.data.task_names[t],
                    "test_r": float(r[t]),
                    "motif_auroc": float(auroc),
                    "seconds": time.perf_counter() - self.start,
                }
            )
        latest = self.rows[-len(self.masks) :]
        print(
            f"{self.n_train:,} sequences, seed {self.seed}, epoch {epoch + 1}: "
            + ", ".join(f"{row['task']} r {row['test_r']:.3f} AUROC {row['motif_auroc']:.3f}" for row in latest),
            flush=True,
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, nargs="+", default=[16_000, 24_000], help="training sequences")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="model seeds (the world's is 0)")
    parser.add_argument("--out", default="benchmarks/results/world_size_motifs.csv")
    args = parser.parse_args(argv)
    size = sizes.get("offline")
    protocol = dataclasses.replace(size.protocol, epochs=args.epochs)
    rows = []
    for n_train, seed in itertools.product(args.train, args.seeds):
        data = world.make_world(n=recipes.synthetic_total(n_train), seed=0)
        keras.utils.set_random_seed(seed)
        model = tutorial.model_function("deepstarr", size)(data.x_train.shape[1:], data.y_train.shape[1])
        model.compile(keras.optimizers.Adam(protocol.learning_rate), loss="mse")
        # As experiments.train_standard feeds it (the same draws in the same order, so seed k is trial k of
        # notebook 06's compare_training on a world of this size), scored after every epoch.
        shuffle_seed = int(np.random.randint(2**31 - 1))  # noqa: NPY002 (the global generator, as train_standard)
        batch = protocol.batch_size
        model.fit(
            datasets.make_dataset(data.x_train, data.y_train, batch_size=batch, shuffle=True, seed=shuffle_seed),
            epochs=protocol.epochs,
            validation_data=datasets.make_dataset(data.x_valid, data.y_valid, batch_size=batch, shuffle=False),
            callbacks=[*training.stage_callbacks(protocol), EpochScores(data, n_train, seed, rows)],
            shuffle=False,
            verbose=0,
        )
    frame = pd.DataFrame(rows)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(args.out, index=False)
    table = frame.pivot_table(
        index=["train_sequences", "epoch"], columns="task", values="motif_auroc", aggfunc=["mean", "std"]
    )
    print("standard arm, motif AUROC over seeds:\n", table.round(3).to_string())


if __name__ == "__main__":
    main()
