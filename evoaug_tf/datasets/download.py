"""Download the EvoAug data files from Zenodo, resumably and verified.

For each requested file: skip it if it is already at ``dest`` with the size and md5 that Zenodo
publishes. A different file under that name (truncated, another version, the user's own) is never
replaced: the download stops and says so, unless ``force=True`` (``--force``), which first renames it
to ``<file>.bak`` (never deletes it). Otherwise stream the file into ``<file>.part`` (resuming an
existing ``.part`` with an HTTP ``Range``
request), check the md5 and only then move it into place with ``os.replace``. A half-downloaded or
corrupt file is therefore never found at the final path.

A transfer that receives no byte for ``timeout`` seconds stops at once with what to do (the ``.part``
is kept for resuming); the progress bar moves with every block that arrives.

Only the standard library (``urllib.request``) speaks HTTP; tqdm draws the progress bar.
"""

from __future__ import annotations

import errno
import hashlib
import http.client
import json
import math
import os
import socket
import urllib.error
import urllib.request
import warnings
from typing import TYPE_CHECKING

from evoaug_tf.datasets import registry

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "COMMAND",
    "DownloadError",
    "ChecksumMismatchError",
    "OfflineError",
    "StalledError",
    "DestinationExistsError",
    "md5sum",
    "fetch_record",
    "download",
    "mismatch",
    "download_deepstarr",
    "download_chip",
]

_USER_AGENT = "evoaug-tf-data/2 (+https://github.com/evoaug-tf/evoaug-tf)"
_BLOCK = 1 << 20
"""Bytes hashed at a time."""
_NETWORK_BLOCK = 1 << 16
"""Most bytes taken from the network at a time (``read1``: whatever has arrived, up to this)."""
COMMAND = "python -m evoaug_tf download"
"""The download command of the installed package, named in messages."""


class DownloadError(OSError):
    """A data file could not be downloaded (HTTP error, dropped connection, full disk, ...)."""


class ChecksumMismatchError(DownloadError):
    """The downloaded bytes do not have the md5 published in the record's metadata."""


class OfflineError(DownloadError):
    """The server cannot be reached at all (no network, DNS failure, connection refused)."""


class StalledError(DownloadError):
    """No byte arrived for ``timeout`` seconds; the ``.part`` file is kept for resuming."""


class DestinationExistsError(DownloadError, FileExistsError):
    """A file that is not the published one already has the target name; it is kept (``force`` moves it aside)."""


class _ConnectionDropped(Exception):
    """Internal: the transfer stopped early; the ``.part`` file is kept for resuming."""


class _Stalled(Exception):
    """Internal: no byte for ``timeout`` seconds."""


def _offline_message(url, reason, dest):
    return (
        f"Could not reach {url} ({reason}). This machine seems to be offline, or the server is "
        "unreachable. What to do: download the files on a machine with internet access "
        f"({COMMAND} deepstarr / chip) and copy them into "
        f"{os.path.abspath(dest)!r}; or point {registry.BASE_URL_ENV} (or --base-url) at a reachable "
        "mirror; or work without the real data: make_synthetic_deepstarr() / make_synthetic_chip(), "
        "or quick mode with EVOAUG_TF_QUICK=1."
    )


def _is_unreachable(reason):
    """True when a URLError's reason means no connection could be made at all."""
    return isinstance(reason, (socket.gaierror, ConnectionRefusedError, socket.timeout, TimeoutError)) or (
        isinstance(reason, OSError)
        and reason.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ECONNREFUSED, errno.EADDRNOTAVAIL)
    )


def _request(url, headers=None):
    return urllib.request.Request(url, headers={"User-Agent": _USER_AGENT, **(headers or {})})


