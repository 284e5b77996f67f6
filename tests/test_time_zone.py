"""TIME_ZONE: UTC unless the newsroom sets its own, and pages and the admin show times in it."""

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.factories import ArticleFactory

ROOT = Path(__file__).resolve().parent.parent
PROBE = "from django.conf import settings; print(settings.TIME_ZONE)"


def time_zone_with(**env):
    clean = {k: v for k, v in os.environ.items() if k != "TIME_ZONE"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "SECRET_KEY": "x", **env},
    )
    return done.stdout.strip()


def test_time_zone_is_utc_unless_the_newsroom_sets_one():
    assert time_zone_with() == "UTC"
    assert time_zone_with(TIME_ZONE="Asia/Seoul") == "Asia/Seoul"


@pytest.mark.django_db
@pytest.mark.parametrize(("zone", "shown"), [("UTC", "Dec 1, 2026 22:30 UTC"), ("Asia/Seoul", "Dec 2, 2026 07:30 KST")])
def test_story_page_shows_the_publish_time_in_the_newsroom_zone(client, settings, zone, shown):
    settings.TIME_ZONE = zone
    story = ArticleFactory(published_at=datetime(2026, 12, 1, 22, 30, tzinfo=UTC))
    html = client.get(story.get_absolute_url()).content.decode()
    assert f">{shown}</time>" in html
