"""``search --out``: a folder holding another search's results is refused, naming what differs."""

import json

import pytest

from evoaug_tf.commands import search


def test_a_new_or_matching_out_folder_is_used_and_recorded(tmp_path):
    settings = {"size": "quick", "scheduler": "asha", "seed": 0}
    out = tmp_path / "search"
    search.check_out(str(out), settings)
    assert json.loads((out / "search.json").read_text()) == settings
    (out / "trials.csv").write_text("trial\n0\n")
    search.check_out(str(out), settings)  # the same settings: fine


def test_an_out_folder_with_another_search_is_refused(tmp_path):
    settings = {"size": "quick", "scheduler": "asha", "seed": 0}
    search.check_out(str(tmp_path), settings)
    (tmp_path / "best_config.json").write_text("{}")
    with pytest.raises(ValueError, match=r"Expected --out .*Received: out=.*changed: scheduler, seed\)"):
        search.check_out(str(tmp_path), {**settings, "scheduler": "pbt", "seed": 1})
    assert json.loads((tmp_path / "search.json").read_text()) == settings  # left as it was


@pytest.mark.parametrize("content, reason", [(None, "missing"), ("", "damaged"), ('{"size": ', "damaged")])
def test_results_without_readable_settings_are_refused(tmp_path, content, reason):
    (tmp_path / "trials.csv").write_text("trial\n0\n")
    if content is not None:
        (tmp_path / "search.json").write_text(content)
    with pytest.raises(ValueError, match=rf"changed: unknown: search\.json is {reason}"):
        search.check_out(str(tmp_path), {"size": "quick"})
