"""The command-line programs: ``python -m evoaug_tf COMMAND [options]`` (or ``evoaug-tf COMMAND``).

Programs, not library: each module here parses options, calls the library (``experiments``,
``datasets``, ``tune``) and writes files. Shortened protocols live only in :mod:`evoaug_tf.sizes`.

=========  =====================================================================
command    what it does
=========  =====================================================================
demo       standard vs EvoAug vs EvoAug + finetuning on DeepSTARR (``offline`` size)
reproduce  the paper's experiments, compared with the five published trials
download   the EvoAug data files from Zenodo, resumable and md5-verified
search     an augmentation hyperparameter search with Ray Tune
doctor     versions, GPU, cached data, and each notebook's time measured on this machine
=========  =====================================================================
"""

from __future__ import annotations

#: Command name -> one-line description; each is the module ``evoaug_tf.commands.<name>`` with ``main(argv)``.
COMMANDS = {
    "demo": "train DeepSTARR standard vs EvoAug vs EvoAug + finetuning and compare them",
    "reproduce": "run the paper's experiments and compare them with the published trials",
    "download": "download the DeepSTARR and ChIP-seq data files (Zenodo record 7265991)",
    "search": "search augmentation hyperparameters with Ray Tune (needs the 'tune' extra)",
    "doctor": "check this machine for the tutorials and predict each notebook's time here",
}

__all__ = ["COMMANDS"]
