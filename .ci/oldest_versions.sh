#!/usr/bin/env bash
# The oldest versions we support (CONTRIBUTING.md, "The versions we test"): a Python 3.11 environment with
# every dependency of pyproject.toml at its floor (`name>=X` installed as `name==X`: tensorflow 2.16.1,
# keras, numpy, ipywidgets 7.7.0, ...), the package installed from this clone (git+file://, the committed HEAD),
# then the library's fast tier (pytest -m "not slow") against it. Installs only from the package index and
# this clone.
#
#   bash .ci/oldest_versions.sh [--venv DIR]  (default: a temporary environment, removed at the end;
#                                              with --venv DIR the environment is kept and reused)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
TAG=oldest
. "$REPO/.ci/versions_lib.sh"

VENV=""
if [ "${1:-}" = "--venv" ] && [ -n "${2:-}" ]; then
    VENV=$(mkdir -p "$2" && cd "$2" && pwd)
elif [ $# -gt 0 ]; then
    echo "usage: bash .ci/oldest_versions.sh [--venv DIR]" >&2
    exit 2
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/evoaug_tf_oldest.XXXXXX")
[ -n "$VENV" ] || VENV="$WORK/venv"
trap 'rm -rf "$WORK"' EXIT
failed=0

step "Python 3.11 and every dependency at its floor, the package from this clone"
PYTHON=$(find_python 3.11)
echo "[$TAG] $PYTHON ($("$PYTHON" -V 2>&1)), environment $VENV"
# The floors, read from pyproject.toml (stated there once).
"$PYTHON" - "$REPO/pyproject.toml" >"$WORK/floors.txt" <<'EOF'
import re
import sys
import tomllib

with open(sys.argv[1], "rb") as file:
    dependencies = tomllib.load(file)["project"]["dependencies"]
for dependency in dependencies:
    match = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9][0-9.]*)", dependency.replace(" ", ""))
    if match is None:
        sys.exit(f"error: expected each dependency as 'name>=version'. Received: {dependency!r}")
    print(f"{match[1]}=={match[2]}")
EOF
mapfile -t FLOORS <"$WORK/floors.txt"
make_venv "$PYTHON" "$VENV"
pip "$VENV" uninstall --yes evoaug_tf 2>/dev/null || true  # a reused --venv takes HEAD
pip "$VENV" install -c "$WORK/floors.txt" \
    "evoaug_tf @ git+file://$REPO" pytest pytest-env pytest-timeout nbval ipykernel nbformat
versions_check "$VENV" "${FLOORS[@]}"
installed_package_check "$VENV"
step_done ok

step "fast tier (pytest -m 'not slow') against the installed package"
if fast_tests "$VENV"; then
    step_done ok
else
    step_done FAILED
    failed=1
fi

echo "[$TAG] summary (every dependency at the floor pyproject.toml states; measured on this machine):"
printf '%s' "$STEP_TIMES"
exit $failed
