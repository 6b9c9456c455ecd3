"""Data for EvoAug-TF: the published DeepSTARR and ChIP-seq sets, synthetic stand-ins, tf.data.

Public API::

    load_h5(path, downsample=None, seed=0)              -> SequenceDataset (x uint8, y float32)
    load_deepstarr(data_dir="data", downsample=None, download=True, downsample_order="first", ...)
    load_chip(tf_name, data_dir="data", download=True, ...)
    download(name_or_names, dest="data", base_url=None, progress=True)
    download_deepstarr(dest="data"), download_chip(tf_names=None, dest="data")
    make_synthetic_deepstarr(n=20000, seed=0, ...), make_synthetic_chip(n=20000, seed=0, ...),
    make_synthetic_chip_pwm(n=20000, seed=0, factor="GABPA", ...)
    world.make_world(n=20000, seed=0, ...), world.oracle(x), world.grammar_blind_oracle(x)  (DeepSTARR v3)
    make_dataset(x, y, batch_size=100, shuffle=True, seed=None, ...) -> tf.data.Dataset
    downsample(x, y, n_or_fraction, seed=0)
"""

from evoaug_tf.datasets.download import (
    ChecksumMismatchError,
    DownloadError,
    OfflineError,
    download,
    download_chip,
    download_deepstarr,
)
from evoaug_tf.datasets.h5 import SequenceDataset, load_h5
from evoaug_tf.datasets.loaders import load_chip, load_deepstarr
from evoaug_tf.datasets.pipeline import downsample, make_dataset
from evoaug_tf.datasets.registry import (
    CHIP_TF_NAMES,
    DATASETS,
    ZENODO_RECORD_ID,
    DatasetInfo,
)
from evoaug_tf.datasets.synthetic import MotifSite, make_synthetic_chip, make_synthetic_deepstarr
from evoaug_tf.datasets.synthetic_chip import make_synthetic_chip_pwm

__all__ = [
    "CHIP_TF_NAMES",
    "DATASETS",
    "ZENODO_RECORD_ID",
    "ChecksumMismatchError",
    "DatasetInfo",
    "DownloadError",
    "MotifSite",
    "OfflineError",
    "SequenceDataset",
    "download",
    "download_chip",
    "download_deepstarr",
    "downsample",
    "load_chip",
    "load_deepstarr",
    "load_h5",
    "make_dataset",
    "make_synthetic_chip",
    "make_synthetic_chip_pwm",
    "make_synthetic_deepstarr",
]
