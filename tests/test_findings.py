"""tutorial.findings: this run against the paper, finding by finding."""

import pytest

from evoaug_tf.tutorial import findings


def test_a_finding_gives_both_arms_and_both_directions():
    row = findings.compare("KLD, Dev", [0.40, 0.42, 0.44], [0.45, 0.47, 0.49], paper="higher")
    assert row.standard == "0.420 ± 0.020 (n = 3)" and row.evoaug == "0.470 ± 0.020 (n = 3)"
    assert (row.paper, row.this_run, row.agrees) == ("EvoAug-TF higher", "EvoAug-TF higher", "yes")


def test_a_finding_against_the_paper_says_no():
    row = findings.compare("variation", [0.1, 0.2], [0.3, 0.4], paper="lower")
    assert (row.this_run, row.agrees) == ("EvoAug-TF higher", "no")


def test_a_finding_the_paper_does_not_have():
    row = findings.compare("motif AUROC", [0.6], [0.55], paper=None)
    assert (row.standard, row.paper, row.this_run, row.agrees) == (
        "0.600 (n = 1)",
        "not in the paper",
        "EvoAug-TF lower",
        "-",
    )


def test_equal_means_are_neither_direction():
    assert findings.compare("x", [1.0, 2.0], [2.0, 1.0], paper="higher").agrees == "no"
    assert findings.compare("x", [1.0, 2.0], [2.0, 1.0], paper="higher").this_run == "equal"


def test_the_table_has_a_row_per_finding():
    rows = [findings.compare("a", [1], [2], "higher"), findings.compare("b", [1], [0], "higher")]
    frame = findings.table(rows)
    assert list(frame.index) == ["a", "b"] and list(frame["agrees"]) == ["yes", "no"]
    assert list(frame.columns) == ["standard", "EvoAug-TF", "paper", "this run", "agrees"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"paper": "up"}, r"Expected paper to be 'higher', 'lower' or None\. Received: paper='up'"),
        ({"standard": []}, r"Expected standard to be one or more finite numbers\. Received: standard=\[\]"),
        ({"evoaug": [float("nan")]}, r"Expected evoaug to be one or more finite numbers\. Received: evoaug=\[nan\]"),
    ],
)
def test_bad_input_is_refused_with_what_was_received(kwargs, message):
    arguments = {"finding": "x", "standard": [1.0], "evoaug": [2.0], "paper": "higher"} | kwargs
    with pytest.raises(ValueError, match=message):
        findings.compare(**arguments)


def test_a_table_needs_findings():
    with pytest.raises(ValueError, match=r"Expected a non-empty list of findings\.compare\(\.\.\.\) results"):
        findings.table([])
