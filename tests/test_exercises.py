"""The exercises mechanism: a check says right or wrong with a hint, never raises in a stub; solutions are guarded."""

import keras
import numpy as np
import pytest

from evoaug_tf import tutorial
from evoaug_tf.tutorial import exercises


@pytest.fixture
def registered():
    """A throwaway exercise ``99.1`` (answer: 42), removed afterwards."""

    @exercises.register("99.1", hint="think of Douglas Adams", right="the answer.")
    def _test(answer, offset=0):
        if answer == "forty-two":
            raise exercises.NotYet("a number, please")
        return answer == 42 + offset

    yield "99.1"
    del exercises.EXERCISES["99.1"]


@pytest.fixture
def solutions_env(monkeypatch):
    monkeypatch.setattr(exercises, "_shown", None)
    return monkeypatch


def test_right_wrong_and_unanswered(registered, capsys):
    assert exercises.check(registered, 42)
    assert capsys.readouterr().out == "Exercise 1: Right: the answer.\n"
    assert not exercises.check(registered, 41)
    assert capsys.readouterr().out == "Exercise 1: Not yet: think of Douglas Adams\n"
    assert not exercises.check(registered, "forty-two")
    assert capsys.readouterr().out == "Exercise 1: Not yet: a number, please\n"
    for stub in (..., None):
        assert not exercises.check(registered, stub)
        assert "not answered yet" in capsys.readouterr().out


def test_context_is_the_students_own_run(registered, capsys):
    assert exercises.check(registered, 43, offset=1)
    assert not exercises.check(registered, 42, offset=1)


def test_a_malformed_answer_is_wrong_not_a_crash(registered, capsys):
    assert not exercises.check(registered, 42, unexpected=1)
    assert "raised TypeError" in capsys.readouterr().out


def test_solution_mode_raises_when_wrong_or_unanswered(registered):
    assert exercises.check(registered, 42, solution=True)
    with pytest.raises(AssertionError, match="fails its check: think of Douglas Adams"):
        exercises.check(registered, 41, solution=True)
    with pytest.raises(AssertionError, match="gives no answer"):
        exercises.check(registered, ..., solution=True)


def test_keys_are_checked(registered):
    with pytest.raises(ValueError, match=r"Expected an exercise key .*Received: key='3.1'"):
        exercises.check("3.1", 1)
    with pytest.raises(KeyError, match=r"Received: key='98.1'"):
        exercises.check("98.1", 1)
    with pytest.raises(ValueError, match="already registered"):
        exercises.register("99.1", hint="")(lambda answer: True)


def test_solutions_follow_the_switch_then_the_environment(solutions_env, capsys):
    solutions_env.setenv(exercises.ENV_VAR, "1")
    assert tutorial.solution(1) is True
    solutions_env.delenv(exercises.ENV_VAR)
    assert tutorial.solution(2) is False
    assert "Solution 2 is skipped" in capsys.readouterr().out
    tutorial.show_solutions()
    assert tutorial.solution(2) is True
    tutorial.show_solutions(False)
    solutions_env.setenv(exercises.ENV_VAR, "1")
    assert tutorial.solution(2) is False


def test_the_test_suite_runs_solutions():
    assert exercises.solutions_shown(), "pyproject's pytest env sets EVOAUG_TF_SOLUTIONS=1 (nbval runs every solution)"


def test_close():
    assert exercises.close({"Dev": 0.5, "Hk": 0.25}, {"Dev": 0.5004, "Hk": 0.25})
    assert not exercises.close({"Dev": 0.6, "Hk": 0.25}, {"Dev": 0.5, "Hk": 0.25})
    with pytest.raises(exercises.NotYet, match="keys"):
        exercises.close({"Dev": 0.5}, {"Dev": 0.5, "Hk": 0.25})
    assert exercises.close([1, 2], np.array([1.0, 2.0]))
    assert not exercises.close([1, 2], [1, 2, 3])


def test_notebook_00_checks(capsys):
    assert exercises.check("00.2", (1, 2)) and not exercises.check("00.2", (0, 2))
    keras.utils.set_random_seed(0)
    data = tutorial.load_data("deepstarr", "quick")
    plain = tutorial.model_function("deepstarr", "quick")((data.x_train.shape[1], 4), 2)
    right = exercises._pearson_of(plain, data)
    assert exercises.check("00.1", right, model=plain, data=data)
    assert not exercises.check("00.1", {k: v + 0.1 for k, v in right.items()}, model=plain, data=data)
    assert "Not yet" in capsys.readouterr().out


def test_checks_of_notebooks_01_02_07_09(capsys):
    assert exercises.check("01.1", lambda x: x[:, ::-1, ::-1])
    assert not exercises.check("01.1", lambda x: x[:, ::-1])
    assert isinstance(exercises.check("01.2", 0.1, n=1000), exercises.Verdict)  # recomputed from the student's n
    assert not exercises.check("01.2", 100, n=1000)
    assert "fraction of the first subset" in capsys.readouterr().out
    counts = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    y = np.array([[0, 2.0], [0, 0.0], [0, 3.0], [0, 0.0]])
    assert exercises.check("01.3", "Dref", counts=counts, names=["Dref", "AP-1"], y=y)
    assert not exercises.check("01.3", "AP-1", counts=counts, names=["Dref", "AP-1"], y=y)
    assert exercises.check("02.1", (269, False), L=249) and not exercises.check("02.1", (249, False), L=249)
    assert exercises.check("09.2", "filler") and not exercises.check("09.2", "length")
    assert exercises.check("09.3", "sequence") and not exercises.check("09.3", "batch")
    assert not exercises.check("07.3", lambda bases, rng: bases)
    assert "nothing was shuffled" in capsys.readouterr().out


