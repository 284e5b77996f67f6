"""A story page's own HTML is stored once per change (articles/fragments.py) and never outlives it.

Each test reads the page once (storing the fragment), changes one thing the fragment shows, and
reads it again: the change shows at once, whichever table it was written to, by the ORM or not.
"""

import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from articles import cards, fragments
from articles.models import Article, ArticleNote, Author, Photo, Section, Source, StoryFragment
from tests.factories import ArticleAuthorFactory, ArticleFactory, AuthorFactory, CaptionFactory, PhotoFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif", "uncached_pages")]


def page(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def stored(story):
    return StoryFragment.objects.get(pk=story.pk)


@pytest.fixture
def story():
    story = ArticleFactory(headline="Harbour plan approved", body="<p>The council voted.</p>")
    CaptionFactory(article=story, photo=PhotoFactory(alt_text="Cranes at the harbour"), caption="The harbour at dawn.",
                   credit="Staff")
    ArticleAuthorFactory(article=story, author=AuthorFactory(name="Kim Min-ji"))
    story.tags.add("harbour")
    return story


def test_the_first_reader_stores_it_and_the_next_reads_it_with_fewer_queries(client, story):
    with CaptureQueriesContext(connection) as first:
        html = page(client, story)
    assert stored(story).html and "The council voted." in stored(story).html
    with CaptureQueriesContext(connection) as second:
        assert page(client, story) == html
    assert len(second) < len(first)
    # Neither the photos, captions and renditions nor the tag names and bylines are read again.
    read = " ".join(q["sql"] for q in second.captured_queries)
    assert not any(table in read for table in ('"articles_caption"', '"taggit_tag"."name"', '"articles_author"'))


def test_stored_page_is_the_page_rendered_afresh(client, story, settings):
    stored_html = (page(client, story), page(client, story))[1]
    settings.NEWSROOM_STORY_FRAGMENTS = False
    assert page(client, story) == stored_html


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda s: Article.objects.filter(pk=s.pk).update(body="<p>A correction.</p>"), "A correction."),
        (lambda s: s.captions.update(caption="The harbour at noon."), "The harbour at noon."),
        (lambda s: s.captions.update(credit="Pool photo"), "Pool photo"),
        (lambda s: Photo.objects.filter(captions__article=s).update(alt_text="Ships in the bay"), "Ships in the bay"),
        (lambda s: Section.objects.filter(pk=s.section_id).update(name="Harbour Desk"), "Harbour Desk"),
        (lambda s: Author.objects.filter(authorships__article=s).update(name="Lee Joon"), "Lee Joon"),
        (lambda s: ArticleAuthorFactory(article=s, author=AuthorFactory(name="Park Soo")), "Park Soo"),
        (lambda s: Tag.objects.filter(name="harbour").update(name="port works"), "port works"),
        (lambda s: s.tags.add("ferries"), "ferries"),
        (lambda s: ArticleNote.objects.create(article=s, kind="correction", text="An earlier version erred."),
         "An earlier version erred."),
    ],
    ids=["body", "caption", "credit", "alt text", "section", "author name", "new author", "tag name", "new tag",
         "correction note"],
)
def test_every_change_it_shows_blanks_it_in_the_same_transaction(client, story, change, expected):
    assert expected not in page(client, story)
    assert stored(story).html is not None
    change(story)
    assert stored(story).html is None  # blanked by the database's triggers, not by Python code
    assert expected in page(client, story)


def test_a_removed_tag_and_a_new_source_line_show_at_once(client, story):
    page(client, story)
    story.tags.remove("harbour")
    assert ">harbour<" not in page(client, story)
    source = Source.objects.create(name="Yonhap", slug="yonhap", attribution="Yonhap")
    Article.objects.filter(pk=story.pk).update(source=source)
    assert "(Yonhap)" in page(client, story)
    Source.objects.filter(pk=source.pk).update(attribution="Yonhap News")
    assert "(Yonhap News)" in page(client, story)


def test_a_new_rendition_blanks_the_stories_showing_its_photo(client, story):
    page(client, story)
    photo = story.captions.get().photo
    photo.renditions.filter(spec__startswith="w320").delete()
    assert stored(story).html is None


def test_a_killed_story_is_gone_whatever_is_stored(client, story):
    page(client, story)
    Article.objects.filter(pk=story.pk).update(status=Article.Status.KILLED)
    assert client.get(story.get_absolute_url()).status_code == 404


def test_a_deleted_story_takes_its_fragment_with_it(client, story):
    page(client, story)
    Article.objects.filter(pk=story.pk).delete()
    assert not StoryFragment.objects.filter(pk=story.pk).exists()


