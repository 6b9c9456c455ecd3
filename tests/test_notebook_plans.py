"""The time table in each notebook's first cell is generated from the plans: prose cannot drift from code.

Each notebook's first cell has a row per size, ``| `size` | data | training steps | time |``. The step
counts must be those ``tutorial.plan(notebook, size)`` computes from the resolver's rows and the size's
protocol; the ``offline`` time the one recorded in ``docs/tutorials/timings.json``; ``class`` and ``paper``
the T4 estimates. An executed copy in ``docs/tutorials`` must print, in its setup cell, the time its header
shows (the copy ran with the recorded time of its day; re-execute it when they differ).
"""

import json
import re
from pathlib import Path

import pytest

from evoaug_tf import recipes, sizes, tutorial
from evoaug_tf.tutorial import plans

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
COPIES = sorted((ROOT / "docs" / "tutorials").glob("[0-9][0-9]_*.ipynb"))
ROW = re.compile(r"^\| `(quick|offline|class|paper)` \|[^|]*\| ([\d,]+) \| ([^|]*) \|$", flags=re.MULTILINE)
#: Copies executed before their header's recorded time (or before the plans printed a ``time:`` line):
#: re-execute them (``python docs/make.py execute NN``) and remove them here; strict, so a fixed copy fails
#: until it is removed.
STALE_COPIES: set[str] = set()


def first_cell(path):
    cell = json.loads(path.read_text(encoding="utf-8"))["cells"][0]
    return "".join(cell["source"])


def table_rows(path):
    return {size: (int(steps.replace(",", "")), time.strip()) for size, steps, time in ROW.findall(first_cell(path))}


@pytest.mark.parametrize("path", NOTEBOOKS + COPIES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_header_table_is_the_generated_one(path):
    cell = first_cell(path)
    assert plans.with_table(cell, path.name[:2]) == cell, (
        f"{path}: the time table differs from the plans; run python -m evoaug_tf.tutorial.plans {path.name[:2]}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_table_has_every_size(path):
    assert set(table_rows(path)) == set(sizes.SIZES), "a row per size: | `size` | data | steps | time |"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
@pytest.mark.parametrize("size", list(sizes.SIZES))
def test_steps_and_times_match_the_plan(path, size):
    steps, time = table_rows(path)[size]
    plan = tutorial.plan(path.name[:2], size)
    assert steps == plan.train_steps, f"{path.name} at {size}: the table says {steps:,}, the plan {plan.train_steps:,}"
    if size in ("class", "paper"):
        assert plans._about(plan.estimated_t4_minutes) in time and "estimate" in time
    elif size == "offline":
        recorded = plans.recorded_timings().get(path.name)
        assert recorded is not None and recorded["size"] == "offline", f"no recorded offline time for {path.name}"
        words = plans.measured_time_words(recorded["wall_time_s"], recorded.get("solutions_s"))
        assert time.startswith(words) and "measured" in time
    else:
        assert "not timed" in time


def test_measured_times_come_from_the_recorded_file(tmp_path, monkeypatch):
    timings = tmp_path / "timings.json"
    timings.write_text(json.dumps({"03_train_deepstarr.ipynb": {"size": "offline", "wall_time_s": 600.0}}))
    monkeypatch.setattr(plans, "TIMINGS_FILE", timings)
    assert plans.measured_cpu_minutes("03", "offline") == 10.0
    assert plans.measured_cpu_minutes("03", "quick") is None and plans.measured_cpu_minutes("04", "offline") is None
    steps_03 = tutorial.plan("03", "offline").train_steps
    assert f"| `offline` | synthetic, no download | {steps_03:,} | under 15 min, measured" in plans.markdown_table("03")
    steps = tutorial.plan("04", "offline").train_steps
    assert f"| `offline` | synthetic, no download | {steps:,} | not measured yet |" in plans.markdown_table("04")
    assert (
        tutorial.plan("03", "offline")
        .describe()
        .endswith("time: under 15 min, measured on 2 CPU cores (shared with other jobs)")
    )
    with_solutions = tmp_path / "with_solutions.json"
    with_solutions.write_text(
        json.dumps({"03_train_deepstarr.ipynb": {"size": "offline", "wall_time_s": 600.0, "solutions_s": 215.0}})
    )
    monkeypatch.setattr(plans, "TIMINGS_FILE", with_solutions)
    assert (
        tutorial.plan("03", "offline")
        .describe()
        .endswith(
            "time: under 10 min with Run all (under 15 min with every solution), measured on 2 CPU cores "
            "(shared with other jobs)"
        )
    )
    assert plans.readme_cells("03")[0] == "6 min", "the README gives Run all's time"
    monkeypatch.setattr(plans, "TIMINGS_FILE", tmp_path / "none.json")  # an installed package: no file
    assert "rough estimate" in tutorial.plan("03", "offline").describe()


@pytest.mark.parametrize(
    ("wall", "solutions", "words"),
    [
        (600.0, None, "under 15 min"),
        (600.0, 0.0, "under 15 min"),
        (600.0, 215.0, "under 10 min with Run all (under 15 min with every solution)"),
        (700.0, 50.0, "under 15 min (with or without the exercises' solutions)"),
    ],
)
def test_a_recorded_time_says_what_run_all_takes(wall, solutions, words):
    assert plans.measured_time_words(wall, solutions) == words


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (0.0, "under a minute"),
        (0.99, "under a minute"),
        (1.0, "under 5 min"),
        (4.99, "under 5 min"),
        (5.0, "under 10 min"),
        (9.9, "under 10 min"),
        (12.5, "under 15 min"),
        (100.0, "under 1.8 h"),
    ],
)
def test_measured_times_are_printed_in_five_minute_steps(minutes, words):
    assert plans.measured_words(minutes) == words


