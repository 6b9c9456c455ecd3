"""``python -m evoaug_tf reproduce``: the EvoAug-TF paper's experiments, compared with the published trials.

    python -m evoaug_tf reproduce --size paper    # the paper's protocol on the real data (a GPU job, days)
    python -m evoaug_tf reproduce --quick         # the same arms, tiny, on synthetic data (minutes on a CPU)
    python -m evoaug_tf reproduce --experiments downsample --downsample-sizes 25000 50000 --trials 5
    python -m evoaug_tf reproduce --experiments frameworks   # Fig. 1c-e: EvoAug against EvoAug-TF

Experiments (sizes: ``evoaug_tf.sizes``; default ``paper``):

- ``deepstarr`` (Fig. 1c-d): standard against each augmentation and the ITD, ITN and RITDMN combinations,
  two ways: ``EvoAug <letters>`` draws a subset of augmentations per sequence (the original EvoAug's
  method) and ``EvoAug-TF <letters>`` one subset per mini-batch (EvoAug-TF's); plus ``EvoAug-TF ITD
  batch`` (batch-mode insertion, translocation and deletion, one subset per mini-batch). Fig. 1c-d has
  no published numbers; its dashed standard line is drawn at 0.672 / 0.745, while the comparison here
  uses the five measured standard trials on all 402,278 sequences (mean 0.665 / 0.746).
- ``downsample`` (Fig. 1g): DeepSTARR with the first 10k, 25k, 50k, 100k, 200k, 300k and all 402,278
  training sequences (``--downsample-order random`` draws them instead), standard against ``EvoAug-TF ITD
  batch``, as published, finetuning with early-stopping patience 3 as in the analysis
  (``sizes.downsample_protocol``; the ``deepstarr`` experiment keeps the paper's 5). Fig. 1g plots 25k to
  all; the 10k and 50k trials exist only in the analysis repository's result files.
- ``chip`` (Fig. 1f): the nine ChIP-seq factors, standard against ``EvoAug-TF ITD batch`` (insertion,
  translocation, deletion 0-20 in batch mode, one augmentation per sequence, one subset per mini-batch),
  finetuning with early-stopping patience 3 and the stage-1 Adam kept (only its learning rate set to 1e-4),
  as in the analysis (``sizes.chip_protocol``).
- ``frameworks`` (Fig. 1c-e, not run unless named: ``deepstarr`` trains overlapping arms): EvoAug
  (PyTorch, a subset of augmentations per sequence) against EvoAug-TF (one subset per mini-batch) for
  each augmentation alone, ITD and all (RITDMN), stage 1 and finetuning, with the paper's settings, and
  the seconds per training epoch of both modes measured in the run (``experiments_frameworks``). A
  single augmentation is trained once for both modes: there the two draws are identical. Writes
  ``frameworks.csv``, ``frameworks_summary.csv``, ``frameworks_epoch_times.csv`` and ``frameworks.png``.

Every arm with finetuning is also scored after stage 1. Each run's mean and spread over trials is set
beside the five published trials (``evoaug_tf.published``). With synthetic data (``quick``, ``offline``)
the comparison shows the format only: the numbers are not comparable. Finished runs are kept under
``OUT/runs``; running the same command again resumes.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import pandas as pd

from evoaug_tf import published
from evoaug_tf.commands._cli import SIZE_NAMES, parser, positive_int, run_command

if TYPE_CHECKING:
    from evoaug_tf import sizes

__all__ = [
    "CHIP_FACTORS",
    "CHIP_FINETUNE_PATIENCE",
    "DEEPSTARR_COMBINATIONS",
    "DEFAULT_EXPERIMENTS",
    "DOWNSAMPLE_FINETUNE_PATIENCE",
    "DOWNSAMPLE_SIZES",
    "EXPERIMENTS",
    "FRAMEWORKS_COLUMNS",
    "FRAMEWORKS_GRID",
    "PUBLISHED_ARMS",
    "build_parser",
    "chip_augmentations",
    "compare_with_published",
    "deepstarr_arms",
    "downsample_sizes",
    "itd_batch_arm",
    "main",
    "print_comparison",
    "resolve_size",
    "run",
    "run_frameworks",
]

#: DeepSTARR augmentation letters of the paper's Fig. 1c-d (see ``experiments.augmentations``).
DEEPSTARR_COMBINATIONS = ("R", "I", "T", "D", "M", "N", "ITD", "ITN", "RITDMN")
#: The down-sampling sizes of Fig. 1g (402,278: every training sequence).
DOWNSAMPLE_SIZES = published.DEEPSTARR_TRAIN_SEQUENCES
CHIP_FACTORS = published.CHIP_FACTORS
#: Early-stopping patience of finetuning in the paper's analysis: ChIP-seq and the down-sampling experiment
#: (the same as ``sizes.CHIP_FINETUNE_PATIENCE`` and ``sizes.DOWNSAMPLE_FINETUNE_PATIENCE``, kept here so
#: importing this module stays light).
CHIP_FINETUNE_PATIENCE = 3
DOWNSAMPLE_FINETUNE_PATIENCE = 3
#: Our run names -> the published arm they reproduce.
PUBLISHED_ARMS = {
    "standard": "standard",
    "EvoAug-TF ITD batch": "evoaug_itd_batch",
    "EvoAug-TF ITD batch+finetune": "evoaug_itd_batch_finetune",
}
EXPERIMENTS = ("deepstarr", "downsample", "chip", "frameworks")
#: What runs when ``--experiments`` is not given (``frameworks`` overlaps ``deepstarr``).
DEFAULT_EXPERIMENTS = ("deepstarr", "downsample", "chip")


def deepstarr_arms(combinations: Iterable[str] = DEEPSTARR_COMBINATIONS) -> dict:
    """Fig. 1c-d's arms: per-sequence subsets (original EvoAug) and per-batch subsets (EvoAug-TF) per combination."""
    from evoaug_tf.experiments import Arm, augmentations

    arms = {}
    for letters in combinations:
        make = functools.partial(augmentations, letters)
        arms[f"EvoAug {letters}"] = Arm(make, subset_mode="sequence")
        arms[f"EvoAug-TF {letters}"] = Arm(make, subset_mode="batch")
    arms.update(itd_batch_arm())
    return arms


