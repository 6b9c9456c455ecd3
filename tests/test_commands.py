"""The command line: a thin dispatcher, no abbreviations, every option checked at parse time in its own name."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import evoaug_tf
from evoaug_tf.__main__ import main
from evoaug_tf.commands import COMMANDS, _cli

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_unknown_command_is_named(capsys):
    assert main(["demoo"]) == 2
    err = capsys.readouterr().err
    assert "unknown command 'demoo'" in err and "demo, reproduce, download, search" in err
    assert "Did you mean 'demo'?" in err


def test_unknown_command_subprocess():
    result = subprocess.run(
        [sys.executable, "-m", "evoaug_tf", "demoo"], capture_output=True, text=True, timeout=900, cwd=REPO_ROOT
    )
    assert result.returncode == 2 and "'demoo'" in result.stderr


def test_help_lists_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in COMMANDS)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_is_a_module_with_a_strict_parser(name):
    module = importlib.import_module(f"evoaug_tf.commands.{name}")
    assert callable(module.main)
    assert module.build_parser().allow_abbrev is False


def test_size_names_match_the_sizes_module():
    from evoaug_tf import sizes

    assert _cli.SIZE_NAMES == tuple(sizes.SIZES)


def test_package_module_list():
    assert {"commands", "published"} <= set(evoaug_tf._MODULES)
    assert not {"demo", "reproduce"} & set(evoaug_tf._MODULES)


BAD_OPTIONS = [
    ("reproduce", ["--data", "foo"], "--data"),  # no prefix matching of --data-dir
    ("reproduce", ["--quick", "--trials", "0"], "--trials"),
    ("reproduce", ["--quick", "--epochs", "0"], "--epochs"),
    ("reproduce", ["--quick", "--size", "paper"], "--size"),
    ("reproduce", ["--downsample-sizes", "12345"], "--downsample-sizes"),
    ("reproduce", ["--factors", "FOXA1"], "--factors"),
    ("reproduce", ["--quick", "--exp", "chip"], "--exp"),
    ("demo", ["--trials", "0"], "--trials"),
    ("demo", ["--epochs", "0"], "--epochs"),
    ("demo", ["--finetune-epochs", "0"], "--finetune-epochs"),
    ("demo", ["--train-size", "-5"], "--train-size"),
    ("demo", ["--train-size", "many"], "--train-size"),
    ("demo", ["--seed", "-1"], "--seed"),
    ("demo", ["--epoch", "3"], "--epoch"),
    ("download", ["deepstarr", "--timeout", "0"], "--timeout"),
    ("download", ["deepstarr", "--timeout", "nan"], "--timeout"),
    ("download", ["deepstarr", "--retries", "-1"], "--retries"),
    ("download", ["deepstar"], "dataset"),
    ("search", ["--num-samples", "0"], "--num-samples"),
    ("search", ["--max-epochs", "0"], "--max-epochs"),
]


@pytest.mark.parametrize("command, argv, option", BAD_OPTIONS, ids=[" ".join([c, *a]) for c, a, _ in BAD_OPTIONS])
def test_bad_options_are_usage_errors_naming_the_option(command, argv, option, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main([command, *argv])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert option in err and "error:" in err
    assert list(tmp_path.iterdir()) == []  # no outputs/ folder, no empty results.csv


def test_positive_int_message():
    import argparse

    with pytest.raises(argparse.ArgumentTypeError, match=r"expected an integer >= 1. Received: 0"):
        _cli.positive_int("0")