@pytest.mark.parametrize("minutes", [-1.0, float("nan"), float("inf")])
def test_measured_words_refuse_what_is_not_a_duration(minutes):
    with pytest.raises(ValueError, match=r"Expected minutes to be a finite number >= 0\. Received: minutes="):
        plans.measured_words(minutes)


@pytest.mark.parametrize("size", list(sizes.SIZES))
def test_plan_rows_are_the_resolvers(size):
    size = sizes.get(size)
    train, valid, test = recipes.resolve(size, "deepstarr").rows()
    run = tutorial.plan("03", size).runs[0]
    assert (run.train_sequences, run.valid_sequences, run.test_sequences) == (train, valid, test)
    assert (run.epochs, run.batch_size) == (size.protocol.epochs, size.protocol.batch_size)
    chip = tutorial.plan("05", size).runs[0]
    assert chip.train_sequences == recipes.resolve(size, size.chip_factors[0]).rows()[0]


@pytest.mark.slow  # about 1 s: the slow tier
@pytest.mark.parametrize("size", ["quick", "offline"])
def test_plan_rows_are_the_loaded_datas(size):
    data = tutorial.load_data("deepstarr", size)
    run = tutorial.plan("03", size).runs[0]
    assert (run.train_sequences, run.valid_sequences, run.test_sequences) == (
        len(data.x_train),
        len(data.x_valid),
        len(data.x_test),
    )


def _printed_plan(path):
    """(size, the setup cell's printed text) of an executed copy."""
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code" and "tutorial.setup(" in "".join(cell["source"]):
            text = "".join("".join(out.get("text", "")) for out in cell.get("outputs", []))
            size = re.search(r"^Size: (\w+)", text, flags=re.MULTILINE)
            assert size is not None, f"{path.name}: the setup cell printed no 'Size: ...' line"
            return size.group(1), text
    raise AssertionError(f"{path.name}: no setup cell")


def _printed_time(path):
    """(size, the ``time:`` line) the setup cell of an executed copy printed."""
    size, text = _printed_plan(path)
    time = re.search(r"^  (time: .*|measured: .*|rough estimate: .*)$", text, flags=re.MULTILINE)
    return size, (time.group(1) if time else None)


def _copy_agrees(copy, notebook):
    """(agrees, what the copy printed, what its notebook's header says at the copy's size)."""
    size, printed = _printed_time(copy)
    header = table_rows(notebook)[size][1]
    return printed is not None and printed.startswith(f"time: {header}"), printed, header


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            copy,
            marks=pytest.mark.xfail(copy.name in STALE_COPIES, reason="executed before its header's time", strict=True),
        )
        for copy in COPIES
    ],
    ids=lambda p: p.name,
)
def test_executed_copy_prints_its_header_time(path):
    agrees, printed, header = _copy_agrees(path, ROOT / "notebooks" / path.name)
    assert agrees, (
        f"{path.name} printed {printed!r}; its notebook's header says {header!r}: "
        f"re-execute it (python docs/make.py execute {path.name[:2]})"
    )


