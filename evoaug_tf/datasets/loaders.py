"""Load the known datasets by name, downloading them on first use."""

from __future__ import annotations

import os

from evoaug_tf.datasets import registry
from evoaug_tf.datasets.download import download as _download
from evoaug_tf.datasets.h5 import SequenceDataset, load_h5


def _load_known(info, data_dir, downsample, seed, download, base_url, progress):
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
    return load_h5(path, downsample=downsample, seed=seed, task_names=info.task_names)


def load_deepstarr(
    data_dir: str | os.PathLike = "data",
    downsample: float | None = None,
    download: bool = True,
    seed: int = 0,
    base_url: str | None = None,
    progress: bool = True,
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
        Seed of the down-sampling draw.
    base_url : str or None
        Server address; default ``$EVOAUG_TF_DATA_URL``, else ``https://zenodo.org``.
    progress : bool
        Show a download progress bar.

    Returns
    -------
    SequenceDataset
        ``x_*`` ``(N, 249, 4)`` uint8 one-hot ACGT; ``y_*`` ``(N, 2)`` float32, ``("Dev", "Hk")``.
    """
    info = registry.DATASETS["DeepSTARR"]
    return _load_known(info, data_dir, downsample, seed, download, base_url, progress)


def load_chip(
    tf_name: str,
    data_dir: str | os.PathLike = "data",
    downsample: float | None = None,
    download: bool = True,
    seed: int = 0,
    base_url: str | None = None,
    progress: bool = True,
) -> SequenceDataset:
    """One ChIP-seq peak set (200 nt, binary), downloaded into ``data_dir`` on first use.

    Parameters
    ----------
    tf_name : str
        One of ``ATF2, BACH1, CTCF, ELK1, GABPA, MAX, REST, SRF, ZNF24`` (any case).
    data_dir, downsample, download, seed, base_url, progress
        As in :func:`load_deepstarr`.

    Returns
    -------
    SequenceDataset
        ``x_*`` ``(N, 200, 4)`` uint8 one-hot ACGT; ``y_*`` ``(N, 1)`` float32 in {0, 1}.
    """
    info = registry.get_chip_info(tf_name)
    return _load_known(info, data_dir, downsample, seed, download, base_url, progress)
