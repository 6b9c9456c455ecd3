"""Serve notebook cells with a live kernel (Voila) and drive them in headless Chromium (Playwright).

Used by the browser tests in this folder:

* :func:`notebook_cell` picks a code cell of a real notebook by its content;
* :func:`write_notebook` writes a small notebook (a setup cell plus the picked cells);
* :class:`VoilaServer` runs Voila on 127.0.0.1, a free port and a token, with private
  ``JUPYTER_*`` directories and a ``python3`` kernelspec on ``sys.executable``;
* :func:`open_page` opens a page in Debian's Chromium with every request that does
  not go to 127.0.0.1 aborted;
* :func:`figure_source` / :func:`wait_for_new_figure` read the PNG an explorer shows
  and wait (on the page, never with sleep) until it changes.

To study a hang: ``EVOAUG_TF_VOILA_DEBUG=1`` runs Voila with ``--debug`` (every kernel
message in its log) and ``EVOAUG_TF_VOILA_LOG=FILE`` copies Voila's log to FILE as it
comes, and the page's console and websocket frames to FILE.page.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import secrets
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPOSITORY / "notebooks"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
# Safety limits only: every wait ends on an event (a log line, an element, a changed figure); these turn a
# hang into a failure and are generous, because a shared machine under load is slow, not broken.
SERVER_START_TIMEOUT = 600.0  # seconds between two lines of Voila's log while it starts
FIGURE_TIMEOUT_MS = 600_000  # a first figure needs the kernel, TensorFlow and a draw
ACTION_TIMEOUT_MS = 300_000  # any other Playwright wait (Playwright's own default is 30 s)

# The PNG of an explorer's figure: inside an Output widget, in the widget view.
FIGURE_SELECTOR = ".widget-output img"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(reason: str):
    """Skip outside CI, fail in CI (where everything must be there)."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: this is a failure, not a skip)")
    pytest.skip(reason)


def chromium_path() -> str:
    """Path of a Chromium executable, or skip (fail in CI) saying how to install it."""
    configured = os.environ.get("EVOAUG_TF_CHROMIUM")
    for candidate in ((configured,) if configured else ()) + CHROMIUM_CANDIDATES:
        if candidate and Path(candidate).exists():
            return candidate
    found = shutil.which("chromium")
    if found:
        return found
    missing("Chromium not found (apt-get install chromium, or set EVOAUG_TF_CHROMIUM): browser tests skipped")


def notebook_cell(notebook: str, needle: str) -> str | None:
    """Source of the first code cell of ``notebooks/<notebook>`` containing ``needle``, else None."""
    path = NOTEBOOKS / notebook
    if not path.exists():
        return None
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and needle in cell.source:
            return cell.source
    return None


def widget_cell(notebook: str, needle: str, documented_call: str) -> str:
    """The notebook's cell with ``needle``; outside CI, if missing, skip (or the documented call when asked).

    ``EVOAUG_TF_BROWSER_FALLBACK=1`` runs ``documented_call`` (the call the notebook
    is meant to hold) when the notebook does not have the cell yet; in CI a missing
    cell always fails.
    """
    source = notebook_cell(notebook, needle)
    if source is not None:
        return source
    reason = f"notebooks/{notebook} has no code cell containing {needle!r}"
    if not in_ci() and os.environ.get("EVOAUG_TF_BROWSER_FALLBACK") == "1":
        return documented_call
    missing(reason + " (set EVOAUG_TF_BROWSER_FALLBACK=1 to test the documented call instead)")


