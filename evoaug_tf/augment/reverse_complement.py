"""Random reverse-complement of whole sequences."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from evoaug_tf.augment import ops
from evoaug_tf.augment._checks import Interval
from evoaug_tf.augment.base import AugmentBase, Parameter, register

__all__ = ["RandomRC", "RandomRCBatch"]


@register
class RandomRC(AugmentBase):
    """Reverse-complement each sequence with probability ``rc_prob``.

    Needs the ACGT alphabet (size 4): the complement reverses the alphabet axis.

    Parameters
    ----------
    rc_prob : float
        Probability in [0, 1] that a sequence is flipped (default 0.5).
    seed : int, optional
        Seed of the augmentation's own stream (see :class:`AugmentBase`).

    Examples
    --------
    ``AACG`` flipped: ``CGTT``.
    """

    needs_complement = True
    name = "rc"
    letter = "R"
    parameters = (
        Parameter(
            "rc_prob",
            "float",
            0.0,
            1.0,
            0.05,
            "rc_prob",
            search=(0.0, 0.1, 0.2, 0.3, 0.4, 0.5),
            valid=Interval("float", 0, 1),
        ),
    )
    paper_settings = {"rc_prob": 0.5}
    rc_prob: float

    def __init__(self, rc_prob: float = 0.5, seed: int | None = None) -> None:
        super().__init__(seed, rc_prob=rc_prob)

    def sample(self, shape: list | tf.Tensor, seed: tf.Tensor) -> dict[str, tf.Tensor]:
        """Draw ``flip`` ``(N,)`` bool."""
        return {"flip": ops.draw_bernoulli(seed, shape[0], self.rc_prob, self.batch_mode)}

    def apply(self, x: tf.Tensor, params: dict[str, tf.Tensor]) -> tf.Tensor:
        x = tf.convert_to_tensor(x)
        flipped = tf.reverse(x, axis=[1, 2])
        return tf.where(params["flip"][:, tf.newaxis, tf.newaxis], flipped, x)

    def describe_one(self, x: np.ndarray, params: dict, output: np.ndarray) -> dict:
        """``flipped``: whether the sequence was reverse-complemented."""
        flipped = bool(params["flip"])
        return {"flipped": flipped, "short": "flipped (reverse complement)" if flipped else "not flipped"}

    @classmethod
    def figure_layout(cls, info: dict) -> tuple[list, list, list]:
        length, flipped = info["input_length"], info["flipped"]
        marks_out = [(0, length, "flipped")] if flipped else []
        return [], marks_out, [(0, length, 0, length, flipped, flipped)]


@register
class RandomRCBatch(RandomRC):
    """:class:`RandomRC` with one coin flip for the whole batch: all flipped or none."""

    batch_mode = True
