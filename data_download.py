"""Download the EvoAug data (Zenodo record 7265991) into a directory, verified by md5.

Examples
--------
    python data_download.py deepstarr                 # data/DeepSTARR_data.h5
    python data_download.py chip                      # all nine {TF}_200.h5
    python data_download.py chip CTCF MAX --dest data
    python data_download.py all --base-url http://mirror.example.org --no-progress

An interrupted download leaves ``<file>.part``; running the same command again resumes it.
"""

from __future__ import annotations

import argparse
import os
import sys


def build_parser():
    from evoaug_tf.datasets.registry import BASE_URL_ENV, CHIP_TF_NAMES, DEFAULT_BASE_URL

    parser = argparse.ArgumentParser(
        prog="data_download.py",
        description="Download the EvoAug data files from Zenodo record 7265991 (resumable, md5-verified).",
    )
    parser.add_argument(
        "dataset",
        choices=["deepstarr", "chip", "all"],
        help="deepstarr: DeepSTARR_data.h5; chip: ChIP-seq sets; all: everything",
    )
    parser.add_argument(
        "tf_names",
        nargs="*",
        metavar="TF",
        help=f"with 'chip': transcription factors among {', '.join(CHIP_TF_NAMES)} (default: all nine)",
    )
    parser.add_argument("--dest", default="data", help="directory for the files (default: data)")
    parser.add_argument(
        "--base-url",
        default=None,
        help=f"server address (default: ${BASE_URL_ENV} if set, else {DEFAULT_BASE_URL})",
    )
    parser.add_argument("--no-progress", action="store_true", help="do not draw progress bars")
    return parser


def main(argv=None):
    """Run the command line; return the exit status (0 on success)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.tf_names and args.dataset != "chip":
        parser.error(f"transcription factors can only follow 'chip'. Received: {' '.join(args.tf_names)}")

    from evoaug_tf.datasets import download, download_chip

    progress = not args.no_progress
    try:
        if args.dataset == "chip":
            paths = download_chip(args.tf_names or None, dest=args.dest, base_url=args.base_url, progress=progress)
        else:
            paths = download(args.dataset, dest=args.dest, base_url=args.base_url, progress=progress)
    except KeyboardInterrupt:
        print("\ninterrupted; run the same command again to resume.", file=sys.stderr)
        return 130
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"{path}  ({os.path.getsize(path) / 2**20:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