def itd_batch_arm() -> dict:
    """EvoAug-TF's published DeepSTARR arm: batch-mode I, T, D (0-20, 0-20, 0-30), one subset per mini-batch."""
    from evoaug_tf.experiments import Arm, augmentations

    return {"EvoAug-TF ITD batch": Arm(functools.partial(augmentations, "ITD", batch_mode=True), subset_mode="batch")}


def chip_augmentations() -> list:
    """Batch-mode insertion, translocation and deletion, 0-20 each (the ChIP-seq setting)."""
    from evoaug_tf import augment

    return [
        augment.RandomInsertionBatch(0, 20),
        augment.RandomTranslocationBatch(0, 20),
        augment.RandomDeletionBatch(0, 20),
    ]


def compare_with_published(table: pd.DataFrame) -> pd.DataFrame:
    """Each run's mean and spread over trials beside the five published trials of the same setting.

    Parameters
    ----------
    table : pandas.DataFrame
        ``results.csv``: columns ``experiment``, ``setting`` (training sequences the run stands for, or
        the factor), ``run``, ``trial``, ``task`` and the scores.

    Returns
    -------
    pandas.DataFrame
        One row per (experiment, setting, run, task, metric): ``trials``, ``mean``, ``std`` of the run;
        ``published_arm``, ``published_mean``, ``published_std``, ``published_min``, ``published_max``,
        ``difference`` and ``within_published_range`` where the paper has that arm and setting (else NaN).
    """
    rows = []
    for (experiment, setting, run, task), group in table.groupby(["experiment", "setting", "run", "task"], sort=False):
        dataset = "chip" if experiment == "chip" else "deepstarr"
        for metric in ("auroc",) if dataset == "chip" else ("pearson_r", "spearman_r"):
            if metric not in group or group[metric].isna().all():
                continue
            values = group[metric].astype(float)
            row = {
                "experiment": experiment,
                "setting": setting,
                "run": run,
                "task": task,
                "metric": metric,
                "trials": len(values),
                "mean": values.mean(),
                "std": values.std(),
                "published_arm": PUBLISHED_ARMS.get(run),
            }
            reference = _published_filter(dataset, setting, task)
            if row["published_arm"] is not None and reference is not None:
                found = published.compare(values, dataset, arm=row["published_arm"], metric=metric, **reference)
                row.update(
                    {
                        key: found[key]
                        for key in (
                            "published_mean",
                            "published_std",
                            "published_min",
                            "published_max",
                            "difference",
                            "within_published_range",
                        )
                    }
                )
            rows.append(row)
    return pd.DataFrame(rows)


def _published_filter(dataset, setting, task):
    """The published rows a setting corresponds to, or None when the paper has no such setting."""
    if dataset == "chip":
        factor = str(setting).upper()
        return {"factor": factor, "task": factor} if factor in published.CHIP_FACTORS else None
    try:
        train_sequences = int(setting)
    except (TypeError, ValueError):
        return None
    if train_sequences not in published.DEEPSTARR_TRAIN_SEQUENCES or task not in ("Dev", "Hk"):
        return None
    return {"train_sequences": train_sequences, "task": task}


