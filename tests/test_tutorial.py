"""The notebook support package: sizes chosen in the setup cell, data per size, folders, plans, checks."""

import os

import pytest

from evoaug_tf import sizes, tutorial
from evoaug_tf.tutorial import folders, plans, session


@pytest.fixture(autouse=True)
def no_timing(monkeypatch):
    """The setup cell's timed training steps are tested in test_tutorial_machine.py; here they would only cost time."""
    monkeypatch.setattr(session, "_measured_prediction", lambda plan: "  on this machine: not timed in this test")


@pytest.fixture
def no_size_env(monkeypatch):
    monkeypatch.delenv(sizes.SIZE_ENV, raising=False)
    monkeypatch.delenv(sizes.QUICK_ENV, raising=False)


@pytest.fixture
def private_root(tmp_path, monkeypatch):
    monkeypatch.setattr(folders, "_root", None)
    monkeypatch.setattr(folders, "_size_in_use", None)  # setup() records the size it chose
    monkeypatch.setenv(folders.HOME_ENV, str(tmp_path))
    return tmp_path


def test_setup_uses_the_form_field_without_environment(no_size_env, private_root, capsys):
    size = tutorial.setup("offline", notebook="03")
    assert size is sizes.get("offline")
    out = capsys.readouterr().out
    assert "Size: offline:" in out and "Notebook 03 at size 'offline'" in out and "GPU:" in out


def test_setup_environment_overrides_the_form_field(monkeypatch, private_root, capsys):
    monkeypatch.setenv(sizes.SIZE_ENV, "quick")
    assert tutorial.setup("class", notebook="00").name == "quick"
    assert "chosen by EVOAUG_TF_SIZE" in capsys.readouterr().out


def test_setup_quick_env_means_quick(monkeypatch, private_root):
    monkeypatch.delenv(sizes.SIZE_ENV, raising=False)
    monkeypatch.setenv(sizes.QUICK_ENV, "1")
    assert tutorial.setup("paper", notebook="02").name == "quick"


def test_setup_names_the_bad_size(no_size_env, private_root):
    with pytest.raises(
        ValueError, match=r"Expected SIZE to be one of quick, offline, class, paper\. Received: SIZE='huge'"
    ):
        tutorial.setup("huge", notebook="03")


def test_setup_names_the_bad_environment_size(monkeypatch, private_root):
    monkeypatch.setenv(sizes.SIZE_ENV, "tiny")
    with pytest.raises(ValueError, match=r"Received: EVOAUG_TF_SIZE='tiny'"):
        tutorial.setup("class", notebook="03")


def test_setup_without_network_stops_at_class_size(no_size_env, private_root, monkeypatch):
    monkeypatch.setattr(session, "_online", lambda *args, **kwargs: False)
    with pytest.raises(RuntimeError, match=r"(?s)DeepSTARR_data\.h5.*SIZE = \"offline\""):
        tutorial.setup("class", notebook="03")


def test_setup_without_network_is_fine_when_the_data_is_there(no_size_env, private_root, monkeypatch):
    monkeypatch.setattr(session, "_online", lambda *args, **kwargs: False)
    os.makedirs(private_root / "data")
    (private_root / "data" / "DeepSTARR_data.h5").write_bytes(b"")
    assert tutorial.setup("class", notebook="03").name == "class"


def test_setup_needs_no_network_for_a_notebook_without_downloads(no_size_env, private_root, monkeypatch):
    monkeypatch.setattr(session, "_online", lambda *args, **kwargs: False)
    assert tutorial.setup("class", notebook="02").name == "class"


def test_setup_warns_on_a_cpu_at_class_size(no_size_env, private_root, monkeypatch, capsys):
    monkeypatch.setattr(session, "gpu_names", list)
    monkeypatch.setattr(session, "_online", lambda *args, **kwargs: True)
    tutorial.setup("class", notebook="03")
    out = capsys.readouterr().out
    assert "GPU: none" in out and "Runtime > Change runtime type" in out


def test_setup_reports_a_gpu(no_size_env, private_root, monkeypatch, capsys):
    monkeypatch.setattr(session, "gpu_names", lambda: ["/physical_device:GPU:0"])
    tutorial.setup("offline", notebook="03")
    out = capsys.readouterr().out
    assert "GPU: yes (/physical_device:GPU:0)" in out and "Runtime > Change" not in out


