"""Run sizes: the one home of every shortened protocol (notebooks, ``demo``, ``reproduce``).

A size changes how much data and how many epochs a run uses, never the code path.

=========  =====================================================  ==========================================
size       data                                                   for
=========  =====================================================  ==========================================
quick      synthetic, a couple of thousand sequences, 4 epochs    the test suite (``EVOAUG_TF_QUICK=1``)
offline    synthetic, 5,000 training sequences, up to 20 epochs   a laptop CPU without network (and ``demo``)
class      real data, DeepSTARR's first 50,000 training rows,     a workshop on a Colab GPU (the default)
           up to 30 epochs; ChIP-seq: one factor
paper      real data, every sequence, the paper's protocol,       a GPU and a long session
           5 trials
=========  =====================================================  ==========================================

**Which size wins** (one rule, implemented once in :func:`choose`):

1. an explicit argument in code: ``sizes.get("offline")``, ``tutorial.load_data("deepstarr", "offline")``;
2. the environment variable ``EVOAUG_TF_SIZE`` (tests, scripts and ``docs/make.py execute`` set it);
3. ``EVOAUG_TF_QUICK=1`` (meaning ``quick``, kept from earlier releases);
4. the caller's default. A notebook's ``SIZE`` form field is such a default: ``tutorial.setup(SIZE)`` passes
   it as ``default``, so the environment overrides the form field, and the notebook passes the size
   ``setup`` returns explicitly from then on.

What data and model a size means for a dataset is :func:`evoaug_tf.recipes.resolve`.

``class``'s 50,000 rows are a training size of the paper's down-sampling runs whose five trials exist only
in the analysis repository's result files (Fig. 1g plots 25,000 to all).

>>> from evoaug_tf import sizes
>>> size = sizes.get("offline")
>>> size.protocol.epochs, size.train_sequences
(20, 5000)
"""

from __future__ import annotations

import numbers
import os
from dataclasses import dataclass, replace
from typing import Any

from evoaug_tf.datasets.registry import CHIP_TF_NAMES
from evoaug_tf.training import PAPER_PROTOCOL, Protocol

__all__ = [
    "ALL_CHIP_FACTORS",
    "CHIP_FINETUNE_PATIENCE",
    "DEFAULT_SIZE",
    "DOWNSAMPLE_FINETUNE_PATIENCE",
    "QUICK_ENV",
    "SIZES",
    "SIZE_ENV",
    "Size",
    "chip_protocol",
    "choose",
    "chosen_name",
    "downsample_protocol",
    "downsample_repeats",
    "get",
    "with_overrides",
]

#: Early-stopping patience of finetuning in the down-sampling experiment (Fig. 1g), as in the paper's
#: analysis; the main DeepSTARR protocol keeps 5 (``PAPER_PROTOCOL.finetune_patience``).
DOWNSAMPLE_FINETUNE_PATIENCE = 3
#: Early-stopping patience of ChIP-seq finetuning in the paper's analysis.
CHIP_FINETUNE_PATIENCE = 3
SIZE_ENV = "EVOAUG_TF_SIZE"
QUICK_ENV = "EVOAUG_TF_QUICK"
#: What a student gets without choosing.
DEFAULT_SIZE = "class"


@dataclass(frozen=True)
class Size:
    """How big a run is.

    Attributes
    ----------
    name : str
        ``"quick"``, ``"offline"``, ``"class"`` or ``"paper"``.
    synthetic : bool
        True: offline synthetic data (no download). False: the published data.
    train_sequences : int or None
        Training sequences: the first N rows of the published training split (the paper's
        down-sampling keeps the first N), or the number of synthetic training sequences.
        None: every training sequence.
    protocol : Protocol
        Batch size, learning rates, epoch caps and patiences.
    trials : int
        Repeats with different seeds (the paper: 5).
    batchnorm_momentum : float
        DeepSTARR's BatchNorm momentum. With a few dozen steps per epoch the moving statistics
        must follow the weights faster than the paper's 0.99, or validation losses jump about.
    chip_factors : tuple of str
        The ChIP-seq factors a run uses.
    """

    name: str
    synthetic: bool
    train_sequences: int | None
    protocol: Protocol
    trials: int
    batchnorm_momentum: float
    chip_factors: tuple[str, ...]

    @property
    def needs_download(self) -> bool:
        """True when the size uses the published data (a download on first use)."""
        return not self.synthetic


