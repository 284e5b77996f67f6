"""Desk notifications (#13 part 6): notify(), the events that send them, the header count, the list,
mark read, and email through the mail queue (SMTP down never breaks the action)."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from articles.models import Article
from articles.publishing import set_status, submit_for_editing
from desk.models import Notification, Verb
from desk.notifications import notify
from pipeline.models import TaskFailure
from tests.factories import ArticleFactory, UserFactory
from tests.workflow_helpers import desk_user

from .ingest_helpers import ingest, ninjs, write_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]
Status = Article.Status


@pytest.fixture
def reporter():
    return desk_user("Reporter")


def verbs_of(user):
    return list(Notification.objects.filter(recipient=user).values_list("verb", flat=True))


def test_notify_skips_the_actor_duplicates_and_users_who_cannot_see_stories(editor, reporter):
    outsider = UserFactory(username="newsletter-only", is_staff=True)  # staff, but no story permissions
    retired = desk_user("Editor", username="retired")
    retired.is_active = False
    retired.save()
    story = ArticleFactory(draft=True)

    made = notify([editor, editor, reporter, outsider, retired, None], Verb.READY, story, actor=reporter)

    assert [n.recipient for n in made] == [editor]
    assert Notification.objects.get().summary == f"reporter marked ready for editing “{story.headline}”"


def test_marking_a_story_ready_tells_the_editors_not_the_reporters(editor, reporter):
    other_reporter = desk_user("Reporter", username="other-reporter")
    admin = UserFactory(username="boss", is_staff=True, is_superuser=True)
    story = ArticleFactory(draft=True, created_by=reporter)

    submit_for_editing(story, by=reporter)

    assert verbs_of(editor) == [Verb.READY] and verbs_of(admin) == [Verb.READY]
    assert verbs_of(other_reporter) == [] and verbs_of(reporter) == []  # not the one who did it


def test_publishing_tells_the_author_and_killing_tells_the_author_and_the_desk(editor, reporter):
    second_editor = desk_user("Editor", username="second-editor")
    story = ArticleFactory(draft=True, created_by=reporter)

    set_status(story, Status.PUBLISHED, by=editor)
    assert verbs_of(reporter) == [Verb.PUBLISHED] and verbs_of(second_editor) == []

    set_status(story, Status.KILLED, by=editor)
    assert sorted(verbs_of(reporter)) == [Verb.KILLED, Verb.PUBLISHED]
    assert verbs_of(second_editor) == [Verb.KILLED]
    assert verbs_of(editor) == []  # the actor


def test_a_future_publish_time_is_notified_as_scheduled_with_the_time(editor, reporter):
    from datetime import timedelta

    from django.utils import timezone

    story = ArticleFactory(draft=True, created_by=reporter)
    set_status(story, Status.PUBLISHED, by=editor, at=timezone.now() + timedelta(hours=3))
    notification = Notification.objects.get(recipient=reporter)
    assert notification.verb == Verb.SCHEDULED and notification.text.startswith("Goes live ")


def test_a_wire_update_waiting_on_a_live_story_and_its_application_are_notified(tmp_path, editor):
    second_editor = desk_user("Editor", username="second-editor")
    ingest(write_json(tmp_path, "v1.json", ninjs(version="1", headline="Ferry leaves at six")))
    story = Article.objects.get()
    set_status(story, Status.PUBLISHED, by=editor)
    ingest(write_json(tmp_path, "v2.json", ninjs(version="2", headline="Ferry leaves at half past five")))

    assert Verb.WIRE_WAITING in verbs_of(editor) and Verb.WIRE_WAITING in verbs_of(second_editor)

    from wire import pending
    from wire.models import PendingUpdate

    update = PendingUpdate.objects.get()
    pending.apply(update, {"headline": "agency"}, by=editor)
    assert Verb.WIRE_APPLIED in verbs_of(second_editor)
    assert Verb.WIRE_APPLIED not in verbs_of(editor)  # who applied it


def test_the_header_shows_the_unread_count_and_the_list_marks_them_read(client, editor, reporter):
    story = ArticleFactory(draft=True, created_by=reporter)
    submit_for_editing(story, by=reporter)
    client.force_login(editor)

    home = client.get(reverse("admin:index")).content.decode()
    assert 'class="desk-bell-count">1<' in home and "desk/desk.css" in home

    page = client.get(reverse("desk:notifications")).content.decode()
    assert story.headline in page
    notification = Notification.objects.get(recipient=editor)
    response = client.get(reverse("desk:notification-open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:articles_article_change",
                                                                             args=[story.pk])
    notification.refresh_from_db()
    assert notification.is_read
    assert "desk-bell-count" not in client.get(reverse("admin:index")).content.decode()


def test_mark_all_read_and_bad_ids(client, editor):
    for _ in range(3):
        notify([editor], Verb.PUBLISHED, ArticleFactory())
    client.force_login(editor)
    assert client.post(reverse("desk:notifications-read"), {"id": "x"}).status_code == 400
    response = client.post(reverse("desk:notifications-read"))
    assert response.status_code == 302
    assert not Notification.objects.unread().exists()


def test_nobody_opens_or_marks_another_users_notification(client, editor, reporter):
    [notification] = notify([editor], Verb.PUBLISHED, ArticleFactory())
    client.force_login(reporter)
    assert client.get(reverse("desk:notification-open", args=[notification.pk])).status_code == 404
    client.post(reverse("desk:notifications-read"), {"id": str(notification.pk)})
    notification.refresh_from_db()
    assert not notification.is_read
    assert notification.article.headline not in client.get(reverse("desk:notifications")).content.decode()


def test_email_goes_through_the_mail_queue_when_turned_on(settings, editor, reporter):
    settings.NEWSROOM_DESK_EMAIL = True
    story = ArticleFactory(draft=True, created_by=reporter)
    submit_for_editing(story, by=reporter)
    [message] = mail.outbox
    assert message.to == [editor.email] and story.headline in message.subject
    assert Notification.objects.get(recipient=editor).emailed_at is not None


def test_no_email_unless_turned_on(editor, reporter):
    submit_for_editing(ArticleFactory(draft=True, created_by=reporter), by=reporter)
    assert mail.outbox == [] and Notification.objects.filter(recipient=editor).exists()


def test_smtp_down_never_breaks_marking_a_story_ready(settings, editor, reporter):
    settings.NEWSROOM_DESK_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 8412, 2  # nothing listens
    story = ArticleFactory(draft=True, created_by=reporter)

    submit_for_editing(story, by=reporter)

    story.refresh_from_db()
    assert story.status == Status.READY
    notification = Notification.objects.get(recipient=editor)
    assert notification.emailed_at is None  # waits for a retry
    assert TaskFailure.objects.filter(task_name__contains="send_notification_mails").exists()


def test_a_group_change_takes_effect_on_the_next_event(editor, reporter):
    """Recipients are read when the event happens: a new editor is told from then on."""
    newcomer = desk_user("Reporter", username="newcomer")
    newcomer.groups.add(Group.objects.get(name="Editor"))
    submit_for_editing(ArticleFactory(draft=True, created_by=reporter), by=reporter)
    assert verbs_of(newcomer) == [Verb.READY]


def test_the_notification_list_query_count_does_not_grow(client, editor):
    from tests.workflow_helpers import count_queries

    client.force_login(editor)
    for _ in range(2):
        notify([editor], Verb.PUBLISHED, ArticleFactory(), actor=UserFactory())
    few = count_queries(client, reverse("desk:notifications"))
    for _ in range(10):
        notify([editor], Verb.KILLED, ArticleFactory(), actor=UserFactory())
    assert count_queries(client, reverse("desk:notifications")) == few <= 8


def test_sending_a_story_back_to_draft_tells_its_reporter(editor, reporter):
    story = ArticleFactory(draft=True, created_by=reporter)
    submit_for_editing(story, by=reporter)
    set_status(story, Status.DRAFT, by=editor)
    assert verbs_of(reporter) == [Verb.RETURNED]


def test_a_user_whose_role_was_taken_away_no_longer_sees_story_notifications(client, editor):
    [notification] = notify([editor], Verb.PUBLISHED, ArticleFactory(headline="Harbour plan approved"))
    editor.groups.clear()
    client.force_login(editor)
    page = client.get(reverse("desk:notifications")).content.decode()
    assert "Harbour plan approved" not in page
    assert client.get(reverse("desk:notification-open", args=[notification.pk])).status_code == 404
