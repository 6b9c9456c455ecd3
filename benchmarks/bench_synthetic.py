"""Time to generate the synthetic DeepSTARR-like and ChIP-seq-like data (vectorised, no loop per sequence).

    python benchmarks/bench_synthetic.py [--n 20000] [--repeats 3]

Prints the fastest of ``--repeats`` runs of ``make_synthetic_deepstarr(n)`` and ``make_synthetic_chip(n)``.
This measurement used to be a test with a time limit; a time limit fails on a busy machine, so it lives here.
"""

from __future__ import annotations

import argparse
import time

import _common  # noqa: F401  (quiet TensorFlow)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20_000, help="sequences per data set")
    parser.add_argument("--repeats", type=int, default=3, help="runs per generator (the fastest counts)")
    args = parser.parse_args(argv)

    from evoaug_tf.datasets import make_synthetic_chip, make_synthetic_deepstarr

    for name, make in (
        ("make_synthetic_deepstarr", make_synthetic_deepstarr),
        ("make_synthetic_chip", make_synthetic_chip),
    ):
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            make(n=args.n, seed=0)
            times.append(time.perf_counter() - start)
        print(f"{name}(n={args.n}): {min(times):.2f} s (fastest of {args.repeats})")


if __name__ == "__main__":
    main()
