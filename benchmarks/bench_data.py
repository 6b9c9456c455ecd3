"""Memory and time to hold DeepSTARR for training, and whether the tf.data pipeline keeps up.

    python benchmarks/bench_data.py [--sequences 402278] [--train-sequences 20000]

1. Writes a DeepSTARR-sized H5 file (402,278 training sequences x 249 nt, float32 one-hot as published,
   plus small valid/test splits) to a temporary folder, then loads it with ``datasets.load_h5`` in a fresh
   process and reports the load time and the peak resident memory (uint8 storage).
2. Streams one epoch of batches of 100 through ``datasets.make_dataset`` (uint8 -> float32 per batch)
   and reports how much the resident memory grows meanwhile (a few batches, not a float32 copy).
3. Trains DeepSTARR for one epoch on the pipeline and on in-memory float32 arrays: the ratio says
   whether the input pipeline is ever the bottleneck.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import _common
import h5py
import numpy as np

LENGTH = 249


def write_h5(path, train, other=2000, chunk=20000, seed=0):
    rng = np.random.default_rng(seed)
    eye = np.eye(4, dtype="float32")
    with h5py.File(path, "w") as handle:
        for split, rows in (("train", train), ("valid", other), ("test", other)):
            x = handle.create_dataset(f"x_{split}", shape=(rows, LENGTH, 4), dtype="float32", chunks=(1000, LENGTH, 4))
            for start in range(0, rows, chunk):
                stop = min(rows, start + chunk)
                x[start:stop] = eye[rng.integers(0, 4, (stop - start, LENGTH))]
            handle.create_dataset(f"y_{split}", data=rng.normal(size=(rows, 2)).astype("float32"))


LOAD_SCRIPT = """
import json, sys, time
sys.path.insert(0, sys.argv[2])
from _common import memory_mib
from evoaug_tf.datasets import load_h5
before = memory_mib("VmRSS")
start = time.perf_counter()
data = load_h5(sys.argv[1])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_mb": memory_mib("VmHWM"), "baseline_mb": before,
                  "x_train_mb": data.x_train.nbytes / 2**20, "dtype": str(data.x_train.dtype)}))
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sequences", type=int, default=402_278, help="training sequences in the H5 file")
    parser.add_argument("--train-sequences", type=int, default=20_000, help="sequences for the training comparison")
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs per input (the fastest counts)")
    parser.add_argument("--keep", help="folder to keep the H5 file in (default: a temporary folder)")
    args = parser.parse_args(argv)

    if args.keep:
        run(args, args.keep)
    else:
        with tempfile.TemporaryDirectory() as folder:  # the 1.5 GB file goes when the run ends
            run(args, folder)


def run(args, folder):
    path = os.path.join(folder, "deepstarr_sized.h5")
    if not os.path.exists(path):
        start = time.perf_counter()
        write_h5(path, args.sequences)
        print(f"wrote {path} ({os.path.getsize(path) / 2**30:.2f} GiB) in {time.perf_counter() - start:.0f} s")
    result = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, path, os.path.dirname(os.path.abspath(__file__))],
        capture_output=True,
        text=True,
        check=True,
    )
    load = json.loads(result.stdout.strip().splitlines()[-1])
    rows = [
        {"measure": "load_h5 time (s)", "value": load["seconds"]},
        {"measure": "x_train in memory (MB, " + load["dtype"] + ")", "value": load["x_train_mb"]},
        {"measure": "peak RSS after load (MB)", "value": load["peak_mb"]},
        {"measure": "RSS before load (MB, Python + h5py + NumPy)", "value": load["baseline_mb"]},
        {"measure": "peak RSS minus RSS before load (MB)", "value": load["peak_mb"] - load["baseline_mb"]},
    ]

    import keras

    from evoaug_tf.datasets import load_h5, make_dataset
    from evoaug_tf.models import DeepSTARR

    data = load_h5(path)
    dataset = make_dataset(data.x_train, data.y_train, batch_size=100, shuffle=True, seed=0)
    peak_known = _common.reset_peak_memory()
    before = _common.memory_mib("VmRSS")
    start = time.perf_counter()
    batches = sum(1 for _ in dataset)
    seconds = time.perf_counter() - start
    rows.append({"measure": f"stream one epoch, {batches:,} batches (s)", "value": seconds})
    if peak_known:
        growth = _common.memory_mib("VmHWM") - before
        rows.append({"measure": "peak RSS growth while streaming it (MB)", "value": growth})
    rows.append({"measure": "pipeline throughput (seq/s)", "value": len(data.x_train) / seconds})

    n = args.train_sequences
    x_small, y_small = data.x_train[:n], data.y_train[:n]
    timings = {}
    for name, make_input in (
        ("in-memory float32", lambda: dict(x=x_small.astype("float32"), y=y_small, batch_size=100, shuffle=True)),
        (
            "tf.data pipeline (uint8)",
            lambda: dict(x=make_dataset(x_small, y_small, batch_size=100, seed=0), shuffle=False),
        ),
    ):
        keras.utils.set_random_seed(0)
        model = DeepSTARR((LENGTH, 4))
        model.compile(keras.optimizers.Adam(1e-3), loss="mse")
        epoch = _common.epoch_timer(model, **make_input())
        timings[name] = min(epoch()[0] for _ in range(args.epochs))
        rows.append({"measure": f"DeepSTARR epoch on {n:,}, {name} (s)", "value": timings[name]})
    rows.append(
        {
            "measure": "pipeline / in-memory epoch time",
            "value": timings["tf.data pipeline (uint8)"] / timings["in-memory float32"],
        }
    )
    _common.print_table(rows, ["measure", "value"], f"DeepSTARR-sized data: {args.sequences:,} x {LENGTH} nt")


if __name__ == "__main__":
    main()
