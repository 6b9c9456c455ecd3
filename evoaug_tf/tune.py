"""Hyperparameter search for augmentations with Ray Tune (ASHA and population-based training).

Install the extra first: ``pip install "evoaug_tf[tune]"`` (Ray Tune). The same code runs on a
laptop (``ray.init()``) and on a cluster (``ray.init(address="auto")`` or ``"ray://head:10001"``).
Where TensorFlow sees a GPU, trials share it (:func:`trial_resources`: ``{"cpu": 1, "gpu": 1 / concurrent}``);
``resources_per_trial={"cpu": 4, "gpu": 1}`` gives each trial a whole one.

Every trial's network is built for the largest insertion in the search space
(:func:`fixed_length_model`), so population-based training can copy weights between trials whose
``insert_max`` differ: a trial with a shorter insertion pads its sequences with random DNA up to that
length before the network sees them, with :class:`~evoaug_tf.evoaug.EvoAugment`'s own padding. Each trial
trains through :func:`evoaug_tf.training.train_two_stage`, on batches from
:func:`evoaug_tf.datasets.make_dataset`, like every other training in the package.

>>> result = run_search(data, scheduler="asha", num_samples=16, max_epochs=20)
>>> result.best_config, result.table
"""

from __future__ import annotations

import contextlib
import inspect
import json
import logging
import math
import os
import socket
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import keras
import numpy as np
import pandas as pd
import tensorflow as tf

from evoaug_tf import augment
from evoaug_tf.datasets.pipeline import make_dataset
from evoaug_tf.evoaug import EvoAugment, RobustModel
from evoaug_tf.models import DeepSTARR
from evoaug_tf.training import PAPER_PROTOCOL, REGRESSION, Protocol, Task, train_two_stage

__all__ = [
    "SEARCH_VALUES",
    "ReportToTune",
    "SearchResult",
    "augment_list_from_config",
    "build_trial_model",
    "estimate_seconds",
    "fixed_length_model",
    "init_ray",
    "largest_insertion",
    "make_trainable",
    "run_search",
    "search_space",
    "trial_resources",
]

#: The paper's search space: each hyperparameter's candidate values; 0 drops that augmentation.
SEARCH_VALUES = {"max_augs_per_seq": [1, 2, 3, 4], **augment.search_values()}


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
        raise ValueError(
            f"Expected config keys among {sorted(SEARCH_VALUES)}. Received unknown keys: {sorted(unknown)}"
        )
    searched = augment.search_values()
    return augment.from_values(
        {name: value for name, value in config.items() if name in searched}, batch_mode=batch_mode
    )


def largest_insertion(values: dict | None = None) -> int:
    """The largest ``insert_max`` a search can choose (0 without insertions).

    Parameters
    ----------
    values : dict, optional
        Candidate values per hyperparameter (default :data:`SEARCH_VALUES`).
    """
    candidates = (values or SEARCH_VALUES).get("insert_max", [0])
    return int(max(candidates, default=0))


def fixed_length_model(model_func: Callable[..., Any], length: int) -> Callable[..., Any]:
    """A ``model_func`` whose network always takes ``length`` positions, whatever it is called with.

    RobustModel calls ``model_func((L + insert_max, A), **kwargs)``. The returned function builds
    ``model_func((length, A), **kwargs)`` once and puts a padding layer in front of it, so trials with
    different ``insert_max`` share one network shape and PBT can move weights between them. The padding
    layer is an :class:`~evoaug_tf.evoaug.EvoAugment` held in stage 2 (finetuning), which only pads: random
    DNA, half before and half after, from its seed stream in training and from a fixed seed at evaluation
    (the padding every RobustModel uses, :func:`~evoaug_tf.evoaug.pad_random`).

    Parameters
    ----------
    model_func : callable
        ``model_func(input_shape, **kwargs) -> keras.Model`` taking ``(N, length, A)``.
    length : int
        ``L`` plus the largest ``insert_max`` of the search (:func:`largest_insertion`).

    Returns
    -------
    callable
        ``build(input_shape, **kwargs) -> keras.Model`` taking ``(N, input_shape[0], A)``, with
        ``input_shape[0] <= length``; its layer ``"pad_to_search_length"`` does the padding.
    """
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 1:
        raise ValueError(f"Expected `length` to be a positive integer. Received: length={length!r}")
    length = int(length)

    def build(input_shape, **kwargs):
        positions, alphabet = int(input_shape[0]), int(input_shape[1])
        if positions > length:
            raise ValueError(
                f"Expected input_shape[0] <= {length} (the search's longest sequence). "
                f"Received: input_shape={input_shape}"
            )
        network = model_func((length, alphabet), **kwargs)
        inputs = keras.Input((positions, alphabet), name="sequence")
        padding = EvoAugment(
            [augment.RandomInsertion(insert_min=0, insert_max=length - positions)],
            finetune=True,
            name="pad_to_search_length",
        )
        return keras.Model(inputs, network(padding(inputs)), name="search_network")

    return build