def run(args: argparse.Namespace) -> pd.DataFrame:
    import matplotlib

    matplotlib.use("agg")
    from evoaug_tf import experiments, recipes, sizes, viz

    size = resolve_size(args)
    protocol = size.protocol
    downsample_protocol = sizes.downsample_protocol(size)  # finetuning patience 3
    chip_protocol = sizes.chip_protocol(size)  # finetuning patience 3, the stage-1 Adam kept
    trials = range(size.trials)
    deepstarr_model = recipes.resolve(size, "deepstarr").model_func
    runs_dir = os.path.join(args.out, "runs")
    tables = []
    source = "synthetic data: the comparison with the paper shows the format only" if size.synthetic else "real data"
    print(f"size {size.name} ({source}); {size.trials} trial(s); protocol {protocol}")

    full_data = None

    def deepstarr(train_sequences):
        """DeepSTARR standing for ``train_sequences`` of the paper (402,278 = all)."""
        nonlocal full_data
        if size.synthetic:  # synthetic data in proportion: the size's data stands for all 402,278 sequences
            n = max(1, round(train_sequences / published.DEEPSTARR_ALL * size.train_sequences))
            return recipes.resolve(sizes.with_overrides(size, train_sequences=n), "deepstarr").load()
        recipe = recipes.resolve(
            size, "deepstarr", train_sequences=train_sequences, downsample_order=args.downsample_order
        )
        if full_data is None:  # loaded once, down-sampled for each size
            full_data = recipe.load_full(args.data_dir)
        return recipe.select(full_data)

    def compare(data, arms, experiment, setting, model_func, **options):
        print(
            f"\n{experiment} {setting}: train {len(data.x_train):,}, valid {len(data.x_valid):,}, "
            f"test {len(data.x_test):,}"
        )
        table = experiments.compare_training(
            data,
            arms,
            options.pop("protocol", protocol),
            trials=trials,
            model_func=model_func,
            out_dir=os.path.join(runs_dir, experiment, str(setting)),
            **options,
        )
        return table.assign(experiment=experiment, setting=setting, n_train=len(data.x_train))

    main_setting = size.train_sequences if not size.synthetic and size.train_sequences else published.DEEPSTARR_ALL
    if "deepstarr" in args.experiments:
        combinations = ("ITD",) if size.name == "quick" else DEEPSTARR_COMBINATIONS
        tables.append(
            compare(deepstarr(main_setting), deepstarr_arms(combinations), "deepstarr", main_setting, deepstarr_model)
        )
    if "downsample" in args.experiments:
        for train_sequences in downsample_sizes(args, size):
            # The deepstarr experiment trained these runs already, if with the same protocol (not at paper size:
            # its finetuning patience is 5, the down-sampling experiment's 3).
            if tables and train_sequences == main_setting and downsample_protocol == protocol:
                shared = tables[0][tables[0]["run"].isin(list(PUBLISHED_ARMS))]
                print(
                    f"\ndownsample {train_sequences}: the deepstarr experiment's standard and EvoAug-TF ITD batch runs"
                )
                tables.append(shared.assign(experiment="downsample"))
                continue
            tables.append(
                compare(
                    deepstarr(train_sequences),
                    itd_batch_arm(),
                    "downsample",
                    train_sequences,
                    deepstarr_model,
                    protocol=downsample_protocol,
                )
            )
    if "chip" in args.experiments:
        for factor in args.factors or size.chip_factors:
            recipe = recipes.resolve(size, factor)  # the size's first N training rows, as in notebook 05
            data = recipe.load(args.data_dir)
            arm = {"EvoAug-TF ITD batch": experiments.Arm(chip_augmentations, subset_mode="batch", max_augs_per_seq=1)}
            tables.append(
                compare(data, arm, "chip", factor, recipe.model_func, task=recipe.task, protocol=chip_protocol).assign(
                    task=factor
                )
            )

    if "frameworks" in args.experiments:
        data = deepstarr(main_setting)
        print(f"\nframeworks {main_setting}: train {len(data.x_train):,}, valid {len(data.x_valid):,}")
        scores = run_frameworks(data, size, deepstarr_model, args.out, os.path.join(runs_dir, "frameworks"))
        tables.append(
            scores.drop_duplicates(subset=["run", "trial", "task"])
            .drop(columns=[c for c in FRAMEWORKS_COLUMNS if c in scores])
            .assign(experiment="frameworks", setting=main_setting, n_train=len(data.x_train))
        )

    table = pd.concat(tables, ignore_index=True)
    os.makedirs(args.out, exist_ok=True)
    table.to_csv(os.path.join(args.out, "results.csv"), index=False)
    comparison = compare_with_published(table)
    comparison.to_csv(os.path.join(args.out, "published_comparison.csv"), index=False)
    with open(os.path.join(args.out, "settings.json"), "w") as handle:
        json.dump(
            {
                "args": vars(args),
                "size": size.name,
                "protocol": asdict(protocol),
                "downsample_protocol": asdict(downsample_protocol),
                "chip_protocol": asdict(chip_protocol),
                "fig1cd_standard_line": published.FIG1CD_STANDARD_USED,
                "fig1cd_standard_drawn": published.FIG1CD_STANDARD_DRAWN,
            },
            handle,
            indent=2,
            default=str,
        )
    for experiment, group in table.groupby("experiment", sort=False):
        metric = "auroc" if experiment == "chip" else "pearson_r"
        frame = group.assign(task=group["setting"].astype(str) + " " + group["task"].astype(str))
        viz.plot_comparison(frame, metric=metric).savefig(os.path.join(args.out, f"{experiment}.png"), dpi=150)
    print_comparison(comparison, size)
    print(f"\nSaved results.csv, published_comparison.csv, settings.json and figures in {args.out}")
    return table