def md5sum(path: str | os.PathLike) -> str:
    """Hex md5 of a file, read in 1 MiB blocks."""
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def _parse_entry(entry):
    """One file of the record metadata -> ``{"name", "size", "md5", "url"}`` (old and new API)."""
    name = entry.get("key") or entry.get("filename")
    size = entry.get("size", entry.get("filesize"))
    checksum = entry.get("checksum") or ""
    if ":" in checksum:
        algorithm, _, value = checksum.partition(":")
        md5 = value.lower() if algorithm.lower() == "md5" else None
    else:
        md5 = checksum.lower() or None
    links = entry.get("links") or {}
    url = links.get("self") or links.get("download") or links.get("content")
    return {"name": name, "size": int(size) if size is not None else None, "md5": md5, "url": url}


def fetch_record(base_url: str | None = None, timeout: float = 30, dest: str | os.PathLike = "data") -> dict:
    """Read the Zenodo record's file list.

    Parameters
    ----------
    base_url : str or None
        Server address; default ``$EVOAUG_TF_DATA_URL`` or ``https://zenodo.org``.
    timeout : float
        Seconds to wait for the server.
    dest : str
        Only used in the offline message (where to copy files by hand).

    Returns
    -------
    dict
        ``{file name: {"name": str, "size": int or None, "md5": str or None, "url": str}}``; the
        url falls back to ``{base}/records/7265991/files/{name}?download=1`` when the metadata
        has no link.

    Raises
    ------
    OfflineError
        The server cannot be reached.
    DownloadError
        HTTP error or an answer that is not the expected JSON.
    """
    base = registry.resolve_base_url(base_url)
    url = registry.record_api_url(base)
    try:
        with urllib.request.urlopen(_request(url, {"Accept": "application/json"}), timeout=timeout) as response:
            payload = response.read()
    except urllib.error.HTTPError as error:
        raise DownloadError(
            f"The record metadata could not be fetched: HTTP {error.code} {error.reason} for {url}."
        ) from error
    except urllib.error.URLError as error:
        if _is_unreachable(error.reason):
            raise OfflineError(_offline_message(url, error.reason, dest)) from error
        raise DownloadError(f"The record metadata could not be fetched from {url}: {error.reason}") from error
    except (OSError, http.client.HTTPException) as error:
        if _is_unreachable(error):
            raise OfflineError(_offline_message(url, error, dest)) from error
        raise DownloadError(f"The record metadata could not be fetched from {url}: {error!r}") from error
    try:
        metadata = json.loads(payload)
        files = metadata["files"]
        if isinstance(files, dict):  # InvenioRDM style: {"entries": [...] or {...}}
            files = files.get("entries", [])
            files = list(files.values()) if isinstance(files, dict) else files
        entries = [_parse_entry(entry) for entry in files]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise DownloadError(
            f"Expected the record metadata at {url} to be JSON with a 'files' list. Received: {payload[:200]!r}"
        ) from error
    record = {}
    for entry in entries:
        if entry["name"]:
            entry["url"] = entry["url"] or registry.fallback_file_url(entry["name"], base)
            record[entry["name"]] = entry
    return record


def _resolve_names(name_or_names):
    """``"deepstarr"`` / ``"chip"`` / TF names / file names -> list of :class:`DatasetInfo`."""
    names = [name_or_names] if isinstance(name_or_names, str) else list(name_or_names)
    infos = []
    for name in names:
        if isinstance(name, str) and name.strip().lower() == "chip":
            chosen = [registry.DATASETS[tf_name] for tf_name in registry.CHIP_TF_NAMES]
        elif isinstance(name, str) and name.strip().lower() == "all":
            chosen = list(registry.DATASETS.values())
        else:
            try:
                chosen = [registry.get_dataset_info(name)]
            except ValueError:
                raise ValueError(
                    f"Unknown dataset. Expected one of {registry.valid_names()}, 'chip' (all nine "
                    f"ChIP-seq sets) or 'all'. Received: name_or_names={name_or_names!r}"
                ) from None
        infos.extend(info for info in chosen if info not in infos)
    if not infos:
        raise ValueError(f"Expected at least one dataset name. Received: name_or_names={name_or_names!r}")
    return infos


