"""Editorial integrity in a real browser (#10): two editors in two browser contexts merge instead of
overwriting, the same field asks for a choice, autosave survives a closed tab, presence shows the
other editor, and Preview shows what is on screen."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles.models import Article, StoryDraft
from tests.browser import chromium_browser, signed_in_page
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

BODY = "<p>Talks ran late into the night.</p><p>Trains run again from Friday.</p>"


@pytest.fixture
def desk(settings):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 1
    settings.NEWSROOM_PRESENCE_SECONDS = 1
    call_command("sync_roles")  # transactional tests start from an empty database
    for name in ["first-editor", "second-editor"]:
        UserFactory(username=name, is_staff=True).groups.add(Group.objects.get(name="Editor"))
    return ArticleFactory(headline="Rail strike called off", dek="Unions accept the offer.", body=BODY)


def logged_in_page(browser, base_url, username):
    return signed_in_page(browser, base_url, username)


def change_url(live_server, story):
    return f"{live_server.url}/admin/articles/article/{story.pk}/change/"


def two_editors_on(browser, live_server, story):
    """Two desk editors, each in a browser tab of their own, with `story`'s form open."""
    pages = []
    for username in ("first-editor", "second-editor"):
        page = logged_in_page(browser, live_server.url, username)
        page.goto(change_url(live_server, story))
        pages.append(page)
    return pages


def save(page):
    page.locator("input[name=_save]").first.click()
    page.wait_for_load_state()


def test_two_browsers_merge_disjoint_edits_and_choose_on_the_same_field(live_server, desk):
    story = desk
    with chromium_browser() as browser:
        first, second = two_editors_on(browser, live_server, story)

        first.fill("#id_headline", "Rail strike called off after late talks")
        save(first)
        first.wait_for_url("**/admin/articles/article/")

        # Disjoint: the second editor changed only the standfirst. Both survive, and they are told.
        second.fill("#id_dek", "Unions accept the improved offer overnight.")
        save(second)
        second.wait_for_url("**/admin/articles/article/")
        assert "Kept their changes to: Headline" in second.locator(".messagelist").inner_text()
        story.refresh_from_db()
        assert story.headline == "Rail strike called off after late talks"
        assert story.dek == "Unions accept the improved offer overnight."

        # The same field: both open the story again and both change the headline.
        first.goto(change_url(live_server, story))
        second.goto(change_url(live_server, story))
        first.fill("#id_headline", "Strike off: trains run on Friday")
        save(first)
        first.wait_for_url("**/admin/articles/article/")  # saved before the second editor saves
        second.fill("#id_headline", "Rail unions call off the strike")
        save(second)
        conflict = second.locator(".edit-conflict")
        assert "first-editor saved this story" in conflict.inner_text()
        row = conflict.locator("tr.merge-conflict[data-field=headline]")
        assert row.locator("td.theirs").inner_text() == "Strike off: trains run on Friday"
        assert row.locator("td.mine").inner_text() == "Rail unions call off the strike"
        assert Article.objects.get(pk=story.pk).headline == "Strike off: trains run on Friday"  # nothing written

        save(second)  # without choosing: the browser refuses (required), and so would the server
        assert second.locator(".edit-conflict").count() == 1
        row.locator("input[value=theirs]").check()
        save(second)
        second.wait_for_url("**/admin/articles/article/")
    story.refresh_from_db()
    assert story.headline == "Strike off: trains run on Friday"
    assert story.dek == "Unions accept the improved offer overnight."  # never lost on the way