#: The Fig. 1c-e grid per run size: (settings, settings timed per epoch, timed rounds incl. the warm-up).
FRAMEWORKS_GRID = {
    "quick": (("T", "ITD"), ("ITD",), 2),
    "offline": (("R", "I", "T", "D", "M", "N", "ITD", "RITDMN"), ("ITD", "RITDMN"), 3),
    "class": (("R", "I", "T", "D", "M", "N", "ITD", "RITDMN"), ("ITD", "RITDMN"), 3),
    "paper": (("R", "I", "T", "D", "M", "N", "ITD", "RITDMN"), ("ITD", "RITDMN"), 3),
}
#: Columns of the frameworks table that results.csv does not hold.
FRAMEWORKS_COLUMNS = (
    "augmentations",
    "name",
    "subset_mode",
    "framework",
    "stage",
    "shared",
    "epochs",
    "seconds_per_epoch",
)


def run_frameworks(
    data: Any, size: sizes.Size, model_func: Callable[..., Any], out: str, runs_dir: str
) -> pd.DataFrame:
    """Fig. 1c-e at ``size``: the grid (both subset modes, five trials at paper size) and the time per epoch.

    Writes ``frameworks.csv`` (tidy, one row per setting, mode, stage, trial and task),
    ``frameworks_summary.csv`` (means and the paper's direction), ``frameworks_epoch_times.csv`` and
    ``frameworks.png`` (the paper's scatter) into ``out``; returns the tidy table.
    """
    from evoaug_tf import experiments_frameworks as frameworks

    settings, timed, rounds = FRAMEWORKS_GRID[size.name]
    table = frameworks.compare_frameworks(
        data, size.protocol, trials=range(size.trials), settings=settings, model_func=model_func, out_dir=runs_dir
    )
    summary = frameworks.summarize_frameworks(table)
    times = frameworks.time_per_epoch(data, size.protocol, settings=timed, epochs=rounds, model_func=model_func)
    os.makedirs(out, exist_ok=True)
    table.to_csv(os.path.join(out, "frameworks.csv"), index=False)
    summary.to_csv(os.path.join(out, "frameworks_summary.csv"), index=False)
    times.to_csv(os.path.join(out, "frameworks_epoch_times.csv"), index=False)
    frameworks.plot_frameworks(table).savefig(os.path.join(out, "frameworks.png"), dpi=150)
    print("\nFig. 1c-d, test Pearson r: per sequence (EvoAug) against per mini-batch (EvoAug-TF), mean over trials")
    columns = [
        "name",
        "stage",
        "task",
        "trials",
        "sequence",
        "batch",
        "difference",
        "paper_direction",
        "same_direction",
    ]
    print(summary[columns].round(3).to_string(index=False))
    timed_rows = times[~times["warmup"]]
    per_epoch = timed_rows.groupby(["augmentations", "subset_mode"], sort=False)["seconds"].median()
    print("Fig. 1e, seconds per training epoch (median of the timed rounds, the warm-up left out):")
    print(per_epoch.round(2).to_string())
    print(
        "Fig. 1c-e's numbers were never published (only the text's statements); single augmentations are one "
        "run for both modes, as the two draws are identical there."
    )
    return table


