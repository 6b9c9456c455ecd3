"""Exact tests: written-out sequences, parameters given, output checked by eye."""

import numpy as np
import pytest
import tensorflow as tf
from conftest import decode, encode

from evoaug_tf import augment


def params(**values):
    return {key: tf.constant(value) for key, value in values.items()}


T = 3  # filler base index of T, so filler shows as "T" below


def test_deletion_closes_the_gap_and_refills_both_ends():
    x = encode("AACCGGTTAC")
    out = augment.RandomDeletion(0, 3).apply(x, params(length=[3], start=[4], filler=[[T, T, T]]))
    # removed x[4:7] = "GGT"; floor(3/2) = 1 filler base before, 2 after
    assert decode(out) == ["TAACCTACTT"]


def test_deletion_of_length_zero_is_identity():
    x = encode("AACCGGTTAC")
    out = augment.RandomDeletion(0, 4).apply(x, params(length=[0], start=[2], filler=[[T] * 4]))
    assert decode(out) == ["AACCGGTTAC"]


def test_deletion_per_sequence_parameters():
    x = encode("ACGTACGTAC", "AAAACCCCGG")
    out = augment.RandomDeletion(0, 2).apply(x, params(length=[2, 1], start=[0, 7], filler=[[T, T], [T, T]]))
    assert decode(out) == ["TGTACGTACT", "AAAACCCGGT"]


def test_insertion_places_insert_and_splits_padding():
    x = encode("AACCGG")
    out = augment.RandomInsertion(0, 4).apply(x, params(length=[2], position=[3], filler=[[0, 1, 2, 3]]))
    # padding (4-2)//2 = 1 before: filler[0]=A; insert filler[1:3]=CG before x[3]; filler[3]=T after
    assert decode(out) == ["AAACCGCGGT"]


@pytest.mark.parametrize(
    "position, expected",
    [(0, "ACGAACCGGT"), (6, "AAACCGGCGT")],  # insert at the very start / append at the end
)
def test_insertion_at_the_ends(position, expected):
    x = encode("AACCGG")
    out = augment.RandomInsertion(0, 4).apply(x, params(length=[2], position=[position], filler=[[0, 1, 2, 3]]))
    assert decode(out) == [expected]


def test_insertion_of_length_zero_is_padding():
    x = encode("AACCGG")
    out = augment.RandomInsertion(0, 4).apply(x, params(length=[0], position=[3], filler=[[T, T, T, T]]))
    assert decode(out) == ["TTAACCGGTT"]


def test_insertion_of_full_length_has_no_padding():
    x = encode("AACCGG")
    out = augment.RandomInsertion(0, 3).apply(x, params(length=[3], position=[2], filler=[[T, T, T]]))
    assert decode(out) == ["AATTTCCGG"]


@pytest.mark.parametrize("shift, expected", [(2, "TTACGT"), (-2, "GTTTAC"), (0, "ACGTTT"), (8, "TTACGT")])
def test_translocation_rolls_like_numpy(shift, expected):
    out = augment.RandomTranslocation().apply(encode("ACGTTT"), params(shift=[shift]))
    assert decode(out) == [expected]
    np.testing.assert_array_equal(out, np.roll(encode("ACGTTT"), shift, axis=1))


def test_inversion_reverse_complements_the_stretch():
    out = augment.RandomInversion(0, 3).apply(encode("AACCGGTT"), params(length=[3], start=[1]))
    assert decode(out) == ["AGGTGGTT"]  # A + rc(ACC)=GGT + GGTT


def test_inversion_of_the_whole_sequence_is_reverse_complement():
    out = augment.RandomInversion(0, 6).apply(encode("AACGTC"), params(length=[6], start=[0]))
    assert decode(out) == ["GACGTT"]


def test_reverse_complement_flips_only_chosen_sequences():
    out = augment.RandomRC().apply(encode("AACG", "AACG"), params(flip=[True, False]))
    assert decode(out) == ["CGTT", "AACG"]


def test_mutation_redraws_marked_positions_only():
    chosen = params(sites=[[1, 3], [0, 2]], bases=[[2, 0], [3, 1]])
    out = augment.RandomMutation(0.5).apply(encode("AAAA", "CCCC"), chosen)
    assert decode(out) == ["AGAA", "TCCC"]  # (row 0, site 3) -> A and (row 1, site 2) -> C are silent


def test_noise_is_added():
    x = encode("AC")
    noise = np.full((1, 2, 4), 0.25, dtype="float32")
    out = augment.RandomNoise().apply(x, {"noise": tf.constant(noise)})
    np.testing.assert_allclose(out, x + 0.25)


# Same seed -> same output for every augmentation: test_augment_contract.py.


def test_seeded_augmentation_streams_repeat():
    x = encode("ACGTACGTACGTACGTACGT")
    first = [augment.RandomDeletion(0, 5, seed=3)(x).numpy() for _ in range(1)]
    a, b = augment.RandomDeletion(0, 5, seed=3), augment.RandomDeletion(0, 5, seed=3)
    runs_a = [a(x).numpy() for _ in range(5)]
    runs_b = [b(x).numpy() for _ in range(5)]
    for ra, rb in zip(runs_a, runs_b):
        np.testing.assert_array_equal(ra, rb)
    np.testing.assert_array_equal(first[0], runs_a[0])
    assert any(not np.array_equal(runs_a[0], r) for r in runs_a[1:])  # the stream moves on


def test_set_random_seed_makes_unseeded_augmentations_reproducible():
    import keras

    x = encode("ACGTACGTACGTACGTACGT", "TTTTACGTACGTACGTCCCC")

    def run():
        keras.utils.set_random_seed(42)
        aug = augment.RandomInsertion(0, 5)
        return [aug(x).numpy() for _ in range(3)]

    for a, b in zip(run(), run()):
        np.testing.assert_array_equal(a, b)


def test_register_under_another_package():
    import keras

    from evoaug_tf.augment.base import AugmentBase, register

    @register(package="mylab")
    class Identity(AugmentBase):
        def sample(self, shape, seed):
            return {}

        def apply(self, x, params):
            return x

    assert keras.saving.get_registered_name(Identity) == "mylab>Identity"


@pytest.mark.parametrize("shift", [0, 3, -4, 13, -13])
def test_translocation_batch_roll_matches_the_per_sequence_gather(shift):
    x = tf.constant(np.eye(4, dtype="float32")[np.random.default_rng(1).integers(0, 4, (5, 13))])
    shared = params(shift=[shift] * 5)
    np.testing.assert_array_equal(
        augment.RandomTranslocationBatch(0, 13).apply(x, shared), augment.RandomTranslocation(0, 13).apply(x, shared)
    )