def test_every_notebook_key_is_numbered_from_one():
    by_notebook = {}
    for key in exercises.EXERCISES:
        by_notebook.setdefault(key[:2], []).append(int(key[3:]))
    for numbers in by_notebook.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))


def test_checks_of_notebook_06(capsys):
    from evoaug_tf import attribution

    floors = {n: float(attribution.kld_noise_floor((n, 249, 4), draws=3).mean()) for n in (50, 100, 200)}
    assert exercises.check("06.1", floors)
    assert not exercises.check("06.1", {n: v + 0.1 for n, v in floors.items()})
    assert not exercises.check("06.1", [0.7, 0.5, 0.47])  # not a dict: a hint, not a crash
    assert exercises.check("06.2", {"standard": 0.3, "EvoAug-TF": 0.2}, arms=("standard", "EvoAug-TF"))
    assert not exercises.check("06.2", {"standard": -1.0, "EvoAug-TF": 0.2}, arms=("standard", "EvoAug-TF"))
    rng = np.random.default_rng(0)
    x = np.eye(4, dtype="float32")[rng.integers(0, 4, (6, 40))]
    mask = np.zeros((6, 40), bool)
    mask[:, 10:18] = True

    def tiny(seed):
        keras.utils.set_random_seed(seed)
        return keras.Sequential(
            [keras.Input((40, 4)), keras.layers.Conv1D(4, 5), keras.layers.Flatten(), keras.layers.Dense(2)]
        )

    models = {"standard": tiny(0), "EvoAug-TF": tiny(1)}
    aurocs = {
        arm: attribution.motif_recovery_auroc(attribution.saliency(m, x, task=0), mask, x)[1]
        for arm, m in models.items()
    }
    gap = aurocs["EvoAug-TF"] - aurocs["standard"]
    assert exercises.check("06.3", gap, models=models, x=x, mask=mask)
    assert not exercises.check("06.3", gap + 0.2, models=models, x=x, mask=mask)
    capsys.readouterr()


def test_notebook_05_checks(capsys):
    from evoaug_tf import augment

    keras.utils.set_random_seed(0)
    data = tutorial.load_data("GABPA", "quick")
    model = tutorial.model_function("GABPA", "quick")((200, 4), 1)
    aurocs = exercises.negative_kind_aurocs(model, data)
    assert set(aurocs) == {"unbound site", "decoy", "background", "shuffled"}
    assert all(0.0 <= v <= 1.0 for v in aurocs.values())
    hardest = min(aurocs, key=aurocs.get)
    assert exercises.check("05.2", hardest, model=model, data=data)
    other = next(kind for kind in aurocs if kind != hardest)
    assert not exercises.check("05.2", other, model=model, data=data)
    assert not exercises.check("05.2", "nonsense", model=model, data=data)

    batch = [augment.RandomInsertionBatch(0, 20), augment.RandomTranslocationBatch(0, 20)]
    batch.append(augment.RandomDeletionBatch(0, 20))
    assert exercises.check("05.3", [*batch, augment.RandomRCBatch(0.5)])
    assert not exercises.check("05.3", batch)

    ctcf = tutorial.load_data("CTCF", "quick")
    plain = tutorial.model_function("CTCF", "quick")((200, 4), 1)
    right = exercises._auroc_of(plain, ctcf)
    assert exercises.check("05.4", right, model=plain, data=ctcf)
    assert not exercises.check("05.4", right + 0.1, model=plain, data=ctcf)
    assert not exercises.check("05.4", right, model=model, data=data)  # GABPA's data are not CTCF's
    assert not exercises.check("05.1", 0.5, model=plain, data=data)  # not a sequence-mode RobustModel
    assert "Not yet" in capsys.readouterr().out


def test_a_verdict_is_shown_once_not_as_true_or_false(registered, capsys):
    """The check prints its verdict; its return value, a cell's last expression, adds no ``False`` below it."""
    verdict = exercises.check(registered, ...)
    assert not verdict and isinstance(verdict, exercises.Verdict)
    assert verdict._ipython_display_() is None  # IPython shows nothing for it
    assert exercises.check(registered, 42)
    capsys.readouterr()


def test_check_08_2_allows_the_cap_at_the_list_length(capsys):
    """A config with max_augs_per_seq 2 but one augmentation switched on: RobustModel caps it at 1."""
    from evoaug_tf import evoaug
    from evoaug_tf import tune as evotune

    config = {"max_augs_per_seq": 2, "insert_max": 20, "shift_max": 0, "delete_max": 0}
    best = dict(config)

    def model_func(input_shape, n_out=1):
        return keras.Sequential([keras.Input(input_shape), keras.layers.Flatten(), keras.layers.Dense(n_out)])

    model = evoaug.RobustModel(
        model_func,
        (30, 4),
        max_augs_per_seq=best.pop("max_augs_per_seq"),
        augment_list=evotune.augment_list_from_config(best),
        hard_aug=True,
    )
    model.compile("adam", loss="mse")
    x = np.eye(4, dtype="float32")[np.random.default_rng(0).integers(0, 4, (8, 30))]
    model.fit(x, np.zeros((8, 1), "float32"), epochs=1, batch_size=8, verbose=0)
    assert model.max_augs_per_seq == 1
    assert exercises.check("08.2", model, config=config)
    capsys.readouterr()