#: The nine ChIP-seq factors (:data:`evoaug_tf.datasets.registry.CHIP_TF_NAMES`, their one home).
ALL_CHIP_FACTORS = CHIP_TF_NAMES

SIZES = {
    "quick": Size(
        "quick",
        synthetic=True,
        train_sequences=1600,
        protocol=replace(PAPER_PROTOCOL, epochs=4, patience=3, lr_patience=2, finetune_epochs=2, finetune_patience=2),
        trials=1,
        batchnorm_momentum=0.9,
        chip_factors=("GABPA",),
    ),
    "offline": Size(
        "offline",
        synthetic=True,
        train_sequences=5000,
        protocol=replace(PAPER_PROTOCOL, epochs=20, patience=5, lr_patience=3, finetune_epochs=5, finetune_patience=3),
        trials=1,
        batchnorm_momentum=0.9,
        chip_factors=("GABPA",),
    ),
    "class": Size(
        "class",
        synthetic=False,
        train_sequences=50_000,
        protocol=replace(PAPER_PROTOCOL, epochs=30, patience=5, lr_patience=3, finetune_epochs=5, finetune_patience=3),
        trials=1,
        batchnorm_momentum=0.99,
        chip_factors=("GABPA",),
    ),
    "paper": Size(
        "paper",
        synthetic=False,
        train_sequences=None,
        protocol=PAPER_PROTOCOL,
        trials=5,
        batchnorm_momentum=0.99,
        chip_factors=ALL_CHIP_FACTORS,
    ),
}


def choose(
    name: str | Size | None = None, default: str = DEFAULT_SIZE, *, default_label: str = "default"
) -> tuple[Size, str]:
    """The size to use and where it came from: the one rule of precedence (see the module's docstring).

    Parameters
    ----------
    name : str, Size or None
        An explicit choice in code; it beats the environment. None: let the environment choose.
    default : str
        The size when neither ``name`` nor the environment chooses one (a notebook's form field).
    default_label : str
        How messages call ``default``, e.g. ``"SIZE"`` for a notebook's form field.

    Returns
    -------
    (Size, str)
        The size, and ``"name"``, ``"EVOAUG_TF_SIZE"``, ``"EVOAUG_TF_QUICK"`` or ``default_label``.

    Raises
    ------
    ValueError
        For a name that is not a size, naming where it came from:
        ``Expected EVOAUG_TF_SIZE to be one of quick, offline, class, paper. Received: EVOAUG_TF_SIZE='huge'``.
    """
    if isinstance(name, Size):
        return name, "name"
    source = "name"
    if name is None:
        name, source = chosen_name(default)
        source = default_label if source == "default" else source
    key = name.strip().lower() if isinstance(name, str) else None
    if key not in SIZES:
        raise ValueError(f"Expected {source} to be one of {', '.join(SIZES)}. Received: {source}={name!r}")
    return SIZES[key], source


def get(name: str | Size | None = None, default: str = DEFAULT_SIZE) -> Size:
    """The :class:`Size` called ``name``, or the one the environment chooses (:func:`choose` without the source).

    Parameters
    ----------
    name : str, Size or None
        ``"quick"``, ``"offline"``, ``"class"`` or ``"paper"``; it beats the environment. None:
        ``EVOAUG_TF_SIZE``, then ``EVOAUG_TF_QUICK=1`` (``quick``), then ``default``.
    default : str
        The size when nothing else chooses one.

    Raises
    ------
    ValueError
        For a name that is not a size, naming where it came from.
    """
    return choose(name, default)[0]


