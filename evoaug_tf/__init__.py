"""EvoAug-TF: evolution-inspired data augmentation for genomic deep learning (TensorFlow, Keras 3).

Public API (modules load on first use, so ``import evoaug_tf`` is instant)::

    from evoaug_tf import augment, evoaug            # the evoaug-tf 1.0.3 imports still work
    from evoaug_tf import RobustModel, train_two_stage, Protocol, PAPER_PROTOCOL
    from evoaug_tf import models, metrics            # DeepSTARR, ChIP-seq CNN; Pearson/Spearman/AUROC
    from evoaug_tf import datasets, viz, experiments  # data, figures and widgets, the paper's experiments
    from evoaug_tf import attribution, tune           # saliency/IG/DeepSHAP and scores; Ray Tune search
    from evoaug_tf import published                   # the paper's published trials (package data)
    from evoaug_tf import commands                    # the command-line programs (python -m evoaug_tf ...)
    from evoaug_tf import sizes, recipes              # run sizes; (size, dataset) -> data, model, protocol, task
"""

import importlib
import importlib.metadata
import pathlib
import re


def _version() -> str:
    """The version from the installed package's metadata (pyproject.toml is its one source).

    Falls back to reading pyproject.toml beside the package, for a source checkout used through
    PYTHONPATH without installing it.
    """
    try:
        return importlib.metadata.version("evoaug_tf")
    except importlib.metadata.PackageNotFoundError:
        pass
    pyproject = pathlib.Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        project = pyproject.read_text(encoding="utf-8").split("[project]", 1)[1].split("\n[", 1)[0]
    except (OSError, IndexError):
        return "0+unknown"
    found = re.search(r'^version\s*=\s*"([^"]+)"', project, flags=re.MULTILINE)
    return found.group(1) if found else "0+unknown"


__version__ = _version()

_MODULES = (
    "augment",
    "evoaug",
    "models",
    "metrics",
    "training",
    "datasets",
    "viz",
    "attribution",
    "experiments",
    "tutorial",
    "commands",
    "published",
    "tune",
    "sizes",
    "recipes",
)
_NAMES = {
    "RobustModel": "evoaug_tf.evoaug",
    "EvoAugment": "evoaug_tf.evoaug",
    "train_two_stage": "evoaug_tf.training",
    "Protocol": "evoaug_tf.training",
    "PAPER_PROTOCOL": "evoaug_tf.training",
}

__all__ = ["__version__", *_MODULES, *_NAMES]


def __getattr__(name):
    if name in _MODULES:
        return importlib.import_module(f"evoaug_tf.{name}")
    if name in _NAMES:
        return getattr(importlib.import_module(_NAMES[name]), name)
    raise AttributeError(f"module 'evoaug_tf' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