def trial_resources(concurrent: int = 2, gpus: int | None = None) -> dict:
    """Resources per trial: a share of the GPUs when TensorFlow sees any, else one CPU.

    Parameters
    ----------
    concurrent : int
        Trials that share the GPUs at once (on Colab's one T4, 2 trials get half a GPU each).
    gpus : int, optional
        Number of GPUs (default: ``tf.config.list_physical_devices("GPU")``).

    Returns
    -------
    dict
        ``{"cpu": 1, "gpu": gpus / concurrent}`` or ``{"cpu": 1}``.
    """
    if not isinstance(concurrent, (int, np.integer)) or concurrent < 1:
        raise ValueError(f"Expected `concurrent` to be a positive integer. Received: concurrent={concurrent!r}")
    if gpus is None:
        gpus = len(tf.config.list_physical_devices("GPU"))
    if gpus:
        return {"cpu": 1, "gpu": gpus / concurrent}
    return {"cpu": 1}


def estimate_seconds(
    train_sequences: int,
    num_samples: int,
    protocol: Protocol,
    seconds_per_step: float,
    concurrent: int = 1,
    finetune: bool = False,
) -> float:
    """An upper bound on a search's wall time: every trial runs every epoch (ASHA stops some sooner).

    Parameters
    ----------
    train_sequences : int
        Training sequences per epoch.
    num_samples : int
        Trials (PBT: the population).
    protocol : Protocol
        ``epochs`` (and ``finetune_epochs`` with ``finetune``) and ``batch_size``.
    seconds_per_step : float
        Assumed time of one training step (one mini-batch) of one trial.
    concurrent : int
        Trials running at once.

    Returns
    -------
    float
        Seconds: trials x epochs x steps per epoch x seconds per step / concurrent.
    """
    epochs = protocol.epochs + (protocol.finetune_epochs if finetune else 0)
    steps = math.ceil(train_sequences / protocol.batch_size) * epochs
    return num_samples * steps * seconds_per_step / max(1, concurrent)


_WEIGHTS = "network.weights.h5"
_STATE = "state.json"


class ReportToTune(keras.callbacks.Callback):
    """Reports each epoch's logs to Ray Tune, with a checkpoint for PBT.

    The checkpoint holds the wrapped network's weights (the same shape in every trial, see
    :func:`fixed_length_model`) and where training stood (stage, epoch, ``insert_max``).

    Parameters
    ----------
    stage : {1, 2}, optional
        The stage reported; by default read from the model (``RobustModel.finetune``), so one callback
        serves both stages of :func:`~evoaug_tf.training.train_two_stage`.
    checkpoint : bool
        Report a checkpoint with every epoch (PBT needs them; ASHA does not).
    extra : dict, optional
        Reported with every epoch (``insert_max``, ``weights_from_insert_max``).
    """

    def __init__(self, stage: int | None = None, checkpoint: bool = True, extra: dict | None = None) -> None:
        super().__init__()
        self.stage = stage
        self.checkpoint = checkpoint
        self.extra = dict(extra or {})

    def _stage(self) -> int:
        if self.stage is not None:
            return int(self.stage)
        return 2 if getattr(self.model, "finetune", False) else 1

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        tune = _ray_tune()
        stage = self._stage()
        metrics = {key: float(value) for key, value in (logs or {}).items()}
        metrics.update(self.extra, stage=stage)
        if not self.checkpoint:
            tune.report(metrics)
            return
        with tempfile.TemporaryDirectory() as folder:
            self.model.model.save_weights(os.path.join(folder, _WEIGHTS))
            state = {"stage": stage, "epoch": int(epoch), "insert_max": self.extra.get("insert_max", 0)}
            with open(os.path.join(folder, _STATE), "w") as handle:
                json.dump(state, handle)
            tune.report(metrics, checkpoint=tune.Checkpoint.from_directory(folder))