def test_autosave_survives_a_closed_tab(live_server, desk):
    story = desk
    with chromium_browser() as browser:
        page = logged_in_page(browser, live_server.url, "first-editor")
        page.goto(change_url(live_server, story))
        page.fill("#id_headline", "Typed, then the tab was closed")
        page.wait_for_function("() => document.getElementById('story-live').dataset.autosaved")
        assert page.evaluate("() => window.storyFormIsDirty()")  # leaving now would warn
        context = page.context
        page.close()

        again = context.new_page()
        again.goto(change_url(live_server, story))
        offer = again.locator(".story-draft-offer")
        assert "never saved" in offer.inner_text()
        offer.locator("a.restore-draft").click()
        again.wait_for_load_state()
        assert again.input_value("#id_headline") == "Typed, then the tab was closed"
        save(again)
        again.wait_for_url("**/admin/articles/article/")
    story.refresh_from_db()
    assert story.headline == "Typed, then the tab was closed"
    assert not StoryDraft.objects.exists()


def test_presence_shows_the_other_editor_and_preview_shows_the_screen(live_server, desk):
    story = desk
    with chromium_browser() as browser:
        first, second = two_editors_on(browser, live_server, story)
        first.wait_for_function(
            "() => document.querySelector('.story-presence').textContent.includes('second-editor')", timeout=15_000
        )
        assert "Also editing this story now: second-editor" in first.locator(".story-presence").inner_text()

        first.fill("#id_headline", "A headline only on this screen")
        with first.context.expect_page() as opened:
            first.locator("button.preview-on-screen").click()
        preview = opened.value
        preview.wait_for_load_state()
        assert "A headline only on this screen" in preview.content()
        with first.context.expect_page() as opened:  # the Preview link at the top does the same
            first.locator("a.story-preview-link").click()
        opened.value.wait_for_load_state()
        assert "A headline only on this screen" in opened.value.content()
    assert Article.objects.get(pk=story.pk).headline == "Rail strike called off"


def type_new_last_paragraph(page, text):
    editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
    editor.click()
    editor.press("Control+End")  # the end of the body, wherever the click landed
    page.keyboard.press("Enter")
    page.keyboard.type(text)


def test_save_again_after_a_conflict_keeps_the_other_editors_paragraph_and_standfirst(live_server, desk):
    """The issue's report: A saves a new paragraph and a new standfirst; B, who had the story open,
    is shown the conflict box and presses Save again. Nothing of A's may be lost."""
    story = desk
    with chromium_browser() as browser:
        first, second = two_editors_on(browser, live_server, story)

        type_new_last_paragraph(first, "Ticket refunds start on Monday.")
        first.fill("#id_dek", "Unions accept the offer; refunds from Monday.")
        save(first)
        first.wait_for_url("**/admin/articles/article/")

        second.fill("#id_headline", "Rail strike is off")
        second.fill("#id_dek", "Trains run again from Friday.")
        save(second)
        conflict = second.locator(".edit-conflict")
        assert conflict.locator("tr.merge-conflict").count() == 1  # only the standfirst: both changed it
        row = conflict.locator("tr.merge-conflict[data-field=dek]")
        assert row.locator("td.theirs").inner_text() == "Unions accept the offer; refunds from Monday."
        # The form shown again already holds the first editor's paragraph.
        on_screen = second.locator(".field-body .ProseMirror[contenteditable=true]").inner_text()
        assert "Ticket refunds start on Monday." in on_screen
        row.locator("input[value=mine]").check()
        save(second)
        second.wait_for_url("**/admin/articles/article/")
        assert "Saved your changes to" in second.locator(".messagelist").inner_text()

        # And once more from the list, a plain second save: still nothing lost.
        second.goto(change_url(live_server, story))
        second.fill("#id_dateline", "Seoul")
        save(second)
        second.wait_for_url("**/admin/articles/article/")
    story.refresh_from_db()
    assert story.headline == "Rail strike is off"
    assert story.dek == "Trains run again from Friday."
    assert "Ticket refunds start on Monday." in story.body and "Trains run again from Friday." in story.body
    assert story.dateline == "SEOUL"  # datelines are kept in capitals


def html_body(html):
    return {"role": "main", "contenttype": "text/html", "value": html}


