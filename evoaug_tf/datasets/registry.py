"""The datasets EvoAug-TF knows by name: where they live and what they hold.

All of them are files of Zenodo record 7265991 (the EvoAug data release):

==========  =====================  ======  ===========  ===========================
name        file                   length  tasks        kind
==========  =====================  ======  ===========  ===========================
DeepSTARR   ``DeepSTARR_data.h5``  249     Dev, Hk      regression (STARR-seq)
ATF2 ...    ``ATF2_200.h5`` ...    200     one binary   ChIP-seq peak classification
==========  =====================  ======  ===========  ===========================

The ChIP-seq set has nine transcription factors, see :data:`CHIP_TF_NAMES`. This module is the one home
of these facts (the factor list, each file's split sizes); :mod:`evoaug_tf.sizes`, :mod:`evoaug_tf.published`
and :mod:`evoaug_tf.recipes` import them from here.
"""

from __future__ import annotations

import dataclasses
import os

__all__ = [
    "BASE_URL_ENV",
    "CHIP_ROWS_ESTIMATE",
    "CHIP_TF_NAMES",
    "DATASETS",
    "DEEPSTARR_ROWS",
    "DEFAULT_BASE_URL",
    "ZENODO_RECORD_ID",
    "DatasetInfo",
    "download_command",
    "download_hint",
    "fallback_file_url",
    "find_by_filename",
    "get_chip_info",
    "get_dataset_info",
    "record_api_url",
    "resolve_base_url",
    "valid_names",
]

ZENODO_RECORD_ID = 7265991
"""Zenodo record that holds every EvoAug data file."""

DEFAULT_BASE_URL = "https://zenodo.org"
"""Address of the Zenodo server; override with ``base_url=`` or :data:`BASE_URL_ENV`."""

BASE_URL_ENV = "EVOAUG_TF_DATA_URL"
"""Environment variable that replaces :data:`DEFAULT_BASE_URL` (a mirror or a local server)."""

CHIP_TF_NAMES = ("ATF2", "BACH1", "CTCF", "ELK1", "GABPA", "MAX", "REST", "SRF", "ZNF24")
"""The nine transcription factors of the ChIP-seq benchmark, in the paper's order."""

DEEPSTARR_ROWS = (402_278, 40_570, 41_186)
"""Rows of ``DeepSTARR_data.h5``: train, valid, test."""

CHIP_ROWS_ESTIMATE = (40_000, 5_000, 10_000)
"""A rough size of one ChIP-seq factor's train, valid and test splits (the nine files differ): used for time
estimates only, never to check data."""


@dataclasses.dataclass(frozen=True)
class DatasetInfo:
    """What a known dataset is.

    Attributes
    ----------
    name : str
        Short name, e.g. ``"DeepSTARR"`` or ``"CTCF"``.
    filename : str
        File name inside the Zenodo record, e.g. ``"DeepSTARR_data.h5"``.
    length : int
        Sequence length L in nucleotides.
    task_names : tuple of str
        One name per output column of ``y``.
    task_type : str
        ``"regression"`` (MSE loss) or ``"binary"`` (binary cross-entropy).
    rows : tuple of int
        Train, valid and test rows of the file (ChIP-seq: :data:`CHIP_ROWS_ESTIMATE`, a rough size).
    rows_exact : bool
        True when ``rows`` are the file's counts, False for an estimate.
    """

    name: str
    filename: str
    length: int
    task_names: tuple
    task_type: str
    rows: tuple = ()
    rows_exact: bool = False

    @property
    def num_tasks(self) -> int:
        """Number of output columns T of ``y``."""
        return len(self.task_names)


def _build_registry() -> dict[str, DatasetInfo]:
    registry = {
        "DeepSTARR": DatasetInfo(
            name="DeepSTARR",
            filename="DeepSTARR_data.h5",
            length=249,
            task_names=("Dev", "Hk"),
            task_type="regression",
            rows=DEEPSTARR_ROWS,
            rows_exact=True,
        )
    }
    for tf_name in CHIP_TF_NAMES:
        registry[tf_name] = DatasetInfo(
            name=tf_name,
            filename=f"{tf_name}_200.h5",
            length=200,
            task_names=(tf_name,),
            task_type="binary",
            rows=CHIP_ROWS_ESTIMATE,
        )
    return registry


DATASETS = _build_registry()
"""``{name: DatasetInfo}`` for DeepSTARR and the nine ChIP-seq sets."""


