"""Exercises that check the student's own answer, offline (no grading server), in Colab and in Jupyter.

Each exercise of a notebook has three cells after its question:

1. a **stub** the student fills in, ending with the check::

       answer = ...  # your answer
       tutorial.exercises.check("00.2", answer)

   It prints ``Right: ...``, ``Not yet: <hint>``, or ``Not answered yet`` while ``answer`` is still ``...``
   (or None). It never raises, so "Run all" never stops at a stub.
2. a **solution** cell, collapsed (Colab's ``# @title Solution N`` form and JupyterLab's ``source_hidden``),
   whose code runs only when asked for::

       # @title Solution 2
       if tutorial.solution(2):
           ...
           tutorial.exercises.check("00.2", answer, solution=True)

   :func:`solution` is False on "Run all" unless solutions are switched on (:func:`show_solutions`, or the
   environment variable ``EVOAUG_TF_SOLUTIONS=1``, which the test suite and ``docs/make.py execute`` set),
   and ``solution=True`` makes a wrong answer raise, so the test suite proves every solution passes its check.
3. optionally, a written answer in a markdown ``<details><summary>Answer N</summary>...</details>`` block.

A check is a registered :class:`Exercise`: a predicate of the answer and of the student's own objects
(``**context``, e.g. the trained model), so an answer that depends on the run is compared with this run's
values, never with numbers written in advance.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "ENV_VAR",
    "EXERCISES",
    "Exercise",
    "NotYet",
    "check",
    "exercise",
    "negative_kind_aurocs",
    "register",
    "show_solutions",
    "solution",
    "solutions_shown",
]

#: The environment variable that switches solution cells on (``1``); the test suite sets it.
ENV_VAR = "EVOAUG_TF_SOLUTIONS"

_shown: bool | None = None  # show_solutions(); None: the environment decides


class NotYet(Exception):
    """Raised by a predicate to say why an answer is not right yet (the message is the hint)."""


@dataclass(frozen=True)
class Exercise:
    """One exercise's check.

    Attributes
    ----------
    key : str
        ``"NN.k"``: notebook ``NN``, exercise ``k`` (``"00.2"``).
    test : callable
        ``test(answer, **context) -> bool``; may raise :class:`NotYet` with a specific hint.
    hint : str
        What to try when the answer is not right (printed after ``Not yet:``).
    right : str
        What the student should take away, printed after ``Right:``.
    """

    key: str
    test: Callable[..., bool]
    hint: str
    right: str = "that is it."


#: Every registered exercise, by key.
EXERCISES: dict[str, Exercise] = {}


def register(key: str, hint: str, right: str = "that is it.") -> Callable[[Callable[..., bool]], Callable[..., bool]]:
    """Decorator: register ``test(answer, **context) -> bool`` as the check of exercise ``key``."""
    _check_key(key)

    def decorate(test: Callable[..., bool]) -> Callable[..., bool]:
        if key in EXERCISES:
            raise ValueError(f"Expected a new exercise key. Received: key={key!r} (already registered)")
        EXERCISES[key] = Exercise(key, test, hint, right)
        return test

    return decorate


def exercise(key: str) -> Exercise:
    """The registered exercise ``key`` (``"03.1"``)."""
    _check_key(key)
    if key not in EXERCISES:
        raise KeyError(f"Expected a registered exercise key, one of {sorted(EXERCISES)}. Received: key={key!r}")
    return EXERCISES[key]


def _check_key(key: object) -> None:
    if not (isinstance(key, str) and len(key) >= 4 and key[:2].isdigit() and key[2] == "." and key[3:].isdigit()):
        raise ValueError(f'Expected an exercise key "NN.k" such as "00.2". Received: key={key!r}')


def unanswered(answer: object) -> bool:
    """True for a stub's placeholder: ``...`` or None."""
    return answer is Ellipsis or answer is None


def check(key: str, answer: object, *, solution: bool = False, **context: Any) -> bool:
    """Say whether ``answer`` to exercise ``key`` is right, with a hint when it is not.

    Parameters
    ----------
    key : str
        ``"NN.k"``, e.g. ``"00.2"``.
    answer : object
        The student's answer; ``...`` or None: not answered yet.
    solution : bool
        True in a solution cell: a wrong or missing answer raises AssertionError (the test suite runs every
        solution). False (a student's stub): prints and returns, never raises for a wrong answer.
    **context
        The student's own objects the check compares with (e.g. ``model=plain``), so answers that depend on
        the run are checked against this run.

    Returns
    -------
    bool
        True when the answer is right.
    """
    item = exercise(key)
    label = f"Exercise {int(key[3:])}"
    if unanswered(answer):
        if solution:
            raise AssertionError(f"{label}: the solution gives no answer (received {answer!r})")
        print(f"{label}: not answered yet. Replace the ... with your answer and run the cell again.")
        return False
    try:
        right = bool(item.test(answer, **context))
        hint = item.hint
    except NotYet as reason:
        right, hint = False, str(reason)
    except Exception as error:  # a malformed answer is a wrong answer, not a crash
        right, hint = False, f"{item.hint} (checking your answer raised {type(error).__name__}: {error})"
    if right:
        print(f"{label}: Right: {item.right}")
    else:
        if solution:
            raise AssertionError(f"{label}: the solution fails its check: {hint}")
        print(f"{label}: Not yet: {hint}")
    return right


