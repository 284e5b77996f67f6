"""Every write path honours the version: list actions, restore, notes and status moves write only
their own fields of a freshly locked row (articles.editing.locked_story) (#10 part 2)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from reversion.models import Version

from articles import revisions
from articles.editing import save_story
from articles.models import Article, Caption
from articles.publishing import append_note, set_status
from tests.factories import ArticleFactory, CaptionFactory
from tests.workflow_helpers import desk_user, form_errors, open_change_form, save_change_form

pytestmark = pytest.mark.django_db


def correct_body(pk, text):
    story = Article.objects.get(pk=pk)
    story.body = text
    save_story(story, ["body"])


def test_a_status_move_from_a_stale_copy_keeps_a_correction_saved_meanwhile(editor):
    story = ArticleFactory(draft=True, body="<p>Old body.</p>")
    stale = Article.objects.get(pk=story.pk)  # what a list action loaded
    correct_body(story.pk, "<p>Corrected body.</p>")
    set_status(stale, Article.Status.PUBLISHED, by=editor)
    story.refresh_from_db()
    assert story.status == "published" and story.body == "<p>Corrected body.</p>"
    assert story.version == 3


def test_every_write_path_bumps_the_version_and_touches_only_its_fields(editor):
    story = ArticleFactory(headline="Headline", dek="Standfirst")
    stale = Article.objects.get(pk=story.pk)
    stale.headline = "Stale headline that must never be written"
    versions = [Article.objects.get(pk=story.pk).version]
    append_note(stale, kind="update", text="An update.", by=editor)
    versions.append(Article.objects.get(pk=story.pk).version)
    set_status(stale, Article.Status.KILLED, by=editor)
    versions.append(Article.objects.get(pk=story.pk).version)
    story.refresh_from_db()
    assert versions == sorted(set(versions)) and len(versions) == 3  # each write bumped it
    assert story.headline == "Headline" and story.status == "killed"


def test_restore_of_a_revision_made_by_a_list_action_changes_one_story_only(client, editor):
    first = ArticleFactory(draft=True, headline="First story")
    second = ArticleFactory(draft=True, headline="Second story")
    first_caption = CaptionFactory(article=first, caption="First caption")
    second_caption = CaptionFactory(article=second, caption="Second caption")
    client.force_login(editor)
    response = client.post("/admin/articles/article/", {"action": "publish_now",
                                                          "_selected_action": [first.pk, second.pk]})
    assert response.status_code == 302
    bulk_revision = Version.objects.get_for_object(first).first().revision
    assert bulk_revision.comment.startswith("List action")
    assert {v.object_id for v in bulk_revision.version_set.filter(content_type__model="article")} == {
        str(first.pk), str(second.pk)}

    Caption.objects.filter(pk=first_caption.pk).update(caption="First caption, edited")
    Caption.objects.filter(pk=second_caption.pk).update(caption="Second caption, edited")
    second_headline = "Second story, edited"
    Article.objects.filter(pk=second.pk).update(headline=second_headline)

    version = Version.objects.get_for_object(first).get(revision=bulk_revision)
    revisions.restore_version(Article.objects.get(pk=first.pk), version, by=editor)

    assert Caption.objects.get(pk=first_caption.pk).caption == "First caption"
    assert Caption.objects.get(pk=second_caption.pk).caption == "Second caption, edited"
    assert Caption.objects.filter(article=second).count() == 1
    assert Article.objects.get(pk=second.pk).headline == second_headline
    assert Article.objects.get(pk=first.pk).status == "published"  # restore never moves the status


@pytest.mark.django_db(transaction=True)
def test_a_list_action_racing_a_form_save_keeps_both_outcomes():
    """Publish selected (one process's request) and a change-form correction (another's) at the
    same moment, several rounds: the story always ends published with the corrected body, or the
    form save was refused; never a silent overwrite."""
    from tests.factories import UserFactory

    chief = UserFactory(username="chief", is_staff=True, is_superuser=True, password=None)
    desk, lister = Client(), Client()
    desk.force_login(chief)
    lister.force_login(chief)
    for round_ in range(4):
        story = ArticleFactory(draft=True, body="<p>The old body.</p>", headline=f"Race {round_}")
        form = open_change_form(desk, story)
        corrected = f"<p>The corrected body, round {round_}.</p>"
        start, outcome = threading.Barrier(2), {}

        def publish(story=story, start=start, outcome=outcome):
            try:
                start.wait()
                outcome["list"] = lister.post("/admin/articles/article/", {
                    "action": "publish_now", "_selected_action": [story.pk]}).status_code
            finally:
                connection.close()

        def correct(story=story, start=start, outcome=outcome, form=form, corrected=corrected):
            try:
                start.wait()
                response = save_change_form(desk, story, form, body=corrected)
                outcome["form"] = response.status_code
                outcome["errors"] = form_errors(response)
            finally:
                connection.close()

        threads = [threading.Thread(target=publish), threading.Thread(target=correct)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        story.refresh_from_db()
        assert outcome["list"] == 302
        assert story.status == "published", outcome
        if outcome["form"] == 302:
            assert story.body == corrected, outcome
        else:
            assert outcome["errors"], outcome  # refused, and told why
            assert story.body == "<p>The old body.</p>"


def test_a_photo_editor_save_changes_captions_only(client):
    story = ArticleFactory(headline="Photo desk story")
    CaptionFactory(article=story, caption="Old caption")
    photo_editor = desk_user("Photo editor")
    client.force_login(photo_editor)
    form = open_change_form(client, story)
    Article.objects.filter(pk=story.pk).update(headline="Changed meanwhile")
    response = save_change_form(client, story, form, **{"captions-0-caption": "New caption"})
    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    assert story.headline == "Changed meanwhile"
    assert story.captions.get().caption == "New caption"