@pytest.mark.parametrize("path", COPIES, ids=lambda p: p.name)
def test_executed_copy_prints_the_current_plan(path):
    """The plan lives in the package (``tutorial.plans``), outside the notebook's code that ``docs/make.py``
    fingerprints: a copy made before a plan change (other row counts, epochs, runs or time) fails here."""
    size, text = _printed_plan(path)
    plan = tutorial.plan(path.name[:2], size).describe()
    assert plan in text, (
        f"{path.name} printed another plan than the current one at {size!r}:\n{plan}\n"
        f"re-execute it (python docs/make.py execute {path.name[:2]} --force)"
    )


@pytest.mark.parametrize("size", ["offline", "class"])
def test_the_copy_check_passes_a_fresh_copy_and_fails_a_stale_one(tmp_path, size):
    notebook = ROOT / "notebooks" / "03_train_deepstarr.ipynb"
    setup = {"cell_type": "code", "source": ['size = tutorial.setup(SIZE, notebook="03")'], "outputs": []}
    copy_nb = {"cells": [json.loads(notebook.read_text(encoding="utf-8"))["cells"][0], setup]}
    copy = tmp_path / notebook.name

    def printed(text):
        setup["outputs"] = [{"output_type": "stream", "name": "stdout", "text": text.splitlines(keepends=True)}]
        copy.write_text(json.dumps(copy_nb), encoding="utf-8")
        return _copy_agrees(copy, notebook)[0]

    fresh = f"Size: {size} (chosen by EVOAUG_TF_SIZE): ...\nGPU: none.\n{tutorial.plan('03', size).describe()}\n"
    assert printed(fresh)
    assert not printed(fresh.replace("time: ", "time: about 99 min, was ")), "a different time"
    assert not printed(f"Size: {size}: ...\n  measured: about 14 min for the whole notebook\n"), "the old wording"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_training_cells_say_how_long_up_front(path):
    plan = tutorial.plan(path.name[:2], "class")
    code = "\n".join(
        "".join(cell["source"]) for cell in json.loads(path.read_text())["cells"] if cell["cell_type"] == "code"
    )
    if plan.runs:
        assert f'tutorial.plan("{path.name[:2]}", size)' in code, "a training cell prints the plan first"
        assert "verbose=2" in code or "tqdm" in code, "training shows progress"


def test_the_table_generator_matches_the_checked_format():
    for notebook in plans.NOTEBOOKS:
        rows = {size: steps for size, steps, _ in ROW.findall(tutorial.markdown_table(notebook))}
        assert set(rows) == set(sizes.SIZES)


def test_with_table_replaces_only_the_table_and_its_note():
    table = plans.TABLE_HEADER + "\n|---|\n| `quick` | x | 1 | y |"
    cell = "# Title\n\nIntro.\n\n" + table + "\n\nEstimates assume a.\n\nKept."
    new = plans.with_table(cell, "03")
    assert new.startswith("# Title\n\nIntro.\n\n" + plans.markdown_table("03")) and new.endswith("\n\nKept.")
    assert plans.with_table(new, "03") == new
    with pytest.raises(ValueError, match="time table"):
        plans.with_table("# No table", "03")


