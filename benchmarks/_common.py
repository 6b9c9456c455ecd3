"""Helpers shared by the benchmarks: timing, tables, and loading evoaug-tf 1.0.3 side by side."""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

OLD_HELP = """\
To compare with evoaug-tf 1.0.3, install it into a separate folder (it has the same package name):

    pip install --no-deps --target /tmp/evoaug_tf_103 evoaug-tf==1.0.3

and pass --old /tmp/evoaug_tf_103 (or set EVOAUG_TF_OLD=/tmp/evoaug_tf_103)."""


def load_old(folder: str | None):
    """Import evoaug-tf 1.0.3's ``augment`` and ``evoaug`` modules from ``folder`` under other names."""
    folder = folder or os.environ.get("EVOAUG_TF_OLD")
    if not folder:
        return None
    package = Path(folder) / "evoaug_tf"
    if not (package / "augment.py").exists():
        sys.exit(f"--old {folder}: no evoaug_tf/augment.py there.\n\n{OLD_HELP}")
    modules = {}
    for name in ("augment", "evoaug"):
        spec = importlib.util.spec_from_file_location(f"evoaug_tf_103_{name}", package / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules[name] = module
    return modules


def time_call(fn, *, warmup: int = 3, min_seconds: float = 1.0, min_calls: int = 5) -> float:
    """Seconds per call of ``fn()`` (median of repeated timing blocks after warm-up)."""
    for _ in range(warmup):
        _block(fn())
    calls, elapsed = 0, 0.0
    samples = []
    while elapsed < min_seconds or calls < min_calls:
        start = time.perf_counter()
        _block(fn())
        took = time.perf_counter() - start
        samples.append(took)
        elapsed += took
        calls += 1
    samples.sort()
    return samples[len(samples) // 2]


def epoch_timer(model, **fit_kwargs):
    """Run one warm-up epoch of ``model.fit(**fit_kwargs)`` (tracing, compiling), then return ``epoch()``.

    ``epoch()`` runs one more epoch and returns its ``(wall seconds, process CPU seconds)``.
    """
    model.fit(**fit_kwargs, epochs=1, verbose=0)

    def epoch():
        wall, cpu = time.perf_counter(), time.process_time()
        model.fit(**fit_kwargs, epochs=1, verbose=0)
        return time.perf_counter() - wall, time.process_time() - cpu

    return epoch


def memory_mib(field: str = "VmRSS") -> float:
    """``VmRSS`` (resident now) or ``VmHWM`` (peak resident) of this process, in MiB (Linux ``/proc``)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith(field + ":"))


def reset_peak_memory() -> bool:
    """Restart the ``VmHWM`` peak from the current RSS (Linux ``clear_refs``); False where not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


def _block(result):
    """Wait for a TensorFlow result (``.numpy()`` forces the computation)."""
    if hasattr(result, "numpy"):
        result.numpy()
    return result


def print_table(rows: list[dict], columns: list[str], title: str = "") -> None:
    """Print ``rows`` as an aligned plain-text table."""
    if title:
        print(f"\n{title}")
    widths = {c: max(len(c), *(len(_fmt(r.get(c, ""))) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    print("  ".join("-" * widths[c] for c in columns))
    for row in rows:
        print("  ".join(_fmt(row.get(c, "")).ljust(widths[c]) for c in columns))


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 100 else f"{value:.2f}"
    return str(value)


def pearson_summary(frame):
    """Mean, sd and count of test Pearson r per training size, run and task (``world_v3.py``, ``low_data.py``)."""
    return (
        frame.groupby(["train_sequences", "run", "task"], sort=False)["pearson_r"]
        .agg(["mean", "std", "count"])
        .round(3)
    )
