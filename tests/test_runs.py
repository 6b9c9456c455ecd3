"""Run specifications and the run store: only runs made the same way resume; damaged files are named."""

import functools
import json
import os
import re
import shutil
import warnings
from dataclasses import replace

import numpy as np
import pytest

from evoaug_tf import datasets, experiments, runs
from evoaug_tf.training import PAPER_PROTOCOL

PROTOCOL = replace(PAPER_PROTOCOL, batch_size=32, epochs=1, finetune_epochs=1)


def tiny_model(input_shape, output_shape=2, filters=4):
    import keras

    inputs = keras.Input(input_shape)
    x = keras.layers.GlobalMaxPooling1D()(keras.layers.Conv1D(filters, 5, activation="relu")(inputs))
    return keras.Model(inputs, keras.layers.Dense(output_shape)(x))


def make_data(seed=0):
    return datasets.make_synthetic_deepstarr(n=150, seed=seed, length=220)


def compare(out_dir, data=None, augment="ID", model_func=tiny_model, protocol=PROTOCOL):
    logs = []
    table = experiments.compare_training(
        make_data() if data is None else data,
        lambda: experiments.augmentations(augment),
        protocol,
        trials=[0],
        model_func=model_func,
        out_dir=out_dir,
        log=logs.append,
    )
    return table, "\n".join(logs)


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A folder with one finished comparison (standard + evoaug), trained once for the module."""
    folder = tmp_path_factory.mktemp("finished") / "runs"
    table, _ = compare(folder)
    return folder, table


@pytest.fixture
def out_dir(finished, tmp_path):
    folder = tmp_path / "runs"
    shutil.copytree(finished[0], folder)
    return folder


@pytest.mark.slow  # about 8 s: the slow tier
def test_the_same_settings_resume_every_run(out_dir, finished):
    table, log = compare(out_dir)
    assert "2 already finished" in log and "other settings" not in log
    assert table.equals(finished[1])
    saved = json.loads((out_dir / "evoaug+finetune_trial0" / "spec.json").read_text())
    assert saved["spec"]["robust"]["augmentations"][0]["class"].endswith("RandomInsertion")
    assert set(saved["files"]) == {"model.weights.h5", "history.json"}


def _other_labels():
    data = make_data()
    return replace(data, y_train=data.y_train[::-1].copy())


STALE = {
    "other augmentations": (dict(augment="IT"), ["robust.augmentations"], ["evoaug"]),
    "another model_func": (dict(model_func=functools.partial(tiny_model, filters=6)), ["model"], None),
    "other synthetic data": (dict(data=make_data(seed=1)), ["data.x_train", "data.y_train", "data.x_test"], None),
    "other rows": (dict(data=experiments.downsample_train(make_data(), 100)), ["data.x_train", "data.y_train"], None),
    "other labels": (dict(data=_other_labels()), ["data.y_train"], None),
    "other protocol": (dict(protocol=replace(PROTOCOL, finetune_epochs=2)), ["protocol.finetune_epochs"], None),
}


FAST: set[str] = set()  # each trains a comparison: all in the slow tier (fingerprints are tested fast below)


def kinds(names):
    return [pytest.param(name, marks=() if name in FAST else pytest.mark.slow) for name in names]


@pytest.mark.parametrize("kind", kinds(STALE))
def test_a_stale_run_is_moved_aside_and_trained_anew(out_dir, finished, kind):
    changes, named, retrained = STALE[kind]
    table, log = compare(out_dir, **changes)
    retrained = retrained or ["standard", "evoaug"]
    for run in retrained:
        assert f"trial 0 {run}: finished earlier" not in log
    moved = re.findall(r"made with other settings \(changed: ([^)]*)\); moved it to (\S+) ", log)
    assert moved, log
    for changed, target in moved:
        assert all(field in changed.split(", ") for field in named), changed
        assert os.path.exists(os.path.join(target, "scores.json"))  # the old run is kept, not deleted
    assert set(table["run"]) == {"standard", "evoaug", "evoaug+finetune"}
    if kind == "other augmentations":  # the standard run did not change: it resumes
        assert "trial 0 standard: finished earlier" in log
    again, log = compare(out_dir, **changes)  # the new runs now resume
    assert "2 already finished" in log and "other settings" not in log
    assert again.equals(table)


DAMAGE = {
    "empty scores": ("evoaug+finetune_trial0/scores.json", "empty", lambda b: b""),
    "cut history": ("evoaug_trial0/history.json", "not valid JSON", lambda b: b[: len(b) // 2]),
    "truncated weights": ("standard_trial0/model.weights.h5", "not the file that was written", lambda b: b[:-100]),
    "cut spec": ("standard_trial0/spec.json", "not valid JSON", lambda b: b[: len(b) // 3]),
    "empty spec": ("evoaug_trial0/spec.json", "empty", lambda b: b""),
}


@pytest.mark.parametrize("kind", kinds(DAMAGE))
def test_a_damaged_file_is_named_and_its_run_trained_anew(out_dir, finished, kind):
    relative, reason, damage = DAMAGE[kind]
    path = out_dir / relative
    path.write_bytes(damage(path.read_bytes()))
    with pytest.warns(UserWarning, match=re.escape(str(path)) + r" is damaged \(" + reason) as caught:
        table, log = compare(out_dir)
    run = "standard" if relative.startswith("standard") else "evoaug"
    assert f"trial 0 {run}: finished earlier" not in log and "1 already finished" in log
    assert any("training" in str(w.message) and "anew" in str(w.message) for w in caught)
    assert (out_dir / "stale").exists() and (out_dir / relative).exists()
    columns = ["run", "trial", "task", "pearson_r", "spearman_r", "mse"]
    np.testing.assert_allclose(table[columns[3:]], finished[1][columns[3:]], rtol=1e-4, atol=1e-6)


@pytest.mark.slow  # about 2 s: the slow tier
def test_a_run_kept_before_specifications_is_named_and_retrained(out_dir):
    os.remove(out_dir / "standard_trial0" / "spec.json")
    with pytest.warns(UserWarning, match=r"standard_trial0.spec\.json is damaged \(missing: a run kept before"):
        _, log = compare(out_dir)
    assert "trial 0 standard: finished earlier" not in log


@pytest.mark.slow  # uses the trained comparison: the slow tier
def test_a_cut_settings_file_is_named_and_written_anew(out_dir):
    settings = out_dir / "settings.json"
    settings.write_text(settings.read_text()[:20])
    with pytest.warns(UserWarning, match=re.escape(str(settings)) + r" is damaged"):
        _, log = compare(out_dir)
    assert "2 already finished" in log  # it describes the call; the runs' own specs decide
    assert (
        json.loads(settings.read_text())["arms"]["evoaug"]["subset_mode"] == "batch"
    )  # the default: one subset per mini-batch


def test_fingerprints_and_changed_fields():
    data = make_data()
    identity = runs.data_identity(data)
    assert identity == runs.data_identity(make_data())
    model = runs.model_architecture(tiny_model, (220, 4), 2)
    assert model == runs.model_architecture(tiny_model, (220, 4), 2)  # layer names counted per session: ignored
    assert model != runs.model_architecture(functools.partial(tiny_model, filters=6), (220, 4), 2)
    spec = runs.RunSpec("standard", 0, identity, model, None, {"epochs": 1}, {"loss": "mse"})
    other = replace(spec, protocol={"epochs": 2}, data={**identity, "y_train": "0"})
    assert spec.fingerprint == runs.RunSpec(**{**spec.__dict__}).fingerprint
    assert spec.fingerprint != other.fingerprint
    assert runs.changed_fields(spec.to_dict(), other.to_dict()) == ["data.y_train", "protocol.epochs"]
    assert json.loads(json.dumps(spec.to_dict())) == spec.to_dict()


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "a.json"
    runs.write_json(path, {"a": 1})

    def fail(temporary):
        with open(temporary, "w") as handle:
            handle.write("{")
        raise RuntimeError("cut")

    with pytest.raises(RuntimeError):
        runs.atomic_write(path, fail)
    assert json.loads(path.read_text()) == {"a": 1} and os.listdir(tmp_path) == ["a.json"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert runs.RunStore(None).load(None) is None
