"""The data and model of a notebook at a given size."""

from __future__ import annotations

import functools
from collections.abc import Callable

from evoaug_tf import sizes
from evoaug_tf.tutorial import folders

#: Fractions of synthetic data in train / valid / test.
SYNTHETIC_SPLITS = (0.8, 0.1, 0.1)


def _is_deepstarr(name: str) -> bool:
    return str(name).strip().lower() == "deepstarr"


def _check_name(name: str) -> None:
    from evoaug_tf.datasets import CHIP_TF_NAMES

    known = ("deepstarr", *(factor.lower() for factor in CHIP_TF_NAMES))
    if not isinstance(name, str) or name.strip().lower() not in known:
        raise ValueError(
            f"Expected name to be 'deepstarr' or a ChIP-seq factor ({', '.join(CHIP_TF_NAMES)}). "
            f"Received: name={name!r}"
        )


def _size_from_quick(quick: bool | None, size):
    """Earlier releases' ``quick=`` flag as a size: True -> quick, False -> paper (full mode), None -> ``size``."""
    if quick is None:
        return size
    return "quick" if quick else "paper"


def first_rows(data, n: int | None):
    """``data`` with only its first ``n`` training rows (the paper's down-sampling keeps the first N).

    Parameters
    ----------
    data : SequenceDataset
        ``x_train`` ``(N, L, 4)``, ``y_train`` ``(N, T)``.
    n : int or None
        Rows to keep; None keeps all.
    """
    import dataclasses

    if n is None or n >= len(data.x_train):
        return data
    return dataclasses.replace(data, x_train=data.x_train[:n].copy(), y_train=data.y_train[:n].copy())


def load_data(
    name: str = "deepstarr",
    size: str | sizes.Size | None = None,
    *,
    seed: int = 0,
    data_dir: str | None = None,
    n: int | None = None,
    quick: bool | None = None,
    downsample=None,
):
    """The notebook's data at ``size``.

    - ``quick`` and ``offline``: synthetic data made on the spot (no download):
      ``size.train_sequences`` training sequences, with train / valid / test 80 / 10 / 10.
    - ``class``: the first ``size.train_sequences`` training rows of the published set (the paper's
      down-sampling keeps the first N), with its full validation and test sets.
    - ``paper``: the whole published set.

    The published files are downloaded once into :func:`~evoaug_tf.tutorial.data_dir` (on Google
    Drive after :func:`~evoaug_tf.tutorial.use_drive`) and reused by every notebook.

    Parameters
    ----------
    name : str
        ``"deepstarr"`` or a ChIP-seq factor (``"CTCF"``, ...).
    size : str, Size or None
        The run size; None: the environment's choice (see :func:`evoaug_tf.sizes.get`).
    seed : int
        Seed of the synthetic data.
    data_dir : str, optional
        Where the published files live; default :func:`~evoaug_tf.tutorial.data_dir`.
    n : int, optional
        Earlier releases: the total number of synthetic sequences in quick mode. Overrides the
        size's synthetic size when given; ignored for the published data.
    quick : bool, optional
        Earlier releases: True means ``size="quick"``, False the full run (``size="paper"``).
    downsample : int, optional
        Earlier releases: keep this many training rows of the published data (the first ones).

    Returns
    -------
    SequenceDataset
        ``x_*`` ``(N, L, 4)`` uint8 one-hot ACGT (L = 249 for DeepSTARR, 200 for ChIP-seq),
        ``y_*`` ``(N, T)`` float32 (T = 2, Dev and Hk, or 1 binary column).

    Raises
    ------
    RuntimeError
        At ``class`` or ``paper`` size when the data cannot be downloaded, saying what to do; it never
        falls back to other data silently.
    """
    from evoaug_tf import datasets

    _check_name(name)
    size = sizes.get(_size_from_quick(quick, size))
    if size.synthetic:
        total = int(n) if n is not None else round(size.train_sequences / SYNTHETIC_SPLITS[0])
        make = datasets.make_synthetic_deepstarr if _is_deepstarr(name) else datasets.make_synthetic_chip
        return make(n=total, seed=seed, splits=SYNTHETIC_SPLITS)
    folder = data_dir or folders.data_dir()
    try:
        if _is_deepstarr(name):
            data = datasets.load_deepstarr(data_dir=folder)
        else:
            data = datasets.load_chip(name, data_dir=folder)
    except datasets.DownloadError as error:
        hint = datasets.registry.download_hint("DeepSTARR" if _is_deepstarr(name) else name, dest=folder)
        raise RuntimeError(
            f"Could not get the {name} data for size {size.name!r}: {error}\n\n"
            f"Either download it where you have internet ({hint}) "
            f'and copy it to {folder!r}, or choose SIZE = "offline" in the first code cell (synthetic '
            f"data, no download) and run the notebook again."
        ) from None
    keep = downsample if downsample is not None else size.train_sequences
    return first_rows(data, keep)


def model_function(
    name: str = "deepstarr", size: str | sizes.Size | None = None, *, quick: bool | None = None
) -> Callable:
    """The paper's model for ``name``, ready for ``RobustModel`` or to call as ``f(input_shape, outputs)``.

    DeepSTARR for ``"deepstarr"``, the ChIP-seq CNN for a factor, with the size's BatchNorm momentum
    (0.9 at quick and offline size, where an epoch has a few dozen steps; the paper's 0.99 otherwise).

    Parameters
    ----------
    name : str
        ``"deepstarr"`` or a ChIP-seq factor.
    size : str, Size or None
        The run size; None: the environment's choice.
    quick : bool, optional
        Earlier releases: True means ``size="quick"``, False the full run (``size="paper"``).

    Returns
    -------
    callable
        ``model_func(input_shape=(L, 4), output_shape=T) -> keras.Model``.
    """
    from evoaug_tf.models import ChIPCNN, DeepSTARR

    _check_name(name)
    size = sizes.get(_size_from_quick(quick, size))
    factory = DeepSTARR if _is_deepstarr(name) else ChIPCNN
    return functools.partial(factory, batchnorm_momentum=size.batchnorm_momentum)
