"""An interrupted comparison resumes: killed midway, called again, it gives the uninterrupted table."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import os
import sys
import threading
from dataclasses import replace

import keras

from evoaug_tf import datasets, experiments
from evoaug_tf.training import PAPER_PROTOCOL


def tiny_model(input_shape, output_shape=2):
    inputs = keras.Input(input_shape)
    x = keras.layers.Conv1D(8, 7, activation="relu")(inputs)
    x = keras.layers.GlobalMaxPooling1D()(x)
    x = keras.layers.Dropout(0.2)(x)
    return keras.Model(inputs, keras.layers.Dense(output_shape)(x))


out_dir = sys.argv[1]
data = datasets.make_synthetic_deepstarr(n=300, seed=0, length=220)
protocol = replace(PAPER_PROTOCOL, batch_size=32, epochs=2, finetune_epochs=2)
arms = {"ITD": lambda: experiments.augmentations("ITD"),
        "ITD batch": experiments.Arm(lambda: experiments.augmentations("ITD", batch_mode=True), subset_mode="batch")}
first = os.path.join(out_dir, "standard_trial0", "scores.json")


def log(message):
    print(message, flush=True)
    if os.environ.get("PAUSE_AFTER_FIRST_RUN") and os.path.exists(first):
        print("PAUSED after the first finished run", flush=True)
        threading.Event().wait()  # stopped here until the test kills the process: no run can finish meanwhile


table = experiments.compare_training(
    data, arms, protocol, trials=[0], model_func=tiny_model, out_dir=out_dir, log=log
)
table.to_csv(out_dir + "/table.csv", index=False)
"""


