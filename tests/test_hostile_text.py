"""Hostile or unlucky text: control characters never reach a feed or sitemap, story HTML is
bounded before the sanitizer runs, and wire text is stored once-escaped."""
import feedparser
import pytest
from defusedxml import ElementTree
from django.core.exceptions import ValidationError
from django.urls import reverse
from taggit.models import Tag

from articles.html import MarkupRejected, nesting_depth, sanitize_html
from articles.models import Article
from tests.factories import ArticleAuthorFactory, ArticleFactory, AuthorFactory, CaptionFactory, SectionFactory
from tests.ingest_helpers import ingest, ninjs, write_json
from tests.workflow_helpers import open_change_form, save_change_form

pytestmark = pytest.mark.django_db
BAD = "\x01\x08\x0b\x1b\x7f\x85"


def feeds_and_sitemaps(client, story):
    section = story.section.slug
    tag = story.tags.first().slug
    names = [("reader:feed-latest-rss", []), ("reader:feed-latest-atom", []),
             ("reader:feed-section-rss", [section]), ("reader:feed-tag-atom", [tag]),
             ("reader:sitemap-news", []), ("reader:sitemap-index", [])]
    for name, args in names:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        ElementTree.fromstring(response.content)  # well-formed XML
        if "feed" in name:
            assert not feedparser.parse(response.content).bozo
    assert client.get(story.get_absolute_url()).status_code == 200


def test_control_characters_are_stripped_from_every_text_a_feed_carries(client):
    story = ArticleFactory(
        headline=f"Storm{BAD} hits the coast", dek=f"Winds{BAD} of 120 km/h.", body=f"<p>Ferries{BAD} stop.</p>",
        section=SectionFactory(name=f"Nation{BAD}"), tags=[f"Weather{BAD}"],
    )
    ArticleAuthorFactory(article=story, author=AuthorFactory(name=f"Kim{BAD} Min-ji"))
    CaptionFactory(article=story, caption=f"Waves{BAD} at the harbour")
    story.refresh_from_db()
    assert story.headline == "Storm hits the coast" and story.dek == "Winds of 120 km/h."
    assert story.body == "<p>Ferries stop.</p>"
    assert Tag.objects.get().name == "Weather"
    assert "\x01" not in story.section.name and "\x01" not in story.ordered_authors[0].name
    feeds_and_sitemaps(client, story)


def test_newlines_and_tabs_are_kept():
    story = ArticleFactory(dek="Line one\nline two\tand a tab")
    story.refresh_from_db()
    assert story.dek == "Line one\nline two\tand a tab"


def test_a_control_character_typed_in_the_admin_is_dropped(editor_client_with_story):
    client, story = editor_client_with_story
    data = open_change_form(client, story)
    response = save_change_form(client, story, data, headline="Budget\x01 passes")
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "Budget passes"


@pytest.fixture
def editor_client_with_story(client, editor):
    client.force_login(editor)
    return client, ArticleFactory(tags=["Budget"])


def test_a_control_character_in_a_wire_item_is_dropped(client, tmp_path):
    [result] = ingest(write_json(tmp_path, "ctrl.json", ninjs(headline="Port\x01 strike ends")), publish=True)
    story = Article.objects.get(pk=result.article_id)
    assert story.headline == "Port strike ends"
    story.tags.add("Labour")
    feeds_and_sitemaps(client, story)


# --- The sanitizer's input is bounded ---------------------------------------------------------

NESTED = "<div>" * 26_000 + "deep" + "</div>" * 26_000  # like the 293 KB item that held a worker 15.8 s


def test_deeply_nested_html_is_refused_before_the_sanitizer_runs():
    with pytest.raises(MarkupRejected, match="nests tags more than 100 levels deep"):
        sanitize_html(NESTED)


def test_oversized_html_is_refused(settings):
    settings.NEWSROOM_BODY_MAX_KB = 64
    with pytest.raises(MarkupRejected, match="at most 64 KB"):
        sanitize_html("<p>" + "word " * 20_000 + "</p>")


