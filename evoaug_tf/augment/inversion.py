"""Random inversion: replace a stretch by its reverse complement."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from evoaug_tf.augment import _checks, ops
from evoaug_tf.augment.base import AugmentBase, Parameter, register

__all__ = ["RandomInversion", "RandomInversionBatch"]


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
    name = "inversion"
    letter = None  # not among the paper's DeepSTARR letter codes (R, I, T, D, M, N)
    parameters = (
        Parameter("invert_min", "int", 0, 50, 1, "inversion length"),
        Parameter("invert_max", "int", 0, 50, 1, "inversion length"),
    )
    paper_settings = {"invert_min": 0, "invert_max": 20}
    invert_min: int
    invert_max: int

    def __init__(self, invert_min: int = 0, invert_max: int = 20, seed: int | None = None) -> None:
        super().__init__(seed, invert_min=invert_min, invert_max=invert_max)

    def check_length(self, length: int | None) -> None:
        _checks.check_fits("invert_max", self.invert_max, length)

    def sample(self, shape: list | tf.Tensor, seed: tf.Tensor) -> dict[str, tf.Tensor]:
        """Draw ``length`` and ``start`` ``(N,)`` int32."""
        size, length = shape[0], shape[1]
        last_start = _checks.fits_at_run_time("invert_max", self.invert_max, length)
        seed_length, seed_start = ops.split_seed(seed, 2)
        return {
            "length": ops.draw_int(seed_length, size, self.invert_min, self.invert_max, self.batch_mode),
            "start": ops.draw_int(seed_start, size, 0, last_start, self.batch_mode),
        }

    def apply(self, x: tf.Tensor, params: dict[str, tf.Tensor]) -> tf.Tensor:
        x = tf.convert_to_tensor(x)
        seq_len = ops.shape_of(x)[1]
        inverted = ops.column(params["length"])
        start = ops.column(params["start"])
        i = ops.positions(seq_len)
        inside = (i >= start) & (i < start + inverted)
        # Source: x followed by its complement; position j of the complement is seq_len + j.
        index = tf.where(inside, seq_len + 2 * start + inverted - 1 - i, i)
        return ops.gather_positions(tf.concat([x, ops.complement(x)], axis=1), index)

    def describe_one(self, x: np.ndarray, params: dict, output: np.ndarray) -> dict:
        """``length``, ``start`` and ``end`` of the inverted stretch."""
        inverted, start = int(params["length"]), int(params["start"])
        return {"length": inverted, "start": start, "end": start + inverted, "short": f"k = {inverted} at s = {start}"}

    @classmethod
    def figure_layout(cls, info: dict) -> tuple[list, list, list]:
        length, start, end = info["input_length"], info["start"], info["end"]
        ribbons = [
            (0, start, 0, start, False, False),
            (start, end, start, end, True, True),
            (end, length, end, length, False, False),
        ]
        return [(start, end, "inverted")], [(start, end, "inverted")], ribbons


@register
class RandomInversionBatch(RandomInversion):
    """:class:`RandomInversion` with one length and start drawn for the whole batch."""

    batch_mode = True
