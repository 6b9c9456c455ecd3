"""EvoAugment's sample / apply split: a plan (who gets what, every draw) and a pure apply of it (#21.4)."""

import numpy as np
import pytest
import tensorflow as tf
from conftest import assert_onehot, random_onehot

from evoaug_tf import augment
from evoaug_tf.augment import ops
from evoaug_tf.augment.base import AugmentBase
from evoaug_tf.evoaug import AugmentPlan, EvoAugment

L = 20
SEED = tf.constant([4, 0], tf.int64)


def itdr():
    return [
        augment.RandomInsertion(0, 4),
        augment.RandomTranslocation(0, 4),
        augment.RandomDeletion(0, 4),
        augment.RandomRC(),
    ]


class Lengthen(AugmentBase):
    """A test augmentation that appends its input's first ``added`` positions (lengthens, not an insertion)."""

    def __init__(self, added=3, seed=None):
        super().__init__(seed)
        self.added = added

    def output_length(self, length):
        return length + self.added

    def sample(self, shape, seed):
        return {"unused": ops.uniform([shape[0]], seed)}

    def apply(self, x, params):
        return tf.concat([x, x[:, : self.added]], axis=1)


def test_the_plan_holds_who_gets_what_and_every_draw():
    layer = EvoAugment(itdr() + [Lengthen(3)], max_augs_per_seq=2, hard_aug=True)
    plan = layer.sample_plan([6, L, 4], SEED)
    assert isinstance(plan, AugmentPlan)
    assert plan.chosen.shape == (6, 5) and plan.chosen.dtype == tf.bool
    np.testing.assert_array_equal(plan.chosen.numpy().sum(1), 2)
    assert len(plan.params) == len(plan.padding) == 5
    assert set(plan.params[0]) == {"length", "position", "filler"}  # the insertion's draw
    assert plan.params[0]["filler"].shape == (6, 4)
    assert plan.padding[:4] == ({}, {}, {}, {})  # the insertion pads its skipped sequences itself
    # the lengthening augmentation comes after the insertion: its draws are for length L + 4
    assert plan.padding[4]["filler"].shape == (6, 3)
    assert int(tf.reduce_max(plan.padding[4]["position"])) <= L + 4


def test_apply_plan_of_sample_plan_is_augment_and_apply_is_pure():
    x = random_onehot(6, L, seed=0)
    layer = EvoAugment(itdr() + [Lengthen(3)], max_augs_per_seq=2)
    plan = layer.sample_plan([6, L, 4], SEED)
    applied = layer.apply_plan(x, plan).numpy()
    assert applied.shape == (6, L + 7, 4)
    assert_onehot(applied)
    np.testing.assert_array_equal(applied, layer.apply_plan(x, plan).numpy())  # no draw in apply
    np.testing.assert_array_equal(applied, layer.augment(x, SEED).numpy())
    again = layer.sample_plan([6, L, 4], SEED)  # stateless: the same seed, the same plan
    np.testing.assert_array_equal(again.chosen, plan.chosen)
    tf.nest.map_structure(np.testing.assert_array_equal, again.params, plan.params)


def test_the_same_seed_gives_the_batch_it_gave_before_the_split():
    """Pinned from the code before the sample / apply split (one seed split, in list order)."""
    x = random_onehot(6, L, seed=0)
    layer = EvoAugment(itdr(), max_augs_per_seq=2, hard_aug=False, subset_mode="sequence")  # pinned per sequence
    plan = layer.sample_plan([6, L, 4], SEED)
    expected_chosen = [[0, 1, 0, 0], [1, 0, 0, 1], [0, 1, 0, 1], [1, 0, 1, 0], [0, 0, 1, 1], [0, 0, 1, 1]]
    np.testing.assert_array_equal(plan.chosen.numpy().astype(int), expected_chosen)
    letters = ["".join("ACGT"[i] for i in row) for row in layer.apply_plan(x, plan).numpy().argmax(-1)]
    assert letters == [
        "GTGAGTTGGCCAAAATGTGGTGGG",
        "ATTGGGTCTATTACATCAGTCAGA",
        "CACAAAAGGGCGTCCTTTCGTGCG",
        "ATCTTGTAGGTGCCCCGTATGCTA",
        "GGGGCCGGGCTCCTCAGGAACTCG",
        "GTCATTAAGCGATCTTGATAACAT",
    ]


def test_the_plan_is_what_is_applied():
    # RC always flips, mutation at rate 0 changes nothing: exactly the rows the plan marks are flipped.
    x = random_onehot(64, L, seed=1)
    layer = EvoAugment(
        [augment.RandomRC(rc_prob=1.0), augment.RandomMutation(0.0)], max_augs_per_seq=1, subset_mode="sequence"
    )
    plan = layer.sample_plan([64, L, 4], SEED)
    flipped = np.all(layer.apply_plan(x, plan).numpy() == x[:, ::-1, ::-1], axis=(1, 2))
    np.testing.assert_array_equal(flipped, plan.chosen.numpy()[:, 0])
    assert 0 < flipped.sum() < 64


@pytest.mark.slow  # about 2 s: the slow tier
@pytest.mark.parametrize("jit_compile", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_a_plan_crosses_tf_function_and_xla_with_an_unknown_batch_size(jit_compile):
    layer = EvoAugment(itdr(), max_augs_per_seq=3, subset_mode="batch")
    spec = [tf.TensorSpec([None, L, 4], tf.float32), tf.TensorSpec([2], tf.int64)]

    @tf.function(input_signature=spec, jit_compile=jit_compile)
    def step(x, seed):
        plan = layer.sample_plan(ops.shape_of(x), seed)
        return layer.apply_plan(x, plan), plan.chosen

    x = tf.constant(random_onehot(5, L, seed=2))
    out, chosen = step(x, SEED)
    assert out.shape == (5, L + 4, 4)
    assert_onehot(out.numpy())
    assert np.all(chosen.numpy() == chosen.numpy()[0])  # one subset for the batch
    out_again, _ = step(x, SEED)
    np.testing.assert_array_equal(out, out_again)  # a seed repeats (under XLA too)


def test_apply_plan_refuses_a_plan_for_another_list():
    layer = EvoAugment(itdr())
    other = EvoAugment(itdr()[:2]).sample_plan([3, L, 4], SEED)
    with pytest.raises(ValueError, match=r"AugmentPlan.*for 4 augmentations. Received: plan=2 augmentations"):
        layer.apply_plan(random_onehot(3, L), other)
    with pytest.raises(ValueError, match=r"Received: plan=\{\}"):
        layer.apply_plan(random_onehot(3, L), {})
    with pytest.raises(ValueError, match=r"shape.*\[N, L, A\].*Received: shape=\(3, 20\)"):
        layer.sample_plan((3, L), SEED)


def test_an_empty_list_plans_nothing():
    layer = EvoAugment([])
    plan = layer.sample_plan([3, L, 4], SEED)
    assert plan.chosen.shape == (3, 0) and plan.params == () and plan.padding == ()
    x = random_onehot(3, L)
    np.testing.assert_array_equal(layer.apply_plan(x, plan), x)
