"""Random inversion: replace a stretch by its reverse complement."""

from __future__ import annotations

import tensorflow as tf

from evoaug_tf.augment import _checks, ops
from evoaug_tf.augment.base import AugmentBase, register


@register
class RandomInversion(AugmentBase):
    """Reverse-complement a random stretch of every sequence, in place.

    A length ``k ~ U{invert_min .. invert_max}`` and a start
    ``s ~ U{0 .. L - invert_max}`` are drawn per sequence; ``x[s : s + k]`` is
    replaced by its reverse complement. Needs the ACGT alphabet (size 4).

    Parameters
    ----------
    invert_min, invert_max : int
        Inclusive range of the inverted length (defaults 0 and 20).
    seed : int, optional
        Seed of the augmentation's own stream (see :class:`AugmentBase`).

    Examples
    --------
    ``AACCGGTT`` with ``k = 3``, ``s = 1``: ``A`` + rc(``ACC``) + ``GGTT`` = ``AGGTGGTT``.
    """

    needs_complement = True

    def __init__(self, invert_min: int = 0, invert_max: int = 20, seed: int | None = None):
        super().__init__(seed)
        self.invert_min, self.invert_max = _checks.check_range(
            "invert_min", invert_min, "invert_max", invert_max
        )

    def check_length(self, length):
        _checks.check_fits("invert_max", self.invert_max, length)

    def sample(self, shape, seed):
        """Draw ``length`` and ``start`` ``(N,)`` int32."""
        size, length = shape[0], shape[1]
        seed_length, seed_start = ops.split_seed(seed, 2)
        return {
            "length": ops.draw_int(seed_length, size, self.invert_min, self.invert_max, self.batch_mode),
            "start": ops.draw_int(seed_start, size, 0, length - self.invert_max, self.batch_mode),
        }

    def apply(self, x, params):
        x = tf.convert_to_tensor(x)
        seq_len = ops.shape_of(x)[1]
        inverted = ops.column(params["length"])
        start = ops.column(params["start"])
        i = ops.positions(seq_len)
        inside = (i >= start) & (i < start + inverted)
        # Source: x followed by its complement; position j of the complement is seq_len + j.
        index = tf.where(inside, seq_len + 2 * start + inverted - 1 - i, i)
        return ops.gather_positions(tf.concat([x, ops.complement(x)], axis=1), index)

    def get_config(self):
        return {"invert_min": self.invert_min, "invert_max": self.invert_max, **super().get_config()}


@register
class RandomInversionBatch(RandomInversion):
    """:class:`RandomInversion` with one length and start drawn for the whole batch."""

    batch_mode = True