def chosen_name(default: str = DEFAULT_SIZE) -> tuple[str, str]:
    """``(size name, where it came from)`` without an explicit choice: the environment's choice, or ``default``."""
    if os.environ.get(SIZE_ENV, "").strip():
        return os.environ[SIZE_ENV].strip(), SIZE_ENV
    if os.environ.get(QUICK_ENV, "").strip().lower() in {"1", "true", "yes"}:
        return "quick", QUICK_ENV
    return default, "default"


def with_overrides(size: Size, **changes: Any) -> Size:
    """A copy of ``size`` with fields changed; ``epochs=`` and other protocol fields change the protocol."""
    protocol_fields = {key: changes.pop(key) for key in list(changes) if hasattr(size.protocol, key)}
    if protocol_fields:
        changes["protocol"] = replace(size.protocol, **protocol_fields)
    return replace(size, **changes)


def downsample_protocol(size: str | Size | None = None) -> Protocol:
    """The protocol of the down-sampling experiment (Fig. 1g) at ``size``: finetuning patience 3.

    The paper's analysis finetunes the down-sampled runs with early-stopping patience
    :data:`DOWNSAMPLE_FINETUNE_PATIENCE` (3); its main DeepSTARR protocol uses 5. A size whose own
    finetuning patience is lower (``quick``: 2) keeps it. The same protocol at every training size:
    at the synthetic sizes :func:`downsample_repeats` keeps an epoch the same length instead.
    ``size`` as in :func:`get`.
    """
    protocol = get(size).protocol
    return replace(protocol, finetune_patience=min(protocol.finetune_patience, DOWNSAMPLE_FINETUNE_PATIENCE))


def downsample_repeats(size: str | Size | None, train_sequences: int) -> int:
    """Copies of the first ``train_sequences`` rows that make one epoch of the down-sampling experiment.

    Synthetic sizes (``quick``, ``offline``): ``ceil(size.train_sequences / train_sequences)``, so an
    epoch on fewer sequences is as long as an epoch on the full synthetic set (every sequence seen that
    many times, each time with its own augmentation) and the protocol's epoch counts (caps, patiences,
    the learning-rate schedule) mean the same number of optimizer steps at every size. Without it, 500
    sequences make 5 steps per epoch and a patience of 5 epochs stops a run after 25 steps without
    progress, before an augmented run, whose validation loss is noisier, has learned the motifs; scaling
    the epoch counts instead would validate after every 5 steps and take twice as long. Our choice, not
    the paper's: the paper keeps one protocol and one pass per epoch at every size (its smallest set has
    100 steps per epoch), and so do the real-data sizes here (1 copy).

    Parameters
    ----------
    size : str, Size or None
        As in :func:`get`.
    train_sequences : int
        The training size of this run, at least 1.
    """
    chosen = get(size)
    if not isinstance(train_sequences, numbers.Integral) or isinstance(train_sequences, bool) or train_sequences < 1:
        raise ValueError(
            f"Expected train_sequences to be a positive int. Received: train_sequences={train_sequences!r}"
        )
    if not chosen.synthetic or not chosen.train_sequences:
        return 1
    return max(1, -(-chosen.train_sequences // int(train_sequences)))


def chip_protocol(size: str | Size | None = None) -> Protocol:
    """The ChIP-seq protocol at ``size``: finetuning patience 3, keeping the stage-1 optimizer.

    As the paper's analysis: finetuning stops early with patience :data:`CHIP_FINETUNE_PATIENCE` (3)
    and continues with the stage-1 Adam, only its learning rate set to ``finetune_learning_rate``
    (``finetune_optimizer="keep"``; see :class:`evoaug_tf.training.Protocol`). ``size`` as in :func:`get`.
    """
    return replace(get(size).protocol, finetune_patience=CHIP_FINETUNE_PATIENCE, finetune_optimizer="keep")
