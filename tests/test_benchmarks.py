"""The benchmark scripts run and print their tables (tiny sizes; nothing here is timed)."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every test runs a benchmark script in a subprocess

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def run(script, *args, check=True):
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args], capture_output=True, text=True, timeout=600
    )
    if check:
        assert result.returncode == 0, result.stderr[-2000:]
    return result


def test_bench_augment_prints_a_row_per_augmentation_and_batch():
    out = run(
        "bench_augment.py",
        "--batch",
        "8",
        "16",
        "--seconds",
        "0.01",
        "--only",
        "RandomDeletion",
        "RandomMutation",
        "RandomRCBatch",
    ).stdout
    assert "Augmentation throughput" in out and "pip install --no-deps --target" in out  # how to add 1.0.3
    table = out.split("Augmentation throughput")[1]
    assert (
        sum(line.startswith(("RandomDeletion ", "RandomMutation ", "RandomRCBatch ")) for line in table.splitlines())
        == 6
    )


def test_bench_augment_explains_a_wrong_old_folder(tmp_path):
    result = run("bench_augment.py", "--old", str(tmp_path), check=False)
    assert result.returncode != 0 and "evoaug-tf==1.0.3" in result.stderr


def test_bench_train_reports_ratios_to_standard_and_floor():
    out = run(
        "bench_train.py", "--sequences", "200", "--epochs", "1", "--only", "standard", "floor", "ITD, 2/seq, per-seq"
    ).stdout
    rows = {line.split("  ")[0]: line for line in out.splitlines()}
    assert {"standard (249 nt)", "compute floor (269 nt)", "ITD, 2/seq, per-sequence subsets"} <= set(rows)
    assert rows["standard (249 nt)"].split()[4] == "1.00"  # x standard of standard itself


def test_bench_data_loads_streams_and_compares(tmp_path):
    out = run(
        "bench_data.py", "--sequences", "3000", "--train-sequences", "300", "--epochs", "1", "--keep", str(tmp_path)
    ).stdout
    assert "x_train in memory (MB, uint8)" in out and "pipeline / in-memory epoch time" in out
    assert (tmp_path / "deepstarr_sized.h5").exists()