def show_solutions(show: bool = True) -> None:
    """Run the solution cells from now on (``show=False``: skip them again, whatever the environment says)."""
    global _shown
    _shown = bool(show)


def solutions_shown() -> bool:
    """True when solution cells run: after :func:`show_solutions`, else when ``EVOAUG_TF_SOLUTIONS=1``."""
    if _shown is not None:
        return _shown
    return os.environ.get(ENV_VAR, "").strip().lower() in ("1", "true", "yes")


def solution(number: int) -> bool:
    """The guard of solution cell ``number``: True when solutions run, else prints how to run it.

    "Run all" skips solutions (and any training in them) unless they are switched on: run
    ``tutorial.show_solutions()`` in a cell first, or set ``EVOAUG_TF_SOLUTIONS=1`` before starting Jupyter.
    """
    if solutions_shown():
        return True
    print(
        f"Solution {number} is skipped (solutions do not run with Run all). To run it: run "
        "tutorial.show_solutions() in a cell, then this cell again."
    )
    return False


# Shared predicates -------------------------------------------------------------------------------------------


def close(value: object, expected: object, rtol: float = 1e-3, atol: float = 1e-3) -> bool:
    """``value`` equals ``expected`` within tolerance; dicts and sequences element by element."""
    if isinstance(expected, dict):
        if not isinstance(value, dict) or set(value) != set(expected):
            raise NotYet(f"expected a dict with keys {sorted(expected)}, got {value!r}")
        return all(close(value[k], expected[k], rtol, atol) for k in expected)
    got = np.asarray(value, dtype=float)
    want = np.asarray(expected, dtype=float)
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol))


def _pearson_of(model, data) -> dict[str, float]:
    from evoaug_tf import metrics

    y_pred = model.predict(data.x_test.astype("float32"), verbose=0)
    scores = metrics.evaluate_regression(data.y_test, y_pred, data.task_names)["pearson_r"]
    return {k: float(v) for k, v in scores.items()}


# Notebook 00 ------------------------------------------------------------------------------------------------


@register(
    "00.1",
    hint="train model_func((L, 4), 2) with compile/fit as in section 3 (no RobustModel), then pass "
    'metrics.evaluate_regression(data.y_test, y_pred, data.task_names)["pearson_r"] of its test predictions '
    "and the model: check(..., answer, model=plain, data=data).",
    right="that is the test Pearson r of your network trained without augmentations; compare it with the "
    "EvoAug model's above (one short run says little: notebook 03 compares with trials).",
)
def _00_1(answer, model, data) -> bool:
    from evoaug_tf import evoaug

    if isinstance(model, evoaug.RobustModel):
        raise NotYet("the model should be the plain Keras network, without RobustModel and its augmentations")
    if not isinstance(answer, dict):
        raise NotYet(f"expected a dict {{task: Pearson r}}, got {type(answer).__name__}")
    return close({k: float(v) for k, v in answer.items()}, _pearson_of(model, data))


@register(
    "00.2",
    hint="with hard_aug=False the number of augmentations is drawn, not fixed; answer (smallest, largest), "
    "and try evoaug.choose_subsets(...) to see the draws.",
    right="between 1 and max_augs_per_seq = 2. By default (subset_mode='batch', as in evoaug-tf 1.0.3 and the "
    "paper) the number and which ones are drawn once per mini-batch; subset_mode='sequence' draws per sequence.",
)
def _00_2(answer) -> bool:
    return tuple(int(v) for v in answer) == (1, 2)


@register(
    "00.3",
    hint="compile a new RobustModel, then history, history_finetune = train_two_stage(model, (x_train, "
    "data.y_train), (x_valid, data.y_valid), protocol); answer (history, history_finetune), model=that model.",
    right="train_two_stage ran stage 1 with augmentations and stage 2 (finetuning) without them.",
)
def _00_3(answer, model, protocol) -> bool:
    from evoaug_tf import evoaug

    first, second = answer
    if not isinstance(model, evoaug.RobustModel):
        raise NotYet("train_two_stage trains a RobustModel: pass it as model=")
    if not model.finetune:
        raise NotYet("the model is not in finetune mode: stage 2 did not run (finetune=True is the default)")
    epochs_1, epochs_2 = len(first.history["loss"]), len(second.history["loss"])
    return 1 <= epochs_1 <= protocol.epochs and 1 <= epochs_2 <= protocol.finetune_epochs


# Notebook 01 ------------------------------------------------------------------------------------------------

