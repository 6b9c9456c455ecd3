"""Building blocks for augmentations: seeds, draws, random bases and the gather.

Public, for writing your own augmentation the way the built-in ones are written: everything
here is vectorised over the batch and uses stateless random ops with one RNG algorithm, so it
runs eagerly, in ``tf.function``, under ``jit_compile=True`` and in ``tf.data``, and a seed
means the same draw on CPU and GPU. Seeds are ``(2,)`` integer tensors; int32 and int64 seeds
with the same values give the same draws.
"""

from __future__ import annotations

import tensorflow as tf

__all__ = [
    "RNG_ALGORITHM",
    "as_seed",
    "uniform",
    "normal",
    "shape_of",
    "split_seed",
    "draw_int",
    "draw_bernoulli",
    "random_bases",
    "positions",
    "column",
    "gather_positions",
    "complement",
]

#: One counter-based RNG on every device, so a seed means the same draw on CPU and GPU.
#: (XLA lowers stateless RNG its own way: under jit_compile a seed repeats, but draws differ from eager.)
RNG_ALGORITHM = "philox"


def as_seed(seed: tf.Tensor | list[int] | tuple[int, int]) -> tf.Tensor:
    """A stateless seed as an int64 ``(2,)`` tensor (so int32 and int64 seeds draw alike)."""
    return tf.cast(seed, tf.int64)


def uniform(
    shape: list | tf.Tensor,
    seed: tf.Tensor,
    minval: int | tf.Tensor = 0,
    maxval: int | tf.Tensor | None = None,
    dtype: tf.DType = tf.float32,
) -> tf.Tensor:
    """``tf.random.stateless_uniform`` with the package's RNG algorithm (``maxval`` exclusive)."""
    return tf.random.stateless_uniform(
        shape, as_seed(seed), minval=minval, maxval=maxval, dtype=dtype, alg=RNG_ALGORITHM
    )


def normal(shape: list | tf.Tensor, seed: tf.Tensor, mean: float = 0.0, stddev: float = 1.0) -> tf.Tensor:
    """``tf.random.stateless_normal`` with the package's RNG algorithm, float32."""
    return tf.random.stateless_normal(shape, as_seed(seed), mean=mean, stddev=stddev, alg=RNG_ALGORITHM)


def shape_of(x: tf.Tensor) -> list:
    """``[N, L, A]`` of ``x``: Python ints where the static shape knows them, scalar tensors elsewhere.

    Static sizes keep counts derived from them (e.g. the number of mutations) constant under XLA.
    """
    dynamic = tf.shape(x)
    return [size if size is not None else dynamic[axis] for axis, size in enumerate(x.shape)]


def split_seed(seed: tf.Tensor, count: int) -> list[tf.Tensor]:
    """Split one stateless seed ``(2,)`` into ``count`` independent seeds."""
    return tf.unstack(tf.random.experimental.stateless_split(as_seed(seed), num=count, alg=RNG_ALGORITHM))


def draw_int(
    seed: tf.Tensor,
    size: int | tf.Tensor,
    minval: int | tf.Tensor,
    maxval_inclusive: int | tf.Tensor,
    batch_mode: bool = False,
) -> tf.Tensor:
    """Draw ``size`` integers uniformly from ``{minval .. maxval_inclusive}``.

    Returns ``(size,)`` int32. In batch mode one value is drawn and repeated.
    ``maxval_inclusive`` may be a tensor (it may depend on the sequence length).
    """
    draws = 1 if batch_mode else size
    minval = tf.cast(minval, tf.int32)
    maxval = tf.cast(maxval_inclusive, tf.int32) + 1
    values = uniform([draws], seed, minval=minval, maxval=maxval, dtype=tf.int32)
    return tf.broadcast_to(values, [size]) if batch_mode else values


def draw_bernoulli(seed: tf.Tensor, size: int | tf.Tensor, probability: float, batch_mode: bool = False) -> tf.Tensor:
    """``(size,)`` bool, each True with ``probability`` (one shared draw in batch mode)."""
    draws = 1 if batch_mode else size
    values = uniform([draws], seed) < probability
    return tf.broadcast_to(values, [size]) if batch_mode else values


def random_bases(
    seed: tf.Tensor, size: int | tf.Tensor, length: int | tf.Tensor, alphabet_size: int | tf.Tensor
) -> tf.Tensor:
    """``(size, length)`` int32 base indices, uniform over the alphabet."""
    return uniform([size, length], seed, minval=0, maxval=alphabet_size, dtype=tf.int32)


def positions(length: int | tf.Tensor) -> tf.Tensor:
    """``(1, length)`` int32 row of positions ``0 .. length-1`` (broadcasts over the batch)."""
    return tf.range(length, dtype=tf.int32)[tf.newaxis, :]


def column(values: tf.Tensor) -> tf.Tensor:
    """``(N,)`` -> ``(N, 1)`` so a per-sequence value broadcasts against ``positions``."""
    return tf.cast(values, tf.int32)[:, tf.newaxis]


def gather_positions(source: tf.Tensor, index: tf.Tensor) -> tf.Tensor:
    """Pick ``source[n, index[n, i], :]`` for every sequence ``n`` and output position ``i``.

    Parameters
    ----------
    source : tf.Tensor
        ``(N, S, A)``: the sequences, often concatenated with their complement
        and with random DNA so one gather builds the whole output.
    index : tf.Tensor
        ``(N, L_out)`` int32 positions into ``source``'s second axis.

    Returns
    -------
    tf.Tensor
        ``(N, L_out, A)``.
    """
    return tf.gather(source, index, axis=1, batch_dims=1)


def complement(x: tf.Tensor) -> tf.Tensor:
    """Complement of ``(N, L, 4)`` one-hot ACGT: reverse the alphabet axis."""
    return tf.reverse(x, axis=[-1])
