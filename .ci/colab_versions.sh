#!/usr/bin/env bash
# Colab's preinstalled versions (CONTRIBUTING.md, "The versions we test"): a Python 3.12 environment with what
# Colab has before a notebook runs (.ci/colab-preinstalled.txt: tensorflow 2.19, keras 3.10, numpy 2.0,
# ipywidgets 7.7.1, ...), then
#   1. notebooks 00 and 07 at quick size under nbval, taking the Colab branch of their first cell: a stand-in
#      `google.colab` (tests/colab_stub) is imported when the kernel starts, as on Colab, and the cell's
#      `pip install "evoaug_tf @ git+{REPOSITORY}@{RELEASE}"` is pointed at this clone's HEAD commit (git+file://
#      and RELEASE = the HEAD's hash, since a fresh clone has no release tag; in temporary copies of the
#      notebooks: .ci/colab_notebooks.py; the committed notebooks are not changed);
#   2. a check that the install kept Colab's versions and installed this clone's HEAD;
#   3. the library's fast tier (pytest -m "not slow") against that installed package.
# Installs only from the package index and this clone. git+file:// takes the committed HEAD: commit first.
#
#   bash .ci/colab_versions.sh [--venv DIR]   (default: a temporary environment, removed at the end;
#                                              with --venv DIR the environment is kept and reused)
# Exits non-zero if any step failed, after running them all.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
TAG=colab
. "$REPO/.ci/versions_lib.sh"

VENV=""
if [ "${1:-}" = "--venv" ] && [ -n "${2:-}" ]; then
    VENV=$(mkdir -p "$2" && cd "$2" && pwd)
elif [ $# -gt 0 ]; then
    echo "usage: bash .ci/colab_versions.sh [--venv DIR]" >&2
    exit 2
fi
NOTEBOOKS="00 07"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/evoaug_tf_colab.XXXXXX")
[ -n "$VENV" ] || VENV="$WORK/venv"
trap 'rm -rf "$WORK"' EXIT
failed=0

step "Python 3.12 and Colab's preinstalled versions"
PYTHON=$(find_python 3.12)
echo "[$TAG] $PYTHON ($("$PYTHON" -V 2>&1)), environment $VENV"
make_venv "$PYTHON" "$VENV"
pip "$VENV" install \
    -r "$REPO/.ci/colab-preinstalled.txt" pytest pytest-env pytest-timeout nbval ipykernel nbformat
# A rerun with --venv installs again through the notebook, as a fresh Colab runtime would.
pip "$VENV" uninstall --yes evoaug_tf 2>/dev/null || true
mapfile -t PINS < <(grep -E '^[A-Za-z0-9_.-]+==' "$REPO/.ci/colab-preinstalled.txt")
versions_check "$VENV" "${PINS[@]}"
step_done ok

if [ -n "$(git -C "$REPO" status --porcelain --untracked-files=no)" ]; then
    echo "[$TAG] note: the clone has uncommitted changes; git+file:// installs the committed HEAD" \
        "$(git -C "$REPO" rev-parse --short HEAD) without them."
fi

step "notebooks $NOTEBOOKS (nbval, quick size), Colab branch of the first cell"
"$VENV/bin/python" "$REPO/.ci/colab_notebooks.py" "$REPO" "$WORK" $NOTEBOOKS
# Colab imports google.colab before the first cell runs; an IPython startup file does it here.
mkdir -p "$WORK/ipython/profile_default/startup"
echo "import google.colab  # tests/colab_stub, as Colab's runtime imports it" \
    >"$WORK/ipython/profile_default/startup/00-google-colab.py"
notebook_paths=()
for number in $NOTEBOOKS; do notebook_paths+=("$(ls "$WORK/${number}"_*.ipynb)"); done
if (cd "$WORK" && PYTHONPATH="$REPO/tests/colab_stub" IPYTHONDIR="$WORK/ipython" \
    "$VENV/bin/python" -m pytest -c "$REPO/pyproject.toml" --rootdir "$WORK" -p no:cacheprovider -p no:warnings \
    -q "${notebook_paths[@]}"); then
    step_done ok
else
    step_done FAILED
    failed=1
fi

step "the install kept Colab's versions and took this clone's HEAD"
if versions_check "$VENV" "${PINS[@]}" && installed_package_check "$VENV"; then
    step_done ok
else
    step_done FAILED
    failed=1
fi

step "fast tier (pytest -m 'not slow') against the installed package"
if fast_tests "$VENV"; then
    step_done ok
else
    step_done FAILED
    failed=1
fi

echo "[$TAG] summary (tensorflow, keras, numpy, ipywidgets as on Colab; measured on this machine):"
printf '%s' "$STEP_TIMES"
exit $failed