def test_ordinary_stories_pass_whatever_their_length():
    body = "<p>One <b>bold</b> and <i>italic</i>.</p>" * 3000 + "<ul><li>a<li>b</ul><p>x<br>y<p>unclosed"
    assert nesting_depth(body) <= 3
    assert sanitize_html(body).startswith("<p>One")
    nested_lists = "<ul><li>" * 20 + "deep" + "</li></ul>" * 20
    assert "deep" in sanitize_html(nested_lists)


def test_the_admin_shows_the_reason_as_a_form_error(editor_client_with_story):
    client, story = editor_client_with_story
    data = open_change_form(client, story)
    response = save_change_form(client, story, data, body=NESTED)
    assert response.status_code == 200
    assert "nests tags more than 100 levels deep" in response.content.decode()
    story.refresh_from_db()
    assert "deep" not in story.body


def test_a_wire_item_with_deeply_nested_html_fails_alone_with_a_clear_error(tmp_path):
    bad = ninjs(guid="urn:test:deep", bodies=[{"role": "main", "contenttype": "text/html", "value": NESTED}])
    good = ninjs(guid="urn:test:fine", headline="Ferry timetable")
    results = ingest(write_json(tmp_path, "deep.json", bad), write_json(tmp_path, "fine.json", good))
    by_file = {r.file.rsplit("/", 1)[-1]: r for r in results}
    assert by_file["deep.json"].status == "failed"
    assert "nests tags more than 100 levels deep" in by_file["deep.json"].error
    assert by_file["fine.json"].status == "imported"
    assert not Article.objects.filter(wire_guid="urn:test:deep").exists()


def test_a_deeply_nested_wire_headline_is_refused(tmp_path):
    item = ninjs(headline="<b>" * 5000 + "x")
    [result] = ingest(write_json(tmp_path, "deep-headline.json", item))
    assert result.status == "failed" and "more than 100 levels deep" in result.error


def test_article_full_clean_reports_the_body(settings):
    story = ArticleFactory.build(section=SectionFactory(), body=NESTED, slug="x")
    with pytest.raises(ValidationError) as error:
        story.full_clean()
    assert "body" in error.value.message_dict


# --- Wire text is stored once-escaped ---------------------------------------------------------


def test_ampersands_in_wire_headlines_and_bylines_are_stored_as_characters(tmp_path):
    item = ninjs(headline="AT&T and Procter & Gamble <settle> talks", by="By Kim & Lee")
    [result] = ingest(write_json(tmp_path, "amp.json", item), publish=True)
    story = Article.objects.get(pk=result.article_id)
    assert story.headline == "AT&T and Procter & Gamble talks"
    assert [a.name for a in story.ordered_authors] == ["Kim", "Lee"]


def test_ampersands_in_newsml_headlines_are_stored_once(tmp_path):
    from tests.ingest_helpers import EXPORTS

    xml = EXPORTS.read_text()
    start = xml.index("<headline")
    end = xml.index("</headline>", start)
    opening = xml[start:xml.index(">", start) + 1]
    path = tmp_path / "amp.xml"
    path.write_text(xml[:start] + opening + "Samsung &amp; LG lift exports" + xml[end:])
    [result] = ingest(path)
    assert Article.objects.get(pk=result.article_id).headline == "Samsung & LG lift exports"


def test_the_page_shows_the_ampersand_once(client, tmp_path):
    [result] = ingest(write_json(tmp_path, "amp.json", ninjs(headline="AT&T expands")), publish=True)
    page = client.get(Article.objects.get(pk=result.article_id).get_absolute_url()).content.decode()
    assert "AT&amp;T expands" in page and "AT&amp;amp;T" not in page


def test_stories_stored_before_the_fix_are_cleaned_by_the_migration(client):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("articles.migrations.0006_strip_control_characters")
    story = ArticleFactory(tags=["Weather"])
    Article.objects.filter(pk=story.pk).update(headline="Old\x01 headline", dek="Kept\ttab\x1b")  # as before the fix
    Tag.objects.update(name="Wea\x01ther")
    version = Article.objects.get(pk=story.pk).version
    migration.strip_control_characters(apps, None)
    story.refresh_from_db()
    assert (story.headline, story.dek, story.version) == ("Old headline", "Kept\ttab", version)
    assert Tag.objects.get().name == "Weather"
    feeds_and_sitemaps(client, story)
