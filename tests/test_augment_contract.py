"""The contract every augmentation passes, sequence and batch mode: one list (``conftest.AUGMENTATIONS``).

Config round trip, output length and dtype, one-hot kept, same seed -> same output, graph mode,
``jit_compile=True``, inside ``tf.data``, unknown batch size and length, bool input, and the catalogue
entry (parameters, batch form, description for the figures) agreeing with the class.
"""

import inspect
import json

import numpy as np
import pytest
import tensorflow as tf
from conftest import AUGMENTATION_NAMES, all_augmentations, assert_onehot, aug_id, make_augmentation, random_onehot

from evoaug_tf import augment

SEED = tf.constant([1, 2], tf.int64)
LENGTH = 40
ALL = all_augmentations()
ONE_HOT = all_augmentations(onehot_only=True)


def test_the_list_holds_every_catalogued_class():
    catalogued = set()
    for entry in augment.catalogue():
        catalogued |= {cls.__name__ for cls in (entry.sequence_class, entry.batch_class) if cls is not None}
    assert catalogued == set(AUGMENTATION_NAMES)
    assert set(AUGMENTATION_NAMES) <= set(augment.__all__)


# --------------------------------------------------------------------------- config
@pytest.mark.parametrize("aug", ALL, ids=aug_id)
def test_config_round_trip(aug):
    config = aug.get_config()
    rebuilt = type(aug).from_config(config)
    assert rebuilt.get_config() == config and rebuilt == aug
    restored = augment.deserialize(json.loads(json.dumps(augment.serialize(aug))))
    assert type(restored) is type(aug) and restored.get_config() == config


# --------------------------------------------------------------------------- outputs
@pytest.mark.parametrize("aug", ALL, ids=aug_id)
def test_output_length_and_dtype(aug):
    out = aug(random_onehot(8, LENGTH))
    assert out.shape == (8, aug.output_length(LENGTH), 4)
    assert out.dtype == tf.float32


@pytest.mark.parametrize("aug", ONE_HOT, ids=aug_id)
def test_one_hot_kept(aug):
    out = aug(random_onehot(64, 100))
    assert out.shape == (64, aug.output_length(100), 4)
    assert out.dtype == tf.float32
    assert_onehot(out)


@pytest.mark.parametrize("dtype", ["uint8", "float16", "float64"])
def test_dtype_kept(dtype):
    x = random_onehot(4, 30).astype(dtype)
    for aug in ONE_HOT:
        assert aug(x).dtype == tf.as_dtype(dtype)


@pytest.mark.parametrize("aug", ALL, ids=aug_id)
def test_bool_input_works_like_uint8(aug):
    x = random_onehot(6, LENGTH)
    as_bool = aug.augment(x.astype(bool), SEED)
    as_uint8 = aug.augment(x.astype("uint8"), SEED)
    if aug.keeps_onehot:
        assert as_bool.dtype == tf.bool
        np.testing.assert_array_equal(tf.cast(as_bool, tf.uint8), as_uint8)
    else:  # noise: float32, as for integer input
        assert as_bool.dtype == tf.float32
        np.testing.assert_array_equal(as_bool, as_uint8)


# --------------------------------------------------------------------------- seeds
@pytest.mark.parametrize("aug", ALL, ids=aug_id)
def test_same_seed_same_output(aug):
    x = random_onehot(2, LENGTH, seed=3)
    seed = tf.constant([7, 11], tf.int64)
    np.testing.assert_array_equal(aug.augment(x, seed), aug.augment(x, seed))
    other = [aug.augment(x, tf.constant([7, s], tf.int64)).numpy() for s in range(12, 20)]
    assert any(not np.array_equal(o, aug.augment(x, seed)) for o in other)


@pytest.mark.parametrize("aug", ALL, ids=aug_id)
def test_int32_and_int64_seeds_draw_alike(aug):
    x = random_onehot(2, LENGTH, seed=4)
    np.testing.assert_array_equal(
        aug.augment(x, tf.constant([7, 11], tf.int32)), aug.augment(x, tf.constant([7, 11], tf.int64))
    )


@pytest.mark.parametrize("name", AUGMENTATION_NAMES)
def test_seeded_instances_repeat(name):
    x = random_onehot(4, LENGTH)
    first, second = make_augmentation(name, seed=5), make_augmentation(name, seed=5)
    for _ in range(2):
        np.testing.assert_array_equal(first(x), second(x))


