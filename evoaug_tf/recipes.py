"""One resolver from (size, dataset) to data, model, protocol and task.

The tutorial (:func:`evoaug_tf.tutorial.load_data`, :func:`~evoaug_tf.tutorial.model_function`), the
notebooks' plans (:mod:`evoaug_tf.tutorial.plans`) and the commands ``demo``, ``search`` and ``reproduce`` all
call :func:`resolve`; none of them writes the recipe again.

>>> from evoaug_tf import recipes
>>> recipe = recipes.resolve("offline", "deepstarr")
>>> recipe.rows(), recipe.protocol.epochs, recipe.task.kind
((5000, 625, 625), 20, 'regression')

What a size means for a dataset (sizes: :mod:`evoaug_tf.sizes`; the datasets' facts, the ChIP-seq factor
list and the published split sizes: :mod:`evoaug_tf.datasets.registry`):

- **data**: the size's data, then its first ``train_sequences`` training rows (``downsample_order="first"``,
  as the paper's analysis does) or that many random rows (``"random"``, drawn with ``seed``); validation and
  test stay whole. The size's data is synthetic at ``quick`` and ``offline`` size
  (:func:`synthetic_total` sequences for ``size.train_sequences`` training ones, split
  :data:`SYNTHETIC_SPLITS`, made with ``seed``), and the published file at ``class`` and ``paper`` size.
  A ChIP-seq factor's synthetic data: GABPA's stand-in built from its JASPAR matrix
  (:func:`~evoaug_tf.datasets.make_synthetic_chip_pwm`); any other factor, CTCF included, the CTCF-like
  task of :func:`~evoaug_tf.datasets.make_synthetic_chip` (near-perfect, as CTCF is in the paper).
  Down-sampling is :func:`evoaug_tf.experiments.downsample_train`, the one implementation.
- **model**: DeepSTARR for ``"deepstarr"``, the ChIP-seq CNN for a factor, with the size's BatchNorm momentum.
- **task**: regression (MSE; Pearson r) for DeepSTARR, binary (cross-entropy; AUROC) for a factor.
- **protocol**: the size's.
"""

from __future__ import annotations

import functools
import numbers
import os
from collections.abc import Callable
from dataclasses import dataclass

from evoaug_tf import sizes
from evoaug_tf.datasets import registry
from evoaug_tf.datasets.synthetic import _split_sizes
from evoaug_tf.datasets.synthetic_chip import CHIP_FACTOR_MATRICES

__all__ = [
    "DOWNSAMPLE_ORDERS",
    "SYNTHETIC_DEEPSTARR_VERSION",
    "SYNTHETIC_SPLITS",
    "Recipe",
    "dataset_key",
    "resolve",
    "synthetic_total",
]

#: Fractions of synthetic data in train / valid / test.
SYNTHETIC_SPLITS = (0.8, 0.1, 0.1)
#: The synthetic DeepSTARR world of the ``quick`` and ``offline`` sizes: 3 is
#: :func:`evoaug_tf.datasets.world.make_world` (enhancer grammar, an oracle), 2 the earlier world.
SYNTHETIC_DEEPSTARR_VERSION = 3
#: How training rows are kept when down-sampling: the first N (the paper's analysis) or N random ones.
DOWNSAMPLE_ORDERS = ("first", "random")


def synthetic_total(train_sequences: int) -> int:
    """Synthetic sequences to make so that :data:`SYNTHETIC_SPLITS` leaves ``train_sequences`` for training."""
    return round(train_sequences / SYNTHETIC_SPLITS[0])


def dataset_key(dataset: str, argument: str = "dataset") -> str:
    """``"deepstarr"`` or the factor's name in capitals (``"ctcf"`` -> ``"CTCF"``).

    Raises
    ------
    ValueError
        For anything else, naming ``argument``:
        ``Expected dataset to be 'deepstarr' or a ChIP-seq factor (ATF2, ...). Received: dataset='starr'``.
    """
    key = dataset.strip() if isinstance(dataset, str) else None
    if key is not None and key.lower() == "deepstarr":
        return "deepstarr"
    if key is not None and key.upper() in registry.CHIP_TF_NAMES:
        return key.upper()
    raise ValueError(
        f"Expected {argument} to be 'deepstarr' or a ChIP-seq factor ({', '.join(registry.CHIP_TF_NAMES)}). "
        f"Received: {argument}={dataset!r}"
    )


