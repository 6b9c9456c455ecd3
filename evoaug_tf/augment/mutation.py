"""Random point mutations at a fixed number of distinct positions."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from evoaug_tf.augment import ops
from evoaug_tf.augment._checks import Interval
from evoaug_tf.augment.base import AugmentBase, Parameter, register

__all__ = ["mutation_count", "RandomMutation"]


def mutation_count(mutate_frac: float, length: int | tf.Tensor) -> int | tf.Tensor:
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

    Mutation draws per position, so it has no batch-mode form: the paper's batch-mode runs use it as it is.
    """

    name = "mutation"
    letter = "M"
    parameters = (
        Parameter(
            "mutate_frac",
            "float",
            0.0,
            0.5,
            0.01,
            "mutate_frac",
            search=(0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35),
            valid=Interval("float", 0, 1),
        ),
    )
    paper_settings = {"mutate_frac": 0.05}
    mutate_frac: float

    def __init__(self, mutate_frac: float = 0.05, seed: int | None = None) -> None:
        super().__init__(seed, mutate_frac=mutate_frac)

    def sample(self, shape: list | tf.Tensor, seed: tf.Tensor) -> dict[str, tf.Tensor]:
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

    def apply(self, x: tf.Tensor, params: dict[str, tf.Tensor]) -> tf.Tensor:
        x = tf.convert_to_tensor(x)
        sites = tf.cast(params["sites"], tf.int32)
        rows = tf.broadcast_to(tf.range(tf.shape(sites)[0], dtype=tf.int32)[:, tf.newaxis], tf.shape(sites))
        new_bases = tf.one_hot(params["bases"], ops.shape_of(x)[2], dtype=x.dtype)  # (N, k, A)
        # Only the k sites are written; sites are distinct, so no two writes collide.
        return tf.tensor_scatter_nd_update(x, tf.stack([rows, sites], axis=-1), new_bases)

    def describe_one(self, x: np.ndarray, params: dict, output: np.ndarray) -> dict:
        """``sites`` redrawn (left to right), split into ``changed`` and ``silent``, and their counts ``n_*``."""
        order = np.argsort(params["sites"])
        sites, bases = np.asarray(params["sites"])[order], np.asarray(params["bases"])[order]
        silent_mask = bases == np.argmax(x[sites], axis=-1)
        changed, silent = sites[~silent_mask], sites[silent_mask]
        return {
            "sites": sites.tolist(),
            "changed": changed.tolist(),
            "silent": silent.tolist(),
            "n_sites": int(sites.size),
            "n_changed": int(changed.size),
            "n_silent": int(silent.size),
            "short": f"{sites.size} sites redrawn: {changed.size} changed, {silent.size} silent",
        }

    @classmethod
    def figure_layout(cls, info: dict) -> tuple[list, list, list]:
        sites = [(site, site + 1, "mutated") for site in info["changed"]]
        sites += [(site, site + 1, "silent") for site in info["silent"]]
        length = info["input_length"]
        return list(sites), list(sites), [(0, length, 0, length, False, False)]
