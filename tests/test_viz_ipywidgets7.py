"""The explorers' Python side under ipywidgets 7.7 (Colab's preinstalled version), the oldest we support.

Builds a throwaway virtual environment that sees this one's packages (a ``.pth`` file
after its own site-packages) but has its own ``ipywidgets==7.7.*``, then runs the
explorers' unit tests in it. Needs the package index (pip); outside CI a failed
install skips, in CI (``CI=true``) it fails.
"""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(2400)]

REPOSITORY = Path(__file__).resolve().parents[1]
UNIT_TESTS = ("tests/test_viz_explorer.py", "tests/test_viz_batch_view.py", "tests/test_viz_attribution_explorer.py")
OLDEST = "ipywidgets==7.7.*"


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def test_explorer_unit_tests_pass_with_ipywidgets_7_7(tmp_path):
    venv = tmp_path / "ipywidgets7"
    run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    child_site = run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], check=True
    ).stdout.strip()
    parent_sites = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    Path(child_site, "zz_parent_environment.pth").write_text("\n".join(parent_sites) + "\n")
    install = run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", OLDEST])
    if install.returncode != 0:
        reason = f"could not pip install {OLDEST}:\n{install.stderr[-2000:]}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    version = run([python, "-c", "import ipywidgets; print(ipywidgets.__version__)"], check=True).stdout.strip()
    assert version.startswith("7.7."), version

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPOSITORY), os.environ.get("PYTHONPATH")]))}
    tests = run(
        [python, "-m", "pytest", *UNIT_TESTS, "-q", "-x", "-p", "no:cacheprovider", "-p", "no:warnings"],
        cwd=REPOSITORY,
        env=env,
    )
    assert tests.returncode == 0, f"ipywidgets {version}:\n{tests.stdout[-6000:]}\n{tests.stderr[-3000:]}"
    assert " passed" in tests.stdout.splitlines()[-1]
