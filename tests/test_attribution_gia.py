"""Global importance analysis: a hand-made oracle with a known spacing and position preference."""

import numpy as np
import pytest

from evoaug_tf import attribution, viz
from evoaug_tf.attribution.gia import embed, motif_one_hot

MOTIF_A, MOTIF_B = "GCGCATGC", "CCGGTACG"
LENGTH = 120
SAME_GAP, OPPOSITE_GAP = 5, 10


def _first_match(bases, motif):
    """``(N,)`` start of the first exact match of ``motif`` in each row of ``bases`` ``(N, L)``, -1 if none."""
    target = motif_one_hot(motif).argmax(-1)
    windows = np.lib.stride_tricks.sliding_window_view(bases, target.size, axis=1)
    hits = (windows == target).all(-1)
    return np.where(hits.any(1), hits.argmax(1), -1)


def oracle(x):
    """Task 0: 1 when B follows A on the same strand after a gap of 5; 0.5 when B is reverse-complemented
    after a gap of 10; 0 otherwise. Task 1: A's start divided by the length (0 without A)."""
    bases = np.asarray(x).argmax(-1)
    start_a = _first_match(bases, MOTIF_A)
    start_b = _first_match(bases, MOTIF_B)
    start_b_rc = _first_match(bases, "".join("TGCA"["ACGT".index(c)] for c in MOTIF_B[::-1]))
    end_a = start_a + len(MOTIF_A)
    same = (start_a >= 0) & (start_b >= 0) & (start_b - end_a == SAME_GAP)
    opposite = (start_a >= 0) & (start_b_rc >= 0) & (start_b_rc - end_a == OPPOSITE_GAP)
    pair = 1.0 * same + 0.5 * opposite
    position = np.where(start_a >= 0, start_a / x.shape[1], 0.0)
    return np.stack([pair, position], axis=1)


def at_backgrounds(n, seed=0):
    """Backgrounds of A and T only: they can never contain the G/C-rich motifs."""
    bases = np.random.default_rng(seed).choice([0, 3], size=(n, LENGTH))
    return np.eye(4, dtype=np.float32)[bases]


def test_pair_spacing_recovers_the_oracles_spacing_and_orientation_exactly():
    result = attribution.pair_spacing(oracle, MOTIF_A, MOTIF_B, backgrounds=at_backgrounds(20))
    assert result.orientations == ("same", "opposite")
    assert result.effect.shape == result.sem.shape == (2, result.spacings.size, 2)
    np.testing.assert_array_equal(result.spacings, np.arange(51))
    same, opposite = result.effect[0, :, 0], result.effect[1, :, 0]
    np.testing.assert_array_equal(same, np.where(result.spacings == SAME_GAP, 1.0, 0.0))
    np.testing.assert_array_equal(opposite, np.where(result.spacings == OPPOSITE_GAP, 0.5, 0.0))
    np.testing.assert_array_equal(result.sem[:, :, 0], 0.0)  # same effect on every background
    np.testing.assert_array_equal(result.background, [0.0, 0.0])
    # the pair is centred: A starts at (L - span) // 2
    span = len(MOTIF_A) + result.spacings + len(MOTIF_B)
    np.testing.assert_array_equal(result.starts[:, 0], (LENGTH - span) // 2)
    np.testing.assert_allclose(result.effect[0, :, 1], result.starts[:, 0] / LENGTH)


def test_random_backgrounds_give_the_same_preference_and_are_seeded():
    kwargs = dict(n_backgrounds=50, length=LENGTH, gc_content=0.4)
    first = attribution.pair_spacing(oracle, MOTIF_A, MOTIF_B, seed=7, **kwargs)
    again = attribution.pair_spacing(oracle, MOTIF_A, MOTIF_B, seed=7, **kwargs)
    np.testing.assert_array_equal(first.effect, again.effect)
    assert first.effect[0, :, 0].argmax() == SAME_GAP and first.effect[1, :, 0].argmax() == OPPOSITE_GAP
    np.testing.assert_allclose(first.effect[0, SAME_GAP, 0], 1.0, atol=0.05)
    x1 = attribution.random_backgrounds(50, LENGTH, 0.4, seed=7)
    x2 = attribution.random_backgrounds(50, LENGTH, 0.4, seed=8)
    assert not np.array_equal(x1, x2)
    assert x1.shape == (50, LENGTH, 4) and np.all(x1.sum(-1) == 1)


def test_gc_content_of_random_backgrounds():
    x = attribution.random_backgrounds(400, 250, gc_content=0.3, seed=0)
    gc = x[..., 1:3].sum(-1).mean()
    assert gc == pytest.approx(0.3, abs=0.01)


def test_position_scan_follows_the_oracles_position_rule():
    result = attribution.position_scan(oracle, MOTIF_A, backgrounds=at_backgrounds(10))
    last = LENGTH - len(MOTIF_A)
    assert result.positions[0] == 0 and result.positions[-1] == last
    assert np.all(np.diff(result.positions) > 0)
    np.testing.assert_allclose(result.effect[:, 1], result.positions / LENGTH)
    np.testing.assert_array_equal(result.effect[:, 0], 0.0)  # one motif alone: no pair term
    chosen = attribution.position_scan(oracle, MOTIF_A, [3, 50], backgrounds=at_backgrounds(10))
    np.testing.assert_allclose(chosen.effect[:, 1], [3 / LENGTH, 50 / LENGTH])


def test_one_prediction_call_for_all_conditions():
    calls = []

    def counted(x):
        calls.append(len(x))
        return oracle(x)

    attribution.pair_spacing(counted, MOTIF_A, MOTIF_B, [0, 5, 9], backgrounds=at_backgrounds(4))
    assert calls == [4, 2 * 3 * 4]  # the backgrounds, then every condition in one batch


def test_a_keras_model_and_a_pwm_are_accepted():
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((LENGTH, 4)), keras.layers.Flatten(), keras.layers.Dense(3)])
    pwm = np.full((6, 4), 0.1)
    pwm[np.arange(6), [0, 1, 2, 3, 0, 1]] = 0.7
    result = attribution.pair_spacing(model, pwm, "ACGT", [0, 1, 2], n_backgrounds=5, length=LENGTH)
    assert result.effect.shape == (2, 3, 3)
    scan = attribution.position_scan(model, "ACGTAC", [0, 10], n_backgrounds=5, length=LENGTH)
    assert scan.effect.shape == (2, 3) and scan.background.shape == (3,)
    assert np.all(scan.sem > 0)  # the replaced bases differ between backgrounds
    np.testing.assert_array_equal(motif_one_hot(pwm).argmax(-1), [0, 1, 2, 3, 0, 1])


