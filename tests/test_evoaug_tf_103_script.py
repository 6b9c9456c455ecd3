"""A script written for evoaug-tf 1.0.3 runs unchanged and draws its augmentations per mini-batch, as 1.0.3 did.

``tests/scripts/evoaug_tf_103_example.py`` uses only the 1.0.3 API (``RobustModel(model_func, input_shape,
augment_list=..., max_augs_per_seq=1, hard_aug=True)``, compile, fit, ``finetune_mode``, fit, predict) with
reverse complement and Gaussian noise, and records per training mini-batch which sequences arrived noisy.
"""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

from evoaug_tf import augment, evoaug

SCRIPT = Path(__file__).parent / "scripts" / "evoaug_tf_103_example.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("evoaug_tf_103_example", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow  # a fresh interpreter trains a model: about 13 s
def test_a_1_0_3_script_runs_unchanged_and_draws_one_subset_per_mini_batch(tmp_path):
    out = tmp_path / "observed.json"
    subprocess.run([sys.executable, str(SCRIPT), str(out)], check=True, capture_output=True, text=True)
    observed = json.loads(out.read_text())

    stage1 = np.array(observed["stage1_noisy"])
    assert stage1.shape == (3 * 192 // 16, 16)  # 3 epochs of 12 mini-batches of 16
    # max_augs_per_seq=1, hard_aug=True: each sequence got exactly one of RC and noise. Per mini-batch,
    # every sequence of a batch got the same one ...
    assert all(len(set(flags)) == 1 for flags in stage1.tolist())
    # ... drawn anew for each batch: both occur (all 36 batches alike has probability 2 * 2**-36).
    assert 0 < stage1[:, 0].sum() < len(stage1)
    # Finetuning trains without augmentations; predict runs on the original length.
    assert np.array(observed["stage2_noisy"]).sum() == 0
    assert observed["predictions_shape"] == [32, 1]
    assert observed["predictions_finite"]


@pytest.mark.slow  # about 2 s: the slow tier
def test_the_script_s_observation_tells_the_two_modes_apart():
    """Control: the same model with ``subset_mode="sequence"`` mixes RC and noise inside a mini-batch."""
    script = _load_script()
    keras.utils.set_random_seed(1)
    x = script.random_dna(4 * script.BATCH_SIZE, np.random.default_rng(1))
    y = x[:, :, 0].mean(axis=1, keepdims=True)
    model = evoaug.RobustModel(
        script.model_func,
        (script.L, script.A),
        augment_list=[augment.RandomRC(rc_prob=0.5), augment.RandomNoise(noise_mean=0, noise_std=0.3)],
        max_augs_per_seq=1,
        hard_aug=True,
        subset_mode="sequence",
    )
    model.compile(keras.optimizers.Adam(1e-3), loss="mse")
    seen = []
    model.fit(x, y, epochs=1, batch_size=script.BATCH_SIZE, callbacks=[script.RecordBatches(seen)], verbose=0)
    # Per sequence, a batch of 16 is all alike with probability 2 * 2**-16: every batch here is mixed.
    assert all(len(set(flags)) == 2 for flags in seen)
