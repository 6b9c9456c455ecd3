"""Additive Gaussian noise on the one-hot encoding."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from evoaug_tf.augment import ops
from evoaug_tf.augment._checks import Interval
from evoaug_tf.augment.base import AugmentBase, Parameter, register

__all__ = ["RandomNoise"]


@register
class RandomNoise(AugmentBase):
    """Add Gaussian noise ``N(noise_mean, noise_std^2)`` to every entry of the one-hot input.

    Integer and bool inputs (e.g. uint8 one-hot) come back as float32. Noise is drawn per entry, so it
    has no batch-mode form: the paper's batch-mode runs use it as it is.

    Parameters
    ----------
    noise_mean : float
        Mean of the noise (default 0).
    noise_std : float
        Standard deviation, >= 0 (default 0.2). Both must be finite.
    seed : int, optional
        Seed of the augmentation's own stream (see :class:`AugmentBase`).
    """

    name = "noise"
    letter = "N"
    keeps_onehot = False
    parameters = (
        Parameter("noise_mean", "float", -1.0, 1.0, 0.05, "noise_mean"),
        Parameter(
            "noise_std",
            "float",
            0.0,
            1.0,
            0.01,
            "noise_std",
            search=(0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35),
            valid=Interval("float", 0),
        ),
    )
    paper_settings = {"noise_mean": 0.0, "noise_std": 0.3}
    noise_mean: float
    noise_std: float

    def __init__(self, noise_mean: float = 0.0, noise_std: float = 0.2, seed: int | None = None) -> None:
        super().__init__(seed, noise_mean=noise_mean, noise_std=noise_std)

    def sample(self, shape: list | tf.Tensor, seed: tf.Tensor) -> dict[str, tf.Tensor]:
        """Draw ``noise`` ``(N, L, A)`` float32."""
        return {"noise": ops.normal(shape, seed, mean=self.noise_mean, stddev=self.noise_std)}

    def apply(self, x: tf.Tensor, params: dict[str, tf.Tensor]) -> tf.Tensor:
        x = tf.convert_to_tensor(x)
        if not x.dtype.is_floating:
            x = tf.cast(x, tf.float32)
        return x + tf.cast(params["noise"], x.dtype)

    def describe_one(self, x: np.ndarray, params: dict, output: np.ndarray) -> dict:
        """Settings, drawn mean and std, and the positions whose largest entry changed.

        Fields: ``noise_mean``, ``noise_std``, ``drawn_mean``, ``drawn_std``, ``argmax_changed``, ``n_argmax_changed``.
        """
        noise = np.asarray(params["noise"])
        changed = np.flatnonzero(np.argmax(output, -1) != np.argmax(x, -1))
        return {
            "noise_mean": float(self.noise_mean),
            "noise_std": float(self.noise_std),
            "drawn_mean": float(noise.mean()),
            "drawn_std": float(noise.std()),
            "argmax_changed": changed.tolist(),
            "n_argmax_changed": int(changed.size),
            "short": f"std = {self.noise_std:g} (drawn {noise.std():.3f}), argmax changed at {changed.size} positions",
        }

    @classmethod
    def figure_layout(cls, info: dict) -> tuple[list, list, list]:
        return [], [(site, site + 1, "changed") for site in info["argmax_changed"]], []