def test_a_photo_licence_end_ends_the_fragment_by_the_clock(client):
    story = ArticleFactory(body="<p>Text.</p>")
    ends = timezone.now() + timedelta(minutes=30)
    CaptionFactory(article=story, photo=PhotoFactory(expires_at=ends), caption="Until the licence ends.")
    assert "Until the licence ends." in page(client, story)
    assert stored(story).valid_until == ends
    with time_machine.travel(ends + timedelta(seconds=1)):
        assert "Until the licence ends." not in page(client, story)


def test_other_templates_code_or_settings_render_it_anew(client, story, settings):
    page(client, story)
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    assert "https://news.example.org" in page(client, story)
    assert stored(story).format == fragments.render_format()


def test_quick_start_database_renders_per_request_and_stores_nothing(client, story, settings):
    settings.NEWSROOM_STORY_FRAGMENTS = False  # what SQLite gets (no triggers there)
    assert "The council voted." in page(client, story)
    assert not StoryFragment.objects.filter(pk=story.pk, html__isnull=False).exists()


def test_a_preview_is_rendered_from_the_draft_and_never_stored(client, story, editor):
    page(client, story)
    Article.objects.filter(pk=story.pk).update(headline="Harbour plan approved (draft)")
    stored_before = stored(story)
    client.force_login(editor)
    response = client.get(f"/preview/{story.pk}/")
    assert "(draft)" in response.content.decode()
    assert stored(story).html == stored_before.html


@contextmanager
def open_writer(change, *, commit_after=None):
    """A writer's transaction in another thread, its `change` made and not committed, for the block:
    committed `commit_after` seconds into it (while the block waits on it), else rolled back after it."""
    writing, finish = threading.Event(), threading.Event()

    def writer():
        with transaction.atomic():
            change()
            writing.set()
            finish.wait(5)
            transaction.set_rollback(commit_after is None)
        connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    writing.wait(5)
    if commit_after is not None:
        threading.Timer(commit_after, finish.set).start()
    try:
        yield
    finally:
        finish.set()
        thread.join()



@pytest.mark.django_db(transaction=True)
def test_a_reader_storing_waits_for_a_writer_and_never_stores_what_it_overwrote(client):
    """A writer's transaction is open (its change made, not committed) while a reader must render
    (nothing usable stored): the reader waits on the fragment row, then renders what was committed.
    (A reader finding a usable fragment serves it: the writer's change is not committed yet.)"""
    story = ArticleFactory(body="<p>First version.</p>")
    page(client, story)
    StoryFragment.objects.filter(pk=story.pk).update(format="older code")
    def second_version():
        Article.objects.filter(pk=story.pk).update(body="<p>Second version.</p>")

    with open_writer(second_version, commit_after=0.3):  # the writer commits while the reader waits
        html = page(client, story)
    assert "Second version." in html
    assert "Second version." in stored(story).html


@pytest.mark.django_db(transaction=True)
def test_a_writer_held_past_the_lock_timeout_leaves_the_reader_rendering_without_storing(client, monkeypatch):
    monkeypatch.setattr(fragments, "LOCK_TIMEOUT", "100ms")
    story = ArticleFactory(body="<p>First version.</p>")
    page(client, story)
    StoryFragment.objects.filter(pk=story.pk).update(format="older code")
    with open_writer(lambda: Article.objects.filter(pk=story.pk).update(headline="Held")):
        assert "First version." in page(client, story)  # rendered from what is committed
    assert stored(story).html is None or "Held" not in stored(story).html


# --- cards --------------------------------------------------------------------------------------------


@pytest.fixture
def carded():
    """A story with a photo on its section's page, as a card (the section's newest story is its lead)."""
    story = ArticleFactory(headline="Ferry timetable changes", published_at=timezone.now() - timedelta(hours=2))
    CaptionFactory(article=story, photo=PhotoFactory(alt_text="A ferry leaving port"))
    ArticleFactory(section=story.section)  # newer: the section's lead
    return story


