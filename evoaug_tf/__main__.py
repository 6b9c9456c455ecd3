"""Command line: ``python -m evoaug_tf COMMAND [options]``; ``python -m evoaug_tf COMMAND --help`` for each.

A thin dispatcher: the programs are the modules of :mod:`evoaug_tf.commands`.
"""

from __future__ import annotations

import difflib
import importlib
import sys

from evoaug_tf.commands import COMMANDS


def usage() -> str:
    lines = [f"  {name:<10} {text}" for name, text in COMMANDS.items()]
    return (
        "usage: python -m evoaug_tf COMMAND [options]\n\ncommands:\n"
        + "\n".join(lines)
        + "\n\n'python -m evoaug_tf COMMAND --help' describes a command's options."
    )


def main(argv=None) -> int:
    """Run ``COMMAND``'s ``main`` with the remaining arguments; return the exit status.

    No command: the usage on stdout, status 2. ``-h``/``--help``: the usage, status 0. An unknown
    command: an error naming it and the commands there are, on stderr, status 2.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        print(usage())
        return 2
    if argv[0] in {"-h", "--help"}:
        print(usage())
        return 0
    command = argv[0]
    if command not in COMMANDS:
        close = difflib.get_close_matches(command, list(COMMANDS), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        print(
            f"{usage()}\n\nerror: unknown command {command!r}. Expected one of: {', '.join(COMMANDS)}.{hint}",
            file=sys.stderr,
        )
        return 2
    return importlib.import_module(f"evoaug_tf.commands.{command}").main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
