"""Command line: ``python -m evoaug_tf COMMAND [options]``; ``python -m evoaug_tf COMMAND --help`` for each."""

from __future__ import annotations

import sys

COMMANDS = {
    "demo": "train DeepSTARR standard vs EvoAug vs EvoAug + finetuning and compare them",
    "reproduce": "run the paper's experiments (DeepSTARR combinations, down-sampling, ChIP-seq)",
}


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"} or argv[0] not in COMMANDS:
        lines = [f"  {name:<8} {text}" for name, text in COMMANDS.items()]
        print("usage: python -m evoaug_tf COMMAND [options]\n\ncommands:\n" + "\n".join(lines))
        return 0 if argv and argv[0] in {"-h", "--help"} else 2
    import importlib

    return importlib.import_module(f"evoaug_tf.{argv[0]}").main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
