"""One generic test of every augmentation's declared parameters (``Parameter.valid``) and of hashing.

Bad values are made from each parameter's declared interval, so a new augmentation is checked with no edit here.
"""

import math
import re

import pytest

from evoaug_tf import augment
from evoaug_tf.augment import Interval, Parameter
from evoaug_tf.viz import explorer

CLASSES = [cls for entry in augment.catalogue() for cls in (entry.sequence_class, entry.batch_class) if cls is not None]
CASES = [(cls, parameter) for cls in CLASSES for parameter in cls.parameters]


def case_id(case):
    return f"{case[0].__name__}-{case[1].name}" if isinstance(case, tuple) else str(case)


def bad_values(valid: Interval) -> list:
    """Values outside ``valid``: wrong types, non-finite numbers and the numbers just past each bound."""
    values = ["1", None, True, [1], float("nan")]
    step = 1 if valid.kind == "int" else 0.5
    if valid.kind == "int":
        values += [2.5, 1.0]
    else:
        values += [float("inf"), float("-inf")]
    if valid.low is not None:
        values.append(valid.low - step if valid.closed in ("both", "left") else valid.low)
    if valid.high is not None:
        values.append(valid.high + step if valid.closed in ("both", "right") else valid.high)
    return values


def good_values(cls, parameter: Parameter) -> list:
    """Values every class must accept: its default, the widget's ends, the paper's settings and search grid."""
    values = [cls.default_params()[parameter.name], parameter.low, parameter.high, *(parameter.search or ())]
    if parameter.name in cls.paper_settings:
        values.append(cls.paper_settings[parameter.name])
    return values


def build(cls, **values):
    """``cls`` with ``values`` over its defaults; a ``*_max`` follows a large ``*_min`` so the pair stays ordered."""
    arguments = {**cls.default_params(), **values}
    for name in values:
        partner = name[: -len("min")] + "max"
        if name.endswith("_min") and partner in arguments and partner not in values:
            low = values[name]
            if isinstance(low, int) and not isinstance(low, bool) and low > arguments[partner]:
                arguments[partner] = low
    return cls(**arguments)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_bad_value_is_refused_in_the_projects_words(case):
    cls, parameter = case
    name = parameter.name
    for value in bad_values(parameter.valid):
        assert value not in parameter.valid
        expected = f"Expected `{name}` to be {parameter.valid.describe()}. Received: {name}={value!r}"
        with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
            build(cls, **{name: value})


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_defaults_widget_ends_and_paper_values_are_accepted(case):
    cls, parameter = case
    python_type = int if parameter.kind == "int" else float
    for value in good_values(cls, parameter):
        assert value in parameter.valid, value
        config = build(cls, **{parameter.name: value}).get_config()
        assert config[parameter.name] == value and type(config[parameter.name]) is python_type


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_every_min_must_not_exceed_its_max(cls):
    pairs = [(p.name, p.name[: -len("min")] + "max") for p in cls.parameters if p.role == "min"]
    assert pairs or not any(p.role == "max" for p in cls.parameters)
    for low, high in pairs:
        with pytest.raises(ValueError, match=rf"^Expected `{low}` <= `{high}`\. Received: {low}=6, {high}=5$"):
            cls(**{low: 6, high: 5})
        assert cls(**{low: 5, high: 5}).get_config()[low] == 5  # equal ends: a fixed length


@pytest.mark.parametrize("name", explorer.AUGMENTATION_NAMES)
def test_explorer_sliders_stay_inside_the_declared_values(name):
    cls = explorer.PARAMETER_SPECS[name]["sequence_class"]
    valid = {parameter.name: parameter.valid for parameter in cls.parameters}
    for control in explorer.PARAMETER_SPECS[name]["controls"]:
        for key in control["keys"]:
            assert control["min"] in valid[key] and control["max"] in valid[key], (name, key)
    explorer.make_augmentation(name, explorer.default_params(name))  # the sliders' defaults build


