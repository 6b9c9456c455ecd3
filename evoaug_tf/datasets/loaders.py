"""Load the known datasets by name, downloading them on first use."""

from __future__ import annotations

import os

from evoaug_tf.datasets import registry
from evoaug_tf.datasets.download import download as _download
from evoaug_tf.datasets.h5 import SequenceDataset, load_h5
from evoaug_tf.datasets.pipeline import downsample_indices

__all__ = ["load_chip", "load_deepstarr"]


def _load_known(info, data_dir, downsample, downsample_order, seed, download, base_url, progress):
    data_dir = os.fspath(data_dir)
    if os.path.exists(data_dir) and not os.path.isdir(data_dir):
        raise NotADirectoryError(
            f"Expected `data_dir` to be a directory (the file {info.filename} goes inside it). "
            f"Received: data_dir={data_dir!r}, a file; pass its folder, or load the file itself with load_h5."
        )
    path = os.path.join(data_dir, info.filename)
    if not os.path.exists(path):
        if not download:
            raise FileNotFoundError(
                f"No data file at {path!r} and download=False. Expected the file there; download it "
                f"with: {registry.download_hint(info, data_dir)}; or pass download=True."
            )
        _download(info.name, dest=data_dir, base_url=base_url, progress=progress)
    if downsample_order not in ("first", "random"):
        raise ValueError(
            f"Expected downsample_order to be 'first' or 'random'. Received: downsample_order={downsample_order!r}"
        )
    data = load_h5(path, task_names=info.task_names)
    if downsample is None:
        return data
    # A count, or a fraction turned into one (checked and named as `downsample`), then the one down-sampling.
    count = len(downsample_indices(len(data.x_train), downsample, seed=seed, name="downsample"))
    from evoaug_tf.experiments import downsample_train

    return downsample_train(data, count, order=downsample_order, seed=seed)


def load_deepstarr(
    data_dir: str | os.PathLike = "data",
    downsample: float | None = None,
    download: bool = True,
    seed: int = 0,
    base_url: str | None = None,
    progress: bool = True,
    downsample_order: str = "first",
) -> SequenceDataset:
    """DeepSTARR (249 nt, tasks Dev and Hk), downloaded into ``data_dir`` on first use.

    Parameters
    ----------
    data_dir : str or os.PathLike
        Directory holding (or to hold) ``DeepSTARR_data.h5``.
    downsample : int, float or None
        Keep this many (int) or this fraction (float) of the 402,278 training sequences, e.g.
        25_000, 100_000 or 200_000 for the paper's low-data runs. Valid and test stay whole.
    download : bool
        Download the file when it is missing (otherwise raise FileNotFoundError).
    seed : int
        Seed of a random down-sampling draw.
    base_url : str or None
        Server address; default ``$EVOAUG_TF_DATA_URL``, else ``https://zenodo.org``.
    progress : bool
        Show a download progress bar.
    downsample_order : {"first", "random"}
        Which training rows ``downsample`` keeps: the first ones (the paper's analysis, default) or random
        ones drawn with ``seed`` (file order kept). Both are :func:`evoaug_tf.experiments.downsample_train`.
        Before 2.0 the rows were random; pass ``"random"`` for the earlier behaviour (same rows per seed).

    Returns
    -------
    SequenceDataset
        ``x_*`` ``(N, 249, 4)`` uint8 one-hot ACGT; ``y_*`` ``(N, 2)`` float32, ``("Dev", "Hk")``.
    """
    info = registry.DATASETS["DeepSTARR"]
    return _load_known(info, data_dir, downsample, downsample_order, seed, download, base_url, progress)


def load_chip(
    tf_name: str,
    data_dir: str | os.PathLike = "data",
    downsample: float | None = None,
    download: bool = True,
    seed: int = 0,
    base_url: str | None = None,
    progress: bool = True,
    downsample_order: str = "first",
) -> SequenceDataset:
    """One ChIP-seq peak set (200 nt, binary), downloaded into ``data_dir`` on first use.

    Parameters
    ----------
    tf_name : str
        One of ``ATF2, BACH1, CTCF, ELK1, GABPA, MAX, REST, SRF, ZNF24`` (any case).
    data_dir, downsample, download, seed, base_url, progress, downsample_order
        As in :func:`load_deepstarr`.

    Returns
    -------
    SequenceDataset
        ``x_*`` ``(N, 200, 4)`` uint8 one-hot ACGT; ``y_*`` ``(N, 1)`` float32 in {0, 1}.
    """
    info = registry.get_chip_info(tf_name)
    return _load_known(info, data_dir, downsample, downsample_order, seed, download, base_url, progress)
