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
    assert exercises.check(registered, 42) is True
    assert capsys.readouterr().out == "Exercise 1: Right: the answer.\n"
    assert exercises.check(registered, 41) is False
    assert capsys.readouterr().out == "Exercise 1: Not yet: think of Douglas Adams\n"
    assert exercises.check(registered, "forty-two") is False
    assert capsys.readouterr().out == "Exercise 1: Not yet: a number, please\n"
    for stub in (..., None):
        assert exercises.check(registered, stub) is False
        assert "not answered yet" in capsys.readouterr().out


def test_context_is_the_students_own_run(registered, capsys):
    assert exercises.check(registered, 43, offset=1) is True
    assert exercises.check(registered, 42, offset=1) is False


def test_a_malformed_answer_is_wrong_not_a_crash(registered, capsys):
    assert exercises.check(registered, 42, unexpected=1) is False
    assert "raised TypeError" in capsys.readouterr().out


def test_solution_mode_raises_when_wrong_or_unanswered(registered):
    assert exercises.check(registered, 42, solution=True) is True
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