def build_trial_model(
    config: dict,
    input_shape: tuple[int, ...],
    output_shape: int,
    model_func: Callable[..., Any] = DeepSTARR,
    network_length: int | None = None,
    batch_mode: bool = False,
) -> RobustModel:
    """The RobustModel one trial trains.

    Parameters
    ----------
    config : dict
        A search config (``max_augs_per_seq`` and the augmentation values; ``learning_rate`` ignored).
    input_shape : tuple
        ``(L, A)``.
    network_length : int, optional
        Build the network for this many positions (``L`` + the search's largest ``insert_max``) so
        every trial's weights fit every other trial. Default: ``L`` + this config's ``insert_max``.
    """
    config = {key: value for key, value in config.items() if key != "learning_rate"}
    max_augs = int(config.pop("max_augs_per_seq", 2))
    augs = augment_list_from_config(config, batch_mode)
    if network_length is not None:
        model_func = fixed_length_model(model_func, network_length)
    return RobustModel(
        model_func,
        tuple(input_shape),
        augment_list=augs,
        max_augs_per_seq=max_augs,
        hard_aug=True,
        output_shape=output_shape,
    )


def make_trainable(
    data: Any,
    protocol: Protocol = PAPER_PROTOCOL,
    model_func: Callable[..., Any] = DeepSTARR,
    task: Task = REGRESSION,
    batch_mode: bool = False,
    finetune: bool = True,
    checkpoint: bool = True,
    network_length: int | None = None,
    seed: int | None = None,
) -> Callable[..., Any]:
    """A Ray Tune function trainable: builds the augmentations from the config and trains two stages.

    A trial trains through :func:`evoaug_tf.training.train_two_stage` (the paper's protocol, with its
    early stopping and learning-rate decay) on batches from :func:`evoaug_tf.datasets.make_dataset`
    (the uint8 arrays stay as they are; each batch is made float32 as it is needed).

    Each epoch reports the Keras logs (``val_loss``, ``val_pearson_r``, ...) plus ``stage`` (1 or 2),
    ``insert_max`` (this trial's) and ``weights_from_insert_max`` (the ``insert_max`` of the trial whose
    checkpoint these weights started from: after a PBT exploit, the donor's). A PBT-restored trial loads
    the checkpoint and carries on from the stage and epoch it records, with the new config.

    Parameters
    ----------
    data : SequenceDataset
        ``x_*`` ``(N, L, 4)``, ``y_*`` ``(N, tasks)``. Pass it through ``tune.with_parameters`` (done
        by :func:`run_search`) so it is shipped to the workers once.
    protocol : Protocol
        Epochs, batch size and learning rates (``config["learning_rate"]`` overrides stage 1's).
    network_length : int, optional
        See :func:`build_trial_model`; :func:`run_search` passes ``L + largest_insertion(values)``.
    seed : int, optional
        Seed of the training batches' shuffle (None: a fresh order).
    """

    def trainable(config):
        tune = _ray_tune()
        _grow_gpu_memory()
        config = dict(config)
        learning_rate = config.get("learning_rate", protocol.learning_rate)
        insert_max = int(config.get("insert_max", 0))
        model = build_trial_model(
            config, data.x_train.shape[1:], data.y_train.shape[1], model_func, network_length, batch_mode
        )
        model.compile(
            keras.optimizers.Adam(learning_rate), loss=task.loss, metrics=task.compile_metrics(data.task_names)
        )
        stage, initial_epoch, weights_from = 1, 0, insert_max
        restored = tune.get_checkpoint()
        if restored is not None:
            with restored.as_directory() as folder:
                model.model.load_weights(os.path.join(folder, _WEIGHTS))
                with open(os.path.join(folder, _STATE)) as handle:
                    state = json.load(handle)
            stage, initial_epoch, weights_from = state["stage"], state["epoch"] + 1, state["insert_max"]
        report = ReportToTune(
            checkpoint=checkpoint, extra={"insert_max": insert_max, "weights_from_insert_max": weights_from}
        )
        train_two_stage(
            model,
            make_dataset(data.x_train, data.y_train, batch_size=protocol.batch_size, shuffle=True, seed=seed),
            make_dataset(data.x_valid, data.y_valid, batch_size=protocol.batch_size, shuffle=False),
            protocol,
            finetune=finetune,
            callbacks=[report],
            verbose=0,
            stage=stage,
            initial_epoch=initial_epoch,
        )

    return trainable


