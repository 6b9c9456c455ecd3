"""Settings shared by the notebooks: quick mode, data and training sizes.

Quick mode (``EVOAUG_TF_QUICK=1``, set by the test suite) changes sizes, never the code path:
small synthetic data and few epochs, minutes on 2 CPU cores. Without it a notebook does the
real thing (the published data, the paper's protocol) and is meant for a Colab GPU.
"""

from __future__ import annotations

import functools
import os
from dataclasses import replace

from evoaug_tf.training import PAPER_PROTOCOL, Protocol

QUICK_ENV = "EVOAUG_TF_QUICK"

#: Protocol for quick mode: the paper's, shortened.
QUICK_PROTOCOL = replace(
    PAPER_PROTOCOL, epochs=4, patience=3, lr_patience=2, finetune_epochs=2, finetune_patience=2
)


def is_quick() -> bool:
    """True when ``EVOAUG_TF_QUICK`` is set to 1/true/yes."""
    return os.environ.get(QUICK_ENV, "").strip().lower() in {"1", "true", "yes"}


def protocol(quick: bool | None = None) -> Protocol:
    """The paper's protocol, or its quick version."""
    return QUICK_PROTOCOL if (is_quick() if quick is None else quick) else PAPER_PROTOCOL


def model_function(name: str = "deepstarr", quick: bool | None = None):
    """The paper's model for ``name`` (DeepSTARR, or the ChIP-seq CNN for a factor), ready for RobustModel.

    In quick mode the BatchNorm momentum is 0.9 instead of 0.99: with a few dozen steps per epoch
    the moving statistics must keep up with the weights, or validation losses jump about.
    """
    from evoaug_tf.models import ChIPCNN, DeepSTARR

    quick = is_quick() if quick is None else quick
    factory = DeepSTARR if name.lower() == "deepstarr" else ChIPCNN
    return functools.partial(factory, batchnorm_momentum=0.9 if quick else 0.99)


def load_data(name: str = "deepstarr", quick: bool | None = None, n: int = 4000, seed: int = 0,
              data_dir: str = "data", downsample=None):
    """The tutorial data set: the published one, or in quick mode a synthetic one of ``n`` sequences.

    Parameters
    ----------
    name : str
        ``"deepstarr"`` or a ChIP-seq factor (``"CTCF"``, ...).
    quick : bool, optional
        Default: :func:`is_quick`.
    n : int
        Number of synthetic sequences in quick mode (train/valid/test 80/10/10).

    Returns
    -------
    SequenceDataset
        ``x_*`` ``(N, L, 4)`` uint8 one-hot, ``y_*`` ``(N, tasks)`` float32.

    Raises
    ------
    RuntimeError
        Outside quick mode when the data cannot be downloaded, with what to do: it never falls
        back to other data silently.
    """
    from evoaug_tf import datasets

    quick = is_quick() if quick is None else quick
    is_deepstarr = name.lower() == "deepstarr"
    if quick:
        if is_deepstarr:
            return datasets.make_synthetic_deepstarr(n=n, seed=seed)
        return datasets.make_synthetic_chip(n=n, seed=seed)
    try:
        if is_deepstarr:
            return datasets.load_deepstarr(data_dir=data_dir, downsample=downsample)
        return datasets.load_chip(name, data_dir=data_dir, downsample=downsample)
    except datasets.DownloadError as error:
        raise RuntimeError(
            f"Could not get the {name} data: {error}\n\n"
            f"Either download it where you have internet "
            f"({datasets.registry.download_hint('DeepSTARR' if is_deepstarr else name)}) and copy it to '{data_dir}/', "
            f"or run this notebook in quick mode on synthetic data: set the environment variable "
            f"{QUICK_ENV}=1 (in a notebook: %env {QUICK_ENV}=1) and restart."
        ) from None
