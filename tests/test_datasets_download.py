"""Downloads against a local imitation of the Zenodo record API (no internet)."""

import hashlib
import http.server
import importlib
import importlib.util
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import types
from pathlib import Path

import h5py
import numpy as np
import pytest

import evoaug_tf.datasets as datasets
from evoaug_tf.datasets import (
    ChecksumMismatchError,
    DownloadError,
    OfflineError,
    download,
    download_chip,
    download_deepstarr,
    load_chip,
    load_deepstarr,
)

download_module = importlib.import_module("evoaug_tf.datasets.download")
download_command = importlib.import_module("evoaug_tf.commands.download")
DestinationExistsError = download_module.DestinationExistsError
StalledError = download_module.StalledError
REPO_ROOT = Path(__file__).resolve().parents[1]
RECORD_PATH = "/api/records/7265991"


def tiny_h5_bytes(length, tasks, seed):
    """A small valid {x,y}_{train,valid,test} file, as bytes."""
    rng = np.random.default_rng(seed)
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as handle:
        for split, rows in (("train", 30), ("valid", 5), ("test", 5)):
            handle[f"x_{split}"] = np.eye(4, dtype=np.float32)[rng.integers(0, 4, (rows, length))]
            handle[f"y_{split}"] = rng.normal(size=(rows, tasks)).astype(np.float32)
    return buffer.getvalue()


FILES = {
    "DeepSTARR_data.h5": tiny_h5_bytes(249, 2, 0),
    "CTCF_200.h5": tiny_h5_bytes(200, 1, 1),
    "MAX_200.h5": tiny_h5_bytes(200, 1, 2),
}


class FakeZenodo:
    """A threaded HTTP server on 127.0.0.1 serving the record metadata and FILES with Range support.

    Switches: ``drop_once`` (file names whose next transfer stops halfway), ``wrong_checksum``,
    ``status`` ({file name: HTTP status}), ``ignore_range`` (answer 200 to Range requests),
    ``legacy`` (old metadata: "filename", "links.download", bare md5), ``no_links``, ``stall`` (file
    names whose transfer sends half, then nothing until ``release`` is set: the fixture sets it when the
    test ends).
    ``requests`` logs (path, Range header) of every GET.
    """

    def __init__(self):
        self.drop_once = set()
        self.wrong_checksum = False
        self.status = {}
        self.ignore_range = False
        self.legacy = False
        self.no_links = False
        self.stall = set()
        self.release = threading.Event()
        self.requests = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append((self.path, self.headers.get("Range")))
                if self.path == RECORD_PATH:
                    return self.send_bytes(200, json.dumps(server.metadata()).encode(), "application/json")
                match = re.fullmatch(r"/(?:api/)?records/7265991/files/([^/?]+)(?:/content|\?download=1)", self.path)
                if not match or match.group(1) not in FILES:
                    return self.send_bytes(404, b"not found")
                name = match.group(1)
                if name in server.status:
                    return self.send_bytes(server.status[name], b"server says no")
                content = FILES[name]
                start = 0
                requested = self.headers.get("Range")
                if requested and not server.ignore_range:
                    start = int(re.fullmatch(r"bytes=(\d+)-", requested).group(1))
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(content) - 1}/{len(content)}")
                else:
                    self.send_response(200)
                body = content[start:]
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Content-Type", "application/octet-stream")
                self.end_headers()
                if name in server.stall:
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    server.release.wait()  # an event, not a time: the test (or the fixture's close) sets it
                    self.close_connection = True
                    return
                if name in server.drop_once:
                    server.drop_once.discard(name)
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                self.wfile.write(body)

            def send_bytes(self, status, body, content_type="text/plain"):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Content-Type", content_type)
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def metadata(self):
        entries = []
        for name, content in FILES.items():
            md5 = hashlib.md5(content).hexdigest()
            if self.wrong_checksum:
                md5 = "0" * 32
            if self.legacy:
                entry = {
                    "filename": name,
                    "filesize": len(content),
                    "checksum": md5,
                    "links": {"download": f"{self.url}/records/7265991/files/{name}?download=1"},
                }
            else:
                entry = {
                    "key": name,
                    "size": len(content),
                    "checksum": f"md5:{md5}",
                    "links": {"self": f"{self.url}/api/records/7265991/files/{name}/content"},
                }
            if self.no_links:
                entry.pop("links")
            entries.append(entry)
        return {"id": 7265991, "files": entries}

    def file_gets(self, name):
        return [entry for entry in self.requests if name in entry[0] and entry[0] != RECORD_PATH]

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def zenodo():
    server = FakeZenodo()
    yield server
    server.close()


