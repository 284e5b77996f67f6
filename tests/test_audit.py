"""The audit log: sign-ins, status moves, restores, embargo and role changes, each written in the
transaction of the change, and readable (never editable) by admins only."""
from datetime import timedelta

import pytest
import reversion
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import publishing
from articles.revisions import restore_version, versions_of
from audit.models import AuditEntry
from tests.factories import ArticleFactory
from tests.test_accounts_login import sign_in
from tests.workflow_helpers import desk_user

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action


def fresh_log():
    """Forget the entries the test's own setup made (desk_user joins a group, for one)."""
    AuditEntry.objects.all().delete()


def actions():
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def test_sign_in_failure_and_sign_out_are_logged_with_the_client_address(client, settings):
    settings.NEWSROOM_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    user = desk_user("Editor")
    fresh_log()
    sign_in(client, "editor", "wrong", x_real_ip="203.0.113.9")
    sign_in(client, "editor", x_real_ip="203.0.113.9")
    client.post(reverse("admin:logout"), headers={"x-real-ip": "203.0.113.9"})
    assert actions() == [Action.LOGIN_FAILED, Action.LOGIN, Action.LOGOUT]
    failed, login, logout = AuditEntry.objects.order_by("pk")
    assert failed.actor is None and failed.actor_name == "editor" and failed.ip_address == "203.0.113.9"
    assert "wrong" not in failed.summary
    assert login.actor == user and logout.actor == user


def test_a_lockout_is_logged(client, settings):
    desk_user("Editor")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong")
    assert Action.LOCKED_OUT in actions()


def test_publish_and_kill_are_logged_with_who_did_them():
    editor = desk_user("Editor")
    story = ArticleFactory(draft=True)
    fresh_log()
    publishing.publish_article(story, by=editor)
    publishing.unpublish_article(story, by=editor)
    published, killed = AuditEntry.objects.order_by("pk")
    assert (published.action, killed.action) == (Action.PUBLISH, Action.KILL)
    assert published.actor == editor and published.object_id == str(story.pk)
    assert published.object_repr == story.headline and published.object_type == "articles.article"


def test_the_entry_shares_the_transaction_of_the_change():
    story = ArticleFactory(draft=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        publishing.publish_article(story, by=desk_user("Editor"))
        raise RuntimeError("the request failed after publishing")
    assert not AuditEntry.objects.exists()


def test_embargo_changes_are_logged_and_plain_edits_are_not():
    story = ArticleFactory(draft=True)
    fresh_log()
    story.headline = "A new headline"
    story.save()
    assert actions() == []
    story.embargo_until = timezone.now() + timedelta(hours=3)
    story.save()
    story.embargo_until = None
    story.save()
    assert actions() == [Action.EMBARGO, Action.EMBARGO]
    assert AuditEntry.objects.order_by("pk").last().summary.startswith("Embargo lifted")


def test_a_restore_is_logged():
    editor = desk_user("Editor")
    with reversion.create_revision():
        story = ArticleFactory(headline="First words")
    with reversion.create_revision():
        story.headline = "Second words"
        story.save()
    restore_version(story, list(versions_of(story))[-1], by=editor)
    entry = AuditEntry.objects.get(action=Action.RESTORE)
    assert entry.actor == editor and entry.object_id == str(story.pk)


def test_role_changes_are_logged_whoever_makes_them():
    reporter = desk_user("Reporter")
    editors = Group.objects.get(name="Editor")
    fresh_log()
    reporter.groups.add(editors)
    editors.user_set.remove(reporter)
    reporter.is_superuser = True
    reporter.save()
    summaries = list(AuditEntry.objects.filter(action=Action.ROLE).order_by("pk").values_list("summary", flat=True))
    assert summaries == ["reporter added to Editor", "reporter removed from Editor", "reporter: is_superuser on"]


def test_a_role_change_in_the_admin_names_the_admin(client):
    boss = desk_user("Admin")
    reporter = desk_user("Reporter")
    client.force_login(boss)
    fresh_log()
    url = reverse("admin:auth_user_change", args=[reporter.pk])
    data = {
        "username": "reporter", "email": reporter.email, "is_active": "on", "is_staff": "on",
        "groups": [Group.objects.get(name="Editor").pk], "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01", "initial-date_joined_1": "00:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    entries = AuditEntry.objects.filter(action=Action.ROLE).order_by("pk")
    assert [e.summary for e in entries] == ["reporter removed from Reporter", "reporter added to Editor"]
    assert {e.actor for e in entries} == {boss}


def test_admins_read_and_filter_the_log_but_cannot_change_it():
    editor = desk_user("Editor")
    story = ArticleFactory(draft=True)
    publishing.publish_article(story, by=editor)
    admin_client = Client()
    admin_client.force_login(desk_user("Admin"))
    changelist = reverse("admin:audit_auditentry_changelist")
    listing = admin_client.get(changelist, {"action__exact": "publish"})
    assert listing.status_code == 200 and story.headline.encode() in listing.content
    assert story.headline.encode() not in admin_client.get(changelist, {"action__exact": "kill"}).content
    entry = AuditEntry.objects.get(action=Action.PUBLISH)
    assert admin_client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    detail = admin_client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    assert detail.status_code == 200 and b'name="_save"' not in detail.content
    delete = admin_client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    assert delete.status_code == 403 and AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("role", ["Editor", "Reporter", "Photo editor"])
def test_the_desk_cannot_read_the_log(role):
    desk_client = Client()
    desk_client.force_login(desk_user(role))
    assert desk_client.get(reverse("admin:audit_auditentry_changelist")).status_code == 403
