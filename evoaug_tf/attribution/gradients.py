"""Gradient-based attribution maps: saliency, Integrated Gradients, expected gradients, DeepSHAP.

Every function takes one-hot sequences ``x`` ``(N, L, 4)`` (columns A, C, G, T) and returns an
attribution map of the same shape for one output column ``task`` of the model. The gradient math
runs on-graph: one ``tf.function`` per model computes a whole batch (and, for the path methods,
loops over the path inside the graph), so Python only loops over batches; ``progress=True`` shows
a tqdm bar over them.

Models
    Any Keras model (functional, Sequential or subclassed) that maps ``(N, L, 4)`` to ``(N,)`` or
    ``(N, tasks)``, and :class:`~evoaug_tf.evoaug.RobustModel`. A RobustModel whose augment list
    has an insertion is built for ``L + insert_max``; ``model(x)`` pads length-``L`` input with
    fresh random DNA on every call. For attribution the padding is drawn *once* here, from
    ``seed``, and held fixed while the gradient is taken with respect to the ``L`` original
    positions: the map is then a deterministic function of ``x`` and ``seed``, and for the path
    methods the padding contributes nothing (it is identical in the input and its reference), so
    completeness holds over the ``L`` positions. ``inference_aug`` is ignored (attribution
    explains the model, not a random augmentation of the input).

DeepSHAP
    :func:`deep_shap` runs ``shap.DeepExplainer`` (the DeepLIFT rescale rule averaged over a
    background set; optional dependency ``shap``). It works with shap 0.51 on TensorFlow 2.21 /
    Keras 3 for functional and Sequential models built from the layers shap knows (Conv1D, Dense,
    BatchNorm, ReLU, MaxPooling, Dropout, Flatten: DeepSTARR and the ChIP-seq CNN). Its limits are
    shap's: it walks the TensorFlow graph and temporarily patches TensorFlow's gradient registry,
    it explains one sequence at a time (Python loop over sequences, ``2 * len(background)`` rows
    each), it needs a model with symbolic ``inputs`` (not subclassed ones), and layers whose ops it
    has no rule for (e.g. ``GlobalMaxPooling1D``, whose reduction ``Max`` it mistakes for an
    element-wise op) fail or silently fall back to plain gradients, which ``check_additivity``
    catches. :func:`expected_gradients` (Erion et al. 2021) is the batched, on-graph alternative
    that needs nothing but TensorFlow: Integrated Gradients averaged over references drawn from
    the same background, which also attributes ``f(x) - E[f(background)]``. It is not DeepSHAP
    and is not called so.
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

import keras
import numpy as np
import tensorflow as tf
from tqdm.auto import tqdm

from evoaug_tf import validation
from evoaug_tf.evoaug import RobustModel

if TYPE_CHECKING:
    from typing import Any


__all__ = [
    "ALPHABET_SIZE",
    "METHODS",
    "BASELINES",
    "check_positive_int",
    "check_sequences",
    "saliency",
    "integrated_gradients",
    "expected_gradients",
    "deep_shap",
    "attribute",
]

ALPHABET_SIZE = validation.ALPHABET_SIZE
#: Names accepted by :func:`attribute` (and by ``method=`` of the robustness test).
METHODS = ("saliency", "integrated_gradients", "expected_gradients", "deep_shap")
BASELINES = ("zeros", "uniform", "shuffle")
# Compiled functions per model, dropped with the model (they hold it only through a weak reference).
_FUNCTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


# ---------------------------------------------------------------------------- validation
def check_positive_int(name: str, value: object) -> int:
    """Return ``value`` as an int >= 1, or raise ``ValueError`` naming the argument."""
    if not validation.is_int(value) or value < 1:
        raise ValueError(f"Expected `{name}` to be an integer >= 1. Received: {name}={value!r}")
    return int(value)


def check_sequences(x: np.ndarray, name: str = "x") -> np.ndarray:
    """Return ``x`` as a float32 array ``(N, L, 4)``, or raise a ``ValueError``.

    Parameters
    ----------
    x : array-like or tf.Tensor
        ``(N, L, 4)`` one-hot sequences (a single ``(L, 4)`` sequence is refused: add the batch axis).

    Returns
    -------
    np.ndarray
        ``(N, L, 4)`` float32.
    """
    return validation.check_sequences(x, name)


class _Target:
    """What gets differentiated: the (wrapped) Keras model, its padding, the chosen output column."""

    def __init__(self, model, x: np.ndarray, task, seed):
        if isinstance(model, RobustModel):
            if model.model is None:
                raise ValueError("Expected a built RobustModel. Received: a RobustModel without a wrapped model")
            inner, extra = model.model, model.insert_max
            expected = model.input_length
            if expected is not None and extra and x.shape[1] == expected + extra:
                expected, extra = expected + extra, 0  # the caller padded already
        elif callable(model):
            inner, extra = model, 0
            expected = _input_length(model)
        else:
            raise ValueError(f"Expected a Keras model or a RobustModel. Received: model={model!r}")
        if expected is not None and x.shape[1] != expected:
            padded = f" (or {expected + extra}, already padded)" if extra else ""
            raise ValueError(
                f"Expected sequences of length {expected}{padded} for this model. Received: x with shape {x.shape}"
            )
        self.inner = inner
        self.extra = int(extra)
        self.left = self.extra // 2
        self.length = x.shape[1]
        self.seed = seed
        self.num_tasks = self._count_tasks()
        if not validation.is_int(task) or not 0 <= task < self.num_tasks:
            raise ValueError(
                f"Expected `task` to be an integer in [0, {self.num_tasks}) (the model has {self.num_tasks} "
                f"output{'s' if self.num_tasks > 1 else ''}). Received: task={task!r}"
            )
        self.task = int(task)

    def _count_tasks(self) -> int:
        probe = np.zeros((1, self.length + self.extra, ALPHABET_SIZE), np.float32)
        probe[..., 0] = 1.0
        shape = tuple(_call(self.inner, tf.constant(probe)).shape)
        if len(shape) == 1:
            return 1
        if len(shape) != 2:
            raise ValueError(f"Expected model outputs of shape (N,) or (N, tasks). Received: outputs of shape {shape}")
        return int(shape[1])

    def flanks(self, size: int, rng: np.random.Generator, shared: bool = False, padding=None):
        """Random DNA ``(size, extra // 2, 4)`` and ``(size, extra - extra // 2, 4)`` (one pair if ``shared``).

        ``padding``: the caller's ``(left, right)`` of those shapes, used as given (``rng`` is not drawn from).
        """
        if padding is not None and self.extra:
            return self._given(size, padding)
        rows = 1 if shared else size
        bases = rng.integers(0, ALPHABET_SIZE, (rows, self.extra))
        padding = np.eye(ALPHABET_SIZE, dtype=np.float32)[bases].reshape(rows, self.extra, ALPHABET_SIZE)
        if shared:
            padding = np.broadcast_to(padding, (size, self.extra, ALPHABET_SIZE))
        return np.ascontiguousarray(padding[:, : self.left]), np.ascontiguousarray(padding[:, self.left :])

    def _given(self, size: int, padding):
        shapes = ((size, self.left, ALPHABET_SIZE), (size, self.extra - self.left, ALPHABET_SIZE))
        parts: tuple[np.ndarray, np.ndarray] | None
        try:
            left, right = (np.asarray(part, dtype=np.float32) for part in padding)
            parts = (left, right)
        except (TypeError, ValueError):
            parts = None
        if parts is None or (parts[0].shape, parts[1].shape) != shapes:
            received = "not a pair of arrays" if parts is None else f"shapes {parts[0].shape} and {parts[1].shape}"
            raise ValueError(
                f"Expected `padding` = (left, right) random DNA of shapes {shapes[0]} and {shapes[1]} "
                f"(this RobustModel pads {self.extra} positions). Received: padding with {received}"
            )
        return np.ascontiguousarray(parts[0]), np.ascontiguousarray(parts[1])

    def function(self, kind: str, builder):
        """The compiled ``tf.function`` of ``kind`` for this model and length (traced once, then cached)."""
        key = (kind, self.length, self.extra)
        try:
            cache = _FUNCTIONS.setdefault(self.inner, {})
        except TypeError:  # not weak-referenceable: build every time
            cache = {}
        if key not in cache:
            cache[key] = builder(self)
        return cache[key]

    def specs(self, *extra_specs):
        sequence = tf.TensorSpec([None, self.length, ALPHABET_SIZE], tf.float32)
        left = tf.TensorSpec([None, self.left, ALPHABET_SIZE], tf.float32)
        right = tf.TensorSpec([None, self.extra - self.left, ALPHABET_SIZE], tf.float32)
        return [sequence, left, right, tf.TensorSpec([], tf.int32), *extra_specs]


def _weak(model):
    """A weak reference to ``model`` (a strong one for objects that refuse weak references)."""
    try:
        return weakref.ref(model)
    except TypeError:
        return lambda: model


def _input_length(model):
    try:
        shape = tuple(model.input_shape)
    except (AttributeError, ValueError, TypeError):
        return None
    return shape[1] if len(shape) == 3 else None


def _call(inner, x):
    if isinstance(inner, keras.layers.Layer):
        return inner(x, training=False)
    return inner(x)


def _column_sum(inner, left, x, right, task):
    """``sum_n f(pad(x_n))[task]`` (outputs depend on their own row only, so its gradient is per row)."""
    outputs = tf.cast(_call(inner, tf.concat([left, x, right], axis=1)), tf.float32)
    outputs = tf.reshape(outputs, [tf.shape(x)[0], -1])
    return tf.reduce_sum(tf.gather(outputs, task, axis=1))


def _gradient(inner, left, x, right, task):
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = _column_sum(inner, left, x, right, task)
    return tape.gradient(total, x)


def _build_saliency(target):
    inner = _weak(target.inner)

    @tf.function(input_signature=target.specs(), autograph=False)
    def saliency_batch(x, left, right, task):
        return _gradient(inner(), left, x, right, task)

    return saliency_batch


def _build_path(target):
    """Integrated Gradients along straight paths: ``sum_k w_k grad f(r + a_k (x - r))``, on-graph."""
    inner = _weak(target.inner)
    specs = target.specs(
        tf.TensorSpec([None, target.length, ALPHABET_SIZE], tf.float32),  # references, one per row
        tf.TensorSpec([None, None], tf.float32),  # alphas (rows, points)
        tf.TensorSpec([None, None], tf.float32),  # weights (rows, points)
    )

    @tf.function(input_signature=specs)
    def path_batch(x, left, right, task, reference, alphas, weights):
        total = tf.zeros_like(x)
        for point in tf.range(tf.shape(alphas)[1]):
            alpha = alphas[:, point][:, tf.newaxis, tf.newaxis]
            weight = weights[:, point][:, tf.newaxis, tf.newaxis]
            total += weight * _gradient(inner(), left, reference + alpha * (x - reference), right, task)
        return total

    return path_batch


def _build_expected(target):
    """Expected gradients: references gathered from the background inside the graph, one per point."""
    inner = _weak(target.inner)
    specs = target.specs(
        tf.TensorSpec([None, target.length, ALPHABET_SIZE], tf.float32),  # background (M, L, 4)
        tf.TensorSpec([None, None], tf.int32),  # reference index (rows, samples)
        tf.TensorSpec([None, None], tf.float32),  # alphas (rows, samples)
        tf.TensorSpec([], tf.bool),  # multiply by (x - reference)
    )

    @tf.function(input_signature=specs)
    def expected_batch(x, left, right, task, background, index, alphas, multiply):
        total = tf.zeros_like(x)
        samples = tf.shape(alphas)[1]
        for sample in tf.range(samples):
            reference = tf.gather(background, index[:, sample])
            alpha = alphas[:, sample][:, tf.newaxis, tf.newaxis]
            gradient = _gradient(inner(), left, reference + alpha * (x - reference), right, task)
            total += tf.where(multiply, (x - reference) * gradient, gradient)
        return total / tf.cast(samples, tf.float32)

    return expected_batch


def _run_batches(function, count: int, batch_size: int, progress: bool, description: str, make_args):
    """Call ``function(*make_args(start, stop))`` per batch and stack the results ``(count, L, 4)``."""
    results = []
    starts = range(0, count, batch_size)
    for start in tqdm(starts, desc=description, unit="batch", disable=not progress, leave=False):
        stop = min(start + batch_size, count)
        results.append(function(*make_args(start, stop)).numpy())
    return np.concatenate(results) if results else None


def _prepare(model, x, task, batch_size, seed):
    x = check_sequences(x)
    batch_size = check_positive_int("batch_size", batch_size)
    return x, _Target(model, x, task, seed), batch_size, np.random.default_rng(seed)


# ---------------------------------------------------------------------------- methods
def saliency(
    model: keras.Model,
    x: np.ndarray,
    task: int = 0,
    batch_size: int = 128,
    progress: bool = False,
    seed: int = 0,
    padding: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Saliency map: the gradient of output ``task`` with respect to the one-hot input.

    Parameters
    ----------
    model : keras.Model or RobustModel
        Maps ``(N, L, 4)`` (a RobustModel: length ``L``, padded here) to ``(N,)`` or ``(N, tasks)``.
    x : array-like
        ``(N, L, 4)`` one-hot sequences, columns A, C, G, T.
    task : int
        Output column to explain.
    batch_size : int
        Sequences per gradient call.
    progress : bool
        Show a tqdm bar over batches.
    seed : int
        Seed of the random padding of a RobustModel with insertions (ignored otherwise).
    padding : (array, array), optional
        A RobustModel's padding ``(left, right)``, shapes ``(N, insert_max // 2, 4)`` and
        ``(N, insert_max - insert_max // 2, 4)``, to use instead of one draw per row from ``seed``
        (e.g. one draw shared by several shifted copies of a sequence). Ignored for other models.

    Returns
    -------
    np.ndarray
        ``(N, L, 4)`` float32, ``d f_task / d x``. Apply :func:`correct_gradients` before reading it.
    """
    x, target, batch_size, rng = _prepare(model, x, task, batch_size, seed)
    left, right = target.flanks(len(x), rng, padding=padding)
    function = target.function("saliency", _build_saliency)
    task_tensor = tf.constant(target.task, tf.int32)
    result = _run_batches(
        function,
        len(x),
        batch_size,
        progress,
        "saliency",
        lambda a, b: (x[a:b], left[a:b], right[a:b], task_tensor),
    )
    return np.zeros_like(x) if result is None else result


def _baseline(baseline, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    if baseline is None or (isinstance(baseline, str) and baseline == "zeros"):
        return np.zeros_like(x)
    if isinstance(baseline, str):
        if baseline == "uniform":
            return np.full_like(x, 1.0 / ALPHABET_SIZE)
        if baseline == "shuffle":
            order = np.argsort(rng.random(x.shape[:2]), axis=1)
            return np.take_along_axis(x, order[..., np.newaxis], axis=1)
        raise ValueError(
            f"Expected `baseline` to be None, one of {BASELINES} or an array of shape (L, 4) or (N, L, 4). "
            f"Received: baseline={baseline!r}"
        )
    array = np.asarray(baseline, dtype=np.float32)
    if array.shape == x.shape[1:]:
        return np.broadcast_to(array, x.shape).copy()
    if array.shape != x.shape:
        raise ValueError(
            f"Expected `baseline` of shape {x.shape[1:]} or {x.shape} (like x). Received: baseline with shape "
            f"{array.shape}"
        )
    return array


def integrated_gradients(
    model: keras.Model,
    x: np.ndarray,
    task: int = 0,
    baseline: str | np.ndarray | None = None,
    steps: int = 50,
    batch_size: int = 128,
    multiply_by_inputs: bool = True,
    progress: bool = False,
    seed: int = 0,
    padding: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Integrated Gradients (Sundararajan et al. 2017) from a baseline to each sequence.

    ``IG(x) = (x - b) * integral_0^1 grad f(b + a (x - b)) da``, the integral by the trapezoidal rule
    on ``steps`` intervals (``steps + 1`` gradient evaluations per sequence, looped inside the
    graph). Completeness: ``IG(x).sum() == f(x) - f(b)`` up to the quadrature error.

    Parameters
    ----------
    model : keras.Model or RobustModel
        As in :func:`saliency`.
    x : array-like
        ``(N, L, 4)`` one-hot sequences.
    task : int
        Output column to explain.
    baseline : None, {"zeros", "uniform", "shuffle"} or array-like
        Reference ``b``. None or "zeros": all-zero ``(L, 4)`` (the default); "uniform": 0.25
        everywhere; "shuffle": each sequence with its positions permuted at random (same
        composition, seeded); an array ``(L, 4)`` (one baseline for all) or ``(N, L, 4)``.
    steps : int
        Number of intervals of the path integral.
    batch_size : int
        Sequences per model call.
    multiply_by_inputs : bool
        True: the attribution ``(x - b) * mean gradient``. False: the path-averaged gradient
        ``(N, L, 4)`` itself, e.g. to correct it (:func:`correct_gradients`) before multiplying.
    progress : bool
        Show a tqdm bar over batches.
    seed : int
        Seed of the "shuffle" baseline and of a RobustModel's padding.
    padding : (array, array), optional
        A RobustModel's padding ``(left, right)``, shapes ``(N, insert_max // 2, 4)`` and
        ``(N, insert_max - insert_max // 2, 4)``, to use instead of one draw per row from ``seed``
        (e.g. one draw shared by several shifted copies of a sequence). Ignored for other models.

    Returns
    -------
    np.ndarray
        ``(N, L, 4)`` float32.
    """
    x, target, batch_size, rng = _prepare(model, x, task, batch_size, seed)
    steps = check_positive_int("steps", steps)
    reference = _baseline(baseline, x, rng)
    left, right = target.flanks(len(x), rng, padding=padding)
    alphas = np.linspace(0.0, 1.0, steps + 1, dtype=np.float32)[np.newaxis]
    weights = np.full((1, steps + 1), 1.0 / steps, np.float32)
    weights[0, [0, -1]] *= 0.5
    function = target.function("path", _build_path)
    task_tensor = tf.constant(target.task, tf.int32)

    def arguments(a, b):
        rows = b - a
        return (
            x[a:b],
            left[a:b],
            right[a:b],
            task_tensor,
            reference[a:b],
            np.repeat(alphas, rows, 0),
            np.repeat(weights, rows, 0),
        )

    gradient = _run_batches(function, len(x), batch_size, progress, "integrated gradients", arguments)
    if gradient is None:
        return np.zeros_like(x)
    return (x - reference) * gradient if multiply_by_inputs else gradient


def expected_gradients(
    model: keras.Model,
    x: np.ndarray,
    background: np.ndarray,
    task: int = 0,
    samples: int = 50,
    batch_size: int = 128,
    multiply_by_inputs: bool = True,
    progress: bool = False,
    seed: int = 0,
    padding: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Expected gradients (Erion et al. 2021): Integrated Gradients averaged over a background.

    ``EG(x) = E_{r ~ background, a ~ U(0, 1)} [(x - r) * grad f(r + a (x - r))]``, estimated with
    ``samples`` draws of ``(r, a)`` per sequence. In expectation ``EG(x).sum() == f(x) - E_r f(r)``,
    the quantity DeepSHAP attributes too; EG gets there with plain gradients, batched and
    on-graph, on any differentiable model.

    Parameters
    ----------
    model : keras.Model or RobustModel
        As in :func:`saliency`.
    x : array-like
        ``(N, L, 4)`` one-hot sequences.
    background : array-like
        ``(M, L, 4)`` reference sequences, e.g. dinucleotide-shuffled or random test sequences.
    task : int
        Output column to explain.
    samples : int
        Draws of (reference, point on the path) per sequence.
    batch_size : int
        Sequences per model call.
    multiply_by_inputs : bool
        False: the average gradient ``E[grad f]`` instead of the attribution.
    progress : bool
        Show a tqdm bar over batches.
    seed : int
        Seed of the draws and of a RobustModel's padding.
    padding : (array, array), optional
        A RobustModel's padding ``(left, right)``, shapes ``(N, insert_max // 2, 4)`` and
        ``(N, insert_max - insert_max // 2, 4)``, to use instead of one draw per row from ``seed``
        (e.g. one draw shared by several shifted copies of a sequence). Ignored for other models.

    Returns
    -------
    np.ndarray
        ``(N, L, 4)`` float32.
    """
    x, target, batch_size, rng = _prepare(model, x, task, batch_size, seed)
    samples = check_positive_int("samples", samples)
    background = _check_background(background, x)
    index = rng.integers(0, len(background), (len(x), samples)).astype(np.int32)
    alphas = rng.random((len(x), samples)).astype(np.float32)
    left, right = target.flanks(len(x), rng, padding=padding)
    function = target.function("expected", _build_expected)
    task_tensor = tf.constant(target.task, tf.int32)
    multiply = tf.constant(bool(multiply_by_inputs))
    result = _run_batches(
        function,
        len(x),
        batch_size,
        progress,
        "expected gradients",
        lambda a, b: (x[a:b], left[a:b], right[a:b], task_tensor, background, index[a:b], alphas[a:b], multiply),
    )
    return np.zeros_like(x) if result is None else result


def _check_background(background, x):
    background = check_sequences(background, "background")
    if background.shape[1:] != x.shape[1:] or len(background) == 0:
        raise ValueError(
            f"Expected `background` of shape (M, {x.shape[1]}, 4) with M >= 1, like x {x.shape}. "
            f"Received: background with shape {background.shape}"
        )
    return background


class _TaskColumn(keras.layers.Layer):
    """Keep output column ``task`` as ``(N, 1)`` (a layer, so that shap sees a single-output model)."""

    def __init__(self, task, **kwargs):
        super().__init__(**kwargs)
        self.task = task

    def call(self, outputs):
        if len(outputs.shape) == 1:
            return outputs[:, None]
        return outputs[:, self.task : self.task + 1]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 1)


def deep_shap(
    model: keras.Model,
    x: np.ndarray,
    background: np.ndarray,
    task: int = 0,
    batch_size: int = 32,
    check_additivity: bool = True,
    progress: bool = False,
    seed: int = 0,
) -> np.ndarray:
    """DeepSHAP: ``shap.DeepExplainer`` (Lundberg & Lee 2017) for one output column.

    Needs the optional package ``shap`` (``pip install shap``); tested with shap 0.51 on
    TensorFlow 2.21 / Keras 3. See the module docstring for what shap supports: use
    :func:`expected_gradients` when it fails on your model or is too slow.

    Parameters
    ----------
    model : keras.Model or RobustModel
        A functional or Sequential Keras model (or a RobustModel wrapping one). For a RobustModel
        with insertions, ``x`` and ``background`` get the *same* random padding (one draw from
        ``seed``), so the padding takes no attribution and the map is cropped back to ``L``.
    x : array-like
        ``(N, L, 4)`` one-hot sequences.
    background : array-like
        ``(M, L, 4)`` references; shap recommends up to a few hundred.
    task : int
        Output column to explain.
    batch_size : int
        Sequences per ``shap_values`` call (shap itself loops over them one by one).
    check_additivity : bool
        Let shap check ``sum(attribution) == f(x) - mean f(background)``; it raises if a layer
        was not handled by the DeepLIFT rules.
    progress : bool
        Show a tqdm bar over batches.
    seed : int
        Seed of a RobustModel's padding.

    Returns
    -------
    np.ndarray
        ``(N, L, 4)`` float32.

    Raises
    ------
    ImportError
        When shap is not installed.
    """
    x, target, batch_size, rng = _prepare(model, x, task, batch_size, seed)
    background = _check_background(background, x)
    try:
        import shap
    except ImportError:
        raise ImportError(
            "deep_shap needs the optional package shap: pip install shap. "
            "expected_gradients(model, x, background) needs nothing else and attributes the same quantity."
        ) from None
    inner = target.inner
    if not isinstance(inner, keras.Model) or not getattr(inner, "inputs", None):
        raise ValueError(
            "Expected a functional or Sequential Keras model for deep_shap (shap.DeepExplainer walks its graph). "
            f"Received: {type(inner).__name__} without symbolic inputs; use expected_gradients instead."
        )
    explained = keras.Model(inner.inputs, _TaskColumn(target.task)(inner.outputs[0]))
    left, right = target.flanks(1, rng, shared=True)

    def pad(values):
        count = len(values)
        return np.concatenate([np.repeat(left, count, 0), values, np.repeat(right, count, 0)], axis=1)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras complains about shap's input structure
        explainer = shap.DeepExplainer(explained, pad(background))
        results = []
        starts = range(0, len(x), batch_size)
        for start in tqdm(starts, desc="DeepSHAP", unit="batch", disable=not progress, leave=False):
            values = explainer.shap_values(pad(x[start : start + batch_size]), check_additivity=check_additivity)
            values = np.asarray(values, dtype=np.float32)
            results.append(values.reshape(values.shape[:3]))
    if not results:
        return np.zeros_like(x)
    return np.concatenate(results)[:, target.left : target.left + target.length]


def attribute(model: keras.Model, x: np.ndarray, method: str = "saliency", task: int = 0, **kwargs: Any) -> np.ndarray:
    """Dispatch to an attribution method by name.

    Parameters
    ----------
    model : keras.Model or RobustModel
        The model to explain.
    x : array-like
        ``(N, L, 4)`` one-hot sequences.
    method : str or callable
        One of :data:`METHODS`, or a function ``method(model, x, task=task, **kwargs)`` returning
        ``(N, L, 4)``.
    task : int
        Output column to explain.
    **kwargs
        Passed to the method (e.g. ``background=`` for expected gradients and DeepSHAP).

    Returns
    -------
    np.ndarray
        ``(N, L, 4)`` attribution map.
    """
    functions: dict[str, Callable[..., np.ndarray]] = {
        "saliency": saliency,
        "integrated_gradients": integrated_gradients,
        "expected_gradients": expected_gradients,
        "deep_shap": deep_shap,
    }
    if callable(method):
        return np.asarray(method(model, x, task=task, **kwargs), dtype=np.float32)
    if method not in functions:
        raise ValueError(f"Expected `method` to be one of {METHODS} or a function. Received: method={method!r}")
    return functions[method](model, x, task=task, **kwargs)