# Notebook 02 ------------------------------------------------------------------------------------------------

# Notebook 03 (its owner adds the checks here) ---------------------------------------------------------------

# Notebook 04 (its owner adds the checks here) ---------------------------------------------------------------

# Notebook 05 (its owner adds the checks here) ---------------------------------------------------------------


def _auroc_of(model, data) -> float:
    from evoaug_tf import metrics

    score = model.predict(data.x_test.astype("float32"), batch_size=256, verbose=0)[:, 0]
    return float(metrics.auroc(data.y_test[:, 0], score)[0])


def negative_kind_aurocs(model, data) -> dict[str, float]:
    """Test AUROC of the positives against each kind of negative of a synthetic ChIP-seq set.

    Parameters
    ----------
    model : keras.Model
        Takes ``(N, L, 4)`` (or pads to its length itself) and returns ``(N, 1)`` probabilities.
    data : SequenceDataset
        From :func:`~evoaug_tf.datasets.make_synthetic_chip_pwm` (``info["per_split"]["kind"]``).

    Returns
    -------
    dict
        ``{kind: AUROC}`` for the negative kinds present in the test set (labels as given, noise included).
    """
    from evoaug_tf import metrics
    from evoaug_tf.datasets.synthetic_chip import SEQUENCE_KINDS

    kind = data.info["per_split"]["kind"]["test"]
    bound = data.info["per_split"]["bound"]["test"]
    score = model.predict(data.x_test.astype("float32"), batch_size=256, verbose=0)[:, 0]
    out = {}
    for code in (2, 3, 4, 5):
        keep = bound | (kind == code)
        if (kind == code).any():
            out[SEQUENCE_KINDS[code]] = float(metrics.auroc(data.y_test[keep, 0], score[keep])[0])
    return out


@register(
    "05.1",
    hint="train as in section 5 with subset_mode='sequence' and the sequence-mode classes (augment.RandomInsertion"
    "(0, 20), ...), keep_models=True; answer the test AUROC of its EvoAug + finetune run, and pass that model: "
    'check("05.1", auroc, model=table.attrs["models"][("evoaug", 0)], data=data).',
    right="that is the AUROC with one augmentation draw per sequence. One trial cannot separate the two modes: "
    "set it beside the published spread of the five trials (section 7).",
)
def _05_1(answer, model, data) -> bool:
    from evoaug_tf import evoaug

    if not isinstance(model, evoaug.RobustModel) or model.subset_mode != "sequence":
        raise NotYet("pass the EvoAug model trained with subset_mode='sequence' as model=")
    return close(float(answer), _auroc_of(model, data))


@register(
    "05.2",
    hint="compute exercises.negative_kind_aurocs(model, data) (or the AUROC of the positives against each kind "
    "of negative yourself) and answer the name of the kind with the lowest AUROC.",
    right="the negatives the model confuses most with peaks. Those with a real but unbound site can only be told "
    "apart by what is not in the sequence (chromatin), so no model of the sequence alone can rank them well.",
)
def _05_2(answer, model, data) -> bool:
    aurocs = negative_kind_aurocs(model, data)
    if answer not in aurocs:
        raise NotYet(f"answer one of {sorted(aurocs)}")
    return answer == min(aurocs, key=aurocs.get)


@register(
    "05.3",
    hint="the list of section 4 plus augment.RandomRCBatch(0.5) (or a list with it), a list of augmentation objects.",
    right="the four augmentations. Reverse-complementing keeps a binding site a binding site: the factor binds "
    "double-stranded DNA and its motif is read on either strand.",
)
def _05_3(answer) -> bool:
    from evoaug_tf import augment

    names = [type(a).__name__ for a in answer]
    if not any(isinstance(a, (augment.RandomRCBatch, augment.RandomRC)) for a in answer):
        raise NotYet(f"no reverse-complement augmentation in the list: {names}")
    return {"RandomInsertionBatch", "RandomTranslocationBatch", "RandomDeletionBatch"} <= set(names)


@register(
    "05.4",
    hint='load tutorial.load_data("CTCF", size), train the standard arm (experiments.train_standard with the '
    "section 5 model and protocol), and answer its test AUROC with model=that model, data=the CTCF data.",
    right="CTCF's standard AUROC is near 1, so at most 1 - AUROC is left for EvoAug to add: in the paper 0.989 "
    "standard leaves 0.011, and EvoAug-TF added 0.003.",
)
def _05_4(answer, model, data) -> bool:
    if data.task_names[0] not in ("CTCF", "CTCF-like"):
        raise NotYet(f"pass the CTCF data as data= (received a set with task {data.task_names[0]!r})")
    return close(float(answer), _auroc_of(model, data))


# Notebook 06 (its owner adds the checks here) ---------------------------------------------------------------

# Notebook 07 ------------------------------------------------------------------------------------------------

# Notebook 08 ------------------------------------------------------------------------------------------------

# Notebook 09 ------------------------------------------------------------------------------------------------
