"""The desk's front page in the admin: who may curate, saving, publishing, scheduling, errors,
two editors at once, reordering and the staff-only preview."""

from datetime import timedelta

import pytest
from django.utils import timezone

from frontpage.models import FrontLayout
from tests.factories import ArticleFactory, SectionFactory
from tests.front_helpers import lead_headline, publish_front, top_headlines
from tests.workflow_helpers import desk_user, form_data

pytestmark = pytest.mark.django_db

DESK = "/admin/frontpage/frontlayout/"
PREVIEW = "/admin/frontpage/frontlayout/preview/"


@pytest.fixture
def stories():
    now = timezone.now()
    return [
        ArticleFactory(headline=name, published_at=now - timedelta(hours=i + 1))
        for i, name in enumerate(["Newest", "Second", "Third"])
    ]


def desk_form(client):
    response = client.get(DESK)
    assert response.status_code == 200
    return form_data(response.content.decode(), form_id="front-form")


def post(client, data, action="save"):
    return client.post(DESK, {**data, "action": action}, follow=True)


def test_an_editor_pins_the_home_lead_and_the_public_page_shows_it_on_the_next_request(client, editor, stories):
    client.force_login(editor)
    data = desk_form(client)
    data["home_1"] = str(stories[2].pk)
    response = post(client, data, "publish")
    assert "The front page is live" in response.content.decode()
    client.logout()
    assert lead_headline(client.get("/").content.decode()) == "Third"


def test_a_reporter_cannot_curate_the_front(client, stories):
    client.force_login(desk_user("Reporter"))
    assert client.get(DESK).status_code == 403
    assert client.post(DESK, {"version": 1, "home_1": stories[2].pk, "action": "publish"}).status_code == 403
    assert client.get(PREVIEW).status_code == 403
    assert not FrontLayout.objects.published().exists()
    assert "Front page" not in client.get("/admin/").content.decode()


def test_anonymous_readers_never_reach_the_desk_or_the_preview(client, stories):
    for url in (DESK, PREVIEW):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_saving_a_draft_leaves_the_public_page_alone_and_the_preview_shows_it(client, editor, stories):
    client.force_login(editor)
    data = desk_form(client)
    data["home_1"] = str(stories[1].pk)
    assert "Draft saved" in post(client, data).content.decode()
    preview = client.get(PREVIEW)
    assert lead_headline(preview.content.decode()) == "Second"
    assert "noindex" in preview["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in preview.content.decode()
    assert "no-store" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
    assert "Preview" in preview.content.decode()
    client.logout()
    public = client.get("/").content.decode()
    assert lead_headline(public) == "Newest" and "Preview" not in public


def test_the_preview_never_shows_a_pinned_story_readers_may_not_see(client, editor, stories):
    draft = ArticleFactory(headline="Unfinished draft", draft=True)
    client.force_login(editor)
    data = desk_form(client)
    data["home_1"] = str(draft.pk)
    page = post(client, data).content.decode()
    assert "readers see the newest story here until it is published" in page
    assert lead_headline(client.get(PREVIEW).content.decode()) == "Newest"


def test_a_story_chosen_twice_is_refused_with_a_clear_error_and_nothing_is_saved(client, editor, stories):
    client.force_login(editor)
    data = desk_form(client)
    data["home_1"] = data["home_2"] = str(stories[0].pk)
    page = post(client, data, "publish").content.decode()
    assert "is already in Home lead: a story appears once on the front" in page
    assert not FrontLayout.objects.published().exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("home_1", "999999", "Select a valid choice"),
        ("home_1", "not-a-number", "Select a valid choice"),
        ("home_1_expires", "tomorrow-ish", "Enter a valid date/time"),
        ("home_1_expires", "2001-01-01T10:00", "The expiry time has passed"),
    ],
)
def test_bad_input_is_reported_beside_the_slot(client, editor, stories, field, value, message):
    client.force_login(editor)
    data = desk_form(client)
    data["home_1"] = str(stories[0].pk)
    data[field] = value
    response = post(client, data, "publish")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FrontLayout.objects.published().exists()


def test_a_section_lead_must_be_a_story_of_that_section(client, editor, stories):
    world = SectionFactory(name="World")
    client.force_login(editor)
    data = desk_form(client)
    data[f"section_{world.pk}"] = str(stories[0].pk)
    assert "is in Nation, not World" in post(client, data).content.decode()


def test_schedule_needs_a_future_time(client, editor, stories):
    client.force_login(editor)
    data = desk_form(client)
    data["home_1"] = str(stories[2].pk)
    assert "Pick a time in the future" in post(client, data, "schedule").content.decode()
    data["go_live_at"] = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    page = post(client, data, "schedule").content.decode()
    assert "goes live at" in page and "Scheduled" in page
    assert lead_headline(client.get("/").content.decode()) == "Newest"
    scheduled = FrontLayout.objects.scheduled(timezone.now()).get()
    assert client.post(f"{DESK}scheduled/{scheduled.pk}/cancel/", follow=True).status_code == 200
    assert not FrontLayout.objects.published().exists()


def test_two_editors_saving_at_once_the_second_is_told_and_the_first_is_kept(client, stories):
    first, second = desk_user("Editor", "first-editor"), desk_user("Editor", "second-editor")
    client.force_login(first)
    first_form = desk_form(client)
    client.force_login(second)
    second_form = desk_form(client)
    first_form["home_1"] = str(stories[1].pk)
    client.force_login(first)
    post(client, first_form)
    second_form["home_1"] = str(stories[2].pk)
    client.force_login(second)
    page = post(client, second_form, "publish").content.decode()
    assert "First-editor saved the front page" in page and "Your changes were not saved" in page
    assert not FrontLayout.objects.published().exists()
    # The page now shows the first editor's draft, ready to be changed again.
    assert form_data(page, form_id="front-form")["home_1"] == str(stories[1].pk)


def test_up_and_down_reorder_the_home_slots_without_saving(client, editor, stories):
    client.force_login(editor)
    data = desk_form(client)
    data["home_1"], data["home_2"] = str(stories[0].pk), str(stories[1].pk)
    page = post(client, data, "down:home_1").content.decode()
    moved = form_data(page, form_id="front-form")
    assert (moved["home_1"], moved["home_2"]) == (str(stories[1].pk), str(stories[0].pk))
    assert "Not saved yet" in page
    cleared = form_data(post(client, moved, "clear:home_1").content.decode(), form_id="front-form")
    assert cleared.get("home_1", "") == ""
    post(client, moved, "publish")
    html = client.get("/").content.decode()
    assert lead_headline(html) == "Second" and top_headlines(html)[0] == "Newest"


def test_the_desk_shows_what_readers_see_now(client, editor, stories):
    publish_front(stories[2])
    client.force_login(editor)
    page = client.get(DESK).content.decode()
    assert "Live since" in page
    assert 'class="front-desk__now">Third<' in page


def test_the_story_autocomplete_answers_the_desk(client, editor, stories):
    client.force_login(editor)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "frontpage", "model_name": "frontslot", "field_name": "article", "term": "Second"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Second"]
