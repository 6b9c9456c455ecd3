"""The three explorers in a real browser: Voila runs the notebooks' widget cells, headless Chromium moves a control.

For each explorer the widget cell is taken from its notebook by content (not position),
preceded by a small setup cell that defines what the cell uses (tiny synthetic data,
tiny untrained models). Voila serves it with a live kernel; Chromium opens the page,
waits for the figure, moves a control and waits for the figure's PNG data to change.

Outside CI, missing Chromium or a notebook without the cell skips with the reason
(``EVOAUG_TF_BROWSER_FALLBACK=1`` tests the documented call instead of the missing
cell); with ``CI=true`` both fail. Screenshots go to the test's ``tmp_path``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the harness next to this file, whatever the import mode
import harness  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(3600)]  # a hang guard only

DATA_SETUP = """\
import numpy as np
from evoaug_tf import augment, viz

rng = np.random.default_rng(0)
x = np.eye(4, dtype="float32")[rng.integers(0, 4, (8, 100))]
augment_list = [
    augment.RandomDeletion(delete_min=0, delete_max=20),
    augment.RandomRC(rc_prob=0.5),
    augment.RandomInsertion(insert_min=0, insert_max=20),
    augment.RandomTranslocation(shift_min=0, shift_max=20),
    augment.RandomMutation(mutate_frac=0.05),
    augment.RandomNoise(noise_mean=0.0, noise_std=0.2),
]
"""

MODEL_SETUP = """\
import keras
import numpy as np
from evoaug_tf import viz

rng = np.random.default_rng(0)
x_top = np.eye(4, dtype="float32")[rng.integers(0, 4, (4, 80))]


def tiny_model(seed):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([
        keras.Input((80, 4)),
        keras.layers.Conv1D(8, 9, padding="same", activation="relu"),
        keras.layers.GlobalMaxPooling1D(),
        keras.layers.Dense(2),
    ])


model_a, model_b = tiny_model(0), tiny_model(1)
"""


@pytest.fixture(scope="module")
def chromium() -> str:
    return harness.chromium_path()


@pytest.fixture(scope="module")
def voila(tmp_path_factory, chromium):
    pytest.importorskip("voila", reason="voila is not installed")
    root = tmp_path_factory.mktemp("served")
    server = harness.VoilaServer(root, tmp_path_factory.mktemp("jupyter"))
    server.start()
    yield server
    server.stop()


def run_and_change(voila, chromium, tmp_path, name: str, cells: list[str], move) -> None:
    harness.write_notebook(voila.root / f"{name}.ipynb", cells)
    with harness.browser_page(chromium) as page:
        page.goto(voila.url(f"{name}.ipynb"), wait_until="commit", timeout=harness.FIGURE_TIMEOUT_MS)
        try:
            before = harness.figure_source(page)
        except Exception as error:
            page.screenshot(path=str(tmp_path / f"{name}-no-figure.png"), full_page=True)
            log = "".join(voila.log[-40:])
            raise AssertionError(f"{name}: no figure appeared; server log:\n{log}") from error
        assert before.startswith("data:image/png")
        page.screenshot(path=str(tmp_path / f"{name}-before.png"), full_page=True)
        move(page)
        after = harness.wait_for_new_figure(page, before)
        page.screenshot(path=str(tmp_path / f"{name}-after.png"), full_page=True)
        assert after != before and after.startswith("data:image/png")


def test_augmentation_explorer_batch_mode_toggle_redraws(voila, chromium, tmp_path):
    cell = harness.widget_cell("02_augmentations.ipynb", "augmentation_explorer(", "viz.augmentation_explorer(x[:6])")

    def move(page):
        page.locator(".widget-checkbox", has_text="batch mode").locator("input").click()

    run_and_change(voila, chromium, tmp_path, "augmentation_explorer", [DATA_SETUP, cell], move)


def test_batch_explorer_subset_mode_redraws(voila, chromium, tmp_path):
    cell = harness.widget_cell("02_augmentations.ipynb", "batch_explorer(", "viz.batch_explorer(x[:8], augment_list)")

    def move(page):
        # Whichever subset mode is not selected (the default changed once, from sequence to batch, and a click
        # on the selected button redraws nothing).
        page.locator(".widget-toggle-buttons button:not(.mod-active)").first.click()

    run_and_change(voila, chromium, tmp_path, "batch_explorer", [DATA_SETUP, cell], move)


def test_attribution_explorer_shift_slider_redraws(voila, chromium, tmp_path):
    cell = harness.widget_cell(
        "06_interpretability.ipynb",
        "attribution_explorer(",
        'viz.attribution_explorer({"standard": model_a, "EvoAug": model_b}, x_top, task=0)',
    )

    def move(page):
        harness.set_slider(page, "shift", 10)

    run_and_change(voila, chromium, tmp_path, "attribution_explorer", [MODEL_SETUP, cell], move)
