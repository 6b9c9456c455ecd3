"""Sphinx configuration of the EvoAug-TF site: executed tutorials (MyST-NB, never re-run), API reference.

Build it with ``python docs/make.py build`` (warnings are errors). Pages generated at build time
(API pages, one page per augmentation with its picture, the published results, the changelog) go to
``docs/_generated/``; ``_ext/evoaug_docs.py`` writes them.
"""

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS / "_ext"))

import evoaug_tf  # noqa: E402  (after the path set-up above)

project = "EvoAug-TF"
author = "EvoAug-TF developers"
copyright = "EvoAug-TF developers"
release = evoaug_tf.__version__
version = release

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "evoaug_docs",
]

# The public modules with an API page, in the order of the reference; add new ones here (a name with no
# module behind it is left out of the reference).
evoaug_api_modules = API_MODULES = [
    "augment",
    "evoaug",
    "training",
    "models",
    "metrics",
    "datasets",
    "attribution",
    "viz",
    "experiments",
    "runs",
    "tune",
    "sizes",
    "recipes",
    "published",
    "commands",
]

# Where the published trials come from: the package's data file (evoaug_tf.published reads the same).
evoaug_published_trials = [ROOT / "evoaug_tf" / "data" / "published_trials.csv"]

source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = [
    "_build",
    "**.ipynb_checkpoints",
    "**/*.part",
    "make.py",
    "README.md",
]

# Notebooks: rendered from the executed copies in docs/tutorials/, never executed here.
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3  # glossary.md#xla, glossary.md#stateless-seed, ... (GitHub's slugs)

# API reference: autodoc with NumPy-style docstrings (napoleon), every public member listed.
# Source pages link back to where an object is documented under its own module. Following imported members
# would file evoaug_tf.runs under evoaug_tf.experiments (which re-exports run_folder) and link to anchors that
# do not exist.
viewcode_follow_imported_members = False

autodoc_default_options = {
    "members": True,
    "undoc-members": True,
    "show-inheritance": True,
}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_class_signature = "mixed"
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_ivar = True
napoleon_use_rtype = False
add_module_names = False

html_theme = "pydata_sphinx_theme"
html_title = f"EvoAug-TF {release}"
html_static_path = ["_static"]
html_theme_options = {
    "github_url": "https://github.com/evoaug-tf/evoaug-tf",
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_last_updated_fmt = None
html_show_sourcelink = False
# The theme's colour mode ("auto": follow the reader's system); left empty, its script logs a console error.
html_context = {"default_mode": "auto"}
# The page's table of contents shows `sample()`, not `AugmentBase.sample()`.
toc_object_entries_show_parents = "hide"
