"""A reporter files a story with a lead photo from one form; an editor puts a photo in the body and
it reaches the public page and the feed. Clicks and page loads are counted (docs/photos.md)."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles.models import Article, Photo
from tests.browser import chromium_browser, screenshot, signed_in_page
from tests.factories import ArticleFactory, CaptionFactory, PhotoFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

FIXTURES = Path(__file__).parent / "fixtures"
# "Write a story with a lead photo and hand it to the desk" from the admin home: 18 clicks over 6
# page loads on the old flow, before the drop zone.
MAX_CLICKS, MAX_PAGE_LOADS = 10, 2




def signed_in(browser, base_url, username):
    return signed_in_page(browser, base_url, username, viewport={"width": 1280, "height": 900})


def desk_user(username, role):
    UserFactory(username=username, is_staff=True).groups.add(Group.objects.get(name=role))


def test_a_reporter_files_a_story_with_a_lead_photo_from_one_form(live_server):
    call_command("sync_roles")
    desk_user("photo-reporter", "Reporter")
    SectionFactory(name="Nation")
    with chromium_browser() as browser:
        page = signed_in(browser, live_server.url, "photo-reporter")
        counts = {"clicks": 0, "loads": 0}

        def click(selector):
            counts["clicks"] += 1
            page.click(selector)

        page.on("framenavigated", lambda frame: frame == page.main_frame and counts.update(loads=counts["loads"] + 1))
        click("#content-main tr.model-article a.addlink")
        page.wait_for_selector(".field-body .ProseMirror[contenteditable=true]")
        click("#id_headline")
        page.keyboard.type("Ferry service resumes after storm")
        click(".field-body .ProseMirror[contenteditable=true]")
        page.keyboard.type("The first ferry left at dawn.")
        click(".field-section .select2-selection")
        click(".select2-results__option >> text=Nation")
        # One click opens the file chooser; a good file and a bad one go up together.
        counts["clicks"] += 1
        page.set_input_files(
            ".photo-drop-zone .photo-drop-input",
            [str(FIXTURES / "photos" / "yonhap_korean_utf8.jpg"), str(FIXTURES / "bad" / "text_renamed.jpg")],
        )
        page.wait_for_selector(".photo-upload-done")
        page.wait_for_selector(".photo-upload-error")
        assert "This file is text, not an image." in page.inner_text(".photo-upload-error")
        row = page.locator("#captions-group .inline-related:not(.empty-form)")
        assert row.count() == 1
        assert row.locator("select[name$='-role']").input_value() == "lead"
        assert "연합뉴스" in row.locator("input[name$='-credit']").input_value()
        row.locator("input[name$='-alt_text'][type=text]").fill("Pedestrians cross a wide square")
        counts["clicks"] += 1  # focusing the alt text box
        page.locator(".photo-drop-zone").scroll_into_view_if_needed()
        screenshot(page, "photos-drop-zone", full_page=False)
        page.select_option("#id_status", "ready")
        counts["clicks"] += 2
        click("input[name=_save] >> nth=0")
        page.wait_for_url("**/admin/articles/article/")
        assert counts["clicks"] <= MAX_CLICKS and counts["loads"] <= MAX_PAGE_LOADS, counts

    story = Article.objects.get(headline="Ferry service resumes after storm")
    assert story.status == "ready"
    lead = story.captions.get()
    assert lead.role == "lead" and "평양" in lead.caption
    assert lead.photo.alt_text == "Pedestrians cross a wide square"
    assert Photo.objects.count() == 1  # the bad file left nothing


def test_a_dropped_file_is_uploaded_and_attached(live_server):
    call_command("sync_roles")
    desk_user("drop-reporter", "Reporter")
    data = (FIXTURES / "photos" / "afp_yonhap_pyongyang_portraits.jpg").read_bytes()
    with chromium_browser() as browser:
        page = signed_in(browser, live_server.url, "drop-reporter")
        page.goto(live_server.url + "/admin/articles/article/add/")
        page.wait_for_selector(".photo-drop-zone")
        page.evaluate(
            """(bytes) => {
                const file = new File([new Uint8Array(bytes)], "portraits.jpg", {type: "image/jpeg"});
                const transfer = new DataTransfer();
                transfer.items.add(file);
                const zone = document.querySelector(".photo-drop-zone");
                const options = {dataTransfer: transfer, bubbles: true, cancelable: true};
                zone.dispatchEvent(new DragEvent("dragover", options));
                zone.dispatchEvent(new DragEvent("drop", options));
            }""",
            list(data),
        )
        page.wait_for_selector(".photo-upload-done")
        photo = Photo.objects.get()
        value = page.locator("#captions-group .inline-related:not(.empty-form) .photo-chooser-value").input_value()
        assert value == str(photo.pk)


def test_a_photo_put_in_the_body_reaches_the_public_page_and_the_feed(live_server):
    call_command("sync_roles")
    desk_user("body-editor", "Editor")
    story = ArticleFactory(headline="Harbour reopens", body="<p>Ships are moving again.</p><p>Cranes too.</p>")
    CaptionFactory(article=story, role="lead")
    library_photo = PhotoFactory(caption="Cranes over a container ship", credit="Harbour Wire")
    with chromium_browser() as browser:
        page = signed_in(browser, live_server.url, "body-editor")
        page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        page.click(".field-body .ProseMirror[contenteditable=true] p >> nth=0")
        page.keyboard.press("End")
        page.click(".field-body button:has-text('Photo')")
        page.wait_for_selector(".photo-card-choose")
        page.fill(".photo-chooser-search input[name=q]", "container ship")
        page.click(".photo-chooser-search button[type=submit]")
        # The search answers by fetch(): the unfiltered grid already holds this card, so wait for the
        # results to replace it (or time out, if the search narrows nothing).
        page.wait_for_function("() => document.querySelectorAll('.photo-card-choose').length < 2")
        page.wait_for_selector(f".photo-card-choose[data-photo-id='{library_photo.pk}']")
        screenshot(page, "photos-chooser", full_page=False)
        assert page.locator(".photo-card-choose").count() == 1
        page.click(f".photo-card-choose[data-photo-id='{library_photo.pk}']")
        page.wait_for_selector(".ProseMirror figure.photo-figure-editor")
        page.click("input[name=_continue] >> nth=0")
        page.wait_for_selector(".messagelist .success")

        story.refresh_from_db()
        assert f'<figure data-photo="{library_photo.pk}"></figure>' in story.body
        page.goto(live_server.url + story.get_absolute_url())
        figure = page.locator(".story__body figure.figure")
        assert figure.count() == 1
        assert "Cranes over a container ship" in figure.inner_text()
        assert "Harbour Wire" in figure.inner_text()
        assert figure.locator("picture img").get_attribute("src").endswith(".jpg")
        figure.scroll_into_view_if_needed()
        screenshot(page, "photos-inline-figure", full_page=False)
        feed = page.request.get(live_server.url + "/feeds/rss/").text()
        assert "Cranes over a container ship Harbour Wire&lt;/figcaption&gt;" in feed
        assert "data-photo" not in feed