@pytest.mark.parametrize("size_name, train", [("quick", 1600), ("offline", 5000)])
def test_load_data_synthetic_sizes(size_name, train):
    data = tutorial.load_data("deepstarr", size_name)
    assert len(data.x_train) == train and len(data.x_valid) == len(data.x_test) == train // 8
    assert data.x_train.shape[1:] == (249, 4) and data.y_train.shape[1] == 2
    chip = tutorial.load_data("CTCF", size_name)
    assert chip.x_train.shape[1:] == (200, 4) and chip.y_train.shape[1] == 1 and len(chip.x_train) == train


def test_load_data_keeps_the_legacy_n_argument():
    assert len(tutorial.load_data("deepstarr", "quick", n=1000).x_train) == 800


def test_load_data_rejects_an_unknown_name():
    with pytest.raises(
        ValueError, match=r"Expected name to be 'deepstarr' or a ChIP-seq factor.*Received: name='starr'"
    ):
        tutorial.load_data("starr", "quick")


def test_load_data_class_keeps_the_first_rows(no_size_env, private_root, monkeypatch):
    from evoaug_tf import datasets

    full = datasets.make_synthetic_deepstarr(n=2000, seed=1)
    monkeypatch.setattr(datasets, "load_deepstarr", lambda data_dir, **options: full)
    small = sizes.with_overrides(sizes.get("class"), train_sequences=1000)
    data = tutorial.load_data("deepstarr", small)
    assert (data.x_train == full.x_train[:1000]).all() and (data.y_train == full.y_train[:1000]).all()
    assert len(data.x_valid) == len(full.x_valid) and len(data.x_test) == len(full.x_test)


def test_load_data_without_network_says_what_to_do(no_size_env, private_root, monkeypatch):
    from evoaug_tf import datasets

    def offline(data_dir, **options):
        raise datasets.OfflineError("no network")

    monkeypatch.setattr(datasets, "load_deepstarr", offline)
    with pytest.raises(RuntimeError, match=r"(?s)size .class.*SIZE = \"offline\""):
        tutorial.load_data("deepstarr", "class")


@pytest.mark.parametrize("size_name, momentum", [("quick", 0.9), ("offline", 0.9), ("class", 0.99), ("paper", 0.99)])
def test_model_function_follows_the_size(size_name, momentum):
    from evoaug_tf.models import ChIPCNN, DeepSTARR

    model_func = tutorial.model_function("deepstarr", size_name)
    assert model_func.func is DeepSTARR and model_func.keywords["batchnorm_momentum"] == momentum
    assert tutorial.model_function("CTCF", size_name).func is ChIPCNN


def test_output_dir_and_data_dir_share_one_root(private_root):
    assert tutorial.output_dir("03", "class") == str(private_root / "outputs" / "03" / "class")
    assert os.path.isdir(tutorial.output_dir("03", "offline"))
    assert tutorial.data_dir() == str(private_root / "data")
    with pytest.raises(ValueError, match="Received: notebook=''"):
        tutorial.output_dir("")


@pytest.mark.parametrize("notebook", ["04", "05", "06", "08"])
def test_output_dir_without_a_size_uses_the_size_setup_chose(no_size_env, private_root, notebook, capsys):
    assert tutorial.output_dir(notebook) == str(private_root / "outputs" / notebook / sizes.DEFAULT_SIZE)
    tutorial.setup("offline", notebook=notebook, check_network=False)
    assert tutorial.output_dir(notebook) == str(private_root / "outputs" / notebook / "offline")
    assert str(private_root / "outputs" / notebook / "offline") in capsys.readouterr().out  # the folder printed
    tutorial.setup("quick", notebook=notebook, check_network=False)
    assert tutorial.output_dir(notebook) == str(private_root / "outputs" / notebook / "quick")
    assert tutorial.output_dir(notebook, "class").endswith(os.path.join(notebook, "class"))  # an argument wins


