"""Command line: ``python -m evoaug_tf COMMAND [options]``; ``python -m evoaug_tf COMMAND --help`` for each.

A thin dispatcher: the programs are the modules of :mod:`evoaug_tf.commands`.
"""

from __future__ import annotations

import difflib
import importlib
import os
import re
import sys
import tempfile

from evoaug_tf.commands import COMMANDS

#: Commands that never import TensorFlow.
WITHOUT_TENSORFLOW = {"download"}
#: What TensorFlow's C++ side prints at import whatever TF_CPP_MIN_LOG_LEVEL says (it logs before absl is
#: set up): the absl notice and its INFO lines (oneDNN, CUDA stubs, CPU features). Warnings and errors pass.
STARTUP_NOISE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|I\d{4} [\d:.]+\s+\d+ [\w./-]+:\d+\] "
    r"|To enable the following instructions: .* rebuild TensorFlow with the appropriate compiler flags\.)"
)


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
    if command not in WITHOUT_TENSORFLOW and not {"-h", "--help"} & set(argv[1:]):
        import_tensorflow_quietly()
    return importlib.import_module(f"evoaug_tf.commands.{command}").main(argv[1:])


def import_tensorflow_quietly() -> None:
    """Import TensorFlow with its C++ start-up INFO lines kept off the screen; everything else is shown.

    ``TF_CPP_MIN_LOG_LEVEL`` defaults to 2 (warnings and errors). Lines TensorFlow writes before its
    logging is set up ignore that variable, so the import runs with file descriptor 2 captured and the
    captured text is written back without the lines :data:`STARTUP_NOISE` matches. ``TF_CPP_MIN_LOG_LEVEL=0``
    shows everything.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if os.environ["TF_CPP_MIN_LOG_LEVEL"].strip() == "0" or "tensorflow" in sys.modules:
        import tensorflow  # noqa: F401

        return
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            import tensorflow  # noqa: F401
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            for line in capture.read().decode("utf-8", errors="replace").splitlines(keepends=True):
                if not STARTUP_NOISE.match(line):
                    sys.stderr.write(line)


if __name__ == "__main__":
    sys.exit(main())
