"""Random point mutations at a fixed number of distinct positions."""

from __future__ import annotations

import tensorflow as tf

from evoaug_tf.augment import _checks, ops
from evoaug_tf.augment.base import AugmentBase, register


def mutation_count(mutate_frac: float, length):
    """Number of positions redrawn in a sequence of ``length``: ``round(mutate_frac / 0.75 * L)``.

    A redrawn base is uniform over ACGT, so a quarter of redraws are silent and
    about ``mutate_frac`` of all positions change. Capped at ``length``.
    """
    if isinstance(length, int):
        return min(length, int(round(mutate_frac / 0.75 * length)))
    count = tf.cast(tf.round(mutate_frac / 0.75 * tf.cast(length, tf.float32)), tf.int32)
    return tf.minimum(count, length)


@register
class RandomMutation(AugmentBase):
    """Redraw the bases at ``round(mutate_frac / 0.75 * L)`` distinct random positions.

    Each redrawn base is uniform over the alphabet, so on average ``mutate_frac``
    of the positions change (a quarter of the redraws are silent).

    Parameters
    ----------
    mutate_frac : float
        Expected fraction of positions that change, in [0, 1] (default 0.05).
        Values above 0.75 redraw every position.
    seed : int, optional
        Seed of the augmentation's own stream (see :class:`AugmentBase`).
    """

    def __init__(self, mutate_frac: float = 0.05, seed: int | None = None):
        super().__init__(seed)
        self.mutate_frac = _checks.check_probability("mutate_frac", mutate_frac)

    def sample(self, shape, seed):
        """Draw ``sites`` ``(N, k)`` distinct positions per row and ``bases`` ``(N, k)`` base indices.

        ``k = mutation_count(mutate_frac, L)``; ``bases[n, j]`` is the new base at ``sites[n, j]``.
        """
        size, length, alphabet = shape[0], shape[1], shape[2]
        seed_sites, seed_bases = ops.split_seed(seed, 2)
        count = mutation_count(self.mutate_frac, length)
        # The positions of the `count` largest of L uniform scores: `count` distinct random sites.
        scores = ops.uniform([size, length], seed_sites)
        return {
            "sites": tf.math.top_k(scores, k=count, sorted=False).indices,
            "bases": ops.random_bases(seed_bases, size, count, alphabet),
        }

    def apply(self, x, params):
        x = tf.convert_to_tensor(x)
        sites = tf.cast(params["sites"], tf.int32)
        rows = tf.broadcast_to(tf.range(tf.shape(sites)[0], dtype=tf.int32)[:, tf.newaxis], tf.shape(sites))
        new_bases = tf.one_hot(params["bases"], ops.shape_of(x)[2], dtype=x.dtype)  # (N, k, A)
        # Only the k sites are written; sites are distinct, so no two writes collide.
        return tf.tensor_scatter_nd_update(x, tf.stack([rows, sites], axis=-1), new_bases)

    def get_config(self):
        return {"mutate_frac": self.mutate_frac, **super().get_config()}