def _write_block(handle, block):
    """Write one block (a seam for tests that simulate a full disk)."""
    handle.write(block)


def _progress_bar(name, total, initial, progress):
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        initial=initial,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=name,
        disable=not progress,
        leave=True,
    )


def _transfer(entry, part, progress, timeout):
    """Stream ``entry`` into ``part``, resuming it if it exists. Raises _ConnectionDropped."""
    name, url, size = entry["name"], entry["url"], entry["size"]
    offset = os.path.getsize(part) if os.path.exists(part) else 0
    if size is not None and offset > size:
        os.remove(part)
        offset = 0
    if size is not None and offset == size and offset > 0:
        return  # complete already; the md5 check decides
    headers = {"Range": f"bytes={offset}-"} if offset else {}
    try:
        response = urllib.request.urlopen(_request(url, headers), timeout=timeout)
    except urllib.error.HTTPError as error:
        if error.code == 416 and offset:  # range not satisfiable: start over
            os.remove(part)
            raise _ConnectionDropped(f"HTTP 416 for a resumed download of {name}; starting over") from error
        raise DownloadError(
            f"Downloading {name} failed: HTTP {error.code} {error.reason} from {url}."
            + (" The server had a problem; try again later." if error.code >= 500 else "")
        ) from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, (socket.timeout, TimeoutError)):
            raise _Stalled(f"the server did not answer within {timeout:g} s") from error
        raise _ConnectionDropped(f"{error.reason}") from error
    except TimeoutError as error:
        raise _Stalled(f"the server did not answer within {timeout:g} s") from error
    except (OSError, http.client.HTTPException) as error:
        raise _ConnectionDropped(repr(error)) from error

    with response:
        status = getattr(response, "status", 200)
        mode = "wb"
        if offset and status == 206:
            content_range = response.headers.get("Content-Range", "")
            if content_range.startswith(f"bytes {offset}-"):
                mode = "ab"
            else:  # not the part we asked for: start over
                response.close()
                os.remove(part)
                raise _ConnectionDropped(f"unexpected Content-Range {content_range!r}")
        if mode == "wb":
            offset = 0  # a 200 answer to a Range request is the whole file
        length = response.headers.get("Content-Length")
        expected_end = offset + int(length) if length is not None else size
        total = size if size is not None else expected_end
        received = offset
        try:
            with open(part, mode) as handle, _progress_bar(name, total, offset, progress) as bar:
                while True:
                    try:
                        block = response.read1(_NETWORK_BLOCK)  # what has arrived: the bar moves per block
                    except TimeoutError as error:
                        raise _Stalled(f"no byte arrived for {timeout:g} s") from error
                    except (OSError, http.client.HTTPException) as error:
                        raise _ConnectionDropped(repr(error)) from error
                    if not block:
                        break
                    _write_block(handle, block)
                    received += len(block)
                    bar.update(len(block))
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EDQUOT):
                if os.path.exists(part):
                    os.remove(part)
                raise DownloadError(
                    f"Disk full while writing {part!r} ({error.strerror}). Downloading {name} needs "
                    f"{_format_size(size)} free in {os.path.dirname(os.path.abspath(part))!r}; the partial "
                    "file was deleted. Free some space or choose another --dest, then run again."
                ) from error
            raise
    if expected_end is not None and received < expected_end:
        raise _ConnectionDropped(f"connection closed after {received} of {expected_end} bytes")


def _format_size(size):
    if size is None:
        return "an unknown amount of space"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024