def test_a_new_augmentation_is_validated_from_its_declaration_alone():
    class Duplication(augment.AugmentBase):  # no `name`: stays out of the catalogue
        parameters = (
            Parameter("copy_min", "int", 1, 10, 1, "copy length", valid=Interval("int", 1)),
            Parameter("copy_max", "int", 1, 10, 1, "copy length", valid=Interval("int", 1)),
            Parameter("rate", "float", 0.0, 0.5, 0.05, "rate", valid=Interval("float", 0, 1, closed="left")),
        )

        def __init__(self, copy_min=1, copy_max=4, rate=0.1, seed=None):
            super().__init__(seed, copy_min=copy_min, copy_max=copy_max, rate=rate)

    assert Duplication(2, 3, 0).get_config() == {"copy_min": 2, "copy_max": 3, "rate": 0.0, "seed": None}
    with pytest.raises(ValueError, match=r"^Expected `copy_min` to be an integer >= 1\. Received: copy_min=0$"):
        Duplication(0)
    with pytest.raises(ValueError, match=r"^Expected `rate` to be a number in \[0, 1\)\. Received: rate=1$"):
        Duplication(rate=1)
    with pytest.raises(ValueError, match=r"^Expected `copy_min` <= `copy_max`\. Received: copy_min=5, copy_max=4$"):
        Duplication(5, 4)
    with pytest.raises(TypeError, match=r"Expected parameters among \['copy_max', 'copy_min', 'rate'\].*\['size'\]"):
        augment.AugmentBase.__init__(Duplication(), size=3)


@pytest.mark.parametrize(
    "interval, words, inside, outside",
    [
        (Interval("int", 0), "an integer >= 0", [0, 7, 10**30], [-1, 1.0, True, "3"]),
        (Interval("int", 1, 9, closed="neither"), "an integer in (1, 9)", [2, 8], [1, 9]),
        (Interval("float", 0, 1), "a number in [0, 1]", [0, 0.5, 1, 1.0], [-0.1, 1.5, math.nan, math.inf, False]),
        (Interval("float", 0), "a finite number >= 0", [0, 3.5, 10**6], [-1e-9, math.inf, math.nan]),
        (Interval("float", 0, closed="neither"), "a finite number > 0", [1e-9], [0, 0.0]),
        (Interval("float", high=2.5), "a finite number <= 2.5", [-4, 2.5], [2.6, -math.inf]),
        (Interval("float"), "a finite number", [-1e300, 0, 1e300], [math.inf, math.nan, "0", None]),
    ],
    ids=lambda value: value.describe() if isinstance(value, Interval) else None,
)
def test_interval_words_and_membership(interval, words, inside, outside):
    assert interval.describe() == words
    assert all(value in interval for value in inside)
    assert not any(value in interval for value in outside)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: Interval("str"), r"Expected `kind` to be 'int' or 'float'\. Received: kind='str'"),
        (lambda: Interval("int", 0, closed="open"), r"Expected `closed` to be one of .*Received: closed='open'"),
        (lambda: Interval("int", 5, 1), r"Expected `low` <= `high`\. Received: low=5, high=1"),
        (
            lambda: Parameter("x", "int", 0, 1, 1, "x", valid=Interval("float")),
            r"Expected `valid` to be an Interval of kind 'int'",
        ),
    ],
)
def test_declarations_are_checked_too(make, match):
    with pytest.raises(ValueError, match=match):
        make()


# --------------------------------------------------------------------------- hashing follows equality
@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_equal_augmentations_hash_alike_and_work_as_set_members_and_keys(cls):
    first, second = cls(), cls.from_config(cls().get_config())
    assert first == second and first is not second
    assert hash(first) == hash(second)
    assert len({first, second}) == 1 and {first: "kept"}[second] == "kept"
    parameter = cls.parameters[-1]
    other_value = parameter.high if cls.default_params()[parameter.name] != parameter.high else parameter.low
    other = build(cls, **{parameter.name: other_value})
    assert other != first and len({first, other}) == 2
    seeded = cls(seed=3)
    assert seeded != first and seeded == cls(seed=3) and hash(seeded) == hash(cls(seed=3))


def test_sequence_and_batch_forms_are_never_equal():
    assert augment.RandomDeletion(0, 5) != augment.RandomDeletionBatch(0, 5)
    assert len({augment.RandomDeletion(0, 5), augment.RandomDeletionBatch(0, 5)}) == 2


def test_an_int_and_a_float_setting_of_one_value_are_one_augmentation():
    assert augment.RandomRC(rc_prob=1) == augment.RandomRC(rc_prob=1.0)
    assert hash(augment.RandomRC(rc_prob=1)) == hash(augment.RandomRC(rc_prob=1.0))


def test_configurations_holding_lists_still_hash_consistently():
    class Motif(augment.AugmentBase):
        def __init__(self, motifs=("ACGT",), seed=None):
            super().__init__(seed)
            self.motifs = list(motifs)

        def get_config(self):
            return {"motifs": self.motifs, "options": {"both": [1, 2]}, **super().get_config()}

    assert Motif(["AC", "GT"]) == Motif(("AC", "GT"))
    assert hash(Motif(["AC", "GT"])) == hash(Motif(("AC", "GT")))
    assert Motif(["AC"]) != Motif(["GT"])
