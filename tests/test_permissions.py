"""Every desk role against every action, through forms, list actions and hand-made POSTs."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, ArticleNote, Caption, StatusChange
from articles.publishing import PublishError, publish_article, unpublish_article
from tests.factories import ArticleFactory, CaptionFactory, SectionFactory
from tests.workflow_helpers import (
    change_url,
    confirm,
    desk_user,
    form_data,
    form_errors,
    open_change_form,
    save_change_form,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:articles_article_changelist"


@pytest.fixture
def users():
    return {role: desk_user(role) for role in ["Reporter", "Editor", "Photo editor", "Admin"]}


@pytest.fixture
def reporter_draft(users):
    return ArticleFactory(draft=True, created_by=users["Reporter"], headline="Reporter's own draft")


@pytest.fixture
def others_draft():
    return ArticleFactory(draft=True, created_by=desk_user("Reporter", "other-reporter"), headline="Someone else's")


def login(client, user):
    client.force_login(user)
    return client


def run_action(client, action, *articles):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [a.pk for a in articles]}, follow=True
    )


def add_story(client, **fields):
    section = SectionFactory(name="Nation")
    response = client.get(reverse("admin:articles_article_add"))
    if response.status_code != 200:
        return response
    data = form_data(response.content.decode())
    data.update(headline="Ferry service resumes", slug="ferry-service-resumes", section=section.pk, **fields)
    return client.post(reverse("admin:articles_article_add"), data)


def test_migration_creates_the_four_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Reporter", "Editor", "Photo editor", "Admin"}
    assert Group.objects.get(name="Editor").permissions.filter(codename="publish_article").exists()
    assert not Group.objects.get(name="Reporter").permissions.filter(codename="publish_article").exists()


def test_models_migrated_after_the_roles_reach_the_groups():
    # wire, newsletter and readership migrate after articles.0002; post_migrate fills them in.
    editor = Group.objects.get(name="Editor").permissions
    assert editor.filter(content_type__app_label="wire", codename="view_wireversion").exists()
    assert Group.objects.get(name="Admin").permissions.filter(content_type__app_label="readership").exists()
    assert not Group.objects.get(name="Reporter").permissions.filter(content_type__app_label="newsletter").exists()


def test_sync_roles_resets_groups_to_the_table():
    reporter = Group.objects.get(name="Reporter")
    reporter.permissions.add(Permission.objects.get(codename="publish_article"))
    call_command("sync_roles", stdout=io.StringIO())
    assert not reporter.permissions.filter(codename="publish_article").exists()


# -- creating stories -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, allowed", [("Reporter", True), ("Editor", True), ("Photo editor", False), ("Admin", True)]
)
def test_who_can_create_a_draft(client, users, role, allowed):
    response = add_story(login(client, users[role]), status="draft")
    assert Article.objects.filter(slug="ferry-service-resumes").exists() is allowed
    if allowed:
        story = Article.objects.get(slug="ferry-service-resumes")
        assert story.created_by == users[role]
        assert story.status_changes.get().to_status == "draft"
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role, allowed", [("Reporter", False), ("Editor", True), ("Admin", True)])
def test_who_can_create_a_story_straight_as_published(client, users, role, allowed):
    response = add_story(login(client, users[role]), status="published")
    assert Article.objects.published().filter(slug="ferry-service-resumes").exists() is allowed
    if not allowed:
        assert response.status_code == 200
        assert "You cannot publish stories" in str(form_errors(response)["status"])


def test_reporter_is_offered_only_draft_and_ready(client, users, reporter_draft):
    html = login(client, users["Reporter"]).get(change_url(reporter_draft)).content.decode()
    assert 'value="ready"' in html and 'value="published"' not in html and 'value="killed"' not in html


# -- editing --------------------------------------------------------------------------------


def test_reporter_edits_and_submits_own_draft(client, users, reporter_draft):
    login(client, users["Reporter"])
    data = open_change_form(client, reporter_draft)
    response = save_change_form(client, reporter_draft, data, headline="Sharper headline", status="ready")
    assert response.status_code == 302, form_errors(response)
    reporter_draft.refresh_from_db()
    assert (reporter_draft.headline, reporter_draft.status) == ("Sharper headline", "ready")
    change = reporter_draft.status_changes.first()
    assert (change.from_status, change.to_status, change.changed_by) == ("draft", "ready", users["Reporter"])


def test_reporter_cannot_publish_own_draft_by_posting_the_status(client, users, reporter_draft):
    login(client, users["Reporter"])
    data = open_change_form(client, reporter_draft)
    response = save_change_form(
        client, reporter_draft, data, status="published", published_at_0="2020-01-01", published_at_1="10:00"
    )
    assert response.status_code == 200
    assert "You cannot publish stories" in str(form_errors(response))
    reporter_draft.refresh_from_db()
    assert reporter_draft.status == "draft" and reporter_draft.published_at is None


@pytest.mark.parametrize("story_kind", ["others_draft", "published", "killed"])
def test_reporter_cannot_change_others_or_published_stories(client, users, others_draft, story_kind):
    story = {
        "others_draft": others_draft,
        "published": ArticleFactory(created_by=users["Reporter"]),
        "killed": ArticleFactory(killed=True, created_by=desk_user("Reporter", "third")),
    }[story_kind]
    login(client, users["Editor"])
    data = open_change_form(client, story)
    login(client, users["Reporter"])
    assert client.get(change_url(story)).status_code == 200  # read-only view
    response = save_change_form(client, story, data, headline="Hijacked", status="draft")
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.headline != "Hijacked"


@pytest.mark.parametrize("role", ["Editor", "Admin"])
def test_editors_edit_anyones_published_story(client, users, role):
    story = ArticleFactory(created_by=users["Reporter"])
    login(client, users[role])
    response = save_change_form(client, story, open_change_form(client, story), headline="Edited by the desk")
    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    assert story.headline == "Edited by the desk" and story.status == "published"


def test_photo_editor_changes_captions_but_not_the_story(client, users, others_draft):
    caption = CaptionFactory(article=others_draft, caption="Old caption", credit="Old credit")
    login(client, users["Photo editor"])
    data = open_change_form(client, others_draft)
    assert "headline" not in data and "status" not in data
    response = save_change_form(
        client,
        others_draft,
        data,
        headline="Not allowed",
        status="published",
        **{"captions-0-caption": "Fishing boats at dawn", "captions-0-credit": "Staff photo"},
    )
    assert response.status_code == 302, form_errors(response)
    caption.refresh_from_db()
    others_draft.refresh_from_db()
    assert (caption.caption, caption.credit) == ("Fishing boats at dawn", "Staff photo")
    assert others_draft.headline == "Someone else's" and others_draft.status == "draft"


def test_reporter_cannot_change_captions_on_others_story(client, users, others_draft):
    caption = CaptionFactory(article=others_draft, caption="Keep me")
    login(client, users["Editor"])
    data = open_change_form(client, others_draft)
    login(client, users["Reporter"])
    response = save_change_form(client, others_draft, data, **{"captions-0-caption": "Changed"})
    assert response.status_code == 403
    assert Caption.objects.get(pk=caption.pk).caption == "Keep me"


@pytest.mark.parametrize("role, allowed", [("Reporter", False), ("Editor", True), ("Admin", True)])
def test_who_can_kill_a_story_in_the_form(client, users, role, allowed):
    story = ArticleFactory(created_by=users["Reporter"])
    login(client, users["Editor"])
    data = open_change_form(client, story)
    login(client, users[role])
    response = save_change_form(client, story, data, status="killed")
    if allowed:
        response = confirm(client, change_url(story), response)
    story.refresh_from_db()
    assert (story.status == "killed") is allowed
    if not allowed:
        assert response.status_code == 403


# -- list actions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, allowed", [("Reporter", False), ("Editor", True), ("Photo editor", False), ("Admin", True)]
)
def test_who_can_publish_with_the_list_action(client, users, reporter_draft, role, allowed):
    run_action(login(client, users[role]), "publish_now", reporter_draft)
    reporter_draft.refresh_from_db()
    assert (reporter_draft.status == "published") is allowed
    assert StatusChange.objects.filter(article=reporter_draft, to_status="published").exists() is allowed


@pytest.mark.parametrize(
    "role, allowed", [("Reporter", False), ("Editor", True), ("Photo editor", False), ("Admin", True)]
)
def test_who_can_unpublish_with_the_list_action(client, users, role, allowed):
    story = ArticleFactory(created_by=users["Reporter"])
    response = run_action(login(client, users[role]), "unpublish", story)
    if allowed:
        confirm(client, reverse(CHANGELIST), response)
    story.refresh_from_db()
    assert (story.status == "killed") is allowed


def test_reporter_submits_own_drafts_but_not_others_with_the_list_action(client, users, reporter_draft, others_draft):
    response = run_action(login(client, users["Reporter"]), "submit_for_editing", reporter_draft, others_draft)
    reporter_draft.refresh_from_db()
    others_draft.refresh_from_db()
    assert reporter_draft.status == "ready"
    assert others_draft.status == "draft"
    assert "it is not your draft" in response.content.decode()


@pytest.mark.parametrize("role, allowed", [("Reporter", False), ("Editor", False), ("Admin", True)])
def test_only_admins_delete_stories(client, users, reporter_draft, role, allowed):
    login(client, users[role])
    client.post(reverse("admin:articles_article_delete", args=[reporter_draft.pk]), {"post": "yes"})
    run_action(client, "delete_selected", reporter_draft)
    client.post(
        reverse(CHANGELIST), {"action": "delete_selected", "_selected_action": [reporter_draft.pk], "post": "yes"}
    )
    assert Article.objects.filter(pk=reporter_draft.pk).exists() is not allowed


# -- corrections, share links, users and sources -----------------------------------------------


@pytest.mark.parametrize("role, allowed", [("Reporter", False), ("Editor", True), ("Admin", True)])
def test_who_can_append_a_correction(client, users, role, allowed):
    story = ArticleFactory(created_by=users["Reporter"])
    login(client, users["Editor"])
    data = open_change_form(client, story)
    data.update(
        {
            "notes-TOTAL_FORMS": "1",
            "notes-0-kind": "correction",
            "notes-0-text": "The vote was 7-2.",
            "notes-0-article": str(story.pk),
            "notes-0-id": "",
        }
    )
    login(client, users[role])
    save_change_form(client, story, data)
    assert ArticleNote.objects.filter(article=story).exists() is allowed


@pytest.mark.parametrize(
    "role, allowed", [("Reporter", False), ("Editor", True), ("Photo editor", False), ("Admin", True)]
)
def test_who_can_make_a_share_link(client, users, reporter_draft, role, allowed):
    response = login(client, users[role]).post(
        reverse("admin:articles_article_share", args=[reporter_draft.pk]), {"hours": 24}
    )
    assert (response.status_code == 200 and "/preview/shared/" in response.content.decode()) is allowed
    if not allowed:
        assert response.status_code == 403


@pytest.mark.parametrize(
    "url_name", ["admin:auth_user_changelist", "admin:auth_group_changelist", "admin:articles_source_add"]
)
@pytest.mark.parametrize(
    "role, allowed", [("Reporter", False), ("Editor", False), ("Photo editor", False), ("Admin", True)]
)
def test_only_admins_manage_users_and_sources(client, users, url_name, role, allowed):
    status = login(client, users[role]).get(reverse(url_name)).status_code
    assert (status == 200) is allowed


def test_publishing_service_refuses_users_without_the_publish_permission(users, reporter_draft):
    for role in ["Reporter", "Photo editor"]:
        with pytest.raises(PublishError):
            publish_article(reporter_draft, by=users[role])
        with pytest.raises(PublishError):
            unpublish_article(ArticleFactory(), by=users[role])
    reporter_draft.refresh_from_db()
    assert reporter_draft.status == "draft"
    assert publish_article(reporter_draft, by=users["Editor"]).status == "published"
