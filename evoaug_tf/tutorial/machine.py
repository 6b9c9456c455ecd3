"""The machine a notebook runs on, measured: versions, GPU, widgets, cached data, and the time of a training step.

The time tables in the notebooks assume a Colab T4 (an estimate). What a student needs is the time on the
machine in front of them, so :func:`measure_steps` times a short burst of real training and evaluation
steps of each model a notebook trains, and :func:`predict_minutes` turns a notebook's plan (its steps per
run) into minutes on this machine. ``python -m evoaug_tf doctor`` prints all of it; the setup cell of a
notebook prints the prediction for that notebook.

>>> from evoaug_tf.tutorial import machine, plan
>>> times = machine.measure_steps(["deepstarr"], steps=3)       # doctest: +SKIP
>>> machine.predict_minutes(plan("03", "class"), times)        # doctest: +SKIP
41.7
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

#: The model each plan's ``dataset`` trains, and its input length and number of outputs.
MODEL_INPUTS = {"deepstarr": (249, 2), "chip": (200, 1)}
#: Sequences per step in every notebook's protocol (the paper's batch size).
BATCH_SIZE = 100
#: Upper bound on the measuring time per model (seconds), after the first step (tracing) is done.
DEFAULT_BUDGET_S = 8.0
#: Packages whose versions the doctor reports.
VERSIONS = ("evoaug_tf", "tensorflow", "keras", "numpy", "ipywidgets", "ray", "matplotlib")

if TYPE_CHECKING:
    from evoaug_tf.tutorial.plans import Plan

__all__ = [
    "BATCH_SIZE",
    "DEFAULT_BUDGET_S",
    "MODEL_INPUTS",
    "StepTimes",
    "cached_data",
    "measure_steps",
    "predict_minutes",
    "versions",
    "widget_frontend",
]


@dataclass(frozen=True)
class StepTimes:
    """Seconds per training step and per evaluation step of 100 sequences, per model, on this machine.

    Attributes
    ----------
    train : dict
        ``{"deepstarr": seconds, "chip": seconds}``: one ``fit`` step (forward, backward, update).
    evaluate : dict
        The same keys: one forward pass of 100 sequences.
    device : str
        ``"GPU: <name>"`` or ``"CPU"``.
    steps : dict
        How many steps each figure averages.
    """

    train: dict = field(default_factory=dict)
    evaluate: dict = field(default_factory=dict)
    device: str = "CPU"
    steps: dict = field(default_factory=dict)

    def describe(self) -> str:
        """One line per model: ``deepstarr: 153 ms per training step, 41 ms per evaluation step (CPU)``."""
        return "\n".join(
            f"  {name}: {self.train[name] * 1000:.0f} ms per training step, "
            f"{self.evaluate[name] * 1000:.0f} ms per evaluation step of {BATCH_SIZE} sequences "
            f"({self.device}, mean of {self.steps.get(name, '?')} steps)"
            for name in self.train
        )


def versions() -> dict[str, str]:
    """Installed versions of the packages a notebook uses (``"not installed"`` where missing), and Python's."""
    found = {"python": platform.python_version()}
    for name in VERSIONS:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def widget_frontend() -> str:
    """Where the interactive explorers will render.

    Colab, a Jupyter kernel (with the widget extensions installed), or nowhere (a script).
    """
    import sys

    if "google.colab" in sys.modules:
        return "Google Colab (renders the core ipywidgets controls the explorers use)"
    extensions = []
    for name in ("jupyterlab_widgets", "widgetsnbextension"):
        try:
            extensions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            pass
    try:
        from IPython import get_ipython

        shell = type(get_ipython()).__name__
    except ImportError:
        shell = "NoneType"
    where = "a Jupyter kernel" if shell == "ZMQInteractiveShell" else "no notebook (a script or terminal)"
    return f"{where}; widget front ends installed: {', '.join(extensions) or 'none'}"


def cached_data(data_dir: str | None = None) -> dict[str, str]:
    """Which published data files are already in ``data_dir`` (default: the notebooks' data folder).

    Returns
    -------
    dict
        ``{filename: "present (<MB> MB)" or "missing"}`` for DeepSTARR and the nine ChIP-seq files.
    """
    from evoaug_tf.datasets import registry
    from evoaug_tf.tutorial import folders

    folder = data_dir or folders.data_dir()
    status = {}
    for name in ("DeepSTARR", *registry.CHIP_TF_NAMES):
        filename = registry.get_dataset_info(name).filename
        path = os.path.join(folder, filename)
        status[filename] = f"present ({os.path.getsize(path) / 1e6:.0f} MB)" if os.path.exists(path) else "missing"
    return status


