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
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import keras

    from evoaug_tf.datasets import SequenceDataset

__all__ = [
    "ENV_VAR",
    "EXERCISES",
    "Exercise",
    "NotYet",
    "Verdict",
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


class Verdict:
    """What :func:`check` returns: true when the answer is right; shows nothing as a cell's last value.

    The check has already printed its verdict, so a notebook shows ``Right: ...`` or ``Not yet: ...`` once,
    without a ``True`` or ``False`` below it.
    """

    __slots__ = ("right",)

    def __init__(self, right: bool) -> None:
        self.right = bool(right)

    def __bool__(self) -> bool:
        return self.right

    def __repr__(self) -> str:
        return f"Verdict(right={self.right})"

    def _ipython_display_(self) -> None:  # IPython calls this instead of printing the repr
        pass


def check(key: str, answer: object, *, solution: bool = False, **context: Any) -> Verdict:
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
    Verdict
        True (``bool(verdict)``) when the answer is right; a notebook shows nothing for it.
    """
    item = exercise(key)
    label = f"Exercise {int(key[3:])}"
    if unanswered(answer):
        if solution:
            raise AssertionError(f"{label}: the solution gives no answer (received {answer!r})")
        print(f"{label}: not answered yet. Replace the ... with your answer and run the cell again.")
        return Verdict(False)
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
    return Verdict(right)


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


@register(
    "01.1",
    hint="reverse the positions and the A, C, G, T columns: complementing a base is reversing ACGT (A<->T, "
    "C<->G). Answer a function, e.g. reverse_complement_batch = lambda x: ...",
    right="x[:, ::-1, ::-1] reverses the positions and swaps A<->T, C<->G, because the columns are ACGT.",
)
def _01_1(answer) -> bool:
    from evoaug_tf.datasets import synthetic

    x = synthetic.make_synthetic_deepstarr(n=100, seed=0).x_train[:5]
    flipped = np.asarray(answer(x))
    if flipped.shape != x.shape:
        raise NotYet(f"expected the shape of the batch {x.shape}, got {flipped.shape}")
    return all(synthetic.decode(f) == synthetic.reverse_complement(synthetic.decode(o)) for o, f in zip(x, flipped))


@register(
    "01.2",
    hint="draw both subsets with datasets.pipeline.downsample_indices(len(data.x_train), 0.1, seed=...), "
    "then len(np.intersect1d(first, second)) / len(first); pass n=len(data.x_train).",
    right="about 10%: the two draws are independent, so each sequence of one subset is in the other with "
    "probability 0.1.",
)
def _01_2(answer, n) -> bool:
    from evoaug_tf.datasets import pipeline

    first = pipeline.downsample_indices(n, 0.1, seed=0)
    second = pipeline.downsample_indices(n, 0.1, seed=1)
    shared = len(np.intersect1d(first, second)) / len(first)
    value = float(answer)
    if value > 1:
        raise NotYet(f"answer the fraction of the first subset (0 to 1), not a count: got {value}")
    return abs(value - shared) < 0.005


@register(
    "01.3",
    hint="for each motif j: mean Hk activity (y[:, 1]) of the sequences with counts[:, j] > 0 minus those "
    "with none; answer the motif's name (a string from names).",
    right="that motif raises the Hk activity most in your data (the synthetic world's rules put it there).",
)
def _01_3(answer, counts, names, y) -> bool:
    counts, y = np.asarray(counts), np.asarray(y)
    effect = [y[counts[:, j] > 0, 1].mean() - y[counts[:, j] == 0, 1].mean() for j in range(len(names))]
    if answer not in names:
        raise NotYet(f"expected one of the motif names {list(names)}, got {answer!r}")
    return answer == names[int(np.nanargmax(effect))]


# Notebook 02 ------------------------------------------------------------------------------------------------


@register(
    "02.1",
    hint="insertion makes the model L + insert_max long; and think of what RandomNoise adds. Answer "
    "(length, always_one_hot) and pass L=L.",
    right="L + 20 = 269 (the insertion's maximum), and not always one-hot: whenever noise is among the two "
    "augmentations drawn, the values are no longer 0 and 1.",
)
def _02_1(answer, L) -> bool:
    length, one_hot = answer
    if int(length) != L + 20:
        raise NotYet(f"the length: RobustModel pads every sequence to L + insert_max (L = {L}); got {length}")
    return one_hot is False or one_hot is np.False_


@register(
    "02.2",
    hint="d, s = params['length'][0], params['start'][0]: keep x[0, :s] and x[0, s + d:], and put d filler "
    "bases (params['filler'][0], as one-hot) half before and half after. Pass x=x.",
    right="your NumPy deletion gives exactly the package's result.",
)
def _02_2(answer, x) -> bool:
    import tensorflow as tf

    from evoaug_tf import augment

    deletion = augment.RandomDeletion(0, 30)
    params = {k: v.numpy() for k, v in deletion.sample(np.shape(x), tf.constant([5, 0])).items()}
    want = np.asarray(deletion.apply(np.asarray(x, "float32"), params))[0]
    got = np.asarray(answer)
    if got.shape != want.shape:
        raise NotYet(f"expected one sequence of shape {want.shape}, got {got.shape}")
    return bool(np.array_equal(got, want))


@register(
    "02.3",
    hint="sample RandomDeletion(0, 30)'s parameters for the synthetic training set and count the deletions "
    "(length > 0) whose span [start, start + length) overlaps a site of that sequence (syn.sites['train']).",
    right="a large share of deletions clip a planted motif: label noise paid for the variety, and one reason "
    "for the finetuning stage.",
)
def _02_3(answer) -> bool:
    import tensorflow as tf

    from evoaug_tf import augment
    from evoaug_tf.datasets import synthetic

    syn = synthetic.make_synthetic_deepstarr(n=2000, seed=0)
    params = augment.RandomDeletion(0, 30).sample(syn.x_train.shape, tf.constant([0, 0]))
    sites = syn.sites["train"] if syn.sites is not None else []
    hits = [
        d > 0 and any(site.start < start + d and start < site.end for site in sites)
        for d, start, sites in zip(params["length"].numpy(), params["start"].numpy(), sites)
    ]
    value = float(answer)
    if value > 1:
        raise NotYet(f"answer a fraction (0 to 1), got {value}")
    return abs(value - float(np.mean(hits))) < 0.1


# Notebook 03 (its owner adds the checks here) ---------------------------------------------------------------


@register(
    "03.1",
    hint="epochs = len(history.history['loss']); the best epoch is np.argmin(history.history['val_loss']) + 1 "
    "(epochs count from 1); answer the pair (epochs, best).",
    right="early stopping ran `patience` epochs past the best one (unless the cap came first), and "
    "restore_best_weights put the best epoch's weights back.",
)
def _03_1(answer, history) -> bool:
    epochs, best = (int(v) for v in answer)
    return (epochs, best) == (len(history.history["loss"]), int(np.argmin(history.history["val_loss"])) + 1)


@register(
    "03.2",
    hint="train with experiments.train_evoaug(data, experiments.augmentations('ITD', batch_mode=False), "
    "model_func, protocol, max_augs_per_seq=2, hard_aug=True, subset_mode='sequence'), then pass "
    "metrics.evaluate_regression(data.y_test, y_pred, data.task_names)['pearson_r'] and model=that model.",
    right="that is the sequence-mode run after finetuning; one trial per mode cannot resolve a difference of a "
    "hundredth or two.",
)
def _03_2(answer, model, data) -> bool:
    from evoaug_tf import evoaug

    if not isinstance(model, evoaug.RobustModel) or model.subset_mode != "sequence":
        raise NotYet("the model should be the RobustModel trained with subset_mode='sequence'")
    if not isinstance(answer, dict):
        raise NotYet(f"expected a dict {{task: Pearson r}}, got {type(answer).__name__}")
    # a RobustModel pads every prediction with fresh random DNA: two scorings differ in the third decimal
    return close({k: float(v) for k, v in answer.items()}, _pearson_of(model, data), rtol=0, atol=0.02)


@register(
    "03.3",
    hint="pivot published.summary('deepstarr', metric='pearson_r') to index train_sequences, columns arm, values "
    "mean (the pivot averages Dev and Hk), then subtract the 'standard' column from 'evoaug_itd_batch_finetune'.",
    right="compare the gain at 25k, 100k and all the data: the published table says where it grows and shrinks.",
)
def _03_3(answer) -> bool:
    from evoaug_tf import published

    means = published.summary("deepstarr", metric="pearson_r").pivot_table(
        index="train_sequences", columns="arm", values="mean"
    )
    expected = means["evoaug_itd_batch_finetune"] - means["standard"]
    got = answer.reindex(expected.index)
    return close(got.to_numpy(), expected.to_numpy())


# Notebook 04 (its owner adds the checks here) ---------------------------------------------------------------


@register(
    "04.1",
    hint="call sequences_per_second(tf.function(aug.augment)) for augment.RandomInversion(0, 20) and for "
    "augment.RandomInversionBatch(0, 20); answer the pair (sequence mode, batch mode).",
    right="compare the ratio with the other three: every augmentation here is an index map and one gather in both "
    "modes, so the mode is a choice of variety more than of speed.",
)
def _04_1(answer) -> bool:
    rates = [float(v) for v in answer]
    return len(rates) == 2 and all(np.isfinite(rate) and rate > 0 for rate in rates)


@register(
    "04.2",
    hint="compare_training(training_set(n), {'sequence mode': experiments.Arm(lambda: "
    "experiments.augmentations('ITD'), subset_mode='sequence')}, PROTOCOL, trials=[0], "
    "model_func=model_func, out_dir=out_dir(n)) with n the smallest size.",
    right="with one trial per arm, a difference of a few hundredths between the modes is within the spread of "
    "trials; the standard run was read from section 3's folder, so its numbers are the same.",
)
def _04_2(answer, smallest, results) -> bool:
    runs = set(answer["run"])
    if not {"standard", "sequence mode", "sequence mode+finetune"} <= runs:
        raise NotYet(f"expected the runs standard, sequence mode and sequence mode+finetune; got {sorted(runs)}")
    standard = answer[answer["run"] == "standard"].set_index("task")["pearson_r"]
    before = results[(results["train_sequences"] == smallest) & (results["run"] == "standard")]
    if before.empty:
        raise NotYet(f"section 3 has no standard run at {smallest:,} sequences")
    # the same standard run as section 3's (read from its folder): the same scores
    return close(standard.sort_index().to_numpy(), before.set_index("task")["pearson_r"].sort_index().to_numpy())


@register(
    "04.3",
    hint="x_random, _ = datasets.downsample(data.x_train, data.y_train, n, seed=0); compare it row by row with "
    "tutorial.first_rows(data, n).x_train: (x_random == first).all(axis=(1, 2)).mean().",
    right="a random subset keeps other rows than the first N; the two agree only where the row order is random.",
)
def _04_3(answer, data, n) -> bool:
    from evoaug_tf import datasets
    from evoaug_tf.tutorial.data import first_rows

    x_random, _ = datasets.downsample(data.x_train, data.y_train, n, seed=0)
    expected = float((x_random == first_rows(data, n).x_train).all(axis=(1, 2)).mean())
    return close(float(answer), expected)


# Notebook 05 (its owner adds the checks here) ---------------------------------------------------------------


def _auroc_of(model, data) -> float:
    from evoaug_tf import metrics

    score = model.predict(data.x_test.astype("float32"), batch_size=256, verbose=0)[:, 0]
    return float(metrics.auroc(data.y_test[:, 0], score)[0])


def negative_kind_aurocs(model: keras.Model, data: SequenceDataset) -> dict[str, float]:
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
    return answer == min(aurocs, key=lambda kind: aurocs[kind])


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


@register(
    "06.1",
    hint="for each count n in (50, 100, 200): attribution.kld_noise_floor((n, 249, 4), draws=3).mean() (the "
    "authors' projection is the default); answer {50: ..., 100: ..., 200: ...}.",
    right="the floor falls as the maps get more positions: a model's KLD only means something next to the floor of "
    "its own shape, which is why the tables above print one per shape.",
)
def _06_1(answer) -> bool:
    from evoaug_tf import attribution

    if not isinstance(answer, dict) or set(answer) != {50, 100, 200}:
        raise NotYet(f"expected a dict with the keys 50, 100 and 200, got {answer!r}")
    expected = {n: float(attribution.kld_noise_floor((n, 249, 4), draws=3).mean()) for n in (50, 100, 200)}
    return close({n: float(v) for n, v in answer.items()}, expected, rtol=0, atol=0.02)


@register(
    "06.2",
    hint="attribution.translational_robustness(model, x, task=0, method='deep_shap', repeats=5, "
    "background=background).mean() for each arm's first model; answer {arm: that value}.",
    right="compare the order of the two arms with saliency's and Integrated Gradients' above; the paper found "
    "EvoAug-TF lower with all three methods (Fig. 1i).",
)
def _06_2(answer, arms) -> bool:
    if not isinstance(answer, dict) or set(answer) != set(arms):
        raise NotYet(f"expected a dict with one value per arm, {sorted(arms)}, got {answer!r}")
    values = np.array([float(v) for v in answer.values()])
    if not (np.isfinite(values).all() and (values >= 0).all()):
        raise NotYet("a variation is a non-negative number: take the mean of translational_robustness's scores")
    return True


@register(
    "06.3",
    hint="saliency of each arm's model on the test sequences that carry a Dev motif, then "
    "attribution.motif_recovery_auroc(grads, mask, x)[1] per arm; answer EvoAug-TF's minus standard's.",
    right="set the gap beside this notebook's: whether the gap between the arms depends on a world where moving a "
    "motif never changes the label is exactly what the two worlds separate.",
)
def _06_3(answer, models, x, mask) -> bool:
    from evoaug_tf import attribution

    aurocs = {
        arm: attribution.motif_recovery_auroc(attribution.saliency(m, x, task=0), mask, x)[1]
        for arm, m in models.items()
    }
    if set(aurocs) != {"standard", "EvoAug-TF"}:
        raise NotYet(f"pass models={{'standard': ..., 'EvoAug-TF': ...}}, got the keys {sorted(aurocs)}")
    # a RobustModel's saliency pads with fresh random DNA: two scorings differ slightly
    return close(float(answer), aurocs["EvoAug-TF"] - aurocs["standard"], rtol=0, atol=0.02)


# Notebook 07 ------------------------------------------------------------------------------------------------


@register(
    "07.1",
    hint="subclass RandomTandemDuplication, set batch_mode = True and in sample draw the parameters for a "
    "batch of one, then tf.repeat them shape[0] times. Answer the class and pass x=x.",
    right="one length and one start for the whole batch, as EvoAug-TF's batch mode draws them.",
)
def _07_1(answer, x) -> bool:
    import tensorflow as tf

    if not isinstance(answer, type) or answer.__mro__[1].__name__ != "RandomTandemDuplication":
        raise NotYet("answer the class, a subclass of RandomTandemDuplication")
    params = answer(0, 10).sample(np.shape(x), tf.constant([0, 0]))
    return all(len(set(np.asarray(params[name]).tolist())) == 1 for name in ("length", "start"))


@register(
    "07.2",
    hint="in apply, an index map: positions i with s <= i < s + k read from 2s + k - 1 - i, the others from i; "
    "one tf.gather(x, index, axis=1, batch_dims=1). Answer the class.",
    right="a reversed window, not complemented, by index arithmetic and one gather.",
)
def _07_2(answer) -> bool:
    from evoaug_tf.datasets.synthetic import decode, encode

    x = np.eye(4, dtype="float32")[encode("AACCGGTT")][np.newaxis]
    out = np.asarray(answer(4).apply(x, {"length": np.array([3]), "start": np.array([1])}))
    if decode(out[0]) != "ACCAGGTT":
        raise NotYet(f"AACCGGTT with the window of 3 at 1 reversed is ACCAGGTT; yours gives {decode(out[0])}")
    return True


@register(
    "07.3",
    hint="your function takes (bases, rng): (k,) base indices 0-3 and a NumPy Generator, and returns a (k,) "
    "array with the same counts of every neighbouring pair (e.g. the Altschul-Erikson Eulerian walk).",
    right="the dinucleotide counts are kept and the sequence is scrambled.",
)
def _07_3(answer) -> bool:
    rng = np.random.default_rng(0)
    changed = 0
    for _ in range(20):
        bases = rng.integers(0, 4, 30)
        out = np.asarray(answer(bases.copy(), np.random.default_rng(int(rng.integers(1 << 30)))))
        pairs = np.bincount(bases[:-1] * 4 + bases[1:], minlength=16)
        if out.shape != bases.shape or not np.array_equal(np.bincount(out[:-1] * 4 + out[1:], minlength=16), pairs):
            raise NotYet("the counts of neighbouring pairs changed (or the length did)")
        changed += not np.array_equal(out, bases)
    if not changed:
        raise NotYet("the counts are kept, but nothing was shuffled")
    return True


# Notebook 08 ------------------------------------------------------------------------------------------------


@register(
    "08.1",
    hint='values_rc = {**values, "rc_prob": [0.0, 0.5]}, then evotune.run_search(..., values=values_rc, ...) '
    "as in the ASHA section. Answer the search result.",
    right="rc_prob was searched; look at result.best_config to see whether your best trial uses it (one short "
    "search says little).",
)
def _08_1(answer) -> bool:
    return "rc_prob" in answer.best_config


@register(
    "08.2",
    hint="best = dict(asha.best_config); RobustModel(model_func, (L, 4), "
    'max_augs_per_seq=best.pop("max_augs_per_seq"), '
    "augment_list=evotune.augment_list_from_config(best), hard_aug=True); compile and fit one epoch. Answer the "
    "model, config=asha.best_config.",
    right="the best config is a RobustModel like any other: train it properly as in notebook 03.",
)
def _08_2(answer, config) -> bool:
    from evoaug_tf import evoaug
    from evoaug_tf import tune as evotune

    if not isinstance(answer, evoaug.RobustModel):
        raise NotYet("answer the RobustModel built from the config")
    config = dict(config)
    max_augs = config.pop("max_augs_per_seq")
    wanted = [type(a).__name__ for a in evotune.augment_list_from_config(config)]
    # RobustModel caps max_augs_per_seq at the list's length (a config can switch augmentations off)
    if answer.max_augs_per_seq != min(max_augs, len(wanted)):
        raise NotYet("use the config's max_augs_per_seq")
    if [type(a).__name__ for a in answer.augment_list] != wanted:
        raise NotYet(f"the augment list should be {wanted} (evotune.augment_list_from_config)")
    iterations = getattr(answer.optimizer, "iterations", None)
    if iterations is None or int(iterations.numpy()) == 0:
        raise NotYet("compile and fit it for one epoch")
    return True


@register(
    "08.3",
    hint='run_search(..., metric="val_loss", mode="min"): the metric and whether lower is better.',
    right="the search kept the trial with the lowest validation loss.",
)
def _08_3(answer) -> bool:
    table = answer.table
    if "best_val_loss" not in table:
        raise NotYet('the search scored something else: pass metric="val_loss"')
    best = table.loc[table["best_val_loss"].idxmin()]
    return all(best[name] == value for name, value in answer.best_config.items() if name in table)


# Notebook 09 ------------------------------------------------------------------------------------------------


@register(
    "09.1",
    hint="compare_frameworks(..., settings=('M',), share_single=False, ...) returns a frame; pivot the "
    "finetuned rows by subset_mode and compare the two columns. Answer True if the modes score the same, "
    "and pass results=<the frame>.",
    right="with a single augmentation there is nothing to choose, so both modes train the same model and "
    "score the same: section 2's claim.",
)
def _09_1(answer, results) -> bool:
    rows = results[results["stage"] != "standard"]
    pivot = rows.pivot_table(index=["stage", "task"], columns="subset_mode", values="pearson_r")
    same = bool(np.array_equal(pivot["sequence"].to_numpy(), pivot["batch"].to_numpy()))
    return bool(answer) == same


@register(
    "09.2",
    hint="count the distinct values of every parameter sample() returns, in batch mode: one of them is not "
    "the same for every sequence. Answer its name.",
    right="the filler: every sequence gets the same length, position or shift, but its own new random bases.",
)
def _09_2(answer) -> bool:
    return str(answer).strip().strip("'\"").lower() == "filler"


@register(
    "09.3",
    hint='answer "batch" or "sequence": draw with viz.augment_batch(..., subset_mode=mode) and look at '
    ".chosen.sum(axis=1).",
    right="per sequence: in batch mode the whole mini-batch shares one draw, so one number.",
)
def _09_3(answer) -> bool:
    return str(answer).strip().lower() == "sequence"