def test_update_tables_writes_markdown_only(tmp_path):
    (tmp_path / "notebooks").mkdir()
    source = NOTEBOOKS[3]
    nb = json.loads(source.read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = [first_cell(source).replace("| `class` |", "| `class` | stale |", 1)]
    path = tmp_path / "notebooks" / source.name
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert plans.update_tables(["03"], root=tmp_path, check=True) == [path]
    assert plans.update_tables(["03"], root=tmp_path) == [path]
    written = json.loads(path.read_text(encoding="utf-8"))
    assert "".join(written["cells"][0]["source"]) == first_cell(source)
    assert written["cells"][1:] == nb["cells"][1:]
    assert plans.update_tables(["03"], root=tmp_path, check=True) == []


@pytest.mark.parametrize("notebook", list(plans.NOTEBOOKS))
def test_readme_tutorial_table_matches_the_plans(notebook):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next((line for line in readme.splitlines() if line.startswith(f"| {notebook} |")), None)
    assert row is not None, f"README.md's tutorial table has no row for notebook {notebook}"
    offline, class_, paper = [cell.strip() for cell in row.split("|")[1:-1]][5:8]
    recorded = plans.recorded_timing(notebook, "offline")
    assert recorded is not None, f"no recorded offline time for notebook {notebook}"
    run_all = (recorded["wall_time_s"] - recorded.get("solutions_s", 0.0)) / 60  # the solutions skipped
    assert offline == plans._minutes(run_all), f"README row {notebook}: offline {offline!r}"
    for size, cell in (("class", class_), ("paper", paper)):
        plan = tutorial.plan(notebook, size)
        expected = "no training"
        if plan.runs:
            expected = f"{plan.train_steps:,} steps, ~{plans._minutes(plan.estimated_t4_minutes)}"
        assert cell == expected, f"README row {notebook} at {size}: {cell!r}, the plan says {expected!r}"


def _code(notebook):
    path = next((ROOT / "notebooks").glob(f"{notebook}_*.ipynb"))
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")


def test_plans_use_the_caps_the_notebooks_code_uses():
    short = (
        f"epochs=min(size.protocol.epochs, {plans.SHORT_EPOCHS})",
        f"finetune_epochs=min(size.protocol.finetune_epochs, {plans.SHORT_FINETUNE_EPOCHS})",
    )
    quick, offline = plans.GRAMMAR_EXERCISE["quick"], plans.GRAMMAR_EXERCISE["offline"]
    # Exercise 3's grammar-free world is the size of the notebook's own (offline: 30,000 sequences in all).
    assert offline[0] == plans.interpretability_total(sizes.get("offline")) and quick[2] == offline[2]
    assert offline[1:] == plans.INTERPRETABILITY_EPOCHS["offline"]
    expected = {
        "00": (*short, 'tutorial.load_data("deepstarr", size)', "train_two_stage("),
        "03": ("trials=range(size.trials)", 'tutorial.load_data("deepstarr", size)', 'subset_mode="sequence"'),
        "04": (
            "plans.low_data_sizes(size)",
            "trials=range(size.trials)",
            "repeats=sizes.downsample_repeats(size, n)",
            "sizes.downsample_protocol(size)",
            "training_set(smallest)",
        ),
        "05": ("size.chip_factors", "trials=range(size.trials)", "tutorial.load_data(factor, size)"),
        "06": (
            "n=plans.interpretability_total(size)",
            'n=plans.interpretability_total(sizes.get("offline"))',
            "plans.INTERPRETABILITY_EPOCHS[run_size.name]",
            "plans.INTERPRETABILITY_MODELS[run_size.name]",
            "plans.GRAMMAR_EXERCISE[size.name]",  # exercise 3's sizes, read from the plan itself
        ),
        "07": (*short, 'tutorial.load_data("deepstarr", size)'),
        "08": ("plans.SEARCHES[size.name]", 'batch_size=50 if size.name == "quick"', "epochs=1"),
    }
    for notebook, snippets in expected.items():
        code = _code(notebook)
        for snippet in snippets:
            assert snippet in code, f"notebook {notebook} no longer has {snippet!r}: update its plan in plans.py"
    searches = _code("08")
    assert searches.count('scheduler="asha"') == 3 and searches.count('scheduler="pbt"') == 1, "08: 3 ASHA, 1 PBT"
    assert len([run for run in tutorial.plan("08", "offline").runs if run.label.startswith("ASHA")]) == 3 * 4


def test_update_tables_writes_the_readme_rows(tmp_path):
    """The README's tutorial-table row of a notebook gets its time cells from the plans, the rest untouched."""
    row = next(
        line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines() if line.startswith("| 03 |")
    )
    stale = "|".join(row.split("|")[:-4] + [" 1 min ", " 9 steps, ~1 min ", " 9 steps, ~1 min ", ""])
    (tmp_path / "README.md").write_text(f"# title\n\n{stale}\n| 99 | not a notebook | x | y | z |\n", encoding="utf-8")
    assert plans.update_tables(["03"], root=tmp_path, check=True) == [tmp_path / "README.md"]
    plans.update_tables(["03"], root=tmp_path)
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == (
        f"# title\n\n{row}\n| 99 | not a notebook | x | y | z |\n"
    )
    assert plans.update_tables(["03"], root=tmp_path, check=True) == []


def test_the_table_replaces_an_earlier_note_instead_of_adding_one():
    earlier = (
        "`offline`: wall time of the whole notebook on 2 CPU cores shared with other jobs "
        "(`python docs/make.py execute`, recorded in `docs/tutorials/timings.json`)."
    )
    header = f"# Title\n\n{plans.markdown_table('03')}\n\n{earlier}\n\nMore text."  # the new note, then the old
    rewritten = plans.with_table(header, "03")
    paragraphs = rewritten.split("\n\n")
    assert sum(p.startswith("`offline`: wall time") for p in paragraphs) == 1, rewritten
    assert plans.TABLE_NOTE in rewritten and earlier not in rewritten and rewritten.endswith("More text.")