def md5_of(path):
    return hashlib.md5(Path(path).read_bytes()).hexdigest()


def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_clean_download(zenodo, tmp_path):
    paths = download(["deepstarr", "ctcf"], dest=tmp_path, base_url=zenodo.url, progress=False)
    assert [Path(p).name for p in paths] == ["DeepSTARR_data.h5", "CTCF_200.h5"]
    for path in paths:
        assert Path(path).read_bytes() == FILES[Path(path).name]
    assert not list(tmp_path.glob("*.part"))
    assert [get[1] for get in zenodo.file_gets("DeepSTARR_data.h5")] == [None]


def test_progress_bar_and_wrappers(zenodo, tmp_path, capsys):
    path = download_deepstarr(dest=tmp_path, base_url=zenodo.url, progress=True)
    assert md5_of(path) == hashlib.md5(FILES["DeepSTARR_data.h5"]).hexdigest()
    assert "DeepSTARR_data.h5" in capsys.readouterr().err  # tqdm's description
    assert [Path(p).name for p in download_chip("max", dest=tmp_path, base_url=zenodo.url, progress=False)] == [
        "MAX_200.h5"
    ]


def test_base_url_from_environment(zenodo, tmp_path, monkeypatch):
    monkeypatch.setenv("EVOAUG_TF_DATA_URL", zenodo.url)
    download("CTCF_200.h5", dest=tmp_path, progress=False)
    assert (tmp_path / "CTCF_200.h5").exists()


def test_legacy_metadata_and_fallback_link(zenodo, tmp_path):
    zenodo.legacy = True
    download("ctcf", dest=tmp_path / "a", base_url=zenodo.url, progress=False)
    zenodo.legacy, zenodo.no_links = False, True
    download("ctcf", dest=tmp_path / "b", base_url=zenodo.url, progress=False)
    assert md5_of(tmp_path / "a" / "CTCF_200.h5") == md5_of(tmp_path / "b" / "CTCF_200.h5")
    assert zenodo.file_gets("CTCF")[-1][0] == "/records/7265991/files/CTCF_200.h5?download=1"


def test_resume_after_dropped_connection(zenodo, tmp_path):
    name = "DeepSTARR_data.h5"
    zenodo.drop_once.add(name)
    with pytest.raises(DownloadError, match=r"DeepSTARR_data.h5.*interrupted.*bytes are kept.*again to resume"):
        download_module.download("deepstarr", dest=tmp_path, base_url=zenodo.url, progress=False, retries=0)
    part = tmp_path / f"{name}.part"
    half = len(FILES[name]) // 2
    assert part.stat().st_size == half
    assert not (tmp_path / name).exists()
    download("deepstarr", dest=tmp_path, base_url=zenodo.url, progress=False)
    assert zenodo.file_gets(name)[-1][1] == f"bytes={half}-"
    assert md5_of(tmp_path / name) == hashlib.md5(FILES[name]).hexdigest()
    assert not part.exists()


def test_retry_within_one_call_resumes(zenodo, tmp_path):
    zenodo.drop_once.add("CTCF_200.h5")
    download("ctcf", dest=tmp_path, base_url=zenodo.url, progress=False)
    ranges = [get[1] for get in zenodo.file_gets("CTCF_200.h5")]
    assert ranges == [None, f"bytes={len(FILES['CTCF_200.h5']) // 2}-"]
    assert (tmp_path / "CTCF_200.h5").read_bytes() == FILES["CTCF_200.h5"]


def test_server_ignoring_range_restarts(zenodo, tmp_path):
    name = "CTCF_200.h5"
    (tmp_path / f"{name}.part").write_bytes(b"garbage that is not the start of the file")
    zenodo.ignore_range = True
    download("ctcf", dest=tmp_path, base_url=zenodo.url, progress=False)
    assert zenodo.file_gets(name)[0][1] is not None  # it asked to resume ...
    assert (tmp_path / name).read_bytes() == FILES[name]  # ... got a 200 and started over


