"""Additive Gaussian noise on the one-hot encoding."""

from __future__ import annotations

import tensorflow as tf

from evoaug_tf.augment import _checks, ops
from evoaug_tf.augment.base import AugmentBase, register


@register
class RandomNoise(AugmentBase):
    """Add Gaussian noise ``N(noise_mean, noise_std^2)`` to every entry of the one-hot input.

    Integer inputs (e.g. uint8 one-hot) come back as float32.

    Parameters
    ----------
    noise_mean : float
        Mean of the noise (default 0).
    noise_std : float
        Standard deviation, >= 0 (default 0.2).
    seed : int, optional
        Seed of the augmentation's own stream (see :class:`AugmentBase`).
    """

    def __init__(self, noise_mean: float = 0.0, noise_std: float = 0.2, seed: int | None = None):
        super().__init__(seed)
        self.noise_mean = _checks.check_real("noise_mean", noise_mean)
        self.noise_std = _checks.check_real("noise_std", noise_std, minimum=0.0)

    def sample(self, shape, seed):
        """Draw ``noise`` ``(N, L, A)`` float32."""
        return {
            "noise": ops.normal(shape, seed, mean=self.noise_mean, stddev=self.noise_std)
        }

    def apply(self, x, params):
        x = tf.convert_to_tensor(x)
        if not x.dtype.is_floating:
            x = tf.cast(x, tf.float32)
        return x + tf.cast(params["noise"], x.dtype)

    def get_config(self):
        return {"noise_mean": self.noise_mean, "noise_std": self.noise_std, **super().get_config()}
