"""``python -m evoaug_tf doctor`` and its machine timing: step times measured here, notebook times predicted."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from evoaug_tf.commands import doctor
from evoaug_tf.tutorial import machine, plan
from evoaug_tf.tutorial.plans import Plan, Run

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_prediction_is_steps_times_measured_step_time():
    times = machine.StepTimes(train={"deepstarr": 0.2}, evaluate={"deepstarr": 0.05}, steps={"deepstarr": 3})
    run = Run("standard", "deepstarr", 1000, 200, 300, epochs=2, finetune_epochs=1, batch_size=100)
    # 10 steps x 3 epochs of training; 2 x 3 validation steps and 3 test steps for each of the 2 stages.
    assert run.train_steps == 30 and run.eval_steps == 6 + 6
    minutes = machine.predict_minutes(Plan("03", "quick", (run,)), times)
    assert minutes == pytest.approx((30 * 0.2 + 12 * 0.05) / 60)


def test_prediction_is_none_for_a_model_not_timed_and_zero_without_training():
    times = machine.StepTimes(train={"deepstarr": 0.2}, evaluate={"deepstarr": 0.05})
    assert machine.predict_minutes(plan("05", "class"), times) is None  # ChIP-seq was not timed
    assert machine.predict_minutes(plan("01", "class"), times) == 0


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"models": ["enformer"]}, "models"),
        ({"models": []}, "models"),
        ({"steps": 0}, "steps"),
        ({"budget_s": 0}, "budget_s"),
    ],
)
def test_measure_steps_refuses_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=f"Received: {name}="):
        machine.measure_steps(**kwargs)


def test_cached_data_names_every_published_file(tmp_path):
    (tmp_path / "CTCF_200.h5").write_bytes(b"0" * 2_000_000)
    status = machine.cached_data(str(tmp_path))
    assert len(status) == 10 and status["CTCF_200.h5"] == "present (2 MB)" and status["DeepSTARR_data.h5"] == "missing"


@pytest.mark.slow  # builds and traces DeepSTARR and the ChIP-seq CNN: about 10 s on 2 cores
def test_doctor_prints_measured_step_times_and_notebook_times(capsys, tmp_path):
    assert doctor.main(["--steps", "2", "--size", "class", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for package in ("tensorflow", "keras", "numpy", "ipywidgets"):
        assert re.search(rf"^  {package}\s+\d", out, flags=re.MULTILINE), package
    assert re.search(r"deepstarr: \d+ ms per training step", out) and re.search(r"chip: \d+ ms per training step", out)
    assert "Training time per notebook on this machine" in out
    rows = {line.split()[0]: line for line in out.splitlines() if re.match(r"^0\d ", line)}
    assert set(rows) == set(doctor_notebooks())
    assert "no training" in rows["01"] and "here" in rows["03"]


def doctor_notebooks():
    from evoaug_tf.tutorial import plans

    return list(plans.NOTEBOOKS)


@pytest.mark.slow  # a fresh interpreter importing TensorFlow
def test_commands_keep_tensorflow_start_up_lines_off_the_screen():
    env = {k: v for k, v in __import__("os").environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    result = subprocess.run(
        [sys.executable, "-m", "evoaug_tf", "doctor", "--no-timing", "--size", "quick"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "Versions:" in result.stdout
    assert not re.search(r"^I\d{4} ", result.stderr, flags=re.MULTILINE), result.stderr
    assert "absl::InitializeLog" not in result.stderr
