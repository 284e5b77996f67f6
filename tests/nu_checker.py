"""The Nu HTML checker (npm's vnu-jar, pinned in package.json) run with the machine's Java.

`npm ci` installs it under the gitignored node_modules/ the first time a test needs it; `.ci/run`
makes sure Java and npm are there. One JVM start checks every file (it takes seconds).
"""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def unavailable(reason):
    # CI installs Java and npm (.ci/run): there a missing tool must fail the run, not skip the check.
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def vnu_jar():
    """The checker's jar, installed with `npm ci` from package-lock.json when missing."""
    if not shutil.which("java"):
        unavailable("the Nu HTML checker needs Java (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        if not shutil.which("npm"):
            unavailable("installing the Nu HTML checker needs npm (apt-get install npm)")
        # --ignore-scripts: vnu-jar's postinstall only offers to download a Java runtime; we use the machine's.
        done = subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=ROOT, capture_output=True, text=True, timeout=600,
        )
        if done.returncode or not VNU_JAR.exists():
            pytest.fail(f"npm ci could not install vnu-jar:\n{done.stdout}\n{done.stderr}")
    return VNU_JAR


@dataclass
class Finding:
    file: str
    line: int
    column: int
    kind: str  # "error", "warning", "info" or "non-document-error"
    message: str
    extract: str

    def describe(self, label):
        where = f"{label}, line {self.line}, column {self.column}"
        return f"{where}: {self.kind}: {self.message}\n    near: {' '.join(self.extract.split())}"


def check_files(paths):
    """Every message the checker has on `paths` (.html as HTML with its inline CSS, .css as CSS, .svg as SVG)."""
    done = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--format", "json", "--stdout", "--exit-zero-always",
         "--also-check-css", "--also-check-svg", *map(str, paths)],
        capture_output=True, text=True, timeout=600,
    )
    if done.returncode:
        pytest.fail(f"the Nu HTML checker did not run:\n{done.stderr}")
    return [
        Finding(
            file=Path(message.get("url", "").removeprefix("file:")).name,
            line=message.get("lastLine", 0),
            column=message.get("firstColumn", message.get("lastColumn", 0)),
            kind=message.get("subType", message["type"]),
            message=message["message"],
            extract=message.get("extract", ""),
        )
        for message in json.loads(done.stdout)["messages"]
    ]
