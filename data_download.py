"""Download the EvoAug data (Zenodo record 7265991): a thin wrapper of ``python -m evoaug_tf download``.

Kept for clones of the repository; an installed package offers the same as ``python -m evoaug_tf download``.

    python data_download.py deepstarr
    python data_download.py chip CTCF MAX --dest data
"""

from __future__ import annotations

import sys


def build_parser():
    from evoaug_tf.commands.download import build_parser as build

    return build("python data_download.py")


def main(argv=None):
    """Run the command line; return the exit status (0 on success)."""
    from evoaug_tf.commands.download import main as run

    return run(argv, prog="python data_download.py")


if __name__ == "__main__":
    sys.exit(main())