def test_embed_writes_each_motif_at_its_start_and_leaves_x_alone():
    x = at_backgrounds(3)
    out = embed(x, motif_one_hot("GC"), [0, 5, 118])
    assert not np.array_equal(out, x) and np.all(x[..., 1:3] == 0)
    np.testing.assert_array_equal(out[1, 5:7].argmax(-1), [2, 1])
    np.testing.assert_array_equal(out[2, 118:].argmax(-1), [2, 1])
    np.testing.assert_array_equal(np.delete(out[0], [0, 1], axis=0), np.delete(x[0], [0, 1], axis=0))


def test_curve_error():
    rng = np.random.default_rng(0)
    reference = rng.normal(size=(2, 30, 2))
    exact = attribution.curve_error(reference, reference)
    np.testing.assert_allclose(exact.rmse, 0.0)
    np.testing.assert_allclose(exact.pearson, 1.0)
    scaled = attribution.curve_error(3.0 * reference, reference)
    np.testing.assert_allclose(scaled.pearson, 1.0)
    np.testing.assert_allclose(scaled.rmse, 2.0)  # twice the reference: off by one reference rms
    flat = np.full((4, 1), 0.5)
    np.testing.assert_allclose(attribution.curve_error(np.zeros((4, 1)), flat).rmse, 1.0)  # a flat oracle curve
    raw = attribution.curve_error(reference + 1.0, reference, scale="none")
    np.testing.assert_allclose(raw.rmse, 1.0)
    flat = attribution.curve_error(np.zeros((5, 1)), rng.normal(size=(5, 1)))
    assert np.isnan(flat.pearson[0])  # a flat curve has no shape to correlate


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: attribution.pair_spacing(oracle, "GCNN", MOTIF_B, length=LENGTH), "motif_a="),
        (lambda: attribution.pair_spacing(oracle, MOTIF_A, np.ones((3, 5)), length=LENGTH), "motif_b with shape"),
        (lambda: attribution.pair_spacing(oracle, MOTIF_A, MOTIF_B, [200], length=LENGTH), "spacing in"),
        (lambda: attribution.pair_spacing(oracle, MOTIF_A, MOTIF_B, [-1], length=LENGTH), "spacing in"),
        (lambda: attribution.pair_spacing(oracle, MOTIF_A, MOTIF_B, [1.5], length=LENGTH), "spacings="),
        (lambda: attribution.pair_spacing(oracle, MOTIF_A, MOTIF_B, backgrounds=np.zeros((3, 10))), "backgrounds"),
        (lambda: attribution.position_scan(oracle, MOTIF_A, [LENGTH], length=LENGTH), "position in"),
        (lambda: attribution.position_scan(lambda x: x[:3, 0], MOTIF_A, length=LENGTH), "predict to return"),
        (lambda: attribution.position_scan(42, MOTIF_A, length=LENGTH), "predict=42"),
        (lambda: attribution.random_backgrounds(5, 10, gc_content=1.0), "gc_content=1.0"),
        (lambda: attribution.curve_error(np.zeros(3), np.zeros(4)), "same shape"),
        (lambda: attribution.curve_error(np.zeros(3), np.zeros(3), scale="max"), "scale='max'"),
    ],
)
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match="Expected") as error:
        call()
    assert message in str(error.value)


def test_plot_gia_draws_every_arm_beside_the_reference(close_figures):
    backgrounds = at_backgrounds(5)
    pairs = {
        "oracle": attribution.pair_spacing(oracle, MOTIF_A, MOTIF_B, backgrounds=backgrounds),
        "shifted": attribution.pair_spacing(lambda x: oracle(x) + 0.1, MOTIF_A, MOTIF_B, backgrounds=backgrounds),
    }
    scans = {arm: attribution.position_scan(oracle, MOTIF_A, backgrounds=backgrounds) for arm in pairs}
    fig = viz.plot_gia(pairs, scans, task_names=("pair", "position"))
    assert len(fig.axes) == 6
    labels = [line.get_label() for line in fig.axes[0].lines if not line.get_label().startswith("_")]
    assert labels == ["oracle", "shifted"]
    assert fig.axes[0].lines[0].get_color() == "black"
    assert len(viz.plot_gia(pairs).axes) == 4
    with pytest.raises(ValueError, match="task_names"):
        viz.plot_gia(pairs, task_names=("one",))
    with pytest.raises(ValueError, match="PairSpacing"):
        viz.plot_gia({"oracle": scans["oracle"]})
