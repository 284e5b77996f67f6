"""The photo desk and writing aids in a real chromium: the focal point picker and the form's counters."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from articles.images import CROPS, crop_box
from articles.photos import import_photo
from tests.axe import assert_accessible
from tests.browser import chromium_browser, screenshot
from tests.browser import signed_in_page as sign_in
from tests.factories import ArticleFactory, PhotoFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.usefixtures("no_avif")]

FIXTURES = Path(__file__).parent / "fixtures" / "photos"


def signed_in_page(browser, base_url, role):
    call_command("sync_roles")  # transactional tests start from an empty database
    username = role.lower().replace(" ", "-")
    UserFactory(username=username, is_staff=True).groups.add(Group.objects.get(name=role))
    return sign_in(browser, base_url, username, viewport={"width": 1280, "height": 900})


def preview_boxes(page):
    return {
        name: page.get_attribute(f'.focal-preview[data-crop="{name}"] .focal-preview__frame', "data-box")
        for name in CROPS
    }


def test_clicking_the_photo_moves_the_focal_point_and_the_three_crops(live_server):
    upload = SimpleUploadedFile("portraits.jpg", (FIXTURES / "afp_yonhap_pyongyang_portraits.jpg").read_bytes())
    photo, _ = import_photo(upload)
    size = (photo.width, photo.height)
    with chromium_browser() as browser:
        page = signed_in_page(browser, live_server.url, "Photo editor")
        page.goto(f"{live_server.url}/admin/articles/photo/{photo.pk}/change/")
        before = preview_boxes(page)
        image = page.locator(".focal-picker__image")
        image.scroll_into_view_if_needed()
        box = image.bounding_box()
        # Near the right edge, a quarter of the way down.
        page.mouse.click(box["x"] + box["width"] * 0.9, box["y"] + box["height"] * 0.25)
        x, y = int(page.input_value("#id_focal_x")), int(page.input_value("#id_focal_y"))
        assert abs(x - size[0] * 0.9) <= size[0] / 50 and abs(y - size[1] * 0.25) <= size[1] / 50
        after = preview_boxes(page)
        assert set(after) == {"16x9", "4x3", "1x1"}
        for name, ratio in CROPS.items():
            # The browser's boxes are the ones images.crop_box() cuts the renditions with.
            assert after[name] == ",".join(map(str, crop_box(size, ratio, (x, y))))
        assert after["1x1"] != before["1x1"] and after["4x3"] != before["4x3"]
        assert "Focal point: " in page.inner_text(".focal-picker__status")
        page.locator(".focal-picker").scroll_into_view_if_needed()
        screenshot(page, "photodesk-focal-point", full_page=False)
        assert_accessible(page, context=".field-focal_picker, .field-focal_x, .field-focal_y")

        # The typed fields are the keyboard way in, and redraw the previews too.
        page.fill("#id_focal_x", "0")
        page.fill("#id_focal_y", "0")
        assert preview_boxes(page)["1x1"] == ",".join(map(str, crop_box(size, CROPS["1x1"], (0, 0))))

        page.fill("#id_focal_x", str(x))
        page.fill("#id_focal_y", str(y))
        page.locator("input[name=_continue]").first.click()
        page.wait_for_load_state()
    photo.refresh_from_db()
    assert photo.focal_point == (x, y)


CASES = [
    (800, 533, None), (800, 533, (0, 0)), (800, 533, (799, 532)), (801, 451, (400, 225)),
    (1201, 677, (601, 338)), (333, 1000, (166, 500)), (4000, 3000, (3999, 1)), (7, 5, (3, 2)),
    (1920, 1081, (961, 541)), (1000, 1000, (500, 500)), (999, 1001, (499, 500)),
]


def test_the_browser_cuts_every_crop_exactly_like_images_crop_box(live_server):
    photo = PhotoFactory(width=800, height=533)
    with chromium_browser() as browser:
        page = signed_in_page(browser, live_server.url, "Photo editor")
        page.goto(f"{live_server.url}/admin/articles/photo/{photo.pk}/change/")
        for width, height, focal in CASES:
            for ratio in CROPS.values():
                js = page.evaluate(
                    "([w, h, r, f]) => window.NewsroomFocalPoint.cropBox(w, h, r, f)",
                    [width, height, list(ratio), list(focal) if focal else None],
                )
                assert tuple(js) == crop_box((width, height), ratio, focal), (width, height, ratio, focal)
        for value in [0.5, 1.5, 2.5, -0.5, 3.4999, 3.5001]:
            assert page.evaluate("v => window.NewsroomFocalPoint.roundHalfEven(v)", value) == round(value)


def test_the_counters_update_as_the_editor_types(live_server):
    story = ArticleFactory(headline="Harbour reopens", draft=True)
    with chromium_browser() as browser:
        page = signed_in_page(browser, live_server.url, "Editor")
        page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        assert page.inner_text("#id_headline_count .writing-aid__count") == "15 of 110 characters"
        page.fill("#id_headline", "Harbour reopens after the storm")
        assert page.inner_text("#id_headline_count .writing-aid__count") == "31 of 110 characters"

        page.locator("#fieldset-0-3-heading, fieldset.collapse summary, .collapse-toggle").first.click()
        page.locator("#id_seo_title").fill("서울 " * 31)  # 93 characters, Korean counted as characters
        counter = page.locator("#id_seo_title_count")
        assert counter.locator(".writing-aid__count").inner_text() == "93 of 60 characters — 33 over"
        assert "is-over" in counter.get_attribute("class")
        assert page.inner_text("#id_seo_title_count + .writing-aid__announce") == "SEO title is over 60 characters."
        assert "id_seo_title_count" in page.get_attribute("#id_seo_title", "aria-describedby")
        page.locator("#id_seo_title").fill("Harbour reopens")
        assert page.inner_text("#id_seo_title_count + .writing-aid__announce") == (
            "SEO title is back within 60 characters."
        )
        page.locator("#id_seo_title").fill("Harbour reopens after the storm that closed it for a week, 서울")
        page.locator("#id_seo_title").scroll_into_view_if_needed()
        screenshot(page, "photodesk-writing-aids", full_page=False)
        page.wait_for_selector(".field-body .ProseMirror[contenteditable=true]")
        assert_accessible(page)  # the counters add no violation (tests/test_browser_story_form_a11y.py)


def test_the_desk_sees_the_missing_alt_text_and_the_preview_label(live_server):
    from articles.models import Caption
    from tests.factories import CaptionFactory

    upload = SimpleUploadedFile("portraits.jpg", (FIXTURES / "afp_yonhap_pyongyang_portraits.jpg").read_bytes())
    photo, _ = import_photo(upload)
    story = ArticleFactory(headline="Leaders' portraits go up in Pyongyang", draft=True)
    CaptionFactory(article=story, photo=photo, role=Caption.Role.LEAD)
    with chromium_browser() as browser:
        page = signed_in_page(browser, live_server.url, "Editor")
        page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        notice = page.locator(".lead-alt-notice")
        assert "has no alt text" in notice.inner_text()
        screenshot(page, "photodesk-lead-alt-notice", full_page=False)
        page.goto(f"{live_server.url}/admin/articles/article/?lead_alt=missing")
        assert page.locator(".lead-alt-missing").count() == 1
        screenshot(page, "photodesk-lead-alt-list", full_page=False)
        page.goto(f"{live_server.url}/preview/{story.pk}/")
        assert "Preview — Draft." in page.inner_text(".preview-banner")
        assert "Published" not in page.inner_text(".story__header .meta")
        screenshot(page, "photodesk-preview-label", full_page=False)
