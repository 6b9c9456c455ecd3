"""``python -m evoaug_tf download``: the EvoAug data files (Zenodo record 7265991), resumable and md5-verified.

    python -m evoaug_tf download deepstarr                  # data/DeepSTARR_data.h5
    python -m evoaug_tf download chip                       # all nine {TF}_200.h5
    python -m evoaug_tf download chip CTCF MAX --dest data
    python -m evoaug_tf download all --base-url http://mirror.example.org --no-progress

A file already there counts as done only when its size and md5 are the published ones. A different
file under the same name is kept: the command stops, unless ``--force`` renames it to ``<name>.bak``
first. An interrupted or stalled download leaves ``<file>.part``; the same command resumes it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from evoaug_tf.commands._cli import non_negative_int, parser, positive_seconds

PROG = "python -m evoaug_tf download"

__all__ = ["PROG", "build_parser", "main"]


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    from evoaug_tf.datasets.registry import BASE_URL_ENV, CHIP_TF_NAMES, DEFAULT_BASE_URL

    result = parser(prog, __doc__.replace(PROG, prog))
    result.add_argument(
        "dataset",
        choices=["deepstarr", "chip", "all"],
        help="deepstarr: DeepSTARR_data.h5; chip: ChIP-seq sets; all: everything",
    )
    result.add_argument(
        "tf_names",
        nargs="*",
        metavar="TF",
        help=f"with 'chip': transcription factors among {', '.join(CHIP_TF_NAMES)} (default: all nine)",
    )
    result.add_argument("--dest", default="data", help="directory for the files (default: data)")
    result.add_argument(
        "--base-url", default=None, help=f"server address (default: ${BASE_URL_ENV} if set, else {DEFAULT_BASE_URL})"
    )
    result.add_argument(
        "--timeout",
        type=positive_seconds,
        default=60.0,
        help="seconds without a byte before a transfer is given up (default 60)",
    )
    result.add_argument(
        "--retries", type=non_negative_int, default=2, help="resumes after a dropped connection (default 2)"
    )
    result.add_argument(
        "--force",
        action="store_true",
        help="a different file under a target name is renamed to <name>.bak, then downloaded over",
    )
    result.add_argument("--no-progress", action="store_true", help="do not draw progress bars")
    return result


def main(argv: Sequence[str] | None = None, prog: str = PROG) -> int:
    """Run the command line; return the exit status (0 done, 1 failed, 2 bad options, 130 interrupted).

    ``prog`` is how the user called it, so that messages name a command that works for them.
    """
    command = build_parser(prog)
    args = command.parse_args(argv)
    if args.tf_names and args.dataset != "chip":
        command.error(f"transcription factors can only follow 'chip'. Received: {' '.join(args.tf_names)}")

    import warnings

    from evoaug_tf.datasets import DownloadError, download
    from evoaug_tf.datasets.registry import CHIP_TF_NAMES, get_chip_info

    names = args.dataset
    if args.dataset == "chip" and args.tf_names:
        try:
            names = [get_chip_info(name).name for name in args.tf_names]
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    elif args.dataset == "chip":
        names = list(CHIP_TF_NAMES)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            paths = download(
                names,
                dest=args.dest,
                base_url=args.base_url,
                progress=not args.no_progress,
                retries=args.retries,
                timeout=args.timeout,
                force=args.force,
            )
    except KeyboardInterrupt:
        print(f"\ninterrupted; run the same command again to resume ({prog} ...).", file=sys.stderr)
        return 130
    except (DownloadError, OSError, ValueError) as error:
        print(f"error: {str(error).replace('python -m evoaug_tf download', prog)}", file=sys.stderr)
        return 1
    unverified = False
    for warning in caught:
        unverified = unverified or "without verifying" in str(warning.message)
        print(f"warning: {warning.message}", file=sys.stderr)
    for path in paths:
        note = "  (not verified: the server could not be reached)" if unverified else ""
        print(f"{path}  ({os.path.getsize(path) / 2**20:.1f} MiB){note}")
    return 0
