"""Statuses, scheduling across the publish time, embargoes, status history and edit conflicts."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article
from articles.permissions import allowed_statuses, check_status_change
from articles.publishing import PublishError, publish_article, submit_for_editing
from tests.factories import ArticleFactory
from tests.workflow_helpers import desk_user, form_errors, open_change_form, save_change_form

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def reporter():
    return desk_user("Reporter")


def test_reporter_moves_between_draft_and_ready_only(reporter, editor):
    assert allowed_statuses(reporter, "draft") == {"draft", "ready"}
    assert allowed_statuses(reporter, "published") == {"published"}
    assert allowed_statuses(editor, "ready") == {"ready", "draft", "published"}
    assert allowed_statuses(editor, "published") == {"published", "killed"}
    with pytest.raises(ValidationError, match="You cannot publish"):
        check_status_change(reporter, "ready", "published")
    with pytest.raises(ValidationError, match="cannot go from"):
        check_status_change(editor, "published", "ready")


def test_submitting_a_draft_records_who_and_when(reporter):
    story = ArticleFactory(draft=True, created_by=reporter)
    with time_machine.travel(NOON, tick=False):
        submit_for_editing(story, by=reporter)
    change = story.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by, change.changed_at) == (
        "draft",
        "ready",
        reporter,
        NOON,
    )


def test_scheduled_story_appears_exactly_at_its_publish_time(client, editor):
    story = ArticleFactory(draft=True, created_by=editor)
    with time_machine.travel(NOON - timedelta(hours=2), tick=False):
        publish_article(story, by=editor, at=NOON)
        assert story.status == "published"
    url = story.get_absolute_url()
    with time_machine.travel(NOON - timedelta(seconds=1), tick=False):
        assert not Article.objects.published().filter(pk=story.pk).exists()
        assert client.get(url).status_code == 404
        assert story.headline not in client.get("/").content.decode()
    with time_machine.travel(NOON, tick=False):
        assert Article.objects.published().filter(pk=story.pk).exists()
        assert client.get(url).status_code == 200
        assert story.headline in client.get("/").content.decode()


def test_editor_schedules_through_the_form(client, editor):
    story = ArticleFactory(draft=True, created_by=editor)
    client.force_login(editor)
    with time_machine.travel(NOON - timedelta(hours=1), tick=False):
        data = open_change_form(client, story)
        local = timezone.localtime(NOON)
        response = save_change_form(
            client,
            story,
            data,
            status="published",
            published_at_0=local.strftime("%Y-%m-%d"),
            published_at_1=local.strftime("%H:%M:%S"),
        )
        assert response.status_code == 302, form_errors(response)
        story.refresh_from_db()
        assert story.published_at == NOON
        assert not story.is_published()
    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        assert story.is_published()


def test_publishing_before_the_embargo_is_refused_with_a_clear_message(editor):
    story = ArticleFactory(draft=True, embargo_until=NOON)
    with time_machine.travel(NOON - timedelta(minutes=5), tick=False):
        with pytest.raises(PublishError, match="Embargoed until"):
            publish_article(story, by=editor)
        story.refresh_from_db()
        assert story.status == "draft"
        publish_article(story, by=editor, at=NOON)  # scheduling for the embargo time is fine
        assert not Article.objects.published().filter(pk=story.pk).exists()
    with time_machine.travel(NOON, tick=False):
        assert Article.objects.published().filter(pk=story.pk).exists()


def test_embargo_refusal_in_the_form_keeps_the_story_unpublished(client, editor):
    story = ArticleFactory(draft=True, embargo_until=NOON)
    client.force_login(editor)
    with time_machine.travel(NOON - timedelta(hours=1), tick=False):
        response = save_change_form(client, story, open_change_form(client, story), status="published")
    assert response.status_code == 200
    assert "embargo" in str(form_errors(response)).lower()
    story.refresh_from_db()
    assert story.status == "draft"


def test_embargo_refusal_in_the_list_action(client, editor):
    story = ArticleFactory(draft=True, embargo_until=datetime(2099, 1, 1, tzinfo=UTC))
    client.force_login(editor)
    response = client.post(
        "/admin/articles/article/", {"action": "publish_now", "_selected_action": [story.pk]}, follow=True
    )
    assert "Embargoed until" in response.content.decode()
    story.refresh_from_db()
    assert story.status == "draft"


def test_every_save_bumps_the_version():
    story = ArticleFactory()
    assert story.version == 1
    story.save()
    story.save(update_fields=["headline"])
    story.refresh_from_db()
    assert story.version == 3


def test_desk_list_tells_scheduled_embargoed_and_live_stories_apart(client, editor, reporter):
    with time_machine.travel(NOON, tick=False):
        ArticleFactory(headline="Goes out at two", published_at=NOON + timedelta(hours=2))
        ArticleFactory(headline="Held by the wire", published_at=NOON, embargo_until=NOON + timedelta(hours=1))
        ArticleFactory(headline="Already out", published_at=NOON - timedelta(hours=1))
        ArticleFactory(headline="My own draft", draft=True, created_by=reporter)
        client.force_login(editor)
        html = client.get("/admin/articles/article/").content.decode()
        client.force_login(reporter)
        mine = client.get("/admin/articles/article/?mine=1").content.decode()
    at_two = timezone.localtime(NOON + timedelta(hours=2))
    assert f"Scheduled for {at_two:%Y-%m-%d %H:%M}" in html
    assert "Embargoed until" in html and "Published (live)" in html
    assert "My own draft" in mine and "Already out" not in mine


@pytest.mark.django_db(transaction=True)
def test_two_saves_arriving_at_once_cannot_both_pass_the_version_check():
    import threading

    from django.db import connection
    from django.test import Client

    from tests.factories import UserFactory

    story = ArticleFactory(headline="Original")
    chief = UserFactory(username="chief", is_staff=True, is_superuser=True, password=None)
    clients = [Client(), Client()]
    forms = []
    for client in clients:
        client.force_login(chief)
        forms.append(open_change_form(client, story))
    start, statuses = threading.Barrier(2), {}

    def save(n):
        try:
            start.wait()
            statuses[n] = save_change_form(clients[n], story, forms[n], headline=f"Edit {n}").status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses.values()) == [200, 302]  # one saved, the other was shown the conflict
    story.refresh_from_db()
    assert story.version == 2 and story.headline == f"Edit {[n for n, s in statuses.items() if s == 302][0]}"
