"""What each notebook trains at each size, and how long that takes.

A :class:`Plan` lists a notebook's training runs at one size and adds up their steps. From the steps
it estimates the time on a Colab T4 GPU (an estimate: it assumes a time per step, printed with it,
and counts every epoch up to the cap, so early stopping only makes it shorter).

Where the numbers come from:

- **rows per split**: :func:`evoaug_tf.recipes.resolve` (the same resolver ``tutorial.load_data`` uses), so
  a plan's data is the notebook's data at that size;
- **epochs and batch size**: the size's protocol, and the caps each notebook's code applies (the constants
  below that notebooks import: :data:`LOW_DATA_SIZES`, :data:`INTERPRETABILITY_EPOCHS`, :data:`SEARCHES` ...);
- **measured wall time**: the recorded timings of ``python docs/make.py execute``
  (``docs/tutorials/timings.json``, at the size recorded there, ``offline``), read by
  :func:`measured_cpu_minutes`. The ``quick`` size is not timed (its times were never recorded in a file).

The first cell of every notebook shows :func:`markdown_table` of that notebook; a test compares the
two, and ``python -m evoaug_tf.tutorial.plans`` rewrites the tables (notebook and executed copy, markdown
only) or, with ``--check``, lists those that differ.

**Adding a notebook**: write ``_notebook_NN(size) -> (runs, downloads)`` from :func:`standard_and_evoaug`
(or :class:`Run` and :func:`rows`) with the same caps the notebook's code uses, add it to :data:`NOTEBOOKS`,
then run ``python -m evoaug_tf.tutorial.plans NN`` to write its first cell's table.

>>> from evoaug_tf import tutorial
>>> plan = tutorial.plan("03", "class")
>>> plan.train_steps, len(plan.runs)
(50000, 3)
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from evoaug_tf import recipes, sizes
from evoaug_tf.training import Protocol

__all__ = [
    "COMPARISON_GRID",
    "CPU_SECONDS_PER_EVAL_STEP",
    "CPU_SECONDS_PER_TRAIN_STEP",
    "GRAMMAR_EXERCISE",
    "INTERPRETABILITY_EPOCHS",
    "INTERPRETABILITY_MODELS",
    "LOW_DATA_SIZES",
    "MEASURED_STEP_MINUTES",
    "NOTEBOOKS",
    "SEARCHES",
    "SHORT_EPOCHS",
    "SHORT_FINETUNE_EPOCHS",
    "T4_SECONDS_PER_EVAL_STEP",
    "T4_SECONDS_PER_TRAIN_STEP",
    "TABLE_HEADER",
    "TABLE_NOTE",
    "TIMINGS_FILE",
    "Plan",
    "Run",
    "comparison_grid",
    "low_data_sizes",
    "main",
    "markdown_table",
    "measured_time_words",
    "measured_words",
    "recorded_timing",
    "measured_cpu_minutes",
    "plan",
    "recorded_timings",
    "rows",
    "standard_and_evoaug",
    "readme_cells",
    "update_tables",
    "with_readme_rows",
    "with_table",
]

#: Assumed Colab T4 time of one DeepSTARR / ChIP-CNN training step of 100 sequences (seconds):
#: an estimate, not a measurement (nobody here can time a T4).
T4_SECONDS_PER_TRAIN_STEP = 0.012
#: Assumed Colab T4 time of one validation or test step of 100 sequences (forward pass only).
T4_SECONDS_PER_EVAL_STEP = 0.004
#: Assumed time of one training step on a 2-core CPU (Colab without a GPU), for the warning.
CPU_SECONDS_PER_TRAIN_STEP = 0.25
CPU_SECONDS_PER_EVAL_STEP = 0.06

#: The recorded wall times of ``python docs/make.py execute``: ``{"NN_name.ipynb": {"size", "wall_time_s"}}``.
#: In a clone of the repository; an installed package has none (then plans print the rough CPU estimate).
TIMINGS_FILE = Path(__file__).resolve().parents[2] / "docs" / "tutorials" / "timings.json"


@functools.lru_cache(maxsize=4)
def _recorded(path: str, mtime: float) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def recorded_timings(path: str | Path | None = None) -> dict:
    """The recorded timings file as a dict (empty when there is none)."""
    path = Path(path or TIMINGS_FILE)
    if not path.is_file():
        return {}
    return _recorded(str(path), path.stat().st_mtime)


def recorded_timing(notebook: str | int, size: str | sizes.Size) -> dict | None:
    """The :data:`TIMINGS_FILE` entry of the notebook's executed copy when it ran at ``size``, or None.

    ``{"size": ..., "wall_time_s": ..., "solutions_s": ...}``; ``solutions_s`` (the time spent in solution
    cells) is absent from records made before it was measured.
    """
    key = _notebook_key(notebook)
    name = sizes.get(size).name
    for filename, entry in recorded_timings().items():
        if filename.split("_")[0] == key and entry.get("size") == name and "wall_time_s" in entry:
            return entry
    return None


def measured_cpu_minutes(notebook: str | int, size: str | sizes.Size) -> float | None:
    """Wall time of the whole notebook (every solution run) recorded on 2 CPU cores at ``size`` (minutes), or None.

    From :data:`TIMINGS_FILE` (:func:`recorded_timing`).
    """
    entry = recorded_timing(notebook, size)
    return None if entry is None else float(entry["wall_time_s"]) / 60


@dataclass(frozen=True)
class Run:
    """One training run of a notebook.

    Attributes
    ----------
    label : str
        What it is, e.g. ``"standard"`` or ``"EvoAug + finetune"``.
    dataset : str
        ``"deepstarr"`` or ``"chip"``.
    train_sequences, valid_sequences, test_sequences : int
        Rows in each split.
    epochs : int
        Stage-1 epoch cap.
    finetune_epochs : int
        Stage-2 epoch cap (0: no finetuning).
    batch_size : int
        Sequences per step.
    exercise : bool
        True for an exercise's solution (optional for a student; :attr:`Plan.lesson` leaves it out).
    copies : int
        Copies of the training rows in an epoch (notebook 04's small synthetic sets,
        :func:`evoaug_tf.sizes.downsample_repeats`); 1: each row once.
    """

    label: str
    dataset: str
    train_sequences: int
    valid_sequences: int
    test_sequences: int
    epochs: int
    finetune_epochs: int = 0
    batch_size: int = 100
    exercise: bool = False
    copies: int = 1

    @property
    def epochs_total(self) -> int:
        return self.epochs + self.finetune_epochs

    @property
    def train_steps(self) -> int:
        """Training steps if every epoch up to the caps runs."""
        return math.ceil(self.train_sequences * self.copies / self.batch_size) * self.epochs_total

    @property
    def eval_steps(self) -> int:
        """Validation steps (one pass per epoch) and one test pass per stage."""
        valid = math.ceil(self.valid_sequences / self.batch_size) * self.epochs_total
        stages = 2 if self.finetune_epochs else 1
        return valid + math.ceil(self.test_sequences / self.batch_size) * stages


@dataclass(frozen=True)
class Plan:
    """A notebook's training at one size.

    Attributes
    ----------
    notebook : str
        ``"00"`` ... ``"09"``.
    size : str
        The size's name.
    runs : tuple of Run
        Every training run, in order.
    downloads : tuple of str
        Published data sets the notebook needs at this size (empty: runs offline).
    """

    notebook: str
    size: str
    runs: tuple[Run, ...]
    downloads: tuple[str, ...] = ()

    @property
    def lesson(self) -> Plan:
        """The plan without the exercises' solutions (what a student who skips them trains)."""
        return replace(self, runs=tuple(run for run in self.runs if not run.exercise))

    @property
    def train_steps(self) -> int:
        """Training steps of all runs together, every epoch up to the caps."""
        return sum(run.train_steps for run in self.runs)

    @property
    def eval_steps(self) -> int:
        return sum(run.eval_steps for run in self.runs)

    @property
    def estimated_t4_minutes(self) -> float:
        """Upper estimate on a Colab T4 (see :data:`T4_SECONDS_PER_TRAIN_STEP`)."""
        return (self.train_steps * T4_SECONDS_PER_TRAIN_STEP + self.eval_steps * T4_SECONDS_PER_EVAL_STEP) / 60

    @property
    def estimated_cpu_minutes(self) -> float:
        """Rough upper estimate on 2 CPU cores (see :data:`CPU_SECONDS_PER_TRAIN_STEP`)."""
        return (self.train_steps * CPU_SECONDS_PER_TRAIN_STEP + self.eval_steps * CPU_SECONDS_PER_EVAL_STEP) / 60

    @property
    def measured_cpu_minutes(self) -> float | None:
        """Wall time recorded on 2 CPU cores at this size (see :func:`measured_cpu_minutes`), or None."""
        return measured_cpu_minutes(self.notebook, self.size)

    def time_text(self) -> str:
        """The expected time in a few words, as the setup cell prints it and the header table shows it."""
        entry = recorded_timing(self.notebook, self.size)
        if entry is not None:
            words = measured_time_words(float(entry["wall_time_s"]), entry.get("solutions_s"))
            return f"{words}, measured on 2 CPU cores"
        if sizes.get(self.size).synthetic:
            minutes = self.estimated_cpu_minutes
            bound = _minutes(minutes) if minutes < 1 else f"at most {_minutes(minutes)}"
            return f"{bound} on 2 CPU cores (a rough estimate)"
        return f"{_about(self.estimated_t4_minutes)} on a Colab T4 (estimate)"

    def describe(self) -> str:
        """A few lines for a person: the runs, the steps and the expected time."""
        lines = [f"Notebook {self.notebook} at size {self.size!r}: {len(self.runs)} training run(s)"]
        if not self.runs:
            lines = [f"Notebook {self.notebook} at size {self.size!r}: no training"]
        for run in self.runs:
            finetune = f" + {run.finetune_epochs} finetuning" if run.finetune_epochs else ""
            optional = " [optional: an exercise's solution, skipped by Run all]" if run.exercise else ""
            lines.append(
                f"  - {run.label}: {run.train_sequences:,} {run.dataset} training sequences, "
                f"up to {run.epochs}{finetune} epochs{optional}"
            )
        if self.runs:
            steps = f"  at most {self.train_steps:,} training steps of {self.runs[0].batch_size} sequences"
            if any(run.exercise for run in self.runs):
                steps += f" ({self.lesson.train_steps:,} without the exercises' solutions)"
            lines.append(steps)
        time = self.time_text()
        if self.measured_cpu_minutes is not None:
            time += " (shared with other jobs)"
        elif not sizes.get(self.size).synthetic:
            time += (
                f", assuming {T4_SECONDS_PER_TRAIN_STEP * 1000:.0f} ms per training step; "
                "early stopping usually ends sooner"
            )
        lines.append(f"  time: {time}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()


def _minutes(minutes: float) -> str:
    if minutes < 1:
        return "under a minute"
    if minutes < 90:
        return f"{minutes:.0f} min"
    return f"{minutes / 60:.1f} h"


def _about(minutes: float) -> str:
    """``"under a minute"`` or ``"about 5 min"``."""
    return _minutes(minutes) if minutes < 1 else f"about {_minutes(minutes)}"


#: Measured wall times are printed in steps of this many minutes (:func:`measured_words`).
MEASURED_STEP_MINUTES = 5


def measured_words(minutes: float) -> str:
    """A measured wall time in the words a plan prints: ``"under a minute"``, ``"under 5 min"``, ``"under 10 min"``.

    Rounded up to a multiple of :data:`MEASURED_STEP_MINUTES`: two executions of the same notebook
    differ by several percent, so minute-exact words ("about 7 min") change from one run to the next,
    and a class plans in 5-minute steps anyway. ``minutes`` must be finite and not negative.
    """
    if not math.isfinite(minutes) or minutes < 0:
        raise ValueError(f"Expected minutes to be a finite number >= 0. Received: minutes={minutes!r}")
    if minutes < 1:
        return "under a minute"
    step = MEASURED_STEP_MINUTES
    return f"under {_minutes(step * math.floor(minutes / step) + step)}"


def measured_time_words(wall_time_s: float, solutions_s: float | None = None) -> str:
    """The words for one recorded execution: Run all's time, and the whole notebook's when solutions ran.

    ``wall_time_s``: the whole notebook, every exercise's solution included (``docs/make.py execute``
    runs them). ``solutions_s``: the part spent in solution cells, which "Run all" skips; None or 0
    (a notebook without solutions, or a record made before they were timed): one time only.
    """
    whole = measured_words(wall_time_s / 60)
    if not solutions_s:
        return whole
    run_all = measured_words(max(wall_time_s - solutions_s, 0.0) / 60)
    if run_all == whole:
        return f"{whole} (with or without the exercises' solutions)"
    return f"{run_all} with Run all ({whole} with every solution)"


def rows(dataset: str, size: sizes.Size) -> tuple[int, int, int]:
    """Train, valid and test rows of ``dataset`` (``"deepstarr"``, ``"chip"`` or a factor) at ``size``.

    :meth:`evoaug_tf.recipes.Recipe.rows` of the recipe ``tutorial.load_data`` uses (``"chip"``: the size's
    first factor; the published ChIP-seq sizes are an estimate).
    """
    name = size.chip_factors[0] if dataset == "chip" else dataset
    return recipes.resolve(size, name).rows()


#: The earlier private name of :func:`rows` (kept for plans written against it).
_splits = rows


def standard_and_evoaug(
    size: sizes.Size,
    dataset: str = "deepstarr",
    epochs: int | None = None,
    finetune_epochs: int | None = None,
    train_sequences: int | None = None,
    trials: int = 1,
    protocol: Protocol | None = None,
) -> list[Run]:
    """Standard training and EvoAug + finetuning, ``trials`` times: one ``compare_training`` call.

    ``protocol``: the call's protocol when it is not the size's (its epoch caps are the plan's).
    """
    train, valid, test = rows(dataset, size)
    if train_sequences is not None:
        train = min(train, train_sequences)
    protocol = size.protocol if protocol is None else protocol
    epochs = protocol.epochs if epochs is None else min(epochs, protocol.epochs)
    finetune = protocol.finetune_epochs if finetune_epochs is None else min(finetune_epochs, protocol.finetune_epochs)
    runs = []
    for trial in range(trials):
        tag = f" (trial {trial})" if trials > 1 else ""
        runs.append(Run(f"standard{tag}", dataset, train, valid, test, epochs, 0, protocol.batch_size))
        runs.append(Run(f"EvoAug + finetune{tag}", dataset, train, valid, test, epochs, finetune, protocol.batch_size))
    return runs


#: Notebooks 00 and 07 cap training at these epochs (stage 1, finetuning): a short first look.
SHORT_EPOCHS, SHORT_FINETUNE_EPOCHS = 10, 3


def _notebook_00(size):
    # The quickstart: one EvoAug run (at most 10 + 3 epochs, a short first look); exercise 1 trains the
    # network without augmentations, exercise 3 repeats the EvoAug run with train_two_stage.
    standard, evoaug = standard_and_evoaug(size, epochs=SHORT_EPOCHS, finetune_epochs=SHORT_FINETUNE_EPOCHS)
    return [
        evoaug,
        replace(standard, label="standard (exercise 1)", exercise=True),
        replace(evoaug, label="EvoAug + finetune with train_two_stage (exercise 3)", exercise=True),
    ], ("deepstarr",)


def _notebook_01(size):
    # Looks at the data; trains nothing.
    return [], ("deepstarr",)


def _notebook_02(size):
    # Augmentations on synthetic sequences; trains nothing.
    return [], ()


def _notebook_03(size):
    # The main training lesson: standard vs EvoAug + finetune, `size.trials` trials (one compare_training call),
    # then exercise 2: one more EvoAug + finetune run in sequence mode.
    runs = standard_and_evoaug(size, trials=size.trials)
    exercise = standard_and_evoaug(size)[1]
    exercise = replace(exercise, label="EvoAug sequence mode + finetune (exercise 2)", exercise=True)
    return [*runs, exercise], ("deepstarr",)


#: Notebook 04's training sizes: the first N training rows (None: all of them). At class size the 25k and
#: 50k points of the paper's down-sampling runs (25k plotted in Fig. 1g; 50k only in the analysis
#: repository's result files), so the run sits next to the five published trials at each. At the synthetic
#: sizes, a tenth of the set (little learned) and all of it, which is notebook 03's run (two sizes: each small
#: size trains as long as the full set's run, about 6 min on 2 CPU cores, and a notebook has 10 minutes).
LOW_DATA_SIZES = {
    "quick": (400, 1600),
    "offline": (500, 5000),
    "class": (25_000, 50_000),
    "paper": (25_000, 100_000, 200_000, None),
}


def low_data_sizes(size: sizes.Size) -> tuple[int, ...]:
    """Notebook 04's training sizes at ``size`` (all rows resolved to a number)."""
    full, _, _ = rows("deepstarr", size)
    return tuple(full if n is None else min(n, full) for n in LOW_DATA_SIZES[size.name])


def _notebook_04(size):
    # Low data: standard vs EvoAug (ITD batch mode) + finetune at each training size, `size.trials` trials,
    # each with sizes.downsample_protocol(size) and, below the full synthetic set, sizes.downsample_repeats
    # copies of the rows per epoch (an epoch as long as the full set's). At a synthetic size the full set is
    # notebook 03's run, read from 03's folder when 03 ran first (counted here, as 04 trains it when run alone).
    runs = []
    full, _, _ = rows("deepstarr", size)
    protocol = sizes.downsample_protocol(size)
    for n in low_data_sizes(size):
        copies = sizes.downsample_repeats(size, n)
        reused = " (notebook 03's run)" if size.synthetic and n == full else ""
        shown = f", {copies} copies per epoch" if copies > 1 else ""
        runs += [
            replace(run, label=f"{run.label}, {n:,} sequences{shown}{reused}", copies=copies)
            for run in standard_and_evoaug(size, train_sequences=n, trials=size.trials, protocol=protocol)
        ]
    # Exercise 2's solution: one EvoAug + finetune trial at the smallest size with a subset per sequence (its
    # standard run is section 3's, read from the same folder).
    smallest = min(low_data_sizes(size))
    copies = sizes.downsample_repeats(size, smallest)
    exercise = standard_and_evoaug(size, train_sequences=smallest, protocol=protocol)
    runs.append(
        replace(
            exercise[1],
            label=f"{exercise[1].label}, {smallest:,} sequences, sequence mode (exercise 2)",
            exercise=True,
            copies=copies,
        )
    )
    return runs, ("deepstarr",)


def _notebook_05(size):
    # ChIP-seq: standard vs EvoAug (batch-mode ITD 0-20, one augmentation) + finetune, per factor (GABPA).
    runs = []
    for factor in size.chip_factors:
        runs += [
            replace(run, label=f"{factor} {run.label}")
            for run in standard_and_evoaug(size, dataset="chip", trials=size.trials)
        ]
    # Exercise 1's solution: the first factor again, one trial, a subset per sequence (standard trained again).
    runs += [
        replace(run, label=f"{size.chip_factors[0]} {run.label}, sequence mode (exercise 1)", exercise=True)
        for run in standard_and_evoaug(size, dataset="chip")
    ]
    # Exercise 4's solution: the standard arm on CTCF, one trial (real CTCF at class and paper size).
    ctcf = standard_and_evoaug(size, dataset="CTCF")[0]
    runs.append(replace(ctcf, label="CTCF standard (exercise 4)", dataset="chip", exercise=True))
    downloads = tuple(dict.fromkeys((*size.chip_factors, "CTCF")))
    return runs, downloads if not size.synthetic else ()


#: Notebook 06: models per arm (the paper: five) and the stage-1 / finetune epoch caps per size.
#: ``offline`` trains one model per arm on a larger world rather than two on a smaller one (see below);
#: ``benchmarks/interpretability.py`` measures three per arm.
INTERPRETABILITY_MODELS = {"quick": 2, "offline": 1, "class": 3, "paper": 5}
INTERPRETABILITY_EPOCHS = {"quick": (4, 2), "offline": (3, 1), "class": (12, 5), "paper": (100, 10)}

#: Notebook 06's synthetic world: training sequences per synthetic size (``offline``: 24,000). The standard
#: arm's maps find the planted motifs only with enough distinct sequences, not with more epochs. Mean motif
#: AUROC (Dev / Hk) of three standard models, ``benchmarks/world_size_motifs.py``: on 16,000, 0.620 / 0.787
#: after 3 epochs and at most 0.647 / 0.794 up to 6; on 24,000, 0.766 / 0.810 after 3 (three models on
#: notebook 03's 5,000, 10 + 3 epochs: 0.551 / 0.625). Two models per arm on 24,000 x (3 + 1) epochs would take
#: about 12 min with Run all on 2 CPU cores (estimated from the 16,000 run's 8.3 min, two thirds of it
#: training), over a class slot's 10, so ``offline`` trains one per arm and the notebook quotes
#: ``benchmarks/interpretability.py``'s three. The choice looked at the standard arm and at time, never at
#: EvoAug's numbers.
INTERPRETABILITY_TRAIN = {"quick": None, "offline": 24_000}


def interpretability_total(size: str | sizes.Size) -> int | None:
    """Synthetic sequences in all (train, valid, test) of notebook 06's world at ``size``; None: the size's own.

    Passed as ``tutorial.load_data(..., n=...)``, which ignores it for the published data.
    """
    train = INTERPRETABILITY_TRAIN.get(sizes.get(size).name)
    return None if train is None else recipes.synthetic_total(train)


#: Notebook 06's exercise 3 (the grammar-free world, version 2): (synthetic sequences in all, stage-1 epochs,
#: finetuning epochs) per size, as its solution cell trains them (the offline world's size and epochs at every
#: size but quick).
GRAMMAR_EXERCISE = {
    "quick": (800, 2, 1),
    "offline": (30_000, 3, 1),
    "class": (30_000, 3, 1),
    "paper": (30_000, 3, 1),
}


def _notebook_06(size):
    # Interpretability: standard vs all augmentations (RITDMN) + finetune, models as replicates.
    # On the published data, the motif-recovery section also trains the offline size's arms on synthetic data.
    runs = []
    for run_size in (size,) if size.synthetic else (size, sizes.get("offline")):
        epochs, finetune = INTERPRETABILITY_EPOCHS[run_size.name]
        tag = "" if run_size is size else " (synthetic, motif recovery)"
        total = interpretability_total(run_size)
        rows_of = ("train_sequences", "valid_sequences", "test_sequences")
        counts = dict(zip(rows_of, recipes.resolve(run_size, "deepstarr", total_sequences=total).rows()))
        runs += [
            replace(run, label=run.label + tag, **counts)
            for run in standard_and_evoaug(
                run_size, epochs=epochs, finetune_epochs=finetune, trials=INTERPRETABILITY_MODELS[run_size.name]
            )
        ]
    # Exercise 3's solution: one standard and one RITDMN + finetune model on the grammar-free synthetic world (v2).
    total, epochs, finetune = GRAMMAR_EXERCISE[size.name]
    grammar_size = size if size.synthetic else sizes.get("offline")
    train, valid, test = recipes.resolve(grammar_size, "deepstarr", total_sequences=total).rows()
    batch = grammar_size.protocol.batch_size
    runs += [
        Run("standard (exercise 3, no grammar)", "deepstarr", train, valid, test, epochs, 0, batch, exercise=True),
        Run(
            "EvoAug + finetune (exercise 3, no grammar)", "deepstarr", train, valid, test, epochs, finetune, batch, True
        ),
    ]
    return runs, ("deepstarr",)


def _notebook_07(size):
    # Custom augmentation: the tandem-duplication arm next to standard training, at most 10 + 3 epochs.
    standard, evoaug = standard_and_evoaug(size, epochs=SHORT_EPOCHS, finetune_epochs=SHORT_FINETUNE_EPOCHS)
    return [standard, replace(evoaug, label="EvoAug with the tandem duplication + finetune")], ("deepstarr",)


#: Notebook 08's searches per size: (ASHA trials, PBT population, epochs per trial, training sequences).
SEARCHES = {"quick": (2, 2, 2, 400), "offline": (4, 4, 4, None), "class": (8, 4, 6, None), "paper": (32, 16, 20, None)}


def _notebook_08(size):
    # Ray Tune: ASHA trials and a PBT population, every trial at most `epochs` stage-1 epochs (no finetuning).
    asha, pbt, epochs, train_sequences = SEARCHES[size.name]
    train, valid, _ = rows("deepstarr", size)
    train = train if train_sequences is None else min(train, train_sequences)
    batch = 50 if size.name == "quick" else size.protocol.batch_size
    runs = [Run(f"ASHA trial {k}", "deepstarr", train, valid, 0, epochs, 0, batch) for k in range(asha)]
    runs += [Run(f"PBT trial {k}", "deepstarr", train, valid, 0, epochs, 0, batch) for k in range(pbt)]
    # Exercises 1 and 3: an ASHA search each (with rc_prob; scored on the validation loss); exercise 2: one epoch.
    for exercise in (1, 3):
        runs += [
            Run(f"ASHA trial {k} (exercise {exercise})", "deepstarr", train, valid, 0, epochs, 0, batch, True)
            for k in range(asha)
        ]
    runs.append(Run("the best config, one epoch (exercise 2)", "deepstarr", train, 0, 0, 1, 0, batch, True))
    return runs, ("deepstarr",)


#: Notebook 09 (EvoAug against EvoAug-TF, Fig. 1c-e) per size: (settings, training sequences (None: the
#: size's), stage-1 epochs, finetuning epochs, trials, settings timed per epoch, timed rounds incl. the
#: warm-up). Offline: the whole grid, small and short, to fit 10 minutes on 2 CPU cores; class: the two
#: combinations, the part of the grid where the two modes differ; paper: the whole grid, five trials.
COMPARISON_GRID = {
    "quick": (("ITD",), 400, 2, 1, 1, ("ITD",), 2),
    "offline": (("R", "I", "T", "D", "M", "N", "ITD", "RITDMN"), 1000, 5, 2, 1, ("ITD", "RITDMN"), 2),
    "class": (("ITD", "RITDMN"), None, 15, 5, 1, ("ITD", "RITDMN"), 3),
    "paper": (("R", "I", "T", "D", "M", "N", "ITD", "RITDMN"), None, 100, 10, 5, ("ITD", "RITDMN"), 3),
}


def comparison_grid(size: sizes.Size) -> dict:
    """Notebook 09's grid at ``size``.

    Returns
    -------
    dict
        ``settings``, ``train_sequences`` (None: the size's), ``protocol``, ``trials``, ``timed``, ``rounds``.
    """
    settings, train_sequences, epochs, finetune_epochs, trials, timed, rounds = COMPARISON_GRID[size.name]
    protocol = replace(
        size.protocol,
        epochs=min(epochs, size.protocol.epochs),
        finetune_epochs=min(finetune_epochs, size.protocol.finetune_epochs),
    )
    return {
        "settings": settings,
        "train_sequences": train_sequences,
        "protocol": protocol,
        "trials": trials,
        "timed": timed,
        "rounds": rounds,
    }


def _notebook_09(size):
    # EvoAug against EvoAug-TF: standard + each setting (a single augmentation once, shared by both subset
    # modes; a combination once per mode), stage 1 and finetuning, `trials` times; then the timed epochs
    # (standard and each timed setting in both modes, `rounds` epochs each, no validation); exercise 1
    # trains standard and one single augmentation in both modes on 500 sequences, 1 + 1 epochs.
    grid = comparison_grid(size)
    protocol = grid["protocol"]
    train, valid, test = _splits("deepstarr", size)
    if grid["train_sequences"] is not None:
        train = min(train, grid["train_sequences"])
    runs = []
    for trial in range(grid["trials"]):
        tag = f" (trial {trial})" if grid["trials"] > 1 else ""
        runs.append(Run(f"standard{tag}", "deepstarr", train, valid, test, protocol.epochs, 0, protocol.batch_size))
        for letters in grid["settings"]:
            for mode in ("both modes",) if len(letters) == 1 else ("sequence", "batch"):
                runs.append(
                    Run(
                        f"{letters} {mode} + finetune{tag}",
                        "deepstarr",
                        train,
                        valid,
                        test,
                        protocol.epochs,
                        protocol.finetune_epochs,
                        protocol.batch_size,
                    )
                )
    timed = [("standard", "")] + [(letters, mode) for letters in grid["timed"] for mode in ("sequence", "batch")]
    for letters, mode in timed:
        runs.append(Run(f"timed epochs: {letters} {mode}".strip(), "deepstarr", train, 0, 0, grid["rounds"], 0, 100))
    exercise = min(train, 500)
    runs.append(Run("exercise 1: standard", "deepstarr", exercise, valid, test, 1, 0, 100, exercise=True))
    for mode in ("sequence", "batch"):
        runs.append(Run(f"exercise 1: M {mode} + finetune", "deepstarr", exercise, valid, test, 1, 1, 100, True))
    return runs, ("deepstarr",)


#: Each notebook's training as a function of the size: ``size -> (runs, downloads)``.
NOTEBOOKS: dict[str, Callable[[sizes.Size], tuple[list[Run], tuple[str, ...]]]] = {
    "00": _notebook_00,
    "01": _notebook_01,
    "02": _notebook_02,
    "03": _notebook_03,
    "04": _notebook_04,
    "05": _notebook_05,
    "06": _notebook_06,
    "07": _notebook_07,
    "08": _notebook_08,
    "09": _notebook_09,
}


def _notebook_key(notebook) -> str:
    key = str(notebook).strip()
    key = key.split("_")[0]
    if key.isdigit():
        key = f"{int(key):02d}"
    if key not in NOTEBOOKS:
        raise ValueError(f"Expected notebook to be one of {', '.join(NOTEBOOKS)}. Received: notebook={notebook!r}")
    return key


def plan(notebook: str | int, size: str | sizes.Size | None = None) -> Plan:
    """What ``notebook`` trains at ``size``.

    Parameters
    ----------
    notebook : str or int
        ``"03"``, ``3`` or ``"03_train_deepstarr"``.
    size : str, Size or None
        The run size; None: the environment's choice.
    """
    key = _notebook_key(notebook)
    size = sizes.get(size)
    runs, downloads = NOTEBOOKS[key](size)
    return Plan(key, size.name, tuple(runs), tuple(downloads) if not size.synthetic else ())


#: The first line of every notebook's time table, and the start of the note under it.
TABLE_HEADER = "| size | data | training steps (at most) | time |"
TABLE_NOTE = "`offline`: wall time of Run all (the exercises' solutions skipped) and of the whole notebook"


def markdown_table(notebook: str | int) -> str:
    """The time table for a notebook's first cell: one row per size, and a note on where the times come from.

    ``offline`` shows the wall time recorded on 2 CPU cores (:func:`measured_cpu_minutes`); ``class`` and
    ``paper`` the training steps and the estimated Colab T4 time; ``quick`` is not timed.
    """
    lines = [TABLE_HEADER, "|---|---|---|---|"]
    for name in sizes.SIZES:
        p = plan(notebook, name)
        data = "synthetic, no download" if sizes.get(name).synthetic else "published data"
        if name == "quick":
            time = "not timed (the test suite's size)"
        elif p.measured_cpu_minutes is None and sizes.get(name).synthetic:
            time = "not measured yet"
        else:
            time = p.time_text()
        lines.append(f"| `{name}` | {data} | {p.train_steps:,} | {time} |")
    lines.append("")
    lines.append(
        f"{TABLE_NOTE} on 2 CPU cores shared with other jobs (`python docs/make.py execute`, recorded in "
        "`docs/tutorials/timings.json`). `class` and `paper`: estimates. They assume "
        f"{T4_SECONDS_PER_TRAIN_STEP * 1000:.0f} ms per training step and "
        f"{T4_SECONDS_PER_EVAL_STEP * 1000:.0f} ms per validation step on a Colab T4 GPU and count every epoch "
        "up to the cap (training steps include the exercises' runs); early stopping usually ends sooner."
    )
    return "\n".join(lines)


#: The starts of the notes earlier versions wrote under the table (replaced by :data:`TABLE_NOTE`'s).
_EARLIER_NOTES = ("`quick` and `offline`: wall time", "Estimates assume", "`offline`: wall time of the whole notebook")


def _old_note(paragraph: str) -> bool:
    return paragraph.startswith((*_EARLIER_NOTES, TABLE_NOTE))


def with_table(markdown: str, notebook: str | int) -> str:
    """``markdown`` (a notebook's first cell) with its time table and the note under it from :func:`markdown_table`.

    Raises
    ------
    ValueError
        When ``markdown`` has no time table (a line starting with :data:`TABLE_HEADER`).
    """
    lines = markdown.split("\n")
    if TABLE_HEADER not in lines:
        raise ValueError(
            f"Expected the first cell of notebook {notebook} to hold a time table starting {TABLE_HEADER!r}. "
            "Received: a cell without one."
        )
    start = lines.index(TABLE_HEADER)
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    # the notes under the table: each a blank line, then a paragraph written by markdown_table (any wording)
    while end + 1 < len(lines) and lines[end] == "" and _old_note(lines[end + 1]):
        end += 2
        while end < len(lines) and lines[end] != "":
            end += 1
    return "\n".join([*lines[:start], *markdown_table(notebook).split("\n"), *lines[end:]])


def _notebook_files(root: Path, key: str) -> list[Path]:
    notebooks = sorted((root / "notebooks").glob(f"{key}_*.ipynb"))
    return notebooks + sorted((root / "docs" / "tutorials").glob(f"{key}_*.ipynb"))


def update_tables(
    notebooks: Iterable[str | int] | None = None, root: str | Path | None = None, *, check: bool = False
) -> list[Path]:
    """Rewrite the time tables: each notebook's first cell, its executed copy's, and its README row.

    Parameters
    ----------
    notebooks : iterable of str, optional
        ``["03", "05"]``; default every notebook of :data:`NOTEBOOKS`.
    root : str or Path, optional
        The repository; default the clone this package lives in.
    check : bool
        Only list the files whose table differs; write nothing.

    Returns
    -------
    list of Path
        The files changed (or, with ``check``, that would change).
    """
    root = Path(root) if root is not None else TIMINGS_FILE.parents[2]
    changed = []
    for key in [_notebook_key(n) for n in (notebooks or NOTEBOOKS)]:
        for path in _notebook_files(root, key):
            text = path.read_text(encoding="utf-8")
            nb = json.loads(text)
            cell = nb["cells"][0]
            old = "".join(cell["source"])
            new = with_table(old, key)
            if new == old:
                continue
            changed.append(path)
            if not check:
                cell["source"] = new.splitlines(keepends=True)
                path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    readme = root / "README.md"
    if readme.exists():
        text = readme.read_text(encoding="utf-8")
        rows = with_readme_rows(text, [_notebook_key(n) for n in (notebooks or NOTEBOOKS)])
        if rows != text:
            changed.append(readme)
            if not check:
                readme.write_text(rows, encoding="utf-8")
    return changed


def readme_cells(notebook: str) -> tuple[str, str, str]:
    """The README tutorial table's offline, class and paper cells of ``notebook``, from its plans."""
    entry = recorded_timing(notebook, "offline")
    if entry is None:
        cells = ["not measured yet"]
    else:  # Run all: the exercises' solutions skipped (when their time was recorded)
        seconds = float(entry["wall_time_s"]) - float(entry.get("solutions_s") or 0.0)
        cells = [_minutes(max(seconds, 0.0) / 60)]
    for size in ("class", "paper"):
        size_plan = plan(notebook, size)
        if not size_plan.runs:
            cells.append("no training")
        else:
            cells.append(f"{size_plan.train_steps:,} steps, ~{_minutes(size_plan.estimated_t4_minutes)}")
    return cells[0], cells[1], cells[2]


def with_readme_rows(readme: str, notebooks: Iterable[str]) -> str:
    """``readme`` with the time cells (the last three) of each notebook's tutorial-table row from the plans."""
    lines = readme.split("\n")
    for i, line in enumerate(lines):
        key = line[2:4]
        if line.startswith("| ") and line[4:7] == " | " and key in notebooks:
            parts = line.split("|")
            parts[-4:-1] = [f" {cell} " for cell in readme_cells(key)]
            lines[i] = "|".join(parts)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m evoaug_tf.tutorial.plans [--check] [NN ...]``: write (or check) the notebooks' time tables."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m evoaug_tf.tutorial.plans", description=main.__doc__)
    parser.add_argument("notebooks", nargs="*", help="notebook numbers (default: all)")
    parser.add_argument("--check", action="store_true", help="list the files whose table differs; write nothing")
    args = parser.parse_args(argv)
    changed = update_tables(args.notebooks or None, check=args.check)
    for path in changed:
        print(f"{'differs' if args.check else 'updated'}: {path}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