@dataclass(frozen=True)
class Recipe:
    """What a run at one size trains on a dataset, and with which model. Make it with :func:`resolve`.

    Attributes
    ----------
    dataset : str
        ``"deepstarr"`` or a ChIP-seq factor (``"CTCF"``).
    size : Size
        The run size.
    train_sequences : int or None
        Training rows kept from the size's data (None: all of them; more than there are: all of them).
    downsample_order : str
        ``"first"`` (the paper's analysis) or ``"random"``.
    seed : int
        Seed of the synthetic data and of a random down-sampling draw.
    total_sequences : int or None
        Synthetic sizes only: how many sequences to make in all (earlier releases' ``n``); None:
        :func:`synthetic_total` of ``size.train_sequences``.
    """

    dataset: str
    size: sizes.Size
    train_sequences: int | None
    downsample_order: str = "first"
    seed: int = 0
    total_sequences: int | None = None

    @property
    def kind(self) -> str:
        """``"deepstarr"`` or ``"chip"``."""
        return "deepstarr" if self.dataset == "deepstarr" else "chip"

    @property
    def info(self) -> registry.DatasetInfo:
        """The published dataset's facts (file, length, tasks, split sizes)."""
        return registry.get_dataset_info("DeepSTARR" if self.dataset == "deepstarr" else self.dataset)

    @property
    def synthetic(self) -> bool:
        """True when the size makes synthetic data (no download)."""
        return self.size.synthetic

    @property
    def downloads(self) -> tuple[str, ...]:
        """The published data set this recipe needs (empty for synthetic data)."""
        return () if self.synthetic else (self.dataset,)

    @property
    def protocol(self):
        """The size's :class:`~evoaug_tf.training.Protocol`."""
        return self.size.protocol

    @property
    def task(self):
        """``experiments.REGRESSION`` for DeepSTARR, ``experiments.BINARY`` for ChIP-seq."""
        from evoaug_tf import experiments

        return experiments.REGRESSION if self.kind == "deepstarr" else experiments.BINARY

    @property
    def model_func(self) -> Callable:
        """``model_func(input_shape=(L, 4), output_shape=T) -> keras.Model`` with the size's BatchNorm momentum."""
        from evoaug_tf.models import ChIPCNN, DeepSTARR

        factory = DeepSTARR if self.kind == "deepstarr" else ChIPCNN
        return functools.partial(factory, batchnorm_momentum=self.size.batchnorm_momentum)

    def _synthetic_total(self) -> int:
        if self.total_sequences is not None:
            return int(self.total_sequences)
        train = self.size.train_sequences
        if train is None:  # a synthetic size always says how many sequences to make
            raise ValueError(
                f"Expected size {self.size.name!r} to set train_sequences for synthetic data. "
                "Received: train_sequences=None"
            )
        return synthetic_total(train)

    def rows(self) -> tuple[int, int, int]:
        """Train, valid and test rows of :meth:`load`'s data, without loading it.

        Exact for synthetic data and DeepSTARR; for a ChIP-seq factor an estimate
        (:data:`evoaug_tf.datasets.registry.CHIP_ROWS_ESTIMATE`).
        """
        if self.synthetic:
            split = _split_sizes(self._synthetic_total(), SYNTHETIC_SPLITS)
            train, valid, test = split["train"], split["valid"], split["test"]
        else:
            train, valid, test = self.info.rows
        if self.train_sequences is not None:
            train = min(train, self.train_sequences)
        return train, valid, test

    def load_full(self, data_dir: str | os.PathLike = "data", *, download: bool = True, progress: bool = True):
        """The size's data before down-sampling: synthetic data, or the whole published file.

        Raises
        ------
        evoaug_tf.datasets.DownloadError
            When the published file is missing and cannot be downloaded.
        """
        from evoaug_tf import datasets

        if self.synthetic:
            if self.kind == "deepstarr":
                return datasets.make_synthetic_deepstarr(
                    n=self._synthetic_total(),
                    seed=self.seed,
                    splits=SYNTHETIC_SPLITS,
                    version=SYNTHETIC_DEEPSTARR_VERSION,
                )
            if self.dataset in CHIP_FACTOR_MATRICES:  # GABPA: the stand-in built from its JASPAR matrix
                return datasets.make_synthetic_chip_pwm(
                    n=self._synthetic_total(), seed=self.seed, splits=SYNTHETIC_SPLITS, factor=self.dataset
                )
            return datasets.make_synthetic_chip(n=self._synthetic_total(), seed=self.seed, splits=SYNTHETIC_SPLITS)
        if self.kind == "deepstarr":
            return datasets.load_deepstarr(data_dir=data_dir, download=download, progress=progress)
        return datasets.load_chip(self.dataset, data_dir=data_dir, download=download, progress=progress)

    def select(self, data):
        """``data`` (from :meth:`load_full`) with the recipe's training rows; validation and test whole.

        Parameters
        ----------
        data : SequenceDataset
            ``x_train`` ``(N, L, 4)`` one-hot ACGT, ``y_train`` ``(N, T)``.
        """
        from evoaug_tf import experiments

        if self.train_sequences is None or self.train_sequences >= len(data.x_train):
            return data
        return experiments.downsample_train(data, self.train_sequences, order=self.downsample_order, seed=self.seed)

    def load(self, data_dir: str | os.PathLike = "data", *, download: bool = True, progress: bool = True):
        """The recipe's data: :meth:`select` of :meth:`load_full`.

        Returns
        -------
        SequenceDataset
            ``x_*`` ``(N, L, 4)`` uint8 one-hot ACGT (L = 249 for DeepSTARR, 200 for ChIP-seq), ``y_*``
            ``(N, T)`` float32 (T = 2, Dev and Hk, or 1 binary column).
        """
        return self.select(self.load_full(data_dir, download=download, progress=progress))


