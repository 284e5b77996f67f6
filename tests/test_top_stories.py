"""Top 10 Stories: reads counted by the beacon, aggregated in the cache and flushed in bulk."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.top_stories import rank_top_stories, top_stories
from readership import counting
from readership.models import ReadCount
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
LATER = 10_000  # seconds: far enough ahead that every bucket has closed


def beacon(client, article, ua=BROWSER, ip="203.0.113.7"):
    return client.post(reverse("readership:beacon"), {"article": article.pk}, HTTP_USER_AGENT=ua, REMOTE_ADDR=ip)


def flush_all():
    return counting.flush_reads(now=timezone.now().timestamp() + LATER)


def test_beacon_hit_is_counted_after_flush(client):
    article = ArticleFactory()
    assert beacon(client, article).status_code == 204
    flush_all()
    assert ReadCount.objects.get(article=article).reads == 1


def test_beacon_hits_cost_no_database_query_until_flush(client, django_assert_num_queries):
    article = ArticleFactory()
    counting.maybe_flush()  # the per-bucket flush has just run
    assert counting.is_public_story(article.pk)  # asked once, then cached
    with django_assert_num_queries(0):
        for n in range(20):
            beacon(client, article, ip=f"198.51.100.{n}")
    assert flush_all() == 20
    assert ReadCount.objects.get(article=article).reads == 20


def test_flush_writes_many_stories_in_one_statement(django_assert_num_queries):
    articles = ArticleFactory.create_batch(5)
    now = timezone.now().timestamp()
    for n, article in enumerate(articles):
        for reader in range(n + 1):
            counting.record_read(article.pk, f"client-{reader}", now=now)
    with django_assert_num_queries(2):  # which ids exist, then one upsert
        assert counting.flush_reads(now=now + LATER) == 15
    assert [rc.reads for rc in ReadCount.objects.order_by("reads")] == [1, 2, 3, 4, 5]


def test_flushing_twice_adds_to_the_same_hour():
    article = ArticleFactory()
    now = timezone.now().replace(minute=10).timestamp()
    counting.record_read(article.pk, "a", now=now)
    counting.flush_reads(now=now + 120)
    counting.record_read(article.pk, "b", now=now + 130)
    counting.flush_reads(now=now + 400)
    assert ReadCount.objects.get(article=article).reads == 2


def test_a_repeat_read_from_the_same_client_is_not_counted(client):
    article = ArticleFactory()
    beacon(client, article)
    beacon(client, article)
    beacon(client, article, ip="203.0.113.8")
    flush_all()
    assert ReadCount.objects.get(article=article).reads == 2


@pytest.mark.parametrize("ua", [GOOGLEBOT, "facebookexternalhit/1.1", "curl/8.5.0", ""])
def test_bots_are_not_counted(client, ua):
    article = ArticleFactory()
    assert beacon(client, article, ua=ua).status_code == 204
    flush_all()
    assert not ReadCount.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", "-1", "0", "1e5", "9" * 30])
def test_beacon_refuses_a_bad_story_id(client, value):
    response = client.post(reverse("readership:beacon"), {"article": value}, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 400


def test_beacon_only_accepts_post(client):
    article = ArticleFactory()
    assert client.get(reverse("readership:beacon"), {"article": article.pk}).status_code == 405


def test_reads_of_unknown_stories_are_dropped_at_flush(client):
    response = client.post(reverse("readership:beacon"), {"article": 987654}, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 204
    flush_all()
    assert not ReadCount.objects.exists()


def read(article, times, hours_ago=0):
    hour = (timezone.now() - timedelta(hours=hours_ago)).replace(minute=0, second=0, microsecond=0)
    ReadCount.objects.create(article=article, hour=hour, reads=times)


def test_most_read_story_comes_first():
    quiet, popular, middling = ArticleFactory.create_batch(3)
    read(popular, 50)
    read(middling, 10)
    read(quiet, 1)
    assert rank_top_stories(3) == [popular, middling, quiet]


def test_reads_older_than_the_window_do_not_count(settings):
    settings.NEWSROOM_TOP_STORIES_HOURS = 24
    old_favourite, fresh = ArticleFactory.create_batch(2)
    read(old_favourite, 500, hours_ago=30)
    read(fresh, 3)
    assert rank_top_stories(2) == [fresh, old_favourite]  # the old one only as a "latest" filler


def test_without_reads_the_box_falls_back_to_latest_stories():
    older = ArticleFactory(published_at=timezone.now() - timedelta(hours=5))
    newer = ArticleFactory(published_at=timezone.now() - timedelta(hours=1))
    assert rank_top_stories(10) == [newer, older]


def test_box_is_topped_up_with_latest_stories():
    read_one = ArticleFactory(published_at=timezone.now() - timedelta(hours=9))
    latest = ArticleFactory()
    read(read_one, 5)
    assert rank_top_stories(2) == [read_one, latest]


def test_editors_can_keep_a_story_out_of_the_box():
    hidden = ArticleFactory(exclude_from_top_stories=True)
    shown = ArticleFactory()
    read(hidden, 100)
    assert rank_top_stories(10) == [shown]


@pytest.mark.parametrize("trait", ["draft", "scheduled", "killed"])
def test_unpublished_stories_never_reach_the_box(trait):
    hidden = ArticleFactory(**{trait: True})
    read(hidden, 1000)
    shown = ArticleFactory()
    assert rank_top_stories(10) == [shown]


def test_killing_a_story_removes_it_from_the_cached_box_at_once():
    story = ArticleFactory()
    assert top_stories() == [story]
    story.unpublish()
    story.save()
    assert top_stories() == []


def test_box_moves_as_stories_are_read(client):
    first, second = ArticleFactory.create_batch(2)
    for n in range(3):
        beacon(client, first, ip=f"192.0.2.{n}")
    beacon(client, second)
    flush_all()
    assert rank_top_stories(2) == [first, second]
    for n in range(5):
        beacon(client, second, ip=f"192.0.2.{100 + n}")
    flush_all()
    assert rank_top_stories(2) == [second, first]


def test_story_page_carries_the_beacon(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'data-article="{article.pk}"' in html
    assert reverse("readership:beacon") in html


def test_home_page_shows_most_read_box(client):
    popular = ArticleFactory(headline="Tram line reopens after repairs")
    read(popular, 40)
    html = client.get("/").content.decode()
    box = html.split('id="top-stories-title"')[1].split("</section>")[0]
    assert "Tram line reopens after repairs" in box


def test_flush_reads_command_writes_counts_and_prunes_old_ones(capsys):
    from django.core.management import call_command

    article = ArticleFactory()
    read(article, 7, hours_ago=24 * 100)
    counting.record_read(article.pk, "someone", now=timezone.now().timestamp() - 600)
    call_command("flush_reads", keep_days=90)
    assert "Flushed 1 reads; deleted 1 old hourly counts." in capsys.readouterr().out
    assert ReadCount.objects.get().reads == 1
