"""Agency updates as three-way merges, pending updates and who may change a live story from the
wire (#10 parts 3 and 4)."""

import shutil
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles.editing import save_story
from articles.models import Article, ArticleNote, Caption, Source
from articles.publishing import publish_article
from wire import pending
from wire.models import PendingUpdate, WireVersion

from .ingest_helpers import PHOTOS, ingest, ninjs, write_json
from .workflow_helpers import desk_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

BODY_V1 = "<p>The first boat now leaves at six.</p><p>Fares stay the same.</p><p>More sailings in summer.</p>"


def item(version, **fields):
    fields.setdefault("bodies", [{"role": "main", "contenttype": "text/html", "value": BODY_V1}])
    return ninjs(version=str(version), **fields)


def desk_edits(article, editor, **values):
    for name, value in values.items():
        setattr(article, name, value)
    save_story(article, list(values), by=editor)


@pytest.fixture
def live_story(tmp_path, editor):
    """v1 in; the desk fixes the headline and the last paragraph, and publishes."""
    ingest(write_json(tmp_path, "v1.json", item(1)))
    article = Article.objects.get()
    desk_edits(article, editor, headline="Harbour ferry leaves earlier from Monday",
               body=BODY_V1.replace("More sailings in summer.", "More sailings from June."))
    publish_article(article, by=editor)
    return Article.objects.get()


def v2_body():
    return BODY_V1.replace("at six.", "at half past five.")


def test_v2_of_a_live_story_waits_for_an_editor_and_readers_see_no_change(client, tmp_path, live_story, editor):
    page = live_story.get_absolute_url()
    before_html = client.get(page).content.decode()

    [result] = ingest(write_json(tmp_path, "v2.json", item(
        2, headline="Ferry timetable changes again",
        bodies=[{"role": "main", "contenttype": "text/html", "value": v2_body()}])))

    assert result.status == "updated" and "Waiting for an editor" in result.message
    story = Article.objects.get()
    assert story.headline == "Harbour ferry leaves earlier from Monday" and "at six" in story.body
    assert not ArticleNote.objects.exists()  # no public "updated" note yet
    assert client.get(page).content.decode().count("Ferry timetable changes again") == 0
    assert "half past five" not in client.get(page).content.decode()
    assert before_html.count("Harbour ferry leaves earlier") == client.get(page).content.decode().count(
        "Harbour ferry leaves earlier")

    update = PendingUpdate.objects.get()
    rows = {row["name"]: row for row in pending.review(update)}
    assert rows["headline"]["outcome"] == "conflict"  # the desk and the agency both changed it
    assert rows["body"]["can_merge"]  # different paragraphs: merges
    assert "half past five" in rows["body"]["proposal"] and "from June" in rows["body"]["proposal"]

    changed = pending.apply(update, {"headline": "ours", "body": "merged"}, by=editor, story_version=story.version)
    assert changed == ["body"]
    story.refresh_from_db()
    assert story.headline == "Harbour ferry leaves earlier from Monday"
    assert "half past five" in story.body and "from June" in story.body
    html = client.get(page).content.decode()
    assert "half past five" in html and "updated with a new version" in html
    assert PendingUpdate.objects.get().state == PendingUpdate.State.APPLIED


def test_v2_of_a_draft_merges_at_once_and_only_the_double_edit_waits(tmp_path, editor):
    ingest(write_json(tmp_path, "v1.json", item(1)))
    article = Article.objects.get()
    desk_edits(article, editor, headline="Desk headline")

    ingest(write_json(tmp_path, "v2.json", item(
        2, headline="Agency headline v2", subjects=[{"name": "transport"}, {"name": "busan"}],
        bodies=[{"role": "main", "contenttype": "text/html", "value": v2_body()}])))

    story = Article.objects.get()
    assert story.headline == "Desk headline"  # both changed: kept, and waiting
    assert "half past five" in story.body  # the desk had not touched the body
    assert sorted(story.tags.names()) == ["busan", "transport"]
    update = PendingUpdate.objects.get()
    assert list(update.fields) == ["headline"]
    assert update.fields["headline"] == {"before": "Harbour ferry timetable changes", "now": "Agency headline v2"}


def test_a_field_only_the_desk_edited_keeps_the_desks_text(tmp_path, editor):
    ingest(write_json(tmp_path, "v1.json", item(1)))
    desk_edits(Article.objects.get(), editor, dek="The desk's standfirst.")
    ingest(write_json(tmp_path, "v2.json", item(2, headline="Agency headline v2")))
    story = Article.objects.get()
    assert (story.dek, story.headline) == ("The desk's standfirst.", "Agency headline v2")
    assert not PendingUpdate.objects.exists()
    assert WireVersion.objects.count() == 2 and story.wire_version == "2"