def test_output_dir_follows_the_size_the_environment_chose_for_setup(private_root, monkeypatch, capsys):
    monkeypatch.setenv(sizes.SIZE_ENV, "quick")
    assert tutorial.setup("class", notebook="08", check_network=False).name == "quick"
    assert tutorial.output_dir("08") == str(private_root / "outputs" / "08" / "quick")  # Ray's results at quick
    with pytest.raises(ValueError, match="Received: size=None"):
        folders.use_size(None)


def test_output_dir_at_quick_size_is_temporary_without_a_chosen_root(monkeypatch):
    monkeypatch.setattr(folders, "_root", None)
    monkeypatch.delenv(folders.HOME_ENV, raising=False)
    folder = tutorial.output_dir("03", "quick")
    assert not folder.startswith(os.getcwd()) and folder.endswith(os.path.join("outputs", "03", "quick"))
    assert tutorial.output_dir("03", "quick") == folder, "one folder per process"


def test_use_drive_outside_colab_changes_nothing(private_root, capsys):
    assert tutorial.use_drive() == str(private_root)
    assert "Not in Colab" in capsys.readouterr().out


def test_plan_counts_steps_from_the_size():
    class_size = sizes.get("class")
    plan = tutorial.plan("03", "class")
    steps_per_epoch = class_size.train_sequences // class_size.protocol.batch_size
    stage1, finetune = class_size.protocol.epochs, class_size.protocol.finetune_epochs
    # standard, EvoAug + finetune, and exercise 2's EvoAug + finetune in sequence mode
    assert plan.train_steps == steps_per_epoch * stage1 + 2 * steps_per_epoch * (stage1 + finetune)
    assert plan.downloads == ("deepstarr",)
    assert tutorial.plan("03", "offline").downloads == ()
    assert len(tutorial.plan("03", "paper").runs) == 2 * sizes.get("paper").trials + 1
    assert tutorial.plan(3, "class") == tutorial.plan("03_train_deepstarr", "class")


def test_plan_class_fits_the_workshop_budget():
    for notebook in plans.NOTEBOOKS:
        assert tutorial.plan(notebook, "class").lesson.estimated_t4_minutes <= 15, notebook


def test_plan_lesson_leaves_out_the_exercises():
    plan = tutorial.plan("03", "class")
    assert len(plan.lesson.runs) == len(plan.runs) - 1 and not any(run.exercise for run in plan.lesson.runs)
    assert plan.lesson.train_steps < plan.train_steps


def test_plan_rejects_an_unknown_notebook():
    with pytest.raises(ValueError, match="Received: notebook='42'"):
        tutorial.plan("42", "class")


def test_markdown_table_has_a_row_per_size():
    table = tutorial.markdown_table("03")
    for name in sizes.SIZES:
        assert f"| `{name}` |" in table
    assert "(estimate)" in table


def test_check_is_one_line():
    tutorial.check(True, "never raised")
    with pytest.raises(AssertionError, match="the message"):
        tutorial.check(False, "the message")


def test_published_deepstarr_at_50k_matches_the_spec_table():
    table = tutorial.published.deepstarr(50_000)
    means = table.groupby(level="run").mean().round(3)
    assert means.loc["standard"].tolist() == [0.533, 0.658]
    assert means.loc["evoaug"].tolist() == [0.596, 0.715]
    assert means.loc["evoaug+finetune"].tolist() == [0.599, 0.718]
    assert len(table) == 15
    with pytest.raises(ValueError, match="Received: train_sequences=123"):
        tutorial.published.deepstarr(123)


def test_published_side_by_side_puts_a_run_next_to_the_paper():
    import pandas as pd

    run = pd.DataFrame(
        {
            "run": ["standard", "standard", "evoaug+finetune", "evoaug+finetune"],
            "trial": 0,
            "task": ["Dev", "Hk"] * 2,
            "pearson_r": [0.5, 0.6, 0.55, 0.7],
        }
    )
    table = tutorial.published.side_by_side(run, 50_000)
    assert list(table.index) == ["standard", "evoaug+finetune"]
    assert table.loc["standard", ("Dev", "this run")] == 0.5
    assert round(table.loc["standard", ("Hk", "paper mean")], 3) == 0.658


def test_legacy_helpers_follow_the_environment(monkeypatch):
    monkeypatch.setenv(sizes.SIZE_ENV, "quick")
    assert tutorial.is_quick() and tutorial.protocol() == sizes.get("quick").protocol