def valid_names() -> list[str]:
    """Names accepted by :func:`get_dataset_info`, for error messages.

    Returns
    -------
    list of str
        ``["DeepSTARR", "ATF2", ..., "ZNF24"]``.
    """
    return list(DATASETS)


def get_dataset_info(name: str | DatasetInfo) -> DatasetInfo:
    """Look a dataset up by short name or file name, ignoring case.

    Parameters
    ----------
    name : str
        ``"deepstarr"``, ``"DeepSTARR_data.h5"``, ``"ctcf"``, ``"CTCF_200.h5"``, ...

    Returns
    -------
    DatasetInfo

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the valid names.
    """
    if isinstance(name, DatasetInfo):
        return name
    if isinstance(name, str):
        wanted = name.strip().lower()
        for info in DATASETS.values():
            if wanted in (info.name.lower(), info.filename.lower()):
                return info
    raise ValueError(
        f"Unknown dataset. Expected one of {valid_names()} (or their file names, e.g. "
        f"'DeepSTARR_data.h5', 'CTCF_200.h5'). Received: name={name!r}"
    )


def get_chip_info(tf_name: str) -> DatasetInfo:
    """Look up one of the nine ChIP-seq sets by transcription-factor name.

    Parameters
    ----------
    tf_name : str
        One of :data:`CHIP_TF_NAMES`, any case.

    Returns
    -------
    DatasetInfo

    Raises
    ------
    ValueError
        If ``tf_name`` is not one of the nine; the message lists them.
    """
    if isinstance(tf_name, str) and tf_name.strip().upper() in CHIP_TF_NAMES:
        return DATASETS[tf_name.strip().upper()]
    raise ValueError(
        f"Unknown transcription factor. Expected one of {list(CHIP_TF_NAMES)}. Received: tf_name={tf_name!r}"
    )


def find_by_filename(path: str | os.PathLike) -> DatasetInfo | None:
    """Return the :class:`DatasetInfo` whose file name matches ``path``'s base name, or None."""
    base = os.path.basename(os.fspath(path)).lower()
    for info in DATASETS.values():
        if info.filename.lower() == base:
            return info
    return None


def resolve_base_url(base_url: str | None = None) -> str:
    """Pick the server address: the argument, else ``$EVOAUG_TF_DATA_URL``, else Zenodo.

    Parameters
    ----------
    base_url : str or None
        E.g. ``"https://zenodo.org"`` or ``"http://127.0.0.1:8000"``.

    Returns
    -------
    str
        The address without a trailing slash.
    """
    if base_url is None:
        base_url = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise ValueError(
            f"Expected base_url to be an http(s) address such as 'https://zenodo.org'. Received: base_url={base_url!r}"
        )
    return base_url.rstrip("/")


def record_api_url(base_url: str | None = None) -> str:
    """Address of the record's metadata: ``{base}/api/records/7265991``."""
    return f"{resolve_base_url(base_url)}/api/records/{ZENODO_RECORD_ID}"


def fallback_file_url(filename: str, base_url: str | None = None) -> str:
    """Download address used when the metadata gives no link for ``filename``."""
    return f"{resolve_base_url(base_url)}/records/{ZENODO_RECORD_ID}/files/{filename}?download=1"


def download_command(
    name: str | DatasetInfo | None = None, dest: str | os.PathLike | None = None, script: bool = False
) -> str:
    """The command that downloads dataset ``name``, for messages.

    Parameters
    ----------
    name : str, DatasetInfo or None
        ``"DeepSTARR"``, a ChIP-seq factor, ...; None: the command's ``--help``.
    dest : str or os.PathLike, optional
        Adds ``--dest DEST``.
    script : bool
        The repository's top-level script (``python data_download.py``) instead of the installed
        package's command (``python -m evoaug_tf download``, works everywhere).

    Returns
    -------
    str
        E.g. ``"python -m evoaug_tf download chip MAX --dest data"``.
    """
    program = "python data_download.py" if script else "python -m evoaug_tf download"
    if name is None:
        return f"{program} --help"
    info = get_dataset_info(name)
    what = "deepstarr" if info.name == "DeepSTARR" else f"chip {info.name}"
    return f"{program} {what}" + (f" --dest {os.fspath(dest)}" if dest is not None else "")


def download_hint(name: str | DatasetInfo | None = None, dest: str | os.PathLike | None = None) -> str:
    """``download_command`` for the installed package, and the repository script's equivalent in brackets."""
    return (
        f"{download_command(name, dest)} (or, in a clone of the repository, "
        f"{download_command(name, dest, script=True)})"
    )
