"""Random reverse-complement of whole sequences."""

from __future__ import annotations

import tensorflow as tf

from evoaug_tf.augment import _checks, ops
from evoaug_tf.augment.base import AugmentBase, register


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

    def __init__(self, rc_prob: float = 0.5, seed: int | None = None):
        super().__init__(seed)
        self.rc_prob = _checks.check_probability("rc_prob", rc_prob)

    def sample(self, shape, seed):
        """Draw ``flip`` ``(N,)`` bool."""
        return {"flip": ops.draw_bernoulli(seed, shape[0], self.rc_prob, self.batch_mode)}

    def apply(self, x, params):
        x = tf.convert_to_tensor(x)
        flipped = tf.reverse(x, axis=[1, 2])
        return tf.where(params["flip"][:, tf.newaxis, tf.newaxis], flipped, x)

    def get_config(self):
        return {"rc_prob": self.rc_prob, **super().get_config()}


@register
class RandomRCBatch(RandomRC):
    """:class:`RandomRC` with one coin flip for the whole batch: all flipped or none."""

    batch_mode = True
