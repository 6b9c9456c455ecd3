"""The setup cell on the student's machine: a measured time prediction, the class mirror, honest data lines."""

import re

import pytest

from evoaug_tf import sizes, tutorial
from evoaug_tf.datasets import registry
from evoaug_tf.tutorial import folders, session


@pytest.fixture
def private_root(tmp_path, monkeypatch):
    monkeypatch.delenv(sizes.SIZE_ENV, raising=False)
    monkeypatch.delenv(sizes.QUICK_ENV, raising=False)
    monkeypatch.setattr(folders, "_root", None)
    monkeypatch.setenv(folders.HOME_ENV, str(tmp_path))
    return tmp_path


def test_the_network_check_asks_the_mirror_named_by_the_environment(monkeypatch):
    monkeypatch.setenv(registry.BASE_URL_ENV, "http://127.0.0.1:8123/mirror")
    assert session.data_host() == ("127.0.0.1", 8123)
    monkeypatch.setenv(registry.BASE_URL_ENV, "https://mirror.example.org")
    assert session.data_host() == ("mirror.example.org", 443)
    monkeypatch.delenv(registry.BASE_URL_ENV)
    assert session.data_host() == session.DATA_HOST


def test_without_network_the_message_names_the_mirror(private_root, monkeypatch):
    monkeypatch.setenv(registry.BASE_URL_ENV, "http://127.0.0.1:8123")
    asked = []
    monkeypatch.setattr(session, "_online", lambda *args, **kwargs: asked.append(1) and False)
    with pytest.raises(RuntimeError, match=r"127\.0\.0\.1 cannot be reached"):
        tutorial.setup("class", notebook="03", measure=False)
    assert asked


def test_a_notebook_on_synthetic_data_says_so_at_class_size(private_root, capsys):
    tutorial.setup("class", notebook="02", measure=False)
    out = capsys.readouterr().out
    assert "synthetic data made on the spot at every size" in out and "the published data" not in out


@pytest.mark.slow  # times a few DeepSTARR steps (about 5 s after tracing)
def test_setup_prints_the_time_measured_on_this_machine(private_root, capsys):
    tutorial.setup("offline", notebook="03")
    out = capsys.readouterr().out
    assert re.search(r"on this machine \(CPU; a training step measured just now: deepstarr \d+ ms\): at most ", out)