def _download_file(entry, final, progress, retries, timeout):
    """Download one file to ``final`` via ``final.part``; resume, retry, verify, replace."""
    part = final + ".part"
    attempt = 0
    while True:
        try:
            _transfer(entry, part, progress, timeout)
            break
        except _Stalled as error:
            kept = os.path.getsize(part) if os.path.exists(part) else 0
            raise StalledError(
                f"Downloading {entry['name']} from {entry['url']} stalled: {error}. {kept} bytes are kept in "
                f"{part!r}. What to do: run the same command again to resume ({COMMAND} ...); on a slow or "
                "busy connection give it longer (--timeout SECONDS, or timeout= in Python)."
            ) from None
        except _ConnectionDropped as error:
            attempt += 1
            if attempt > retries:
                kept = os.path.getsize(part) if os.path.exists(part) else 0
                raise DownloadError(
                    f"Downloading {entry['name']} from {entry['url']} was interrupted ({error}) after "
                    f"{attempt} attempt(s). {kept} bytes are kept in {part!r}; run the same command "
                    f"again to resume ({COMMAND} ...)."
                ) from None
    if entry["md5"] is not None:
        actual = md5sum(part)
        if actual != entry["md5"]:
            os.remove(part)
            raise ChecksumMismatchError(
                f"Checksum mismatch for {entry['name']} downloaded from {entry['url']}: expected md5 "
                f"{entry['md5']}, received md5 {actual}. The download was deleted; nothing was saved at "
                f"{final!r}. Run again; if it keeps happening the server or a proxy is altering the file."
            )
    else:
        warnings.warn(f"No md5 published for {entry['name']}; the download is not verified.", stacklevel=3)
    os.replace(part, final)


def download(
    name_or_names: str | Sequence[str],
    dest: str | os.PathLike = "data",
    base_url: str | None = None,
    progress: bool = True,
    retries: int = 2,
    timeout: float = 60,
    force: bool = False,
) -> list[str]:
    """Download known datasets from Zenodo record 7265991 into ``dest``, verified by size and md5.

    Parameters
    ----------
    name_or_names : str or sequence of str
        ``"deepstarr"``, a TF name (``"CTCF"``), a file name (``"CTCF_200.h5"``), ``"chip"`` (all
        nine ChIP-seq sets) or ``"all"``; or a list of them. Case is ignored.
    dest : str or os.PathLike
        Directory for the files (created if needed).
    base_url : str or None
        Server address; default ``$EVOAUG_TF_DATA_URL``, else ``https://zenodo.org``.
    progress : bool
        Show a tqdm progress bar per file, moving as the bytes arrive.
    retries : int
        How many times to resume after a dropped connection within this call.
    timeout : float
        Seconds without a byte from the server before giving up (a stalled transfer stops at once,
        keeping the ``.part`` for the next call to resume).
    force : bool
        When a file that is not the published one (another size or md5) has the target name, rename it
        to ``<name>.bak`` (``.bak1``, ... if taken) and download. Without ``force`` such a file is kept
        and :class:`DestinationExistsError` is raised. Nothing is ever deleted.

    Returns
    -------
    list of str
        Paths of the files, in the order asked for.

    Raises
    ------
    ValueError
        Unknown name (the message lists the valid names), bad ``retries`` or ``timeout``.
    OfflineError
        The server cannot be reached (the message says what to do instead).
    DestinationExistsError
        A different file has the target name and ``force`` is False.
    StalledError
        No byte arrived for ``timeout`` seconds.
    ChecksumMismatchError
        The downloaded file's md5 differs from the published one (nothing is kept).
    DownloadError
        HTTP 404 / 500, a connection that keeps dropping (the ``.part`` is kept for resuming),
        a full disk.
    """
    infos = _resolve_names(name_or_names)
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError(f"Expected retries to be an int >= 0. Received: retries={retries!r}")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout) or timeout <= 0:
        raise ValueError(f"Expected timeout to be a number of seconds > 0. Received: timeout={timeout!r}")
    dest = os.fspath(dest)
    finals = [os.path.join(dest, info.filename) for info in infos]
    for final in finals:
        if os.path.isdir(final):
            raise DestinationExistsError(
                f"Expected {final!r} to be a file or nothing. Received: a directory. Move it away and run again."
            )
    try:
        record = fetch_record(base_url, timeout=timeout, dest=dest)
    except DownloadError as error:
        if all(os.path.exists(final) for final in finals):
            warnings.warn(f"Using the files already in {dest!r} without verifying them: {error}", stacklevel=2)
            return finals
        raise
    unlisted = [info.filename for info in infos if info.filename not in record]
    if unlisted:
        raise DownloadError(
            f"{', '.join(unlisted)} {'is' if len(unlisted) == 1 else 'are'} not listed in record "
            f"{registry.ZENODO_RECORD_ID} at {registry.resolve_base_url(base_url)}. Files listed: {sorted(record)}"
        )
    todo = []
    for info, final in zip(infos, finals):
        entry = record[info.filename]
        if os.path.exists(final):
            problem = mismatch(final, entry)
            if problem is None:
                continue
            if not force:
                raise DestinationExistsError(
                    f"{final!r} already exists and is not the published {entry['name']} ({problem}). It was "
                    "left as it is. To download the published file, move yours away, or run again with "
                    f"--force ({COMMAND} ... --force; in Python download(..., force=True)), which renames "
                    f"yours to {_backup_name(final)!r} first."
                )
        todo.append((entry, final))
    os.makedirs(dest, exist_ok=True)  # only once the server answered: no empty folder when offline
    for entry, final in todo:
        if os.path.exists(final):
            backup = _backup_name(final)
            os.replace(final, backup)
            warnings.warn(f"{final} is not the published file; it was renamed to {backup}.", stacklevel=2)
        _download_file(entry, final, progress, retries, timeout)
    return finals