def test_checksum_mismatch_leaves_nothing(zenodo, tmp_path):
    zenodo.wrong_checksum = True
    with pytest.raises(ChecksumMismatchError, match=r"Checksum mismatch for CTCF_200.h5.*expected md5 0{32}"):
        download("ctcf", dest=tmp_path, base_url=zenodo.url, progress=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("status", [404, 500])
def test_http_errors_are_clear(zenodo, tmp_path, status):
    zenodo.status["CTCF_200.h5"] = status
    with pytest.raises(DownloadError, match=rf"CTCF_200.h5 failed: HTTP {status} .*{re.escape(zenodo.url)}") as info:
        download("ctcf", dest=tmp_path, base_url=zenodo.url, progress=False)
    assert not isinstance(info.value, OfflineError)
    assert list(tmp_path.iterdir()) == []


def test_offline_message(tmp_path):
    with pytest.raises(
        OfflineError,
        match=r"seems to be offline.*python -m evoaug_tf download deepstarr.*"
        r"copy them into.*EVOAUG_TF_QUICK=1",
    ):
        download("deepstarr", dest=tmp_path, base_url=closed_port_url(), progress=False)


def test_offline_but_files_present_is_a_warning(zenodo, tmp_path):
    download("ctcf", dest=tmp_path, base_url=zenodo.url, progress=False)
    with pytest.warns(UserWarning, match="without verifying"):
        paths = download("ctcf", dest=tmp_path, base_url=closed_port_url(), progress=False)
    assert Path(paths[0]).exists()


def test_skip_when_present_and_verified(zenodo, tmp_path):
    download("ctcf", dest=tmp_path, base_url=zenodo.url, progress=False)
    download("ctcf", dest=tmp_path, base_url=zenodo.url, progress=False)
    assert len(zenodo.file_gets("CTCF_200.h5")) == 1


def test_corrupt_existing_file_is_replaced_only_with_force(zenodo, tmp_path):
    # Issue #14: a file already at the target name is never replaced without force; with it, it moves aside.
    (tmp_path / "CTCF_200.h5").write_bytes(b"truncated")
    with pytest.raises(DestinationExistsError, match=r"CTCF_200.h5.*already exists.*9 bytes, expected .*--force"):
        download("ctcf", dest=tmp_path, base_url=zenodo.url, progress=False)
    assert (tmp_path / "CTCF_200.h5").read_bytes() == b"truncated"
    with pytest.warns(UserWarning, match=r"not the published file; it was renamed to .*CTCF_200.h5.bak"):
        download("ctcf", dest=tmp_path, base_url=zenodo.url, progress=False, force=True)
    assert (tmp_path / "CTCF_200.h5").read_bytes() == FILES["CTCF_200.h5"]
    assert (tmp_path / "CTCF_200.h5.bak").read_bytes() == b"truncated"


def test_disk_full(zenodo, tmp_path, monkeypatch):
    def full_disk(handle, block):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(download_module, "_write_block", full_disk)
    with pytest.raises(DownloadError, match=r"Disk full while writing .*CTCF_200.h5.part"):
        download("ctcf", dest=tmp_path, base_url=zenodo.url, progress=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", ["ZNF99", ["CTCF", "nope"]])
def test_unknown_name_lists_valid_names(tmp_path, bad):
    with pytest.raises(ValueError, match=r"Expected one of \['DeepSTARR', 'ATF2'.*'ZNF24'\].*Received"):
        download(bad, dest=tmp_path)


def test_unknown_tf_name(tmp_path):
    with pytest.raises(ValueError, match=r"Expected one of \['ATF2', .*'ZNF24'\]. Received: tf_name='FOXA1'"):
        download_chip(["CTCF", "FOXA1"], dest=tmp_path)
    with pytest.raises(ValueError, match="tf_name='FOXA1'"):
        load_chip("FOXA1", data_dir=tmp_path)


def test_loaders_download_on_first_use(zenodo, tmp_path):
    data = load_deepstarr(data_dir=tmp_path, base_url=zenodo.url, progress=False, downsample=10)
    assert data.x_train.shape == (10, 249, 4) and data.task_names == ("Dev", "Hk")
    chip = load_chip("ctcf", data_dir=tmp_path, base_url=zenodo.url, progress=False)
    assert chip.y_train.shape == (30, 1) and chip.task_names == ("CTCF",)
    load_chip("CTCF", data_dir=tmp_path, download=False)  # already there
    with pytest.raises(
        FileNotFoundError,
        match=r"MAX_200.h5.*download=False.*python -m evoaug_tf download chip MAX"
        r".*data_download.py chip MAX",
    ):
        load_chip("MAX", data_dir=tmp_path, download=False)


def test_public_names():
    """Every public name of the package is in __all__; submodules (h5, synthetic, world ...) are not names."""
    public = {name for name in dir(datasets) if not name.startswith("_")}
    modules = {name for name in public if isinstance(getattr(datasets, name), types.ModuleType)}
    assert {"h5", "loaders", "pipeline", "registry", "synthetic"} <= modules
    assert set(datasets.__all__) == public - modules


def load_cli():
    spec = importlib.util.spec_from_file_location("data_download_cli", REPO_ROOT / "data_download.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_subprocess(zenodo, tmp_path):
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "EVOAUG_TF_DATA_URL": zenodo.url}
    done = subprocess.run(
        [sys.executable, "data_download.py", "chip", "ctcf", "MAX", "--dest", str(tmp_path), "--no-progress"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,  # only turns a hang into a failure (the command imports TensorFlow)
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CTCF_200.h5", "MAX_200.h5"]
    assert "CTCF_200.h5" in done.stdout and "MAX_200.h5" in done.stdout


def test_cli_errors_without_traceback(zenodo, tmp_path, capsys):
    cli = load_cli()
    zenodo.status["DeepSTARR_data.h5"] = 404
    assert cli.main(["deepstarr", "--dest", str(tmp_path), "--base-url", zenodo.url, "--no-progress"]) == 1
    assert "HTTP 404" in capsys.readouterr().err
    assert cli.main(["chip", "FOXA1", "--dest", str(tmp_path)]) == 1
    assert "tf_name='FOXA1'" in capsys.readouterr().err
    assert cli.main(["deepstarr", "--dest", str(tmp_path), "--base-url", closed_port_url()]) == 1
    assert "offline" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        cli.main(["deepstarr", "CTCF"])
    assert usage.value.code == 2
    zenodo.status.clear()
    assert cli.main(["all", "--dest", str(tmp_path / "all"), "--base-url", zenodo.url, "--no-progress"]) == 1
    assert re.search(r"ATF2_200.h5, BACH1_200.h5.*are not listed", capsys.readouterr().err)
    assert not (tmp_path / "all").exists() or not list((tmp_path / "all").iterdir())


def test_truncated_file_is_not_done(zenodo, tmp_path):
    name = "DeepSTARR_data.h5"
    (tmp_path / name).write_bytes(FILES[name][:1000])  # a prefix of the right file: still not the file
    with pytest.raises(DestinationExistsError, match=r"1000 bytes, expected"):
        download("deepstarr", dest=tmp_path, base_url=zenodo.url, progress=False)
    assert (tmp_path / name).read_bytes() == FILES[name][:1000]
    assert zenodo.file_gets(name) == []


def test_users_file_of_the_same_size_is_kept(zenodo, tmp_path):
    name = "CTCF_200.h5"
    mine = bytes(len(FILES[name]))
    (tmp_path / name).write_bytes(mine)
    with pytest.raises(DestinationExistsError, match=r"md5 [0-9a-f]{32}, expected [0-9a-f]{32}.*left as it is"):
        download("ctcf", dest=tmp_path, base_url=zenodo.url, progress=False)
    assert (tmp_path / name).read_bytes() == mine


def test_force_never_deletes_an_earlier_backup(zenodo, tmp_path):
    name = "CTCF_200.h5"
    (tmp_path / f"{name}.bak").write_bytes(b"first")
    (tmp_path / name).write_bytes(b"second")
    with pytest.warns(UserWarning, match=r"CTCF_200.h5.bak1"):
        download("ctcf", dest=tmp_path, base_url=zenodo.url, progress=False, force=True)
    assert (tmp_path / f"{name}.bak").read_bytes() == b"first"
    assert (tmp_path / f"{name}.bak1").read_bytes() == b"second"
    assert (tmp_path / name).read_bytes() == FILES[name]


def test_directory_under_the_target_name(zenodo, tmp_path):
    (tmp_path / "CTCF_200.h5").mkdir()
    with pytest.raises(DestinationExistsError, match=r"Received: a directory"):
        download("ctcf", dest=tmp_path, base_url=zenodo.url, progress=False, force=True)


@pytest.mark.slow  # about 3 s: the slow tier
def test_stalled_transfer_fails_fast_and_keeps_what_arrived(zenodo, tmp_path, monkeypatch):
    name = "DeepSTARR_data.h5"
    half = len(FILES[name]) // 2
    seen = []

    class Recorder:
        def __init__(self, name, total, initial, progress):
            self.n = initial

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def update(self, count):
            self.n += count
            seen.append(self.n)

    monkeypatch.setattr(download_module, "_progress_bar", Recorder)
    zenodo.stall.add(name)
    with pytest.raises(
        StalledError,
        match=r"stalled: no byte arrived for 3 s.*bytes are kept.*"
        r"python -m evoaug_tf download.*--timeout",
    ):
        # The stall is detected by the timeout (what is tested); 3 s leaves a busy machine's scheduler room
        # to answer the metadata and headers first.
        download("deepstarr", dest=tmp_path, base_url=zenodo.url, progress=True, timeout=3, retries=2)
    assert len(zenodo.file_gets(name)) == 1  # one timeout, no retries of a stall
    assert seen and seen[-1] == half  # the bar moved with the bytes that arrived
    assert (tmp_path / f"{name}.part").stat().st_size == half
    assert not (tmp_path / name).exists()
    zenodo.stall.clear()
    zenodo.release.set()
    download("deepstarr", dest=tmp_path, base_url=zenodo.url, progress=False)
    assert zenodo.file_gets(name)[-1][1] == f"bytes={half}-"
    assert (tmp_path / name).read_bytes() == FILES[name]


@pytest.mark.parametrize("timeout", [0, -1, float("nan"), "10", True])
def test_bad_timeout(tmp_path, timeout):
    with pytest.raises(ValueError, match=r"Expected timeout to be a number of seconds > 0. Received: timeout="):
        download("ctcf", dest=tmp_path, timeout=timeout)


@pytest.mark.parametrize("prog", ["python -m evoaug_tf download", "python data_download.py"])
def test_cli_refuses_a_different_file_and_names_the_command_in_use(zenodo, tmp_path, capsys, prog):
    (tmp_path / "CTCF_200.h5").write_bytes(b"mine")
    argv = ["chip", "CTCF", "--dest", str(tmp_path), "--base-url", zenodo.url, "--no-progress"]
    main = download_command.main if prog.startswith("python -m") else load_cli().main
    assert (main(argv, prog=prog) if prog.startswith("python -m") else main(argv)) == 1
    err = capsys.readouterr().err
    assert "already exists" in err and f"{prog} ... --force" in err
    assert (tmp_path / "CTCF_200.h5").read_bytes() == b"mine"
    assert download_command.main([*argv, "--force"], prog=prog) == 0
    captured = capsys.readouterr()
    assert "renamed to" in captured.err and "CTCF_200.h5" in captured.out
    assert (tmp_path / "CTCF_200.h5.bak").read_bytes() == b"mine"


@pytest.mark.slow  # about 3 s: the slow tier
def test_cli_timeout_option(zenodo, tmp_path, capsys):
    zenodo.stall.add("CTCF_200.h5")
    status = download_command.main(
        ["chip", "CTCF", "--dest", str(tmp_path), "--base-url", zenodo.url, "--no-progress", "--timeout", "3"]
    )
    assert status == 1 and len(zenodo.file_gets("CTCF_200.h5")) == 1
    assert "stalled: no byte arrived for 3 s" in capsys.readouterr().err  # the option reached the transfer


def test_installed_command_subprocess(zenodo, tmp_path):
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "EVOAUG_TF_DATA_URL": zenodo.url, "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "evoaug_tf", "download", "chip", "MAX", "--dest", str(tmp_path), "--no-progress"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,  # only turns a hang into a failure (the command imports TensorFlow)
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "MAX_200.h5").read_bytes() == FILES["MAX_200.h5"]
