"""What every command shares: a parser without abbreviations, option checks at parse time, one error line."""

from __future__ import annotations

import argparse
import math
import sys

#: The names of ``evoaug_tf.sizes.SIZES``, kept here so that parsing options does not import TensorFlow
#: (a test checks they agree).
SIZE_NAMES = ("quick", "offline", "class", "paper")


def parser(prog: str, description: str) -> argparse.ArgumentParser:
    """An ``ArgumentParser`` that takes options only by their full name (``--data`` is not ``--data-dir``)."""
    return argparse.ArgumentParser(
        prog=prog, description=description, allow_abbrev=False, formatter_class=argparse.RawDescriptionHelpFormatter
    )


def _integer(text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= {minimum}. Received: {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"expected an integer >= {minimum}. Received: {text}")
    return value


def positive_int(text: str) -> int:
    """Argparse type: an integer >= 1 (argparse names the option in its error)."""
    return _integer(text, 1)


def non_negative_int(text: str) -> int:
    """Argparse type: an integer >= 0."""
    return _integer(text, 0)


def positive_seconds(text: str) -> float:
    """Argparse type: a finite number of seconds > 0."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds > 0. Received: {text!r}")
    return value


def run_command(parser: argparse.ArgumentParser, run, argv=None) -> int:
    """Parse ``argv`` (bad options: argparse's usage error, exit status 2) and ``run(args)``.

    A failure of the run itself (a missing file, no network, a bad value found later) is one ``error:``
    line on stderr and exit status 1, without a traceback.
    """
    args = parser.parse_args(argv)
    try:
        run(args)
    except (OSError, RuntimeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted; run the same command again to resume.", file=sys.stderr)
        return 130
    return 0
