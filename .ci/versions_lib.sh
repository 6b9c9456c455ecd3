# Shared by .ci/colab_versions.sh and .ci/oldest_versions.sh (sourced, not run): find a Python, make a
# virtual environment, time and report steps, run the fast tier against the installed package.

# find_python X.Y: print the path of a Python X.Y interpreter, newest patch release first: pyenv's
# (`pyenv root`, else $PYENV_ROOT, else ~/.pyenv), then pythonX.Y on PATH. Fails with a message if none.
find_python() {
    local want=$1 root candidate
    root=$(pyenv root 2>/dev/null || true)
    root=${root:-${PYENV_ROOT:-$HOME/.pyenv}}
    for candidate in $(ls -d "$root"/versions/"$want" "$root"/versions/"$want".* 2>/dev/null | sort -V -r) \
        "$(command -v "python$want" || true)"; do
        [ -n "$candidate" ] || continue
        [ -d "$candidate" ] && candidate="$candidate/bin/python"
        if [ -x "$candidate" ] && "$candidate" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$want'.split('.'))))" 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "error: Python $want not found. Looked in $root/versions/$want* (pyenv) and for python$want on PATH." >&2
    echo "       Install it (\`pyenv install $want\`) or put python$want on PATH." >&2
    return 1
}

# pip VENV ARGS...: VENV's pip, quiet, without the warnings about local package folders that this
# machine's pip configuration lists but that have no copy of a given package.
pip() {
    local venv=$1
    shift
    "$venv/bin/python" -m pip --quiet --disable-pip-version-check "$@" \
        2> >(grep -v "^WARNING: Location 'file://.*' is ignored" >&2)
}

# make_venv PYTHON DIR: a virtual environment in DIR (created if missing) with pip >= 24.
make_venv() {
    "$1" -m venv "$2"
    pip "$2" install --upgrade "pip>=24"
}

# step NAME: start timing a step; step_done: print its duration. Durations are collected in $STEP_TIMES.
STEP_TIMES=""
step() {
    STEP_NAME=$1
    STEP_START=$SECONDS
    echo "[$TAG] $STEP_NAME ..."
}
step_done() {
    local took=$((SECONDS - STEP_START))
    echo "[$TAG] $STEP_NAME: $1 (${took} s)"
    STEP_TIMES="$STEP_TIMES$(printf '[%s]   %-48s %-6s %5d s' "$TAG" "$STEP_NAME" "$1" "$took")"$'\n'
}

# installed_package_check VENV: evoaug_tf is installed in VENV from this clone's HEAD (git+file://), and is
# the copy Python imports there (not the checkout).
installed_package_check() {
    (cd / && env -u PYTHONPATH "$1/bin/python" - "$REPO" "$(git -C "$REPO" rev-parse HEAD)" <<'EOF'
import json
import sys
from importlib import metadata

repo, head = sys.argv[1], sys.argv[2]
try:
    dist = metadata.distribution("evoaug_tf")
except metadata.PackageNotFoundError:
    sys.exit("error: evoaug_tf is not installed (the install from the clone failed, see above)")
origin = json.loads(dist.read_text("direct_url.json") or "{}")
commit = origin.get("vcs_info", {}).get("commit_id")
import evoaug_tf

print(f"evoaug_tf {dist.version} from {origin.get('url')} @ {commit}, imported from {evoaug_tf.__file__}")
if origin.get("url") != f"file://{repo}" or commit != head:
    sys.exit(f"error: expected evoaug_tf installed from file://{repo} at {head}. Received: {origin!r}")
if evoaug_tf.__file__.startswith(repo + "/"):
    sys.exit(f"error: expected the installed evoaug_tf. Received: {evoaug_tf.__file__} (the checkout)")
EOF
    )
}

# versions_check VENV PIN...: each PIN (name==version) is what VENV has; prints them.
versions_check() {
    local venv=$1
    shift
    (cd / && env -u PYTHONPATH "$venv/bin/python" - "$@" <<'EOF'
import sys
from importlib import metadata

from packaging.version import Version

wrong = []
for pin in sys.argv[1:]:
    name, version = pin.split("==")
    have = metadata.version(name)
    print(f"  {name} {have}")
    if Version(have) != Version(version):  # 3.5 == 3.5.0
        wrong.append(f"{name}=={have} (expected {version})")
if wrong:
    sys.exit("error: expected the pinned versions. Received: " + ", ".join(wrong))
EOF
    )
}

# fast_tests VENV: the library's fast tier (`pytest -m "not slow"`) run from the checkout against the
# package installed in VENV (pytest's console script, so the checkout is not on sys.path). Tests that
# need the development-only extras (Ray Tune, pyjaspar, ...) skip themselves when those are missing.
# tests/test_notebook_plans.py is left out: it checks the repository's notebooks, README and recorded timings
# against each other through the package's path to docs/, which an installed package does not have (the main
# suite runs it; it does not depend on the versions).
fast_tests() {
    (cd "$REPO" && env -u PYTHONPATH "$1/bin/pytest" -m "not slow" -q -p no:cacheprovider -p no:warnings \
        --ignore=tests/test_notebook_plans.py tests)
}
