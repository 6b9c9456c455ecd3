"""What each notebook trains at each size, and how long that takes.

A :class:`Plan` lists a notebook's training runs at one size and adds up their steps. From the steps
it estimates the time on a Colab T4 GPU (an estimate: it assumes a time per step, printed with it,
and counts every epoch up to the cap, so early stopping only makes it shorter). At ``quick`` and
``offline`` size it also carries the wall time measured on 2 CPU cores.

The first cell of every notebook shows :func:`markdown_table` of that notebook; a test compares the
two, so the prose cannot drift from the code.

>>> from evoaug_tf import tutorial
>>> plan = tutorial.plan("03", "class")
>>> plan.train_steps, len(plan.runs)
(32500, 2)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from evoaug_tf import sizes

#: Assumed Colab T4 time of one DeepSTARR / ChIP-CNN training step of 100 sequences (seconds):
#: an estimate, not a measurement (nobody here can time a T4).
T4_SECONDS_PER_TRAIN_STEP = 0.012
#: Assumed Colab T4 time of one validation or test step of 100 sequences (forward pass only).
T4_SECONDS_PER_EVAL_STEP = 0.004
#: Assumed time of one training step on a 2-core CPU (Colab without a GPU), for the warning.
CPU_SECONDS_PER_TRAIN_STEP = 0.25
CPU_SECONDS_PER_EVAL_STEP = 0.06

#: Split sizes of the published data (training rows before down-sampling, validation, test).
DEEPSTARR_SPLITS = (402_278, 40_570, 41_186)
#: ChIP-seq: a rough size of one factor's splits, used for estimates only.
CHIP_SPLITS = (40_000, 5_000, 10_000)

#: Wall time of the whole notebook measured on 2 CPU cores, minutes: {(notebook, size): minutes}.
#: ``quick``: nbval's cell times summed per notebook in a full CI run (``pytest --junitxml``; the kernel's
#: start-up is not counted). ``offline``: ``python docs/make.py execute`` (docs/tutorials/timings.json), part
#: of it while another test run shared the 2 cores.
MEASURED_CPU_MINUTES: dict[tuple[str, str], float] = {
    ("00", "quick"): 0.6,
    ("00", "offline"): 3.0,
    ("01", "quick"): 0.1,
    ("01", "offline"): 0.1,
    ("02", "quick"): 0.1,
    ("02", "offline"): 0.1,
    ("03", "quick"): 0.8,
    ("03", "offline"): 5.3,
    ("04", "quick"): 0.9,
    ("04", "offline"): 5.3,
    ("05", "quick"): 0.6,
    ("05", "offline"): 3.4,
    ("06", "quick"): 1.1,
    ("06", "offline"): 8.2,
    ("07", "quick"): 0.5,
    ("07", "offline"): 2.3,
    ("08", "quick"): 1.2,
    ("08", "offline"): 4.9,
}


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
    """

    label: str
    dataset: str
    train_sequences: int
    valid_sequences: int
    test_sequences: int
    epochs: int
    finetune_epochs: int = 0
    batch_size: int = 100

    @property
    def epochs_total(self) -> int:
        return self.epochs + self.finetune_epochs

    @property
    def train_steps(self) -> int:
        """Training steps if every epoch up to the caps runs."""
        return math.ceil(self.train_sequences / self.batch_size) * self.epochs_total

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
        ``"00"`` ... ``"08"``.
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
        """Wall time measured on 2 CPU cores (quick and offline sizes), or None."""
        return MEASURED_CPU_MINUTES.get((self.notebook, self.size))

    def describe(self) -> str:
        """A few lines for a person: the runs, the steps and the expected time."""
        if not self.runs:
            return f"Notebook {self.notebook} at size {self.size!r}: no training, seconds to run."
        lines = [f"Notebook {self.notebook} at size {self.size!r}: {len(self.runs)} training run(s)"]
        for run in self.runs:
            finetune = f" + {run.finetune_epochs} finetuning" if run.finetune_epochs else ""
            lines.append(
                f"  - {run.label}: {run.train_sequences:,} {run.dataset} training sequences, "
                f"up to {run.epochs}{finetune} epochs"
            )
        lines.append(f"  at most {self.train_steps:,} training steps of {self.runs[0].batch_size} sequences")
        measured = self.measured_cpu_minutes
        if measured is not None:
            lines.append(
                f"  measured: about {_minutes(measured)} for the whole notebook on 2 CPU cores (shared with other jobs)"
            )
        elif sizes.get(self.size).synthetic:
            lines.append(f"  rough estimate: at most {_minutes(self.estimated_cpu_minutes)} on 2 CPU cores")
        else:
            lines.append(
                f"  estimate: at most {_minutes(self.estimated_t4_minutes)} on a Colab T4 GPU "
                f"(assuming {T4_SECONDS_PER_TRAIN_STEP * 1000:.0f} ms per training step; "
                "early stopping usually ends sooner)"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()


def _minutes(minutes: float) -> str:
    if minutes < 1:
        return "under a minute"
    if minutes < 90:
        return f"{minutes:.0f} min"
    return f"{minutes / 60:.1f} h"


def _splits(dataset: str, size: sizes.Size) -> tuple[int, int, int]:
    """Train, valid and test rows of ``dataset`` at ``size``."""
    if size.synthetic:
        train = size.train_sequences
        total = round(train / 0.8)
        return train, round(total * 0.1), total - train - round(total * 0.1)
    full_train, valid, test = DEEPSTARR_SPLITS if dataset == "deepstarr" else CHIP_SPLITS
    train = full_train if size.train_sequences is None else min(size.train_sequences, full_train)
    return train, valid, test


def standard_and_evoaug(
    size: sizes.Size,
    dataset: str = "deepstarr",
    epochs: int | None = None,
    finetune_epochs: int | None = None,
    train_sequences: int | None = None,
    trials: int = 1,
) -> list[Run]:
    """Standard training and EvoAug + finetuning, ``trials`` times: one ``compare_training`` call."""
    train, valid, test = _splits(dataset, size)
    if train_sequences is not None:
        train = min(train, train_sequences)
    protocol = size.protocol
    epochs = protocol.epochs if epochs is None else min(epochs, protocol.epochs)
    finetune = protocol.finetune_epochs if finetune_epochs is None else min(finetune_epochs, protocol.finetune_epochs)
    runs = []
    for trial in range(trials):
        tag = f" (trial {trial})" if trials > 1 else ""
        runs.append(Run(f"standard{tag}", dataset, train, valid, test, epochs, 0, protocol.batch_size))
        runs.append(Run(f"EvoAug + finetune{tag}", dataset, train, valid, test, epochs, finetune, protocol.batch_size))
    return runs


def _notebook_00(size):
    # The quickstart: one EvoAug run (at most 10 + 3 epochs, a short first look); exercise 1 trains the
    # network without augmentations, exercise 3 repeats the EvoAug run with train_two_stage.
    standard, evoaug = standard_and_evoaug(size, epochs=10, finetune_epochs=3)
    return [
        evoaug,
        replace(standard, label="standard (exercise 1)"),
        replace(evoaug, label="EvoAug + finetune with train_two_stage (exercise 3)"),
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
    return [*runs, replace(exercise, label="EvoAug sequence mode + finetune (exercise 2)")], ("deepstarr",)


#: Notebook 04's training sizes: the first N training rows (None: all of them). At class size the 25k and
#: 50k points of the paper's down-sampling runs (25k plotted in Fig. 1g; 50k only in the analysis
#: repository's result files), so the run sits next to the five published trials at each.
LOW_DATA_SIZES = {
    "quick": (400, 1600),
    "offline": (1250, 5000),
    "class": (25_000, 50_000),
    "paper": (25_000, 100_000, 200_000, None),
}


def low_data_sizes(size: sizes.Size) -> tuple[int, ...]:
    """Notebook 04's training sizes at ``size`` (all rows resolved to a number)."""
    full, _, _ = _splits("deepstarr", size)
    return tuple(full if n is None else min(n, full) for n in LOW_DATA_SIZES[size.name])


def _notebook_04(size):
    # Low data: standard vs EvoAug (ITD batch mode) + finetune at each training size, `size.trials` trials.
    runs = []
    for n in low_data_sizes(size):
        runs += [
            replace(run, label=f"{run.label}, {n:,} sequences")
            for run in standard_and_evoaug(size, train_sequences=n, trials=size.trials)
        ]
    return runs, ("deepstarr",)


def _notebook_05(size):
    # ChIP-seq: standard vs EvoAug (batch-mode ITD 0-20, one augmentation) + finetune, per factor.
    runs = []
    for factor in size.chip_factors:
        runs += [
            replace(run, label=f"{factor} {run.label}")
            for run in standard_and_evoaug(size, dataset="chip", trials=size.trials)
        ]
    return runs, tuple(size.chip_factors) if not size.synthetic else ()


#: Notebook 06: models per arm (the paper: five) and the stage-1 / finetune epoch caps per size.
INTERPRETABILITY_MODELS = {"quick": 2, "offline": 3, "class": 3, "paper": 5}
INTERPRETABILITY_EPOCHS = {"quick": (4, 2), "offline": (10, 3), "class": (12, 5), "paper": (100, 10)}


def _notebook_06(size):
    # Interpretability: standard vs all augmentations (RITDMN) + finetune, models as replicates.
    # On the published data, the motif-recovery section also trains the offline size's arms on synthetic data.
    runs = []
    for run_size in (size,) if size.synthetic else (size, sizes.get("offline")):
        epochs, finetune = INTERPRETABILITY_EPOCHS[run_size.name]
        tag = "" if run_size is size else " (synthetic, motif recovery)"
        runs += [
            replace(run, label=run.label + tag)
            for run in standard_and_evoaug(
                run_size, epochs=epochs, finetune_epochs=finetune, trials=INTERPRETABILITY_MODELS[run_size.name]
            )
        ]
    return runs, ("deepstarr",)


def _notebook_07(size):
    # Custom augmentation: the tandem-duplication arm next to standard training, at most 10 + 3 epochs.
    standard, evoaug = standard_and_evoaug(size, epochs=10, finetune_epochs=3)
    return [standard, replace(evoaug, label="EvoAug with the tandem duplication + finetune")], ("deepstarr",)


#: Notebook 08's searches per size: (ASHA trials, PBT population, epochs per trial, training sequences).
SEARCHES = {"quick": (2, 2, 2, 400), "offline": (4, 4, 4, None), "class": (8, 4, 6, None), "paper": (32, 16, 20, None)}


def _notebook_08(size):
    # Ray Tune: ASHA trials and a PBT population, every trial at most `epochs` stage-1 epochs (no finetuning).
    asha, pbt, epochs, train_sequences = SEARCHES[size.name]
    train, valid, _ = _splits("deepstarr", size)
    train = train if train_sequences is None else min(train, train_sequences)
    batch = 50 if size.name == "quick" else size.protocol.batch_size
    runs = [Run(f"ASHA trial {k}", "deepstarr", train, valid, 0, epochs, 0, batch) for k in range(asha)]
    runs += [Run(f"PBT trial {k}", "deepstarr", train, valid, 0, epochs, 0, batch) for k in range(pbt)]
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


def markdown_table(notebook: str | int) -> str:
    """The time table for a notebook's first cell: one row per size.

    ``quick`` and ``offline`` show the wall time measured on 2 CPU cores; ``class`` and ``paper`` the
    training steps and the estimated Colab T4 time.
    """
    rows = [
        "| size | data | training steps (at most) | time |",
        "|---|---|---|---|",
    ]
    for name in sizes.SIZES:
        p = plan(notebook, name)
        data = "synthetic, no download" if sizes.get(name).synthetic else "published data"
        measured = p.measured_cpu_minutes
        if name in ("quick", "offline"):
            time = f"{_minutes(measured)} measured on 2 CPU cores" if measured is not None else "not measured yet"
        else:
            time = f"about {_minutes(p.estimated_t4_minutes)} on a Colab T4 (estimate)"
        rows.append(f"| `{name}` | {data} | {p.train_steps:,} | {time} |")
    rows.append("")
    rows.append(
        "`quick` and `offline`: wall time of the whole notebook on 2 CPU cores shared with other jobs. "
        f"`class` and `paper`: estimates. They assume {T4_SECONDS_PER_TRAIN_STEP * 1000:.0f} ms per training step and "
        f"{T4_SECONDS_PER_EVAL_STEP * 1000:.0f} ms per validation step on a Colab T4 GPU and count every epoch "
        "up to the cap (training steps include the exercises' runs); early stopping usually ends sooner."
    )
    return "\n".join(rows)
