"""Random deletion: remove a stretch, close the gap, refill the ends with random DNA."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from evoaug_tf.augment import _checks, ops
from evoaug_tf.augment.base import AugmentBase, Parameter, register

__all__ = ["RandomDeletion", "RandomDeletionBatch"]


@register
class RandomDeletion(AugmentBase):
    """Delete a random stretch from every sequence, keeping the length ``L``.

    For each sequence a length ``d ~ U{delete_min .. delete_max}`` and a start
    ``s ~ U{0 .. L - delete_max}`` are drawn. The stretch ``x[s : s + d]`` is
    removed, the rest closes up in order, and ``d`` random nucleotides refill
    the ends: ``d // 2`` before the sequence and the rest after it.

    Parameters
    ----------
    delete_min, delete_max : int
        Inclusive range of the deletion length (defaults 0 and 20).
    seed : int, optional
        Seed of the augmentation's own stream (see :class:`AugmentBase`).

    Examples
    --------
    ``x = [x0 .. x9]``, ``d = 3``, ``s = 4``: output ``[r0, x0, x1, x2, x3, x7, x8, x9, r1, r2]``.
    """

    name = "deletion"
    letter = "D"
    parameters = (
        Parameter("delete_min", "int", 0, 50, 1, "deletion length"),
        Parameter("delete_max", "int", 0, 50, 1, "deletion length", search=(0, 10, 20, 30, 40, 50)),
    )
    paper_settings = {"delete_min": 0, "delete_max": 30}
    delete_min: int
    delete_max: int

    def __init__(self, delete_min: int = 0, delete_max: int = 20, seed: int | None = None) -> None:
        super().__init__(seed, delete_min=delete_min, delete_max=delete_max)

    def check_length(self, length: int | None) -> None:
        _checks.check_fits("delete_max", self.delete_max, length)

    def sample(self, shape: list | tf.Tensor, seed: tf.Tensor) -> dict[str, tf.Tensor]:
        """Draw ``length``, ``start`` ``(N,)`` int32 and ``filler`` ``(N, delete_max)`` base indices."""
        size, length, alphabet = shape[0], shape[1], shape[2]
        last_start = _checks.fits_at_run_time("delete_max", self.delete_max, length)
        seed_length, seed_start, seed_filler = ops.split_seed(seed, 3)
        return {
            "length": ops.draw_int(seed_length, size, self.delete_min, self.delete_max, self.batch_mode),
            "start": ops.draw_int(seed_start, size, 0, last_start, self.batch_mode),
            "filler": ops.random_bases(seed_filler, size, self.delete_max, alphabet),
        }

    def apply(self, x: tf.Tensor, params: dict[str, tf.Tensor]) -> tf.Tensor:
        x = tf.convert_to_tensor(x)
        seq_len = ops.shape_of(x)[1]
        deleted = ops.column(params["length"])
        start = ops.column(params["start"])
        i = ops.positions(seq_len)
        front = deleted // 2  # filler bases before the sequence
        back_start = seq_len - (deleted - front)  # first filler position after it
        from_sequence = tf.where(i < front + start, i - front, i - front + deleted)
        from_filler = seq_len + tf.where(i < front, i, i - back_start + front)
        index = tf.where((i < front) | (i >= back_start), from_filler, from_sequence)
        filler = tf.one_hot(params["filler"], ops.shape_of(x)[2], dtype=x.dtype)
        return ops.gather_positions(tf.concat([x, filler], axis=1), index)

    def describe_one(self, x: np.ndarray, params: dict, output: np.ndarray) -> dict:
        """``length``, ``start``, ``end`` (input positions) and the refill split ``fill_start``, ``fill_end``."""
        deleted, start = int(params["length"]), int(params["start"])
        front = deleted // 2
        return {
            "length": deleted,
            "start": start,
            "end": start + deleted,
            "fill_start": front,
            "fill_end": deleted - front,
            "short": f"d = {deleted} at s = {start}",
        }

    @classmethod
    def figure_layout(cls, info: dict) -> tuple[list, list, list]:
        length, start, deleted, front = info["input_length"], info["start"], info["length"], info["fill_start"]
        marks_in = [(start, start + deleted, "deleted")]
        marks_out = [(0, front, "filler"), (length - info["fill_end"], length, "filler")]
        if deleted:
            marks_out.append((front + start, front + start, "cut"))
        ribbons = [
            (0, start, front, front + start, False, False),
            (start + deleted, length, front + start, length - info["fill_end"], False, False),
        ]
        return marks_in, marks_out, ribbons


@register
class RandomDeletionBatch(RandomDeletion):
    """:class:`RandomDeletion` with one length and start drawn for the whole batch.

    Every sequence loses the same stretch; the refill DNA still differs per sequence.
    """

    batch_mode = True