def init_ray(attempts: int = 3, **init_kwargs: Any) -> None:
    """Start a local Ray that comes up on a busy machine too.

    Ray's raylet waits a fixed 15 s for its agents to report the ports they chose (Ray 2.x;
    ray-project/ray#65983); on a machine under heavy load they can take longer, and ``ray.init`` fails
    with "The current node timed out during startup". Here the agents are given free ports up front, so
    the raylet has nothing to wait for (this reaches into private Ray code, and is skipped on a Ray whose
    internals differ); a start that fails all the same is shut down, reported in a warning and tried again.

    Parameters
    ----------
    attempts : int
        Tries before the error is raised.
    **init_kwargs
        Passed to ``ray.init`` (default ``include_dashboard=False, configure_logging=False``). Its
        ``_system_config`` is added to ours: workers register within 600 s and run at normal priority
        (``worker_niceness=0``; Ray's default is 15). Give either key to choose otherwise.
    """
    import ray

    if isinstance(attempts, bool) or not isinstance(attempts, (int, np.integer)) or attempts < 1:
        raise ValueError(f"Expected `attempts` to be a positive integer. Received: attempts={attempts!r}")
    init_kwargs = {"include_dashboard": False, "configure_logging": False, **init_kwargs}
    init_kwargs["_system_config"] = {
        # A worker process that takes longer than this to start (import Ray) is given up on; Ray's default,
        # 60 s, is too short on a busy machine.
        "worker_register_timeout_seconds": 600,
        # Ray runs its workers at nice 15, so that its own daemons stay responsive. The trials are the work
        # here: at nice 15 a search gets almost no CPU while anything else runs at normal priority (measured:
        # a trial's worker at about 5% of a core beside `stress-ng --cpu 2` on 2 cores, and the PBT test still
        # running after 12 minutes, where a quiet machine takes about one). Workers run at normal priority.
        "worker_niceness": 0,
        **init_kwargs.get("_system_config", {}),
    }
    for attempt in range(1, attempts + 1):
        try:
            with _agent_ports_given():
                ray.init(**init_kwargs)
            return
        except Exception as error:  # noqa: BLE001  (Ray raises a bare Exception for this)
            if "timed out during startup" not in str(error) or attempt == attempts:
                raise
            ray.shutdown()
            warnings.warn(
                f"Ray did not start (attempt {attempt} of {attempts}: its processes have fixed start-up time "
                "limits, which a busy machine can exceed); trying again.",
                RuntimeWarning,
                stacklevel=2,
            )


_AGENT_PORTS = ("metrics_agent_port", "metrics_export_port", "runtime_env_agent_port", "dashboard_agent_listen_port")


@contextlib.contextmanager
def _agent_ports_given():
    """While ``ray.init`` runs, give the node's agents free ports instead of letting them choose.

    The raylet waits for an agent's port file only when the port was left to the agent; given the
    ports, it starts at once and the agents bind them when they are up. This reaches into Ray's private
    start-up code (``RayParams`` and the raylet's command line); on a Ray whose internals differ,
    nothing is changed and ``ray.init`` runs as usual.
    """
    try:
        from ray._private import parameter, services
    except ImportError:  # pragma: no cover - another Ray layout
        yield
        return
    original_params = getattr(parameter, "RayParams", None)
    original_start = getattr(services, "start_ray_process", None)
    raylet = getattr(services, "RAYLET_EXECUTABLE", None)
    if original_params is None or original_start is None or raylet is None:  # pragma: no cover
        yield
        return
    fields = inspect.signature(original_params).parameters
    if not all(name in fields for name in _AGENT_PORTS):  # pragma: no cover - another Ray version
        yield
        return
    shared_default = fields["dashboard_agent_listen_port"].default  # one fixed number for every Ray on a machine
    chosen = {}

    class RayParamsWithPorts(original_params):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            taken = set()
            for name in _AGENT_PORTS:
                given = getattr(self, name, None)
                if given in (None, 0) or (name == "dashboard_agent_listen_port" and given == shared_default):
                    setattr(self, name, _free_port(taken))
            chosen["listen"] = self.dashboard_agent_listen_port

    def start_with_listen_port(command, *args, **kwargs):
        # Ray passes the agent its HTTP port but not the raylet, which then waits for the agent's file.
        if command and command[0] == raylet and "listen" in chosen:
            if not any(part.startswith("--dashboard_agent_listen_port") for part in command):
                command = [*command, f"--dashboard_agent_listen_port={chosen['listen']}"]
        return original_start(command, *args, **kwargs)

    parameter.RayParams, services.start_ray_process = RayParamsWithPorts, start_with_listen_port
    try:
        yield
    finally:
        parameter.RayParams, services.start_ray_process = original_params, original_start