@pytest.mark.slow  # about 6 s: the slow tier
# --------------------------------------------------------------------------- graph, XLA, tf.data
@pytest.mark.parametrize("aug", ALL, ids=aug_id)
@pytest.mark.parametrize("jit", [False, True], ids=["graph", "xla"])
def test_graph_and_xla_match_eager(aug, jit):
    x = tf.constant(random_onehot(8, 60))
    compiled = tf.function(aug.augment, jit_compile=jit)
    expected = aug.augment(x, SEED)
    got = compiled(x, SEED)
    assert got.shape == expected.shape
    if not jit:
        np.testing.assert_array_equal(got, expected)
    else:
        # XLA lowers the stateless RNG differently: other numbers, but the same seed repeats.
        np.testing.assert_array_equal(got, compiled(x, SEED))
        if aug.keeps_onehot:
            assert_onehot(got)


@pytest.mark.parametrize("aug", ALL, ids=aug_id)
def test_no_loop_over_sequences_in_the_graph(aug):
    graph = (
        tf.function(aug.augment)
        .get_concrete_function(tf.TensorSpec([None, 60, 4], tf.float32), tf.TensorSpec([2], tf.int64))
        .graph
    )
    op_types = {op.type for op in graph.get_operations()}
    assert not op_types & {"While", "StatelessWhile", "TensorListReserve", "TensorArrayV3"}


@pytest.mark.parametrize("aug", ALL, ids=aug_id)
@pytest.mark.parametrize("length", [LENGTH, None], ids=["known_length", "unknown_length"])
def test_unknown_batch_size(aug, length):
    fn = tf.function(aug.augment, input_signature=[tf.TensorSpec([None, length, 4]), tf.TensorSpec([2], tf.int64)])
    x = tf.constant(random_onehot(3, LENGTH))
    out = fn(x, SEED)
    assert out.shape == (3, aug.output_length(LENGTH), 4)
    np.testing.assert_array_equal(out, aug.augment(x, SEED))


@pytest.mark.slow  # about 1 s: the slow tier
@pytest.mark.parametrize("aug", ALL, ids=aug_id)
def test_inside_tf_data_map(aug):
    x = random_onehot(32, LENGTH).astype("uint8")
    ds = tf.data.Dataset.from_tensor_slices(x).batch(8).map(lambda batch: aug(tf.cast(batch, tf.float32)))
    batches = list(ds)
    assert len(batches) == 4 and all(b.shape == (8, aug.output_length(LENGTH), 4) for b in batches)
    if aug.keeps_onehot:
        assert_onehot(np.concatenate(batches))


# --------------------------------------------------------------------------- catalogue entry
@pytest.mark.parametrize("aug", ALL, ids=aug_id)
def test_catalogue_entry_agrees_with_the_class(aug):
    cls = type(aug)
    entry = augment.entry(cls.name)
    arguments = [name for name in inspect.signature(cls.__init__).parameters if name not in ("self", "seed")]
    assert [parameter.name for parameter in entry.parameters] == arguments
    assert set(aug.get_config()) == {*arguments, "seed"}
    for parameter in entry.parameters:
        assert parameter.kind in ("int", "float") and parameter.low < parameter.high and parameter.step > 0
        assert parameter.low <= entry.defaults[parameter.name] <= parameter.high
        assert all(parameter.low <= value <= parameter.high for value in parameter.search or ())
    assert cls.mode_class(cls.batch_mode) is cls
    assert cls.mode_class(False) is entry.sequence_class and not entry.sequence_class.batch_mode
    if entry.batch_class is not None:
        assert entry.batch_class.batch_mode and entry.batch_class.sequence_class() is entry.sequence_class
    assert type(augment.get(cls.name, batch_mode=cls.batch_mode)) is cls
    assert type(augment.get(cls.__name__)) is cls
    assert augment.get(cls.name, **entry.paper_settings).get_config() == {**entry.paper_settings, "seed": None}


@pytest.mark.parametrize("aug", ALL, ids=aug_id)
def test_describes_one_change_for_the_figures(aug):
    x = random_onehot(4, LENGTH)
    params = aug.sample(tf.shape(x), SEED)
    out = aug.apply(tf.constant(x), params).numpy()
    row = {key: value.numpy()[1] for key, value in params.items()}
    info = aug.describe_one(x[1], row, out[1])
    assert isinstance(info["short"], str) and info["short"]
    info.update(kind=aug.name, input_length=LENGTH, output_length=out.shape[1])
    marks_in, marks_out, ribbons = type(aug).figure_layout(info)
    for start, end, style in marks_in + marks_out:
        assert 0 <= start <= end <= out.shape[1] and isinstance(style, str)
    for ribbon in ribbons:
        assert len(ribbon) == 6