def upload(client, user, path):
    client.force_login(user)
    data = {"files": [SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/json")]}
    return client.post(reverse("admin:wire_upload"), data)


def test_a_reporters_upload_of_v2_for_a_live_story_changes_nothing_public(client, tmp_path, live_story):
    reporter = desk_user("Reporter")
    page = live_story.get_absolute_url()
    response = upload(client, reporter, write_json(tmp_path, "v2.json", item(2, headline="Rewritten by a reporter")))
    assert response.status_code == 200
    story = Article.objects.get()
    assert story.headline == "Harbour ferry leaves earlier from Monday"
    assert story.status == "published" and client.get(page).status_code == 200
    update = PendingUpdate.objects.get()
    assert not pending.may_apply(reporter, update)
    with pytest.raises(Exception, match="publish permission"):
        pending.apply(update, {"headline": "agency"}, by=reporter)


def test_an_embargo_moved_to_the_future_never_takes_a_live_story_down(client, tmp_path, live_story, editor):
    reporter = desk_user("Reporter")
    page = live_story.get_absolute_url()
    later = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    upload(client, reporter, write_json(tmp_path, "v2.json", item(2, embargoed=later.isoformat())))
    assert client.get(page).status_code == 200
    assert Article.objects.get().embargo_until is None
    update = PendingUpdate.objects.get()
    assert "embargo_until" in update.fields
    # Even an editor applying it meets the publishing rules: an embargo may not pull a live story.
    with pytest.raises(Exception, match="Embargoed until"):
        pending.apply(update, {"embargo_until": "agency"}, by=editor)
    assert client.get(page).status_code == 200 and Article.objects.get().embargo_until is None


def test_a_reporters_embargo_change_to_their_own_draft_waits_for_an_editor(client, tmp_path):
    reporter = desk_user("Reporter")
    path = write_json(tmp_path, "v1.json", item(1))
    upload(client, reporter, path)
    later = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    upload(client, reporter, write_json(tmp_path, "v2.json", item(2, embargoed=later.isoformat())))
    assert Article.objects.get().embargo_until is None
    assert "publish permission" in PendingUpdate.objects.get().reason


def test_a_withdrawal_of_a_live_story_is_an_editors_decision(client, tmp_path, live_story, editor):
    page = live_story.get_absolute_url()
    ingest(write_json(tmp_path, "v2.json", item(2, pubstatus="canceled")))
    assert client.get(page).status_code == 200
    update = PendingUpdate.objects.get(kind="withdrawal")
    pending.apply(update, {}, by=editor)
    assert client.get(page).status_code == 404
    assert "withdrawn by" in ArticleNote.objects.get().text


def test_the_site_may_choose_to_unpublish_withdrawn_stories_at_once(client, tmp_path, live_story, settings):
    settings.NEWSROOM_WIRE_WITHDRAWAL = "unpublish"
    ingest(write_json(tmp_path, "v2.json", item(2, pubstatus="canceled")))
    assert Article.objects.get().status == Article.Status.KILLED
    assert not PendingUpdate.objects.exists()


def test_guids_are_matched_per_source(tmp_path):
    ingest(write_json(tmp_path, "a.json", item(1, copyrightholder="Wire One")))
    ingest(write_json(tmp_path, "b.json", item(2, copyrightholder="Wire Two", headline="Another agency's story")))
    assert Article.objects.count() == 2
    assert set(Source.objects.values_list("name", flat=True)) == {"Wire One", "Wire Two"}
    assert Article.objects.get(source__name="Wire One").headline == "Harbour ferry timetable changes"


def test_reporters_see_only_log_entries_and_pending_updates_of_stories_they_may_edit(client, tmp_path, live_story):
    reporter = desk_user("Reporter")
    upload(client, reporter, write_json(tmp_path, "own.json", item(1, guid="urn:test:own", headline="Own story")))
    ingest(write_json(tmp_path, "v2.json", item(2, headline="Agency v2")))
    client.force_login(reporter)
    log = client.get(reverse("admin:wire_wireversion_changelist")).content.decode()
    assert "urn:test:own" in log and "urn:test:harbour" not in log
    queue = client.get(reverse("admin:wire_pendingupdate_changelist")).content.decode()
    assert "Harbour ferry" not in queue
    update = PendingUpdate.objects.get()
    assert client.get(reverse("admin:wire_pendingupdate_change", args=[update.pk])).status_code in (302, 403, 404)


def test_the_review_page_applies_per_field_choices(client, tmp_path, live_story, editor):
    summary = [{"role": "summary", "value": "A new agency standfirst."}]
    ingest(write_json(tmp_path, "v2.json", item(2, descriptions=summary)))
    update = PendingUpdate.objects.get()
    client.force_login(editor)
    url = reverse("admin:wire_pendingupdate_change", args=[update.pk])
    html = client.get(url).content.decode()
    assert "Agency before" in html and "A new agency standfirst." in html
    response = client.post(url, {"choice_dek": "agency", "story_version": str(Article.objects.get().version)})
    assert response.status_code == 302
    assert Article.objects.get().dek == "A new agency standfirst."
    # The story form points editors at waiting updates.
    ingest(write_json(tmp_path, "v3.json", item(3, descriptions=[{"role": "summary", "value": "Third standfirst."}])))
    form = client.get(reverse("admin:articles_article_change", args=[live_story.pk])).content.decode()
    assert "is waiting for an editor" in form


def test_applying_only_a_byline_moves_the_version_so_an_open_form_cannot_put_the_old_one_back(client, tmp_path, editor):
    from .workflow_helpers import open_change_form, save_change_form

    ingest(write_json(tmp_path, "v1.json", item(1)))
    story = Article.objects.get()
    client.force_login(editor)
    opened = open_change_form(client, story)  # an editor has the story (not live) open
    # A reporter's upload of a story they may not edit waits for an editor, who applies the byline.
    upload(client, desk_user("Reporter"), write_json(tmp_path, "v2.json", item(2, by="By Han Ji-woo and Lee Seo-yeon")))
    update = PendingUpdate.objects.get()
    assert list(update.fields) == ["byline"]
    version = Article.objects.get().version
    assert pending.apply(update, {"byline": "agency"}, by=editor, story_version=version) == ["byline"]
    assert Article.objects.get().version > version  # a write like any other

    client.force_login(editor)
    response = save_change_form(client, story, opened, dek="A standfirst typed meanwhile.")
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.dek == "A standfirst typed meanwhile."
    assert [a.author.name for a in story.authorships.order_by("position")] == ["Han Ji-woo", "Lee Seo-yeon"]


def picture_item(version, caption, **fields):
    picture = {"name": "featureimage", "type": "picture", "uri": "urn:test:pic:PIC20260302",
               "descriptions": [{"role": "caption", "value": caption}]}
    return item(version, associations=[picture], **fields)


def test_a_caption_the_desk_rewrote_keeps_the_desks_words_when_the_agency_sends_v2(tmp_path, editor):
    shutil.copy(PHOTOS / "reuters_gps.jpg", tmp_path / "PIC20260302.jpg")
    ingest(write_json(tmp_path, "v1.json", picture_item(1, "City hall in spring.")))
    caption = Caption.objects.get()
    caption.caption = "The desk's caption: city hall, Busan, in April."
    caption.save()

    ingest(write_json(tmp_path, "v2.json", picture_item(2, "City hall in spring.", headline="Agency headline v2")))
    assert Article.objects.get().headline == "Agency headline v2"
    assert Caption.objects.get().caption == "The desk's caption: city hall, Busan, in April."

    # A caption the desk left alone takes the agency's new words.
    caption.caption = "City hall in spring."
    caption.save()
    ingest(write_json(tmp_path, "v3.json", picture_item(3, "City hall in the rain.")))
    assert Caption.objects.get().caption == "City hall in the rain."


@pytest.mark.parametrize("uploader", ["Editor", "Reporter"])
def test_a_withdrawal_of_a_story_not_yet_published_waits_for_an_editor_too(client, tmp_path, uploader, editor):
    """An agency's withdrawal must reach the desk before anyone publishes the story: it waits as a
    pending withdrawal whoever uploaded it, and applying it kills the story (no public note)."""
    ingest(write_json(tmp_path, "v1.json", item(1)))
    user = editor if uploader == "Editor" else desk_user("Reporter")
    upload(client, user, write_json(tmp_path, "v2.json", item(2, pubstatus="canceled")))
    story = Article.objects.get()
    assert story.status == Article.Status.READY
    update = PendingUpdate.objects.get(kind="withdrawal")
    assert not pending.may_apply(desk_user("Reporter", "another-reporter"), update)
    pending.apply(update, {}, by=editor)
    story.refresh_from_db()
    assert story.status == Article.Status.KILLED and not ArticleNote.objects.exists()