def resolve(
    size: str | sizes.Size | None = None,
    dataset: str = "deepstarr",
    *,
    train_sequences: int | None = None,
    downsample_order: str = "first",
    seed: int = 0,
    total_sequences: int | None = None,
) -> Recipe:
    """The data, model, protocol and task of ``dataset`` at ``size``.

    Parameters
    ----------
    size : str, Size or None
        ``"quick"``, ``"offline"``, ``"class"`` or ``"paper"`` (or a changed :class:`~evoaug_tf.sizes.Size`);
        None: the environment's choice (:func:`evoaug_tf.sizes.choose`: an explicit size beats the environment).
    dataset : str
        ``"deepstarr"`` or a ChIP-seq factor, any case.
    train_sequences : int, optional
        Training rows to keep; default the size's (``size.train_sequences``), or at a synthetic size with
        ``total_sequences`` all the training rows of that total.
    downsample_order : {"first", "random"}
        Which rows: the first N (the paper's analysis, default) or N drawn with ``seed``.
    seed : int
        Seed of the synthetic data and of a random draw.
    total_sequences : int, optional
        Synthetic sizes: the number of sequences to make in all (earlier releases' ``n``); ignored for the
        published data.

    Returns
    -------
    Recipe
        ``recipe.load(data_dir)``, ``recipe.model_func``, ``recipe.protocol``, ``recipe.task``, ``recipe.rows()``.
    """
    size = sizes.get(size)
    key = dataset_key(dataset)
    if downsample_order not in DOWNSAMPLE_ORDERS:
        raise ValueError(
            f"Expected downsample_order to be 'first' or 'random'. Received: downsample_order={downsample_order!r}"
        )
    for name, value in (("train_sequences", train_sequences), ("total_sequences", total_sequences)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1):
            raise ValueError(f"Expected {name} to be a positive int or None. Received: {name}={value!r}")
    if train_sequences is None and (total_sequences is None or not size.synthetic):
        train_sequences = size.train_sequences  # a synthetic total chosen: all of its training rows
    total = None if total_sequences is None else int(total_sequences)
    train = None if train_sequences is None else int(train_sequences)
    return Recipe(key, size, train, downsample_order, int(seed), total)
