"""The setup cell of every notebook: the size, the GPU, the plan; and short checks."""

from __future__ import annotations

import functools
import os
import socket
import urllib.parse
from typing import cast

from evoaug_tf import sizes
from evoaug_tf.datasets import registry
from evoaug_tf.tutorial import folders, plans

__all__ = ["DATA_HOST", "SIZE_DESCRIPTIONS", "TIMING_BUDGET_S", "check", "data_host", "gpu_names", "setup"]

#: One line per size, for the setup cell.
SIZE_DESCRIPTIONS = {
    "quick": "the test suite's smoke size: tiny synthetic data, a few epochs (the numbers mean nothing)",
    "offline": "synthetic data made on the spot (no download), sized to show the effect on a laptop CPU",
    "class": "the published data, DeepSTARR's first 50,000 training sequences (ChIP-seq: one factor), "
    "epochs capped for a workshop on a Colab GPU",
    "paper": "the full reproduction: every sequence, the paper's protocol, 5 trials (a GPU and a long session)",
}

#: Where the data is downloaded from when ``EVOAUG_TF_DATA_URL`` names no mirror (checked before a download).
DATA_HOST = ("zenodo.org", 443)
#: Most seconds the setup cell spends timing each model the notebook trains (after tracing it).
TIMING_BUDGET_S = 5.0


def gpu_names() -> list[str]:
    """Names of the GPUs TensorFlow sees (empty on a CPU)."""
    import tensorflow as tf

    return [device.name for device in tf.config.list_physical_devices("GPU")]


def data_host() -> tuple[str, int]:
    """``(host, port)`` the downloads will use: the mirror in ``EVOAUG_TF_DATA_URL`` if set, else Zenodo."""
    address = urllib.parse.urlsplit(registry.resolve_base_url())
    return address.hostname or DATA_HOST[0], address.port or (443 if address.scheme == "https" else 80)


def _online(host: tuple[str, int] | None = None, timeout: float = 5.0) -> bool:
    host = host or data_host()
    try:
        with socket.create_connection(host, timeout=timeout):
            return True
    except OSError:
        return False


def _missing_files(plan: plans.Plan) -> list[str]:
    from evoaug_tf.datasets import registry

    missing = []
    for name in plan.downloads:
        info = registry.get_dataset_info("DeepSTARR" if name == "deepstarr" else name)
        if not os.path.exists(os.path.join(folders.data_dir(), info.filename)):
            missing.append(info.filename)
    return missing


@functools.cache
def _step_times(models: tuple[str, ...]):
    """Step times of ``models`` on this machine, measured once per Python process (a re-run cell reuses them)."""
    from evoaug_tf.tutorial import machine

    return machine.measure_steps(models, steps=10, budget_s=TIMING_BUDGET_S)


def _measured_prediction(plan: plans.Plan) -> str:
    """Time a few steps of each model ``plan`` trains on this machine and predict the notebook's training time."""
    from evoaug_tf.tutorial import machine

    models = tuple(sorted({run.dataset for run in plan.runs}))
    times = _step_times(models)
    minutes = machine.predict_minutes(plan, times)
    per_step = ", ".join(f"{name} {times.train[name] * 1000:.0f} ms" for name in models)
    return (
        f"  on this machine ({times.device}; a training step measured just now: {per_step}): at most "
        f"{plans._minutes(cast(float, minutes))} of training at this size, every epoch up to the cap "
        "(`python -m evoaug_tf doctor` predicts every notebook and size)"
    )


def setup(
    size_name: str | None = "class", notebook: str | int = "00", *, check_network: bool = True, measure: bool = True
) -> sizes.Size:
    """Choose the size, report the GPU and print the notebook's plan. The setup cell calls it.

    ``size_name`` is the notebook's form field, a *default*: the environment variable ``EVOAUG_TF_SIZE``
    overrides it (tests and ``docs/make.py execute`` set it; ``EVOAUG_TF_QUICK=1`` means ``quick``). The
    rule is :func:`evoaug_tf.sizes.choose`'s.

    Parameters
    ----------
    size_name : str
        The notebook's form field (a default): ``"quick"``, ``"offline"``, ``"class"`` or ``"paper"``.
    notebook : str or int
        The notebook's number, e.g. ``"03"``.
    check_network : bool
        At ``class`` and ``paper`` size, check that the published data is there or can be downloaded
        (from the mirror in ``EVOAUG_TF_DATA_URL`` when it is set, else Zenodo).
    measure : bool
        Time a few training steps of each model the notebook trains (at most about 5 s each after
        tracing) and print the notebook's predicted training time on this machine.

    Returns
    -------
    Size
        The chosen size: pass it to :func:`load_data`, :func:`model_function` and :func:`plan`.

    Raises
    ------
    ValueError
        For an unknown size, naming where it came from (``SIZE`` or ``EVOAUG_TF_SIZE``).
    RuntimeError
        At ``class`` or ``paper`` size without the data and without network, saying what to do
        (there is no silent fallback to synthetic data).
    """
    # The form field is a default: the environment overrides it (the one rule, in sizes.choose).
    # A None size_name reaches choose, whose error names it.
    size, source = sizes.choose(None, default=cast(str, size_name), default_label="SIZE")
    plan = plans.plan(notebook, size)
    folders.use_size(size)  # output_dir("NN") without a size now means this one

    chosen_by = "" if source == "SIZE" else f" (chosen by {source})"
    described = SIZE_DESCRIPTIONS[size.name]
    if not size.synthetic and not any(plans.plan(plan.notebook, other).downloads for other in sizes.SIZES):
        described = "this notebook uses synthetic data made on the spot at every size (no download)"
    print(f"Size: {size.name}{chosen_by}: {described}.")
    gpus = gpu_names()
    if gpus:
        print(f"GPU: yes ({', '.join(gpus)}).")
    else:
        print("GPU: none, training runs on the CPU.")
        if not size.synthetic and plan.runs:
            print(
                f"  Warning: at size {size.name!r} this notebook needs up to about "
                f"{plans._minutes(plan.estimated_cpu_minutes)} on a CPU (a rough estimate). In Colab, "
                "switch to a GPU: Runtime > Change runtime type > T4 GPU, then run the notebook again. "
                'Or choose SIZE = "offline" (synthetic data, minutes on a CPU).'
            )
    print(plan.describe())
    if plan.runs and measure:
        print(_measured_prediction(plan))
    print(f"Data folder: {folders.data_dir()}   this notebook's outputs: {folders.output_dir(plan.notebook, size)}")

    missing = _missing_files(plan) if check_network else []
    if missing and not _online():
        raise RuntimeError(
            f"Size {size.name!r} needs the published data ({', '.join(missing)}), which is not in "
            f"{folders.data_dir()!r}, and {data_host()[0]} cannot be reached. Either connect to the internet, "
            f"or copy the files there (download them elsewhere with "
            f"{registry.download_command(None)}), or set "
            f'SIZE = "offline" in the first code cell (synthetic data, no download) and run it again.'
        )
    return size


def check(condition: object, message: str = "check failed") -> None:
    """A one-line check that stays out of the lesson's way: raise AssertionError(message) unless true."""
    if not condition:
        raise AssertionError(message)
