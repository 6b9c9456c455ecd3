"""The catalogue lookups: get, entry, from_letters, search_values, from_values, controls."""

import pytest

from evoaug_tf import augment


def test_names_and_letters():
    assert augment.names() == ["deletion", "insertion", "inversion", "mutation", "noise", "rc", "translocation"]
    letters = {entry.name: entry.letter for entry in augment.catalogue()}
    assert letters == {
        "rc": "R", "insertion": "I", "translocation": "T", "deletion": "D", "mutation": "M", "noise": "N",
        "inversion": None,
    }  # fmt: skip


def test_batch_forms():
    assert augment.RandomDeletion.batch_class() is augment.RandomDeletionBatch
    assert augment.RandomDeletionBatch.sequence_class() is augment.RandomDeletion
    assert augment.RandomRC.mode_class(True) is augment.RandomRCBatch
    assert (
        augment.RandomMutation.batch_class() is None
        and augment.RandomMutation.mode_class(True) is augment.RandomMutation
    )
    assert augment.RandomNoise.mode_class(True) is augment.RandomNoise
    assert {entry.name for entry in augment.catalogue() if not entry.has_batch_mode} == {"mutation", "noise"}


@pytest.mark.parametrize(
    "name, batch_mode, expected",
    [
        ("deletion", False, augment.RandomDeletion(0, 30)),
        ("D", True, augment.RandomDeletionBatch(0, 30)),
        ("RandomDeletion", False, augment.RandomDeletion(0, 30)),
        ("RandomDeletionBatch", False, augment.RandomDeletionBatch(0, 30)),
    ],
)
def test_get_by_name_class_name_or_letter(name, batch_mode, expected):
    assert augment.get(name, batch_mode=batch_mode, delete_max=30) == expected


def test_get_defaults_and_mutation_in_batch_mode():
    assert augment.get("insertion") == augment.RandomInsertion()
    assert augment.get("mutation", batch_mode=True, mutate_frac=0.1) == augment.RandomMutation(0.1)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: augment.get("deleton"), r"Expected `name`.*deletion.*Received: name='deleton'"),
        (lambda: augment.get(3), r"Received: name=3"),
        (lambda: augment.get("deletion", delete_mx=3), r"parameters of RandomDeletion.*Received: delete_mx=3"),
        (lambda: augment.get("deletion", batch_mode="yes"), r"batch_mode.*Received: batch_mode='yes'"),
        (lambda: augment.get("deletion", delete_max=-1), r"delete_max.*>= 0"),
    ],
)
def test_get_rejects_bad_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_from_letters_uses_the_paper_deepstarr_settings():
    r, i, t, d, m, n = augment.from_letters("RITDMN")
    assert (r.rc_prob, i.insert_max, t.shift_max, d.delete_max, m.mutate_frac, n.noise_std) == (
        0.5,
        20,
        20,
        30,
        0.05,
        0.3,
    )
    assert (i.insert_min, t.shift_min, d.delete_min, n.noise_mean) == (0, 0, 0, 0.0)
    batch = augment.from_letters("DIRM", batch_mode=True)
    assert [type(aug) for aug in batch] == [
        augment.RandomDeletionBatch, augment.RandomInsertionBatch, augment.RandomRCBatch, augment.RandomMutation
    ]  # fmt: skip


@pytest.mark.parametrize("letters", ["", "ITX", "itd", "DD", None, ["I"]])
def test_from_letters_rejects_bad_codes(letters):
    with pytest.raises(ValueError, match=r"Expected `letters`.*RITDMN.*Received: letters="):
        augment.from_letters(letters)


def test_search_values_are_the_papers_grid():
    assert augment.search_values() == {
        "rc_prob": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5],
        "insert_max": [0, 10, 20, 30, 40, 50],
        "shift_max": [0, 10, 20, 30, 40, 50],
        "delete_max": [0, 10, 20, 30, 40, 50],
        "mutate_frac": [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35],
        "noise_std": [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35],
    }


def test_from_values_keeps_the_paper_order_and_drops_zeros():
    augs = augment.from_values({"noise_std": 0.1, "delete_max": 0, "insert_max": 20.0, "rc_prob": 0.3}, batch_mode=True)
    assert augs == [augment.RandomRCBatch(0.3), augment.RandomInsertionBatch(0, 20), augment.RandomNoise(0.0, 0.1)]
    assert isinstance(augs[1].insert_max, int)
    with pytest.raises(ValueError, match=r"unknown keys: \['insert_min'\]"):
        augment.from_values({"insert_min": 3})


def test_controls_for_widgets():
    deletion = augment.entry("deletion").controls()
    assert deletion == [
        {
            "label": "deletion length", "kind": "int_range", "keys": ("delete_min", "delete_max"),
            "min": 0, "max": 50, "step": 1, "default": (0, 20),
        }
    ]  # fmt: skip
    noise = augment.entry("noise").controls()
    assert [control["keys"] for control in noise] == [("noise_mean",), ("noise_std",)]
    assert noise[1]["kind"] == "float" and noise[1]["default"] == 0.2


def test_a_second_class_cannot_take_a_catalogue_name():
    with pytest.raises(ValueError, match=r"Expected a new augmentation name. Received: name='deletion'"):

        class Duplicate(augment.AugmentBase):
            name = "deletion"