def _device() -> str:
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    return f"GPU: {gpus[0].name}" if gpus else "CPU"


def _time_model(name: str, steps: int, budget_s: float, seed: int) -> tuple[float, float, int]:
    """Mean seconds of one training step and one evaluation step of model ``name``, after a traced first step."""
    import keras
    import numpy as np

    from evoaug_tf.models import ChIPCNN, DeepSTARR

    length, outputs = MODEL_INPUTS[name]
    rng = np.random.default_rng(seed)
    x = np.eye(4, dtype="float32")[rng.integers(0, 4, (BATCH_SIZE, length))]
    y = rng.random((BATCH_SIZE, outputs)).astype("float32")
    factory = DeepSTARR if name == "deepstarr" else ChIPCNN
    model = factory((length, 4), outputs)
    model.compile(keras.optimizers.Adam(1e-3), loss="mse")
    model.train_on_batch(x, y)  # traces and compiles: not counted
    model.predict_on_batch(x)
    train_times: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(train_times) < steps and (not train_times or time.perf_counter() < deadline):
        start = time.perf_counter()
        model.train_on_batch(x, y)
        train_times.append(time.perf_counter() - start)
    eval_times = []
    for _ in range(len(train_times)):
        start = time.perf_counter()
        model.predict_on_batch(x)
        eval_times.append(time.perf_counter() - start)
    return float(np.median(train_times)), float(np.median(eval_times)), len(train_times)


def measure_steps(
    models: Sequence[str] = ("deepstarr", "chip"),
    steps: int = 20,
    budget_s: float = DEFAULT_BUDGET_S,
    seed: int = 0,
    log: Callable[..., object] | None = None,
) -> StepTimes:
    """Time real training and evaluation steps of each model on this machine.

    For each model: build it, run one step to trace it (not counted), then up to ``steps`` training steps
    of 100 random one-hot sequences, stopping early once ``budget_s`` seconds have passed (at least one
    step is always timed), and as many forward passes. The figure is the median step.

    Parameters
    ----------
    models : iterable of str
        ``"deepstarr"`` (249 nt, 2 outputs) and/or ``"chip"`` (200 nt, 1 output).
    steps : int
        Most steps timed per model (>= 1).
    budget_s : float
        Most seconds spent timing per model, after tracing (> 0).
    seed : int
        Seed of the random batch.
    log : callable, optional
        Receives one line per model as it is timed.

    Returns
    -------
    StepTimes
    """
    models = list(dict.fromkeys(models))
    unknown = [m for m in models if m not in MODEL_INPUTS]
    if not models or unknown:
        raise ValueError(f"Expected models to name some of {', '.join(MODEL_INPUTS)}. Received: models={models!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"Expected steps to be an int >= 1. Received: steps={steps!r}")
    if not budget_s > 0:
        raise ValueError(f"Expected budget_s to be a number of seconds > 0. Received: budget_s={budget_s!r}")
    device = _device()
    train, evaluate, counted = {}, {}, {}
    for name in models:
        if log:
            log(f"  timing {name} on the {device} ...")
        train[name], evaluate[name], counted[name] = _time_model(name, steps, budget_s, seed)
    return StepTimes(train=train, evaluate=evaluate, device=device, steps=counted)


def predict_minutes(plan: Plan, times: StepTimes) -> float | None:
    """Minutes ``plan``'s training takes on this machine, every epoch up to its cap (an upper bound).

    Parameters
    ----------
    plan : evoaug_tf.tutorial.Plan
        A notebook's runs at one size (``tutorial.plan("03", "class")``).
    times : StepTimes
        From :func:`measure_steps`.

    Returns
    -------
    float or None
        Minutes of training and evaluation steps (compile time and data loading not included); 0 for a
        plan without training; None when a run's model was not timed.
    """
    total = 0.0
    for run in plan.runs:
        if run.dataset not in times.train:
            return None
        scale = run.batch_size / BATCH_SIZE  # a step of another batch size costs about proportionally
        total += scale * (run.train_steps * times.train[run.dataset] + run.eval_steps * times.evaluate[run.dataset])
    return total / 60
