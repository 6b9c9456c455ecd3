"""The data and model of a notebook at a given size: thin calls to :func:`evoaug_tf.recipes.resolve`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from evoaug_tf import recipes, sizes
from evoaug_tf.tutorial import folders

if TYPE_CHECKING:
    from evoaug_tf.datasets.h5 import SequenceDataset

__all__ = ["SYNTHETIC_SPLITS", "first_rows", "load_data", "model_function"]

#: Fractions of synthetic data in train / valid / test (:data:`evoaug_tf.recipes.SYNTHETIC_SPLITS`).
SYNTHETIC_SPLITS = recipes.SYNTHETIC_SPLITS


def _size_from_quick(quick: bool | None, size: str | sizes.Size | None) -> str | sizes.Size | None:
    """Earlier releases' ``quick=`` flag as a size: True -> quick, False -> paper (full mode), None -> ``size``."""
    if quick is None:
        return size
    return "quick" if quick else "paper"


def first_rows(data: SequenceDataset, n: int | None, repeats: int = 1) -> SequenceDataset:
    """``data`` with only its first ``n`` training rows (the paper's down-sampling keeps the first N).

    :func:`evoaug_tf.experiments.downsample_train` with ``order="first"``; ``n`` of None, or at least the
    number of rows, keeps every row (one copy: ``data`` itself).

    Parameters
    ----------
    data : SequenceDataset
        ``x_train`` ``(N, L, 4)``, ``y_train`` ``(N, T)``.
    n : int or None
        Rows to keep; None keeps all.
    repeats : int
        Copies of the kept rows (notebook 04: ``sizes.downsample_repeats(size, n)``, so that an epoch on
        a small synthetic set is as long as on the full one); 1: each row once.
    """
    import numbers

    from evoaug_tf import experiments

    if n is not None and (isinstance(n, bool) or not isinstance(n, numbers.Integral)):
        raise ValueError(f"Expected n to be a positive int or None (all rows). Received: n={n!r}")
    if n is None or n >= len(data.x_train):
        n = len(data.x_train)
    return experiments.downsample_train(data, int(n), order="first", repeats=repeats)


def load_data(
    name: str = "deepstarr",
    size: str | sizes.Size | None = None,
    *,
    seed: int = 0,
    data_dir: str | None = None,
    n: int | None = None,
    quick: bool | None = None,
    downsample: int | None = None,
    downsample_order: str = "first",
) -> SequenceDataset:
    """The notebook's data at ``size`` (:func:`evoaug_tf.recipes.resolve`, then ``recipe.load``).

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
        The run size; None: the environment's choice (see :func:`evoaug_tf.sizes.choose`).
    seed : int
        Seed of the synthetic data (and of a ``downsample_order="random"`` draw).
    data_dir : str, optional
        Where the published files live; default :func:`~evoaug_tf.tutorial.data_dir`.
    n : int, optional
        Earlier releases: the total number of synthetic sequences in quick mode. Overrides the
        size's synthetic size when given; ignored for the published data.
    quick : bool, optional
        Earlier releases: True means ``size="quick"``, False the full run (``size="paper"``).
    downsample : int, optional
        Keep this many training rows of the size's data instead of the size's number (at most all of them).
    downsample_order : {"first", "random"}
        Which rows ``downsample`` (or the size) keeps: the first ones (the paper's analysis, default) or
        random ones drawn with ``seed``.

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

    recipes.dataset_key(name, argument="name")
    size = sizes.get(_size_from_quick(quick, size))
    recipe = recipes.resolve(
        size,
        name,
        train_sequences=downsample,
        downsample_order=downsample_order,
        seed=seed,
        total_sequences=n if size.synthetic else None,
    )
    if recipe.synthetic:
        return recipe.load()
    folder = data_dir or folders.data_dir()
    try:
        return recipe.load(folder)
    except datasets.DownloadError as error:
        hint = datasets.registry.download_hint(recipe.info, dest=folder)
        raise RuntimeError(
            f"Could not get the {name} data for size {size.name!r}: {error}\n\n"
            f"Either download it where you have internet ({hint}) "
            f'and copy it to {folder!r}, or choose SIZE = "offline" in the first code cell (synthetic '
            f"data, no download) and run the notebook again."
        ) from None


def model_function(
    name: str = "deepstarr", size: str | sizes.Size | None = None, *, quick: bool | None = None
) -> Callable:
    """The paper's model for ``name``, ready for ``RobustModel`` or to call as ``f(input_shape, outputs)``.

    DeepSTARR for ``"deepstarr"``, the ChIP-seq CNN for a factor, with the size's BatchNorm momentum
    (0.9 at quick and offline size, where an epoch has a few dozen steps; the paper's 0.99 otherwise):
    ``recipes.resolve(size, name).model_func``.

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
    recipes.dataset_key(name, argument="name")
    return recipes.resolve(_size_from_quick(quick, size), name).model_func