#: (logger, start of the message) of Ray's messages :func:`run_search` leaves out; see its Notes.
_RAY_NOISE = (
    ("ray.widgets.util", "Outdated packages"),
    ("ray._private.authentication.authentication_token_setup", "Token authentication is enabled"),
    ("ray.tune.logger.logger", "Remote file not found"),
)


class _DropMessages(logging.Filter):
    def __init__(self, start: str):
        super().__init__()
        self.start = start

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.getMessage()).startswith(self.start)


@contextlib.contextmanager
def _quiet_ray(verbose: int = 0):
    """Leave out Ray's messages listed in :data:`_RAY_NOISE` (and its ``reuse_actors`` advice) unless ``verbose``."""
    if verbose:
        yield
        return
    filters = [(logging.getLogger(name), _DropMessages(start)) for name, start in _RAY_NOISE]
    for logger, drop in filters:
        logger.addFilter(drop)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Consider boosting PBT performance by enabling `reuse_actors`")
            yield
    finally:
        for logger, drop in filters:
            logger.removeFilter(drop)


def _free_port(taken: set) -> int:
    """A TCP port no process listens on now (the system's choice), not in ``taken``; added to it."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("", 0))
            port = probe.getsockname()[1]
        if port not in taken:
            taken.add(port)
            return port


def _grow_gpu_memory():
    """Let trials that share a GPU allocate memory as they need it, not all of it up front."""
    for gpu in tf.config.list_physical_devices("GPU"):
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:  # already initialised in this worker
            pass


@dataclass
class SearchResult:
    """What a search found: the best config, one row per trial, and Ray's ResultGrid."""

    best_config: dict
    best_metrics: dict
    table: pd.DataFrame
    histories: dict
    grid: object


