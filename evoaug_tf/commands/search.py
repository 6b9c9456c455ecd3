"""``python -m evoaug_tf search``: search augmentation hyperparameters with Ray Tune (ASHA or PBT).

    python -m evoaug_tf search --size offline --scheduler asha --num-samples 8
    python -m evoaug_tf search --size class --scheduler pbt --num-samples 4 --max-epochs 20

Needs the ``tune`` extra (``pip install "evoaug_tf[tune]"``). The search space is the paper's
(``evoaug_tf.tune.SEARCH_VALUES``); the data and protocol come from the size (``evoaug_tf.sizes``):
synthetic DeepSTARR-like data at ``quick`` and ``offline``, the first N DeepSTARR training sequences at
``class``, all of them at ``paper``. The paper reused the original EvoAug's hyperparameters and ran no
search for its results; this is the search its example notebooks show.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Sequence
from typing import Any

from evoaug_tf.commands._cli import SIZE_NAMES, non_negative_int, parser, positive_int, run_command

__all__ = ["SETTINGS_FILE", "build_parser", "check_out", "main", "run"]


def build_parser() -> argparse.ArgumentParser:
    result = parser("python -m evoaug_tf search", __doc__)
    result.add_argument("--size", choices=list(SIZE_NAMES), default="offline", help="run size (default: offline)")
    result.add_argument("--scheduler", choices=["asha", "pbt"], default="asha")
    result.add_argument("--num-samples", type=positive_int, default=8, help="trials (PBT: the population size)")
    result.add_argument("--max-epochs", type=positive_int, default=None, help="stage-1 epochs per trial")
    result.add_argument("--batch-mode", action="store_true", help="batch versions of R, I, T and D")
    result.add_argument("--finetune", action="store_true", help="also finetune in every trial")
    result.add_argument("--seed", type=non_negative_int, default=0, help="seed of the search and the synthetic data")
    result.add_argument("--data-dir", default="data")
    result.add_argument(
        "--out",
        default=os.path.join("outputs", "search"),
        help="folder for the table, the best config and Ray's results",
    )
    return result


#: What a search's results depend on (the command's options but ``--out``), kept in ``OUT/search.json``.
SETTINGS_FILE = "search.json"


def check_out(out: str, settings: dict) -> None:
    """Refuse an ``--out`` folder that holds a search made with other settings; record these settings.

    Parameters
    ----------
    out : str
        The ``--out`` folder.
    settings : dict
        The options the search's results depend on.

    Raises
    ------
    ValueError
        When ``out`` holds results (``trials.csv``, ``best_config.json`` or ``ray_results``) of another
        search, or ones whose ``search.json`` is missing or damaged, naming what differs.
    """
    from evoaug_tf import runs

    path = os.path.join(out, SETTINGS_FILE)
    results = ("trials.csv", "best_config.json", "ray_results")
    held = [name for name in results if os.path.exists(os.path.join(out, name))]
    settings = json.loads(json.dumps(settings))
    if held:
        try:
            with open(path) as handle:
                saved = json.load(handle)
        except FileNotFoundError:
            saved, changed = None, [f"unknown: {SETTINGS_FILE} is missing"]
        except ValueError:
            saved, changed = None, [f"unknown: {SETTINGS_FILE} is damaged"]
        if isinstance(saved, dict):
            changed = runs.changed_fields(saved, settings)
        elif saved is not None:
            changed = [f"unknown: {SETTINGS_FILE} is damaged"]
        if changed:
            raise ValueError(
                f"Expected --out to be a new folder or to hold a search with the same settings. Received: "
                f"out={out!r}, which holds {', '.join(held)} of a search with other settings (changed: "
                f"{', '.join(changed)}). Choose another --out, or move that folder away."
            )
    os.makedirs(out, exist_ok=True)
    runs.write_json(path, settings)


def run(args: argparse.Namespace) -> Any:
    try:
        import ray  # noqa: F401
    except ImportError:
        raise RuntimeError(
            'the search needs Ray Tune: pip install "evoaug_tf[tune]" (or pip install "ray[tune]")'
        ) from None
    from evoaug_tf import recipes, tune

    check_out(args.out, {key: value for key, value in vars(args).items() if key != "out"})

    recipe = recipes.resolve(args.size, "deepstarr", seed=args.seed)
    size = recipe.size
    data = recipe.load(args.data_dir)
    print(f"size {size.name}: {args.num_samples} trials ({args.scheduler}) on {len(data.x_train):,} training sequences")
    result = tune.run_search(
        data,
        scheduler=args.scheduler,
        num_samples=args.num_samples,
        max_epochs=args.max_epochs,
        protocol=recipe.protocol,
        model_func=recipe.model_func,
        batch_mode=args.batch_mode,
        finetune=args.finetune,
        seed=args.seed,
        storage_path=os.path.abspath(os.path.join(args.out, "ray_results")),
    )
    from evoaug_tf import runs

    runs.atomic_write(os.path.join(args.out, "trials.csv"), lambda path: result.table.to_csv(path, index=False))
    best = json.loads(json.dumps({"config": result.best_config, "size": size.name}, default=str))
    runs.write_json(os.path.join(args.out, "best_config.json"), best)
    print(result.table.round(3).to_string(index=False))
    print(f"\nbest config: {result.best_config}\nSaved trials.csv and best_config.json in {args.out}")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(build_parser(), run, argv)