def start(script, out_dir, pause=False):
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "TF_CPP_MIN_LOG_LEVEL": "2", "TF_DETERMINISTIC_OPS": "1"}
    if pause:  # the script stops (and waits to be killed) at its first message after a run finished
        env["PAUSE_AFTER_FIRST_RUN"] = "1"
    return subprocess.Popen(
        [sys.executable, str(script), str(out_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process):
    output, _ = process.communicate()  # the test's timeout mark turns a hang into a failure
    assert process.returncode == 0, output
    return output


@pytest.mark.slow
@pytest.mark.timeout(3600)  # only turns a hang into a failure; nothing here waits on time
def test_killed_comparison_resumes_to_the_uninterrupted_table(tmp_path):
    script = tmp_path / "compare.py"
    script.write_text(SCRIPT)
    whole, resumed = tmp_path / "whole", tmp_path / "resumed"

    interrupted = start(script, resumed, pause=True)
    printed = []
    for line in interrupted.stdout:  # wait for the script to stop after its first finished run (an event)
        printed.append(line)
        if line.startswith("PAUSED"):
            break
    else:
        pytest.fail("the comparison ended before it paused:\n" + "".join(printed))
    assert (resumed / "standard_trial0" / "scores.json").exists()
    interrupted.kill()
    interrupted.wait(timeout=60)
    interrupted.stdout.close()
    assert not (resumed / "table.csv").exists()
    assert not (resumed / "ITD_batch+finetune_trial0" / "scores.json").exists()

    output = finish(start(script, resumed))
    assert "already finished" in output and "runs to train" in output
    finish(start(script, whole))

    columns = ["run", "trial", "task", "pearson_r", "spearman_r", "mse"]
    table_whole = pd.read_csv(whole / "table.csv")[columns]
    table_resumed = pd.read_csv(resumed / "table.csv")[columns]
    assert len(table_whole) == 1 * 5 * 2  # trials x (standard + 2 arms x 2 stages) x tasks
    pd.testing.assert_frame_equal(table_resumed, table_whole, check_exact=False, rtol=1e-5)

    run = resumed / "ITD+finetune_trial0"
    assert {"scores.json", "history.json", "history.csv", "model.weights.h5", "spec.json"} <= {
        p.name for p in run.iterdir()
    }
    assert not list(resumed.glob("*/*.tmp*")), "every file written through a temporary one, then replaced"
    assert json.loads((run / "scores.json").read_text())[0]["run"] == "ITD+finetune"


def test_settings_json_describes_the_latest_call_and_does_not_refuse(tmp_path):
    import json

    from evoaug_tf import runs

    store = runs.RunStore(tmp_path)
    store.write_settings({"protocol": {"epochs": 1}})
    store.write_settings({"protocol": {"epochs": 2}})  # other settings: the runs' specs decide what resumes
    assert json.loads((tmp_path / "settings.json").read_text()) == {"protocol": {"epochs": 2}}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]


@pytest.mark.parametrize("trials", [[], [0, 0], [-1], [0.5]])
def test_bad_trials_are_refused(trials):
    from evoaug_tf import datasets, experiments

    data = datasets.make_synthetic_deepstarr(n=100, seed=0, length=220)
    with pytest.raises(ValueError, match=r"Expected trials .*Received: trials="):
        experiments.compare_training(data, experiments.augmentations("ITD"), trials=trials)


@pytest.mark.parametrize("name", ["standard", "ITD+finetune", ""])
def test_reserved_arm_names_are_refused(name):
    from evoaug_tf import datasets, experiments

    data = datasets.make_synthetic_deepstarr(n=100, seed=0, length=220)
    with pytest.raises(ValueError, match="Received: name="):
        experiments.compare_training(data, {name: experiments.augmentations("ITD")})


def test_downsample_train_keeps_the_first_rows_by_default():
    from evoaug_tf import datasets, experiments

    data = datasets.make_synthetic_deepstarr(n=200, seed=0, length=220)
    first = experiments.downsample_train(data, 50)
    assert (first.x_train == data.x_train[:50]).all() and (first.y_train == data.y_train[:50]).all()
    assert first.x_valid is data.x_valid and len(first.sites["train"]) == 50
    drawn = experiments.downsample_train(data, 50, order="random", seed=1)
    assert len(drawn.x_train) == 50 and not (drawn.x_train == first.x_train).all()
    with pytest.raises(ValueError, match=r"Received: n=0"):
        experiments.downsample_train(data, 0)
    with pytest.raises(ValueError, match=r"Received: order='last'"):
        experiments.downsample_train(data, 10, order="last")


def test_downsample_train_repeats_the_kept_rows():
    from evoaug_tf import datasets, experiments
    from evoaug_tf.tutorial.data import first_rows

    data = datasets.make_synthetic_deepstarr(n=200, seed=0, length=220)
    tiled = experiments.downsample_train(data, 40, repeats=3)
    assert tiled.x_train.shape[0] == tiled.y_train.shape[0] == len(tiled.sites["train"]) == 120
    assert (tiled.x_train[80:] == data.x_train[:40]).all() and (tiled.y_train[40:80] == data.y_train[:40]).all()
    assert tiled.info["train_rows"] == "first 40, 3 copies"
    drawn = experiments.downsample_train(data, 40, order="random", seed=1, repeats=2)
    assert (drawn.x_train[:40] == drawn.x_train[40:]).all()
    assert first_rows(data, None) is data and first_rows(data, 10**6) is data
    assert len(first_rows(data, None, repeats=2).x_train) == 2 * len(data.x_train)
    for bad in (0, 1.5, False):
        with pytest.raises(ValueError, match=rf"Received: repeats={bad!r}"):
            experiments.downsample_train(data, 10, repeats=bad)
    with pytest.raises(ValueError, match=r"Received: n='500'"):
        first_rows(data, "500")


def test_downsample_train_keeps_the_per_row_extras_with_their_rows():
    from evoaug_tf import experiments
    from evoaug_tf.datasets import world

    data = world.make_world(n=250, seed=0)
    activity = data.info["per_split"]["activity"]["train"]
    tiled = experiments.downsample_train(data, 20, repeats=3)
    kept = tiled.info["per_split"]["activity"]
    assert kept["train"].shape[0] == 60 and (kept["train"][40:] == activity[:20]).all()
    assert kept["test"] is data.info["per_split"]["activity"]["test"]


@pytest.mark.slow  # trains a whole comparison: about 13 s
def test_resumed_models_are_the_trained_ones(tmp_path):
    from dataclasses import replace

    import keras
    import numpy as np

    from evoaug_tf import datasets, experiments
    from evoaug_tf.training import PAPER_PROTOCOL

    def tiny_model(input_shape, output_shape=2):
        inputs = keras.Input(input_shape)
        x = keras.layers.GlobalMaxPooling1D()(keras.layers.Conv1D(4, 5, activation="relu")(inputs))
        return keras.Model(inputs, keras.layers.Dense(output_shape)(x))

    data = datasets.make_synthetic_deepstarr(n=150, seed=0, length=220)
    protocol = replace(PAPER_PROTOCOL, batch_size=32, epochs=1, finetune_epochs=1)
    logs = []
    kwargs = dict(trials=[3], model_func=tiny_model, out_dir=tmp_path, keep_models=True, log=logs.append)
    first = experiments.compare_training(data, lambda: experiments.augmentations("ID"), protocol, **kwargs)
    again = experiments.compare_training(data, lambda: experiments.augmentations("ID"), protocol, **kwargs)
    assert logs[0].startswith("2 runs to train") and "2 already finished" in logs[-3]
    x = data.x_test.astype("float32")
    for key in (("standard", 3), ("evoaug", 3)):
        np.testing.assert_allclose(
            again.attrs["models"][key].predict(x, verbose=0),
            first.attrs["models"][key].predict(x, verbose=0),
            rtol=1e-5,
            atol=1e-6,
        )
    h1, h2 = again.attrs["histories"][("evoaug", 3)]
    assert len(h1.history["loss"]) == 1 and len(h2.history["loss"]) == 1