def section_page(client, story):
    response = client.get(story.section.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_cards_picture_is_stored_and_read_back_without_its_photo(client, carded):
    html = section_page(client, carded)
    assert "A ferry leaving port" in html and 'class="card__image"' in html
    assert stored(carded).card_image and stored(carded).html is None  # the card alone: its page was not read
    # The whole card is kept, its heading level left for each page to fill (articles/cards.py).
    assert "Ferry timetable changes" in stored(carded).card_image and cards.HEADING in stored(carded).card_image
    assert cards.HEADING not in html and '<h2 class="card__headline">' in html
    with CaptureQueriesContext(connection) as warm:
        assert section_page(client, carded) == html
    read = " ".join(q["sql"] for q in warm.captured_queries)
    assert '"articles_caption"' not in read and '"articles_rendition"' not in read


@pytest.mark.parametrize("path", ["home", "section", "tag"])
def test_a_list_read_as_cards_without_models_is_the_page_rendered_from_models(client, carded, path, settings):
    carded.tags.add("ferries")
    ArticleFactory(section=carded.section, tags=["ferries"], dek="A standfirst & more.",
                   published_at=timezone.now() - timedelta(hours=3))
    url = {"home": "/", "section": carded.section.get_absolute_url(), "tag": "/tag/ferries/"}[path]
    stored_cards = (client.get(url), client.get(url))[1].content.decode()
    assert "A standfirst &amp; more." in stored_cards
    settings.NEWSROOM_STORY_FRAGMENTS = False  # models and their photos, drawn per request
    assert client.get(url).content.decode() == stored_cards


@pytest.mark.parametrize("path", ["home", "tag"])
def test_home_and_tag_pages_store_the_card_too(client, carded, path):
    carded.tags.add("ferries")
    url = {"home": "/", "tag": "/tag/ferries/"}[path]
    first = client.get(url).content.decode()
    assert "A ferry leaving port" in first
    assert client.get(url).content.decode() == first
    assert stored(carded).card_image


def test_a_card_follows_its_photo_its_link_and_its_licence(client, carded):
    section_page(client, carded)
    Photo.objects.filter(captions__article=carded).update(alt_text="Passengers boarding")
    assert "Passengers boarding" in section_page(client, carded)
    Article.objects.filter(pk=carded.pk).update(slug="ferry-timetable-revised")
    assert 'href="/' in section_page(client, carded) and "ferry-timetable-revised" in section_page(client, carded)
    ends = timezone.now() + timedelta(minutes=5)
    Photo.objects.filter(captions__article=carded).update(expires_at=ends)
    assert "Passengers boarding" in section_page(client, carded)
    with time_machine.travel(ends + timedelta(seconds=1)):
        assert "Passengers boarding" not in section_page(client, carded)


def test_the_page_and_the_card_share_the_row_and_a_new_format_drops_both(client, carded, settings):
    page(client, carded)
    section_page(client, carded)  # made the card's renditions: a new rendition blanks the page's HTML
    page(client, carded)
    row = stored(carded)
    assert row.html and row.card_image
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    section_page(client, carded)
    row = stored(carded)
    assert row.card_image and row.html is None and row.format == fragments.render_format()


@pytest.mark.django_db(transaction=True)
def test_a_list_page_renders_its_cards_while_a_writer_holds_one(client, monkeypatch):
    monkeypatch.setattr(fragments, "LOCK_TIMEOUT", "100ms")
    story = ArticleFactory(published_at=timezone.now() - timedelta(hours=2))
    CaptionFactory(article=story, photo=PhotoFactory(alt_text="Before the change"))
    ArticleFactory(section=story.section)
    with open_writer(lambda: Photo.objects.filter(captions__article=story).update(alt_text="Not committed")):
        html = section_page(client, story)
    assert "Before the change" in html and "Not committed" not in html
    assert "Before the change" in section_page(client, story)


def test_a_lead_storys_picture_is_stored_like_a_cards(client):
    story = ArticleFactory(headline="Bridge reopens")
    CaptionFactory(article=story, photo=PhotoFactory(alt_text="The bridge at night"))
    first = client.get("/").content.decode()
    assert "The bridge at night" in first and 'fetchpriority="high"' in first
    assert 'fetchpriority="high"' in stored(story).lead_image
    with CaptureQueriesContext(connection) as warm:
        assert client.get("/").content.decode() == first
    assert not any('"articles_rendition"' in q["sql"] for q in warm.captured_queries)
    Photo.objects.filter(captions__article=story).update(alt_text="The bridge by day")
    assert "The bridge by day" in client.get("/").content.decode()


def test_a_card_of_a_section_newer_than_the_requests_navigation_still_finds_its_section(carded):
    from pagecache.generation import request_generation

    with request_generation():
        fragments.nav_sections()  # the request's list, kept under the generation it read
        newer = Section.objects.create(name="Night desk", slug="night-desk", position=50)
        Article.objects.filter(pk=carded.pk).update(section=newer)
        [card] = fragments.as_cards(fragments.list_cards(Article.objects.filter(pk=carded.pk)))
    assert card.section == newer and card.section.name == "Night desk"
