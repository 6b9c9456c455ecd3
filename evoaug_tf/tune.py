"""Hyperparameter search for augmentations with Ray Tune (ASHA and population-based training).

Install the extra first: ``pip install "evoaug_tf[tune]"`` (Ray Tune). The same code runs on a
laptop (``ray.init()``) and on a cluster (``ray.init(address="auto")`` or ``"ray://head:10001"``);
``resources_per_trial={"cpu": 4, "gpu": 1}`` gives each trial a GPU.

>>> result = run_search(data, scheduler="asha", num_samples=16, max_epochs=20)
>>> result.best_config, result.table
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, replace

import keras
import numpy as np
import pandas as pd

from evoaug_tf import augment
from evoaug_tf.evoaug import RobustModel
from evoaug_tf.experiments import REGRESSION, Task
from evoaug_tf.models import DeepSTARR
from evoaug_tf.training import PAPER_PROTOCOL, Protocol

#: The paper's search space: each hyperparameter's candidate values; 0 drops that augmentation.
SEARCH_VALUES = {
    "max_augs_per_seq": [1, 2, 3, 4],
    "rc_prob": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5],
    "insert_max": [0, 10, 20, 30, 40, 50],
    "shift_max": [0, 10, 20, 30, 40, 50],
    "delete_max": [0, 10, 20, 30, 40, 50],
    "mutate_frac": [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35],
    "noise_std": [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35],
}


def _ray_tune():
    try:
        from ray import tune
    except ImportError as error:  # pragma: no cover - depends on the extra
        raise ImportError(
            'evoaug_tf.tune needs Ray Tune: pip install "evoaug_tf[tune]" (or pip install "ray[tune]")'
        ) from error
    return tune


def search_space(values: dict | None = None) -> dict:
    """The search space as Ray Tune ``tune.choice`` objects (default: :data:`SEARCH_VALUES`)."""
    tune = _ray_tune()
    return {name: tune.choice(list(options)) for name, options in (values or SEARCH_VALUES).items()}


def augment_list_from_config(config: dict, batch_mode: bool = False) -> list:
    """Build the augment list a config describes, in the order R, I, T, D, M, N; a 0 drops one.

    Parameters
    ----------
    config : dict
        Any of ``rc_prob``, ``insert_max``, ``shift_max``, ``delete_max``, ``mutate_frac``,
        ``noise_std`` (missing = 0). Ranges start at 0, as in the paper's search.
    batch_mode : bool
        Batch versions of R, I, T and D.
    """
    unknown = set(config) - set(SEARCH_VALUES) - {"learning_rate"}
    if unknown:
        raise ValueError(f"Expected config keys among {sorted(SEARCH_VALUES)}. Received unknown keys: {sorted(unknown)}")
    suffix = "Batch" if batch_mode else ""
    build = [
        ("rc_prob", lambda v: getattr(augment, "RandomRC" + suffix)(rc_prob=v)),
        ("insert_max", lambda v: getattr(augment, "RandomInsertion" + suffix)(0, int(v))),
        ("shift_max", lambda v: getattr(augment, "RandomTranslocation" + suffix)(0, int(v))),
        ("delete_max", lambda v: getattr(augment, "RandomDeletion" + suffix)(0, int(v))),
        ("mutate_frac", lambda v: augment.RandomMutation(mutate_frac=v)),
        ("noise_std", lambda v: augment.RandomNoise(0.0, noise_std=v)),
    ]
    return [make(config[name]) for name, make in build if config.get(name, 0)]


class ReportToTune(keras.callbacks.Callback):
    """Reports each epoch's logs to Ray Tune, with a checkpoint (the weights) for PBT."""

    def __init__(self, stage: int, checkpoint: bool = True):
        super().__init__()
        self.stage = stage
        self.checkpoint = checkpoint
        self.epoch_offset = 0

    def on_epoch_end(self, epoch, logs=None):
        tune = _ray_tune()
        metrics = {key: float(value) for key, value in (logs or {}).items()}
        metrics["stage"] = self.stage
        if not self.checkpoint:
            tune.report(metrics)
            return
        with tempfile.TemporaryDirectory() as folder:
            self.model.save_weights(os.path.join(folder, "model.weights.h5"))
            tune.report(metrics, checkpoint=tune.Checkpoint.from_directory(folder))


def make_trainable(data, protocol: Protocol = PAPER_PROTOCOL, model_func=DeepSTARR, task: Task = REGRESSION,
                   batch_mode: bool = False, finetune: bool = True, checkpoint: bool = True):
    """A Ray Tune function trainable: builds the augmentations from the config and trains two stages.

    Each epoch reports the Keras logs (``val_loss``, ``val_pearson_r``, ...) plus ``stage`` (1 or 2).
    A PBT-restored trial loads its checkpoint and carries on with the new config.

    Parameters
    ----------
    data : SequenceDataset
        ``x_*`` ``(N, L, 4)``, ``y_*`` ``(N, tasks)``. Pass it through ``tune.with_parameters`` (done
        by :func:`run_search`) so it is shipped to the workers once.
    protocol : Protocol
        Epochs, batch size and learning rates (``config["learning_rate"]`` overrides stage 1's).
    """

    def trainable(config):
        tune = _ray_tune()
        config = dict(config)
        learning_rate = config.pop("learning_rate", protocol.learning_rate)
        max_augs = int(config.pop("max_augs_per_seq", 2))
        augs = augment_list_from_config(config, batch_mode)
        model = RobustModel(model_func, data.x_train.shape[1:], augment_list=augs, max_augs_per_seq=max_augs,
                            hard_aug=True, output_shape=data.y_train.shape[1])
        model.compile(keras.optimizers.Adam(learning_rate), loss=task.loss,
                      metrics=task.compile_metrics(data.task_names))
        restored = tune.get_checkpoint()
        if restored is not None:
            with restored.as_directory() as folder:
                model.load_weights(os.path.join(folder, "model.weights.h5"))
        x_train, x_valid = data.x_train.astype("float32"), data.x_valid.astype("float32")
        fit = dict(batch_size=protocol.batch_size, validation_data=(x_valid, data.y_valid), verbose=0, shuffle=True)
        model.fit(x_train, data.y_train, epochs=protocol.epochs, callbacks=[ReportToTune(1, checkpoint)], **fit)
        if finetune:
            model.finetune_mode(optimizer=keras.optimizers.Adam(protocol.finetune_learning_rate))
            model.fit(x_train, data.y_train, epochs=protocol.finetune_epochs,
                      callbacks=[ReportToTune(2, checkpoint)], **fit)

    return trainable


