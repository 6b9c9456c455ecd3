"""The public surface: every public module states its ``__all__``, and public functions carry type hints."""

import importlib
import inspect
import pkgutil

import pytest

import evoaug_tf

#: Modules exempt from ``__all__`` for now (none left since issue 21). The test fails when a listed module gains
#: ``__all__``, so the set cannot go stale.
PENDING_ALL: set[str] = set()
#: Packages and modules whose public functions must all be fully annotated (and are checked by mypy in CI).
TYPED = (
    "evoaug_tf.attribution",
    "evoaug_tf.augment",
    "evoaug_tf.commands",
    "evoaug_tf.datasets.download",
    "evoaug_tf.datasets.h5",
    "evoaug_tf.datasets.pipeline",
    "evoaug_tf.datasets.registry",
    "evoaug_tf.datasets.synthetic",
    "evoaug_tf.evoaug",
    "evoaug_tf.experiments",
    "evoaug_tf.metrics",
    "evoaug_tf.models",
    "evoaug_tf.published",
    "evoaug_tf.sizes",
    "evoaug_tf.training",
    "evoaug_tf.tune",
    "evoaug_tf.tutorial",
    "evoaug_tf.validation",
    "evoaug_tf.viz",
)
#: Modules under TYPED not yet annotated (none left since issue 21).
TYPED_PENDING: set[str] = set()


def public_modules():
    names = ["evoaug_tf"]
    for module in pkgutil.walk_packages(evoaug_tf.__path__, "evoaug_tf."):
        if not any(part.startswith("_") for part in module.name.split(".")[1:]):
            names.append(module.name)
    return sorted(names)


MODULES = public_modules()


def test_the_walk_finds_the_package():
    assert {"evoaug_tf.augment", "evoaug_tf.augment.base", "evoaug_tf.viz.explorer", "evoaug_tf.metrics"} <= set(
        MODULES
    )
    assert PENDING_ALL <= set(MODULES), sorted(PENDING_ALL - set(MODULES))


@pytest.mark.parametrize("name", MODULES)
def test_every_public_module_defines_all_and_every_name_in_it_exists(name):
    module = importlib.import_module(name)
    if name in PENDING_ALL:
        assert not hasattr(module, "__all__"), f"{name} now defines __all__: remove it from PENDING_ALL"
        return
    assert isinstance(module.__all__, list | tuple), name
    assert len(set(module.__all__)) == len(module.__all__), f"{name}.__all__ lists a name twice"
    missing = [item for item in module.__all__ if not hasattr(module, item)]
    assert not missing, f"{name}.__all__ names what the module does not define: {missing}"


def public_functions(module):
    """Functions and methods defined in ``module`` whose names (and their class') do not start with ``_``."""
    for name, value in vars(module).items():
        if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(value):
            yield name, value
        elif inspect.isclass(value):
            for attribute, member in vars(value).items():
                function = member.__func__ if isinstance(member, classmethod | staticmethod) else member
                public = not attribute.startswith("_") or attribute == "__init__"
                if public and inspect.isfunction(function):
                    yield f"{name}.{attribute}", function


def unannotated(function):
    """Arguments (and ``return``) of ``function`` without a type hint."""
    signature = inspect.signature(function)
    missing = [
        argument.name
        for position, argument in enumerate(signature.parameters.values())
        if argument.annotation is inspect.Parameter.empty and not (position == 0 and argument.name in ("self", "cls"))
    ]
    if signature.return_annotation is inspect.Signature.empty:
        missing.append("return")
    return missing


TYPED_MODULES = [
    name for name in MODULES if name.startswith(TYPED) and name not in TYPED_PENDING and name != "evoaug_tf"
]


@pytest.mark.parametrize("name", TYPED_MODULES)
def test_public_functions_carry_type_hints(name):
    module = importlib.import_module(name)
    gaps = {
        f"{name}.{qualname}": missing
        for qualname, function in public_functions(module)
        if (missing := unannotated(function))
    }
    assert not gaps, gaps