@pytest.fixture
def wire_desk(desk, tmp_path):
    """v1 of an agency item in, the desk rewrites its headline and publishes it."""
    from articles.editing import save_story
    from articles.publishing import publish_article
    from tests.ingest_helpers import ingest, ninjs, write_json

    v1_body = html_body("<p>The first boat leaves at six.</p><p>Fares stay.</p>")
    ingest(write_json(tmp_path, "v1.json", ninjs(bodies=[v1_body])))
    editor = Group.objects.get(name="Editor").user_set.get(username="first-editor")
    story = Article.objects.get(wire_guid="urn:test:harbour")
    story.headline = "Harbour ferry leaves earlier from Monday"
    save_story(story, ["headline"], by=editor)
    publish_article(story, by=editor)
    reporter = UserFactory(username="a-reporter", is_staff=True)
    reporter.groups.add(Group.objects.get(name="Reporter"))
    return Article.objects.get(pk=story.pk)


def test_wire_v2_of_a_live_story_waits_until_an_editor_applies_it(live_server, wire_desk, tmp_path):
    from tests.ingest_helpers import ingest, ninjs, write_json

    story = wire_desk
    page_url = live_server.url + story.get_absolute_url()
    v2_body = html_body("<p>The first boat leaves at half past five.</p><p>Fares stay.</p>")
    v2 = ninjs(version="2", headline="Ferry timetable changes again", bodies=[v2_body])
    ingest(write_json(tmp_path, "v2.json", v2))
    with chromium_browser() as browser:
        reader = browser.new_context().new_page()
        reader.goto(page_url)
        assert "Harbour ferry leaves earlier from Monday" in reader.content()
        assert "half past five" not in reader.content()

        editor = logged_in_page(browser, live_server.url, "first-editor")
        editor.goto(change_url(live_server, story))
        editor.locator("text=is waiting for an editor").first.wait_for()
        editor.goto(f"{live_server.url}/admin/wire/pendingupdate/")
        editor.locator("#result_list tbody a").first.click()
        review = editor.locator("table.three-way")
        headline = review.locator("tr[data-field=headline]")
        assert "Ferry timetable changes again" in headline.locator("td.agency-now").inner_text()
        assert "Harbour ferry leaves earlier from Monday" in headline.locator("td.ours").inner_text()
        assert headline.locator("input[value=ours]").is_checked()  # both changed it: ours unless chosen
        review.locator("tr[data-field=body] input[value=agency]").check()
        editor.locator("input[name=_apply]").click()
        editor.wait_for_url(f"**/admin/articles/article/{story.pk}/change/")

        reader.goto(page_url)
        html = reader.content()
        assert "half past five" in html and "Harbour ferry leaves earlier from Monday" in html
        assert "updated with a new version" in html


def test_a_reporters_upload_of_v2_with_a_later_embargo_changes_nothing_public(live_server, wire_desk, tmp_path):
    from tests.ingest_helpers import ninjs, write_json

    story = wire_desk
    page_url = live_server.url + story.get_absolute_url()
    v2 = write_json(tmp_path, "v2.json", ninjs(version="2", headline="Rewritten by a reporter",
                                               embargoed="2099-01-01T00:00:00Z"))
    with chromium_browser() as browser:
        reporter = logged_in_page(browser, live_server.url, "a-reporter")
        reporter.goto(f"{live_server.url}/admin/wire/wireversion/upload/")
        reporter.set_input_files("input[type=file]", str(v2))
        reporter.locator("input[type=submit][value=Ingest]").click()
        reporter.wait_for_load_state()
        assert "Waiting for an editor" in reporter.content()

        reader = browser.new_context().new_page()
        response = reader.goto(page_url)
        assert response.status == 200
        assert "Harbour ferry leaves earlier from Monday" in reader.content()
        assert "Rewritten by a reporter" not in reader.content()
    story.refresh_from_db()
    assert story.headline == "Harbour ferry leaves earlier from Monday" and story.embargo_until is None
    assert story.is_published()
