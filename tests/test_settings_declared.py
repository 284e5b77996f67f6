"""Every setting is declared once, in newsroom/settings.py, and read as settings.X at call time."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".venv", ".git", "node_modules", "staticfiles", "media", "private_media", "__pycache__"}
# A getattr on settings with a third argument: a default that lives outside settings.py.
DEFAULTED_GETATTR = re.compile(r"getattr\(\s*(?:django_)?settings\s*,\s*[^,()]+,")


def project_sources():
    for path in ROOT.rglob("*.py"):
        if SKIPPED_DIRS.isdisjoint(path.relative_to(ROOT).parts):
            yield path


def test_no_setting_has_a_default_outside_settings_py():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in project_sources()
        if path != ROOT / "newsroom" / "settings.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DEFAULTED_GETATTR.search(line)
    ]
    assert offenders == [], "declare the setting in newsroom/settings.py and read settings.X instead"
