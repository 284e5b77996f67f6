"""The quick start (`make run`): what a newcomer sees on the first run."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_make_install_lets_pip_print_errors_only():
    # -n: print the commands without running them; -B: as on a first run, when nothing is installed.
    commands = subprocess.run(["make", "-n", "-B", "install"], cwd=ROOT, capture_output=True, text=True, check=True)
    pip_lines = [line for line in commands.stdout.splitlines() if "pip install" in line]
    assert len(pip_lines) == 2
    assert all(" -qq " in line and "--disable-pip-version-check" in line for line in pip_lines)