@dataclass
class SearchResult:
    """What a search found: the best config, one row per trial, and Ray's ResultGrid."""

    best_config: dict
    best_metrics: dict
    table: pd.DataFrame
    histories: dict
    grid: object


def run_search(data, scheduler: str = "asha", num_samples: int = 8, max_epochs: int | None = None,
               metric: str = "val_pearson_r", mode: str = "max", values: dict | None = None,
               protocol: Protocol = PAPER_PROTOCOL, model_func=DeepSTARR, task: Task = REGRESSION,
               resources_per_trial: dict | None = None, batch_mode: bool = False, finetune: bool = False,
               storage_path: str | None = None, seed: int = 0, perturbation_interval: int = 2,
               grace_period: int = 1, verbose: int = 0) -> SearchResult:
    """Search augmentation hyperparameters with ASHA or population-based training.

    Parameters
    ----------
    data : SequenceDataset
        Training and validation data.
    scheduler : {"asha", "pbt"}
        ASHA stops weak trials early; PBT copies the weights of good trials into weak ones and
        perturbs their hyperparameters every ``perturbation_interval`` epochs.
    num_samples : int
        Number of trials (PBT: the population size).
    max_epochs : int, optional
        Stage-1 epochs per trial (default ``protocol.epochs``).
    metric, mode : str
        What to optimise (a Keras log name reported each epoch) and "max" or "min".
    values : dict, optional
        Candidate values per hyperparameter (default :data:`SEARCH_VALUES`).
    resources_per_trial : dict, optional
        E.g. ``{"cpu": 1}`` (default) or ``{"cpu": 4, "gpu": 1}`` on a GPU cluster.
    finetune : bool
        Also run stage 2 in every trial (reported as later iterations, ``stage`` 2).

    Returns
    -------
    SearchResult
        ``table``: one row per trial with its config and final and best ``metric``.
    """
    import ray

    tune = _ray_tune()
    if scheduler not in ("asha", "pbt"):
        raise ValueError(f"Expected scheduler 'asha' or 'pbt'. Received: scheduler={scheduler!r}")
    if mode not in ("max", "min"):
        raise ValueError(f"Expected mode 'max' or 'min'. Received: mode={mode!r}")
    protocol = replace(protocol, epochs=max_epochs or protocol.epochs)
    values = values or SEARCH_VALUES
    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=bool(verbose), configure_logging=False)
    total_iterations = protocol.epochs + (protocol.finetune_epochs if finetune else 0)
    if scheduler == "asha":
        chosen = tune.schedulers.ASHAScheduler(max_t=total_iterations, grace_period=grace_period, reduction_factor=2)
    else:
        chosen = tune.schedulers.PopulationBasedTraining(
            time_attr="training_iteration", perturbation_interval=perturbation_interval,
            hyperparam_mutations={name: list(options) for name, options in values.items()},
        )
    trainable = _with_data(tune, data, protocol, model_func, task, batch_mode, finetune, scheduler == "pbt")
    trainable = tune.with_resources(trainable, resources_per_trial or {"cpu": 1})
    tuner = tune.Tuner(
        trainable,
        param_space=search_space(values),
        tune_config=tune.TuneConfig(metric=metric, mode=mode, scheduler=chosen, num_samples=num_samples,
                                    search_alg=tune.search.BasicVariantGenerator(random_state=seed)),
        run_config=tune.RunConfig(storage_path=storage_path, verbose=verbose,
                                  checkpoint_config=tune.CheckpointConfig(num_to_keep=4)),
    )
    grid = tuner.fit()
    rows, histories = [], {}
    for number, result in enumerate(grid):
        if result.error is not None or result.metrics is None:
            rows.append({"trial": number, "error": str(result.error)[:200]})
            continue
        history = result.metrics_dataframe
        histories[number] = history
        column = history[metric] if metric in history else pd.Series([np.nan])
        best = column.max() if mode == "max" else column.min()
        params = {name: result.config.get(name) for name in values}
        rows.append({"trial": number, **params, f"final_{metric}": result.metrics.get(metric), f"best_{metric}": best,
                     "epochs": int(result.metrics.get("training_iteration", 0))})
    table = pd.DataFrame(rows)
    if "error" in table and table["error"].notna().all():
        raise RuntimeError(f"Every trial failed; the first error: {table['error'].iloc[0]}")
    best = grid.get_best_result(metric=metric, mode=mode, scope="all")
    return SearchResult(best_config=dict(best.config), best_metrics=dict(best.metrics), table=table,
                        histories=histories, grid=grid)


def _with_data(tune, data, protocol, model_func, task, batch_mode, finetune, checkpoint):
    """Ship the data to the workers once (object store) and build the trainable there."""

    def trainable(config, data=None):
        return make_trainable(data, protocol, model_func, task, batch_mode, finetune, checkpoint)(config)

    return tune.with_parameters(trainable, data=data)
