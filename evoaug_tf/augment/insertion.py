"""Random insertion: insert random DNA, pad the rest of ``insert_max`` at both ends."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from evoaug_tf.augment import ops
from evoaug_tf.augment.base import AugmentBase, Parameter, register

__all__ = ["RandomInsertion", "RandomInsertionBatch"]


@register
class RandomInsertion(AugmentBase):
    """Insert a random stretch into every sequence; the output has length ``L + insert_max``.

    For each sequence a length ``k ~ U{insert_min .. insert_max}`` and a position
    ``p ~ U{0 .. L}`` are drawn; ``k`` random nucleotides go in before ``x[p]``
    (``p = L`` appends). The other ``insert_max - k`` positions are random DNA,
    ``(insert_max - k) // 2`` before the sequence and the rest after it, so all
    outputs share one length. ``k = 0`` is exactly the random padding that
    ``RobustModel`` gives sequences without an insertion.

    Parameters
    ----------
    insert_min, insert_max : int
        Inclusive range of the insertion length (defaults 0 and 20).
    seed : int, optional
        Seed of the augmentation's own stream (see :class:`AugmentBase`).

    Examples
    --------
    ``x = [x0 .. x5]``, ``insert_max = 4``, ``k = 2``, ``p = 3``:
    output ``[r0, x0, x1, x2, r1, r2, x3, x4, x5, r3]`` (length 10).
    """

    name = "insertion"
    letter = "I"
    parameters = (
        Parameter("insert_min", "int", 0, 50, 1, "insertion length"),
        Parameter("insert_max", "int", 0, 50, 1, "insertion length", search=(0, 10, 20, 30, 40, 50)),
    )
    paper_settings = {"insert_min": 0, "insert_max": 20}
    insert_min: int
    insert_max: int

    def __init__(self, insert_min: int = 0, insert_max: int = 20, seed: int | None = None) -> None:
        super().__init__(seed, insert_min=insert_min, insert_max=insert_max)

    def output_length(self, length: int) -> int:
        return length + self.insert_max

    def sample(self, shape: list | tf.Tensor, seed: tf.Tensor) -> dict[str, tf.Tensor]:
        """Draw ``length``, ``position`` ``(N,)`` int32 and ``filler`` ``(N, insert_max)`` base indices."""
        size, length, alphabet = shape[0], shape[1], shape[2]
        seed_length, seed_position, seed_filler = ops.split_seed(seed, 3)
        return {
            "length": ops.draw_int(seed_length, size, self.insert_min, self.insert_max, self.batch_mode),
            "position": ops.draw_int(seed_position, size, 0, length, self.batch_mode),
            "filler": ops.random_bases(seed_filler, size, self.insert_max, alphabet),
        }

    def apply(self, x: tf.Tensor, params: dict[str, tf.Tensor]) -> tf.Tensor:
        x = tf.convert_to_tensor(x)
        seq_len = ops.shape_of(x)[1]
        inserted = ops.column(params["length"])
        position = ops.column(params["position"])
        i = ops.positions(seq_len + self.insert_max)
        front = (self.insert_max - inserted) // 2
        # Output, left to right: filler[0:front], x[:p], filler[front:front+k], x[p:], filler[front+k:].
        # Filler slot j sits at index seq_len + j of the concatenated source.
        index = tf.where(
            i < front,
            seq_len + i,
            tf.where(
                i < front + position,
                i - front,
                tf.where(
                    i < front + position + inserted,
                    seq_len + i - position,
                    tf.where(i < seq_len + front + inserted, i - front - inserted, i),
                ),
            ),
        )
        filler = tf.one_hot(params["filler"], ops.shape_of(x)[2], dtype=x.dtype)
        return ops.gather_positions(tf.concat([x, filler], axis=1), index)

    def describe_one(self, x: np.ndarray, params: dict, output: np.ndarray) -> dict:
        """Insertion ``length``, ``position`` and ``insert_max``; padding and inserted stretch.

        ``pad_start``, ``pad_end`` and ``inserted_start`` .. ``inserted_end`` are output positions.
        """
        inserted, position = int(params["length"]), int(params["position"])
        front = (self.insert_max - inserted) // 2
        back = self.insert_max - inserted - front
        return {
            "length": inserted,
            "position": position,
            "insert_max": self.insert_max,
            "pad_start": front,
            "pad_end": back,
            "inserted_start": front + position,
            "inserted_end": front + position + inserted,
            "short": f"k = {inserted} at p = {position}, padding {front} + {back}",
        }

    @classmethod
    def figure_layout(cls, info: dict) -> tuple[list, list, list]:
        length, position, inserted, front = info["input_length"], info["position"], info["length"], info["pad_start"]
        marks_in = [(position, position, "cut")] if inserted else []
        marks_out = [
            (0, front, "filler"),
            (info["inserted_start"], info["inserted_end"], "inserted"),
            (front + inserted + length, info["output_length"], "filler"),
        ]
        ribbons = [
            (0, position, front, front + position, False, False),
            (position, length, info["inserted_end"], front + inserted + length, False, False),
        ]
        return marks_in, marks_out, ribbons


@register
class RandomInsertionBatch(RandomInsertion):
    """:class:`RandomInsertion` with one length and position drawn for the whole batch.

    The inserted and padding DNA still differ per sequence.
    """

    batch_mode = True