def write_notebook(path: Path, cells: list[str]) -> Path:
    """A clean notebook of code cells, kernelspec ``python3``."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nbformat.write(notebook, path)
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class VoilaServer:
    """Voila serving every notebook of ``root`` (tree mode) with a live kernel, on 127.0.0.1."""

    def __init__(self, root: Path, private: Path):
        self.root = root
        self.private = private
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.process: subprocess.Popen | None = None
        self.log: list[str] = []

    def environment(self) -> dict:
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)  # the kernel must use its inline backend
        for name in ("config", "data", "runtime"):
            (self.private / name).mkdir(parents=True, exist_ok=True)
        env["JUPYTER_CONFIG_DIR"] = str(self.private / "config")
        env["JUPYTER_DATA_DIR"] = str(self.private / "data")
        env["JUPYTER_RUNTIME_DIR"] = str(self.private / "runtime")
        env["JUPYTER_PATH"] = str(self.private / "data")
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        env["IPYTHONDIR"] = str(self.private / "ipython")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPOSITORY), os.environ.get("PYTHONPATH", "")]))
        kernel = self.private / "data" / "kernels" / "python3"
        kernel.mkdir(parents=True, exist_ok=True)
        (kernel / "kernel.json").write_text(
            json.dumps(
                {
                    "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    "display_name": "Python 3",
                    "language": "python",
                }
            )
        )
        return env

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "voila",
            str(self.root),
            "--no-browser",
            "--Voila.ip=127.0.0.1",
            f"--Voila.port={self.port}",
            f"--Voila.token={self.token}",
            "--Voila.port_retries=0",
            "--show_tracebacks=True",
            # Voila's own waits default to seconds: a kernel start of 60 s and a websocket's kernel_info of 60 s
            # end on their events, so a long limit only stops them giving up early on a busy machine. The wait
            # for a cell's last output after its reply (nbclient's iopub_timeout, 4 s) keeps a late figure on a
            # loaded machine at 60 s. (A page that hung at "Executing" under load was not these waits but a
            # captured display during Voila's run: see evoaug_tf/viz/_widgets.py, writes_outputs_directly.)
            f"--VoilaExecutor.startup_timeout={SERVER_START_TIMEOUT:.0f}",
            "--VoilaExecutor.iopub_timeout=60",
            f"--MappingKernelManager.kernel_info_timeout={SERVER_START_TIMEOUT:.0f}",
        ]
        if os.environ.get("EVOAUG_TF_VOILA_DEBUG") == "1":  # every kernel message in the log, to study a hang
            command.append("--debug")
        self.process = subprocess.Popen(
            command, env=self.environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=self.root
        )
        lines: queue.Queue = queue.Queue()

        copy = os.environ.get("EVOAUG_TF_VOILA_LOG")  # a file that receives the whole log as it comes

        def pump() -> None:
            sink = open(copy, "a", buffering=1) if copy else None  # noqa: SIM115 (closed below)
            for line in self.process.stdout:
                self.log.append(line)
                lines.put(line)
                if sink is not None:
                    sink.write(line)
            if sink is not None:
                sink.close()
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        listening = f"127.0.0.1:{self.port}"
        while True:  # wait for the log line that says it is listening
            try:
                line = lines.get(timeout=SERVER_START_TIMEOUT)
            except queue.Empty:
                self.stop()
                raise RuntimeError("Voila did not start in time:\n" + "".join(self.log)) from None
            if line is None:
                raise RuntimeError("Voila exited:\n" + "".join(self.log))
            if listening in line:
                return

    def url(self, notebook: str) -> str:
        return f"http://127.0.0.1:{self.port}/voila/render/{notebook}?token={self.token}"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextlib.contextmanager
def browser_page(executable: str):
    """A Playwright page in headless Chromium; requests to anything but 127.0.0.1 are aborted."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(ACTION_TIMEOUT_MS)

            def only_local(route) -> None:
                if urlparse(route.request.url).hostname == "127.0.0.1":
                    route.continue_()
                else:
                    route.abort()

            page.route("**/*", only_local)
            if os.environ.get("EVOAUG_TF_VOILA_LOG"):
                record_page(page, Path(os.environ["EVOAUG_TF_VOILA_LOG"] + ".page"))
            yield page
        finally:
            browser.close()


def record_page(page, path: Path) -> None:
    """Append the page's console messages and websocket frames to ``path`` (to study a hang; see the docstring)."""
    sink = path.open("a", buffering=1)  # noqa: SIM115 (open for the page's life; closed with the process)

    def on_websocket(socket) -> None:
        sink.write(f"websocket {socket.url}\n")
        socket.on("framesent", lambda frame: sink.write(f"sent {str(frame)[:300]}\n"))
        socket.on("framereceived", lambda frame: sink.write(f"received {str(frame)[:300]}\n"))
        socket.on("close", lambda _: sink.write("websocket closed\n"))

    page.on("console", lambda message: sink.write(f"console {message.type}: {message.text}\n"))
    page.on("websocket", on_websocket)


def figure_source(page) -> str:
    """The ``src`` (a PNG data URL) of the explorer's figure, once there is one."""
    page.wait_for_selector(FIGURE_SELECTOR, timeout=FIGURE_TIMEOUT_MS)
    return page.eval_on_selector(FIGURE_SELECTOR, "image => image.src")


def wait_for_new_figure(page, old: str) -> str:
    """Wait until the explorer shows a figure whose data differs from ``old``; return its ``src``."""
    page.wait_for_function(
        """([selector, old]) => {
            const image = document.querySelector(selector);
            return image !== null && image.src.startsWith("data:image/png") && image.src !== old;
        }""",
        arg=[FIGURE_SELECTOR, old],
        timeout=FIGURE_TIMEOUT_MS,
    )
    return figure_source(page)


def set_slider(page, description: str, value: int) -> None:
    """Type ``value`` into the readout of the slider labelled ``description`` (ipywidgets 7 and 8)."""
    slider = page.locator(".widget-slider", has=page.locator("label", has_text=description)).first
    readout = slider.locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(value))
    page.keyboard.press("Enter")