def mismatch(path: str | os.PathLike, entry: dict) -> str | None:
    """Why the file at ``path`` is not the published one (size, then md5), or None when it is."""
    size = os.path.getsize(path)
    if entry.get("size") is not None and size != entry["size"]:
        return f"{size} bytes, expected {entry['size']}"
    if entry.get("md5") is not None:
        actual = md5sum(path)
        if actual != entry["md5"]:
            return f"md5 {actual}, expected {entry['md5']}"
    return None


def _backup_name(path):
    """``<path>.bak``, or ``.bak1``, ``.bak2``, ... when taken."""
    candidate, number = f"{path}.bak", 0
    while os.path.exists(candidate):
        number += 1
        candidate = f"{path}.bak{number}"
    return candidate


def download_deepstarr(
    dest: str | os.PathLike = "data",
    base_url: str | None = None,
    progress: bool = True,
    timeout: float = 60,
    force: bool = False,
) -> str:
    """Download ``DeepSTARR_data.h5`` into ``dest`` (see :func:`download`); return its path."""
    return download("DeepSTARR", dest=dest, base_url=base_url, progress=progress, timeout=timeout, force=force)[0]


def download_chip(
    tf_names: Sequence[str] | None = None,
    dest: str | os.PathLike = "data",
    base_url: str | None = None,
    progress: bool = True,
    timeout: float = 60,
    force: bool = False,
) -> list[str]:
    """Download ChIP-seq sets ``{TF}_200.h5`` into ``dest``.

    Parameters
    ----------
    tf_names : str, sequence of str or None
        Transcription factors from :data:`~evoaug_tf.datasets.CHIP_TF_NAMES`; None means all nine.
    dest, base_url, progress, timeout, force
        As in :func:`download`.

    Returns
    -------
    list of str
        Paths of the files.
    """
    if tf_names is None:
        tf_names = list(registry.CHIP_TF_NAMES)
    elif isinstance(tf_names, str):
        tf_names = [tf_names]
    infos = [registry.get_chip_info(tf_name) for tf_name in tf_names]
    return download(
        [info.name for info in infos], dest=dest, base_url=base_url, progress=progress, timeout=timeout, force=force
    )
