"""The front page across processes: a layout published from a third process reaches both servers'
cached home and section pages on their next request, and a slot's expiry takes effect on time with
no write at all (two gunicorn servers, as in tests/test_cache_coherence.py)."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from frontpage.layouts import SlotChoice
from tests.factories import ArticleFactory
from tests.front_helpers import lead_headline, publish_front
from tests.test_cache_coherence import PORTS, REDIS_DB_URL, get, run_in_third_process, two_servers

pytestmark = pytest.mark.django_db(transaction=True)


def lead_of(port, path="/"):
    status, _, body = get(port, path)
    assert status == 200
    return lead_headline(body)


@pytest.mark.parametrize("redis_url", ["", REDIS_DB_URL], ids=["per-process-memory", "redis"])
def test_a_layout_published_from_a_third_process_reaches_both_servers_at_once(tmp_path, redis_url):
    newest = ArticleFactory(headline="Newest story")
    pinned = ArticleFactory(headline="Desk pick", published_at=timezone.now() - timedelta(hours=5))
    section_pick = ArticleFactory(headline="Section pick", published_at=timezone.now() - timedelta(hours=6))
    section_url = section_pick.section.get_absolute_url()
    with two_servers(tmp_path, redis_url) as env:
        for port in PORTS:
            for path in ("/", section_url):
                get(port, path)
                status, cache_state, _ = get(port, path)
                assert (status, cache_state) == (200, "hit"), path
            assert lead_of(port) == newest.headline
            assert lead_of(port, section_url) is None

        run_in_third_process(
            env,
            "from articles.models import Article; from frontpage.layouts import SlotChoice; "
            "from tests.front_helpers import publish_front; "
            f"pick = Article.objects.get(pk={section_pick.pk}); "
            f"publish_front(SlotChoice(Article.objects.get(pk={pinned.pk})), SlotChoice(pick, section=pick.section))",
        )
        for port in PORTS:
            assert lead_of(port) == pinned.headline, port
            assert lead_of(port, section_url) == section_pick.headline, port


def test_an_expiring_slot_falls_back_on_time_in_every_cached_home_page(tmp_path):
    newest = ArticleFactory(headline="Newest story")
    pinned = ArticleFactory(headline="Evening splash", published_at=timezone.now() - timedelta(hours=5))
    with two_servers(tmp_path):
        # Expires a few seconds from now (timed from here: starting servers on a busy machine is slow).
        expires = timezone.now() + timedelta(seconds=5)
        publish_front(SlotChoice(pinned, expires_at=expires))
        for port in PORTS:
            get(port, "/")
            assert lead_of(port) == pinned.headline
        assert timezone.now() < expires, "filling the caches took longer than the wait; the check proves nothing"
        time.sleep((expires - timezone.now()).total_seconds() + 0.2)
        for port in PORTS:
            assert lead_of(port) == newest.headline, port
