"""Where the notebooks keep data and finished runs: a local folder, or Google Drive in Colab.

Every notebook reads the data from the same folder and writes its runs below the same root, so a
second notebook reuses the first one's download. In Colab, :func:`use_drive` moves that root to
Google Drive, so a second session (or a second day) also reuses downloads and finished runs.

The root is, in order: the folder given to :func:`use_drive` or :func:`set_root`, the environment
variable ``EVOAUG_TF_HOME``, else the current directory (``data/`` and ``outputs/`` beside the notebook).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evoaug_tf.sizes import Size

__all__ = [
    "DRIVE_FOLDER",
    "HOME_ENV",
    "data_dir",
    "in_colab",
    "output_dir",
    "root",
    "set_root",
    "size_in_use",
    "use_drive",
    "use_size",
]

HOME_ENV = "EVOAUG_TF_HOME"
#: The folder on Google Drive that :func:`use_drive` uses by default.
DRIVE_FOLDER = "evoaug_tf"
_DRIVE_MOUNT = "/content/drive"

_root: str | None = None
#: The size :func:`evoaug_tf.tutorial.setup` chose in this session (None: not called yet).
_size_in_use: str | None = None


def in_colab() -> bool:
    """True inside a Google Colab runtime."""
    return "google.colab" in sys.modules


def root() -> str:
    """The folder that holds ``data/`` and ``outputs/``."""
    if _root is not None:
        return _root
    return os.environ.get(HOME_ENV, "").strip() or os.getcwd()


def set_root(folder: str | os.PathLike) -> str:
    """Keep data and outputs below ``folder`` from now on (created if missing); returns it."""
    global _root
    if not str(folder).strip():
        raise ValueError(f"Expected folder to be a non-empty path. Received: folder={folder!r}")
    folder = os.path.abspath(os.fspath(folder))
    os.makedirs(folder, exist_ok=True)
    _root = folder
    return folder


def use_size(size: str | Size) -> str:
    """Record the size in use in this session (the setup cell does): :func:`output_dir` uses it by default.

    Parameters
    ----------
    size : str or Size
        ``"quick"``, ``"offline"``, ``"class"`` or ``"paper"``.

    Returns
    -------
    str
        The size's name.
    """
    from evoaug_tf import sizes

    if size is None:
        raise ValueError(f"Expected size to be a size or its name. Received: size={size!r}")
    global _size_in_use
    _size_in_use = sizes.get(size).name
    return _size_in_use


def size_in_use() -> Size:
    """The size of this session: the one :func:`use_size` recorded (the setup cell's), else the environment's."""
    from evoaug_tf import sizes

    return sizes.get(_size_in_use)


def data_dir() -> str:
    """The shared data folder (``<root>/data``), where downloads land and are reused."""
    return os.path.join(root(), "data")


def output_dir(notebook: str, size: str | Size | None = None) -> str:
    """The output folder of one notebook, created if missing: ``<root>/outputs/<notebook>/<size>``.

    Runs of different sizes never share a folder, so a resumed run only ever finds its own size's
    finished runs. At ``quick`` size (the test suite) the folder is a fresh temporary one per
    Python process unless a root was chosen (``EVOAUG_TF_HOME``, :func:`set_root`, :func:`use_drive`):
    a test always trains, and never resumes from an earlier test run.

    Parameters
    ----------
    notebook : str
        The notebook's number, e.g. ``"03"``.
    size : str, Size or None
        The run size; None: the size in use (:func:`size_in_use`: the one the setup cell chose in this
        session, else the environment's choice), so a notebook that calls ``output_dir("04")`` after
        ``setup("offline", "04")`` writes to ``outputs/04/offline``.
    """
    from evoaug_tf import sizes

    if not str(notebook).strip() or os.sep in str(notebook):
        raise ValueError(f"Expected notebook to be a notebook number such as '03'. Received: notebook={notebook!r}")
    size = size_in_use() if size is None else sizes.get(size)
    base = root()
    if size.name == "quick" and _root is None and not os.environ.get(HOME_ENV, "").strip():
        base = _quick_root()
    folder = os.path.join(base, "outputs", str(notebook).strip(), size.name)
    os.makedirs(folder, exist_ok=True)
    return folder


_quick_folder: str | None = None


def _quick_root() -> str:
    global _quick_folder
    if _quick_folder is None:
        import tempfile

        _quick_folder = tempfile.mkdtemp(prefix="evoaug_tf_quick_")
    return _quick_folder


def use_drive(folder: str = DRIVE_FOLDER) -> str:
    """Colab: keep data and outputs on Google Drive (``MyDrive/<folder>``). One line to opt in.

    Asks for permission to mount Drive the first time. Outside Colab it changes nothing and says so,
    so a notebook that calls it still runs on a laptop or in the test suite.

    Parameters
    ----------
    folder : str
        Folder inside ``MyDrive``.

    Returns
    -------
    str
        The root folder now in use.
    """
    if not in_colab():
        print(f"Not in Colab: data and outputs stay in {root()}")
        return root()
    from google.colab import drive

    drive.mount(_DRIVE_MOUNT)
    path = set_root(os.path.join(_DRIVE_MOUNT, "MyDrive", folder))
    print(f"Data and outputs now live on Google Drive: {path}")
    return path