def print_comparison(comparison: pd.DataFrame, size: sizes.Size) -> None:
    """The headline metric of each run beside the published trials (mean +- sd, [min, max])."""
    headline = comparison[comparison["metric"].isin(["pearson_r", "auroc"])]
    lines = []
    for row in headline.itertuples():
        spread = "" if pd.isna(row.std) else f" +- {row.std:.3f}"
        text = (
            f"{row.experiment:<10} {str(row.setting):>7} {row.run:<30} {row.task:<6} {row.metric:<9} "
            f"{row.mean:.3f}{spread} (n={row.trials})"
        )
        if isinstance(row.published_arm, str) and not pd.isna(getattr(row, "published_mean", float("nan"))):
            text += (
                f" | published {row.published_mean:.3f} +- {row.published_std:.3f} "
                f"[{row.published_min:.3f}, {row.published_max:.3f}] (n=5)"
            )
        lines.append(text)
    print("\nTest scores, this run against the published trials (mean +- sd over trials, [min, max]):")
    print("\n".join(lines))
    print(
        f"Fig. 1c-d standard line: {published.FIG1CD_STANDARD_USED}; the paper's plot draws it at "
        f"{published.FIG1CD_STANDARD_DRAWN['Dev']} / {published.FIG1CD_STANDARD_DRAWN['Hk']}."
    )
    if size.synthetic:
        print(
            f"Size {size.name} uses synthetic data: the published column shows where the paper's numbers "
            "would go, not a comparison."
        )


def downsample_sizes(args: argparse.Namespace, size: sizes.Size) -> list[int]:
    """The paper sizes to run: ``--downsample-sizes``, else those the run size holds (quick: 100k and all)."""
    if args.downsample_sizes:
        return list(args.downsample_sizes)
    if size.name == "quick":
        return [100_000, published.DEEPSTARR_ALL]
    cap = published.DEEPSTARR_ALL if size.synthetic or size.train_sequences is None else size.train_sequences
    return [n for n in DOWNSAMPLE_SIZES if n <= cap]


def resolve_size(args: argparse.Namespace) -> sizes.Size:
    from evoaug_tf import sizes

    name = "quick" if args.quick else (args.size or "paper")
    size = sizes.get(name)
    changes = {}
    if args.trials is not None:
        changes["trials"] = args.trials
    if args.epochs is not None:
        changes["epochs"] = args.epochs
    if args.finetune_epochs is not None:
        changes["finetune_epochs"] = args.finetune_epochs
    return sizes.with_overrides(size, **changes)


def _paper_size(text: str) -> int:
    import argparse

    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        value = None
    if value not in DOWNSAMPLE_SIZES:
        raise argparse.ArgumentTypeError(
            f"expected one of the paper's sizes {', '.join(map(str, DOWNSAMPLE_SIZES))}. Received: {text!r}"
        )
    return value


def _factor(text: str) -> str:
    import argparse

    if text.upper() not in CHIP_FACTORS:
        raise argparse.ArgumentTypeError(f"expected one of {', '.join(CHIP_FACTORS)}. Received: {text!r}")
    return text.upper()


def build_parser() -> argparse.ArgumentParser:
    result = parser("python -m evoaug_tf reproduce", __doc__)
    choice = result.add_mutually_exclusive_group()
    choice.add_argument("--quick", action="store_true", help="the same as --size quick (tests, CPU)")
    choice.add_argument("--size", choices=list(SIZE_NAMES), default=None, help="run size (default: paper)")
    result.add_argument(
        "--experiments",
        nargs="+",
        choices=list(EXPERIMENTS),
        default=list(DEFAULT_EXPERIMENTS),
        help=f"default: {' '.join(DEFAULT_EXPERIMENTS)}",
    )
    result.add_argument("--trials", type=positive_int, default=None, help="trials per run (default: the size's)")
    result.add_argument("--epochs", type=positive_int, default=None, help="maximum stage-1 epochs")
    result.add_argument("--finetune-epochs", type=positive_int, default=None, help="maximum finetuning epochs")
    result.add_argument(
        "--downsample-sizes",
        nargs="+",
        type=_paper_size,
        default=None,
        metavar="N",
        help="paper sizes for the downsample experiment (default: those the size holds)",
    )
    result.add_argument(
        "--downsample-order",
        choices=["first", "random"],
        default="first",
        help="keep the first N training rows (the paper, default) or N random ones",
    )
    result.add_argument(
        "--factors",
        nargs="+",
        type=_factor,
        default=None,
        metavar="TF",
        help="ChIP-seq factors (default: the size's; paper: all nine)",
    )
    result.add_argument("--data-dir", default="data")
    result.add_argument("--out", default=os.path.join("outputs", "reproduce"))
    return result


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(build_parser(), run, argv)