def run_search(
    data: Any,
    scheduler: str = "asha",
    num_samples: int = 8,
    max_epochs: int | None = None,
    metric: str = "val_pearson_r",
    mode: str = "max",
    values: dict | None = None,
    protocol: Protocol = PAPER_PROTOCOL,
    model_func: Callable[..., Any] = DeepSTARR,
    task: Task = REGRESSION,
    resources_per_trial: dict | None = None,
    concurrent_trials: int | None = None,
    batch_mode: bool = False,
    finetune: bool = False,
    storage_path: str | None = None,
    seed: int = 0,
    perturbation_interval: int = 2,
    quantile_fraction: float = 0.25,
    explore: Callable[[dict], dict] | None = None,
    mutations: dict | None = None,
    synch: bool = True,
    param_space: dict | None = None,
    grace_period: int = 1,
    verbose: int = 0,
) -> SearchResult:
    """Search augmentation hyperparameters with ASHA or population-based training.

    Parameters
    ----------
    data : SequenceDataset
        Training and validation data, ``x_*`` ``(N, L, 4)``, ``y_*`` ``(N, tasks)``.
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
        Candidate values per hyperparameter (default :data:`SEARCH_VALUES`). Every trial's network
        is built for ``L`` + the largest ``insert_max`` here.
    resources_per_trial : dict, optional
        Default :func:`trial_resources`: a GPU share (``1 / concurrent_trials``) when TensorFlow sees
        a GPU, else ``{"cpu": 1}``. ``{"cpu": 4, "gpu": 1}`` on a GPU cluster.
    concurrent_trials : int, optional
        Trials at once (default: 2 on a GPU, as many as the CPUs allow otherwise).
    finetune : bool
        Also run stage 2 in every trial (reported as later iterations, ``stage`` 2).
    quantile_fraction, explore : PBT only
        The fraction of trials that exploit (and the fraction they copy from), and an optional
        function ``config -> config`` applied after PBT's own perturbation.
    mutations : dict, optional
        PBT only: the hyperparameters PBT perturbs itself when a trial exploits another, with their
        candidate values (default: all of ``values``). ``{}`` leaves the new config to ``explore``
        alone (which must then be given).
    synch : bool
        PBT only: wait until every trial reaches a perturbation point before any exploits (slower,
        but trials that start late, or finish fast, still take part; the default).
    param_space : dict, optional
        Ray Tune's starting configs (default: a ``tune.choice`` per hyperparameter of ``values``).

    Returns
    -------
    SearchResult
        ``table``: one row per trial with its config and final and best ``metric``.

    Notes
    -----
    Messages of Ray's that give wrong or irrelevant advice here are left out (``verbose=0``, the default;
    any ``verbose`` shows them all): "Outdated packages: ipywidgets==7.7.1 found, needs ipywidgets>=8"
    (only Ray's rich table in a notebook needs it; Colab's widgets need 7.x, so do not upgrade there);
    "Token authentication is enabled ... Set RAY_AUTH_MODE=disabled to opt out" (the local Ray keeps its
    token: leave it on); "Consider boosting PBT performance by enabling ``reuse_actors``" (a trial builds
    its own model, so there is no actor state to reuse); and "Remote file not found: .../progress.csv"
    (a PBT trial restored before its first results were written; its history carries on).
    """
    import random

    import ray

    tune = _ray_tune()
    if scheduler not in ("asha", "pbt"):
        raise ValueError(f"Expected scheduler 'asha' or 'pbt'. Received: scheduler={scheduler!r}")
    if mode not in ("max", "min"):
        raise ValueError(f"Expected mode 'max' or 'min'. Received: mode={mode!r}")
    if scheduler == "pbt" and mutations is not None and not mutations and explore is None:
        raise ValueError(
            "Expected PBT to have something to explore: `mutations` naming at least one hyperparameter, or "
            "an `explore` function. Received: mutations={} and explore=None"
        )
    protocol = replace(protocol, epochs=max_epochs or protocol.epochs)
    values = values or SEARCH_VALUES
    if not ray.is_initialized():
        with _quiet_ray(verbose):
            init_ray(log_to_driver=bool(verbose))
    gpus = len(tf.config.list_physical_devices("GPU"))
    if concurrent_trials is None and gpus:
        concurrent_trials = 2
    resources = resources_per_trial or trial_resources(concurrent_trials or 1, gpus)
    total_iterations = protocol.epochs + (protocol.finetune_epochs if finetune else 0)
    if scheduler == "asha":
        chosen = tune.schedulers.ASHAScheduler(max_t=total_iterations, grace_period=grace_period, reduction_factor=2)
    else:
        random.seed(seed)  # PBT draws its perturbations from Python's random module
        chosen = tune.schedulers.PopulationBasedTraining(
            time_attr="training_iteration",
            perturbation_interval=perturbation_interval,
            hyperparam_mutations={
                name: list(options) for name, options in (values if mutations is None else mutations).items()
            },
            quantile_fraction=quantile_fraction,
            custom_explore_fn=explore,
            synch=synch,
        )
    network_length = data.x_train.shape[1] + largest_insertion(values)
    trainable = _with_data(
        tune, data, protocol, model_func, task, batch_mode, finetune, scheduler == "pbt", network_length, seed
    )
    trainable = tune.with_resources(trainable, resources)
    tuner = tune.Tuner(
        trainable,
        param_space=param_space if param_space is not None else search_space(values),
        tune_config=tune.TuneConfig(
            metric=metric,
            mode=mode,
            scheduler=chosen,
            num_samples=num_samples,
            max_concurrent_trials=concurrent_trials,
            search_alg=tune.search.BasicVariantGenerator(random_state=seed),
        ),
        run_config=tune.RunConfig(
            storage_path=storage_path,
            verbose=verbose,
            stop={"training_iteration": total_iterations},
            checkpoint_config=tune.CheckpointConfig(num_to_keep=4),
        ),
    )
    with _quiet_ray(verbose):
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
        rows.append(
            {
                "trial": number,
                **params,
                f"final_{metric}": result.metrics.get(metric),
                f"best_{metric}": best,
                "epochs": int(result.metrics.get("training_iteration", 0)),
            }
        )
    table = pd.DataFrame(rows)
    if "error" in table and table["error"].notna().all():
        raise RuntimeError(f"Every trial failed; the first error: {table['error'].iloc[0]}")
    best = grid.get_best_result(metric=metric, mode=mode, scope="all")
    return SearchResult(
        best_config=dict(best.config), best_metrics=dict(best.metrics), table=table, histories=histories, grid=grid
    )


def _with_data(tune, data, protocol, model_func, task, batch_mode, finetune, checkpoint, network_length, seed):
    """Ship the data to the workers once (object store) and build the trainable there."""

    def trainable(config, data=None):
        return make_trainable(data, protocol, model_func, task, batch_mode, finetune, checkpoint, network_length, seed)(
            config
        )

    return tune.with_parameters(trainable, data=data)
