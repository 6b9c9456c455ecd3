"""The setup cell of every notebook: the size, the GPU, the plan; and short checks."""

from __future__ import annotations

import os
import socket

from evoaug_tf import sizes
from evoaug_tf.datasets import registry
from evoaug_tf.tutorial import folders, plans

#: One line per size, for the setup cell.
SIZE_DESCRIPTIONS = {
    "quick": "the test suite's smoke size: tiny synthetic data, a few epochs (the numbers mean nothing)",
    "offline": "synthetic data made on the spot (no download), sized to show the effect on a laptop CPU",
    "class": "the published data, DeepSTARR's first 50,000 training sequences (ChIP-seq: one factor), "
    "epochs capped for a workshop on a Colab GPU",
    "paper": "the full reproduction: every sequence, the paper's protocol, 5 trials (a GPU and a long session)",
}

#: Where the data is downloaded from (checked before a download is needed).
DATA_HOST = ("zenodo.org", 443)


def gpu_names() -> list[str]:
    """Names of the GPUs TensorFlow sees (empty on a CPU)."""
    import tensorflow as tf

    return [device.name for device in tf.config.list_physical_devices("GPU")]


def _online(host: tuple[str, int] = DATA_HOST, timeout: float = 5.0) -> bool:
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


def setup(size_name: str | None = "class", notebook: str | int = "00", *, check_network: bool = True) -> sizes.Size:
    """Choose the size, report the GPU and print the notebook's plan. The setup cell calls it.

    The environment variable ``EVOAUG_TF_SIZE`` overrides ``size_name`` (tests and scripts set it;
    ``EVOAUG_TF_QUICK=1`` means ``quick``).

    Parameters
    ----------
    size_name : str
        The notebook's form field: ``"quick"``, ``"offline"``, ``"class"`` or ``"paper"``.
    notebook : str or int
        The notebook's number, e.g. ``"03"``.
    check_network : bool
        At ``class`` and ``paper`` size, check that the published data is there or can be downloaded.

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
    name, source = sizes.chosen_name(default=size_name)
    source = "SIZE" if source == "default" else source
    if not isinstance(name, str) or name.strip().lower() not in sizes.SIZES:
        raise ValueError(f"Expected {source} to be one of {', '.join(sizes.SIZES)}. Received: {source}={name!r}")
    size = sizes.get(name)
    plan = plans.plan(notebook, size)
    folders.use_size(size)  # output_dir("NN") without a size now means this one

    chosen_by = "" if source == "SIZE" else f" (chosen by {source})"
    print(f"Size: {size.name}{chosen_by}: {SIZE_DESCRIPTIONS[size.name]}.")
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
    print(f"Data folder: {folders.data_dir()}   this notebook's outputs: {folders.output_dir(plan.notebook, size)}")

    missing = _missing_files(plan) if check_network else []
    if missing and not _online():
        raise RuntimeError(
            f"Size {size.name!r} needs the published data ({', '.join(missing)}), which is not in "
            f"{folders.data_dir()!r}, and {DATA_HOST[0]} cannot be reached. Either connect to the internet, "
            f"or copy the files there (download them elsewhere with "
            f"{registry.download_command(None)}), or set "
            f'SIZE = "offline" in the first code cell (synthetic data, no download) and run it again.'
        )
    return size


def check(condition: object, message: str = "check failed") -> None:
    """A one-line check that stays out of the lesson's way: raise AssertionError(message) unless true."""
    if not condition:
        raise AssertionError(message)
