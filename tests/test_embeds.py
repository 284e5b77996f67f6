"""Embeds: a pasted allow-listed link becomes our own click-to-load figure, looked up server-side at
save through a local oEmbed endpoint; failures keep the link; hostile markup never survives the sanitizer."""
import re

import pytest
from django.test import Client
from django.urls import reverse

from articles import embeds
from articles.html import sanitize_html
from articles.models import Article
from newsroom.embed_providers import PROVIDERS
from tests.embed_helpers import YOUTUBE_ANSWER, YOUTUBE_URL, OEmbedServer, pasted
from tests.factories import ArticleFactory
from tests.workflow_helpers import count_queries, desk_user, form_errors, open_change_form, save_change_form

pytestmark = pytest.mark.django_db

FRAME = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?feature=oembed"


@pytest.fixture
def provider(monkeypatch, settings):
    settings.NEWSROOM_EMBED_TIMEOUT_SECONDS = 1
    with OEmbedServer() as server:
        monkeypatch.setattr(embeds, "oembed_endpoint", lambda provider: server.url)
        yield server


@pytest.fixture
def editor(client):
    user = desk_user("Editor")
    client.force_login(user)
    return user


def save_body(client, story, body):
    response = save_change_form(client, story, open_change_form(client, story), body=body)
    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    return story.body


# -- the happy path ---------------------------------------------------------------------------------


def test_a_pasted_youtube_link_becomes_a_click_to_load_figure(client, editor, provider):
    story = ArticleFactory()

    body = save_body(client, story, f"<p>Before.</p>{pasted(YOUTUBE_URL)}<p>After.</p>")

    assert provider.requests[0]["url"] == [YOUTUBE_URL] and provider.requests[0]["format"] == ["json"]
    assert body.startswith("<p>Before.</p><figure class=\"embed\" data-embed=\"youtube\"")
    assert f'data-embed-frame="{FRAME.replace("?", "?")}"' in body.replace("&amp;", "&")
    assert 'data-embed-title="Harbour ferries return after the storm"' in body
    assert 'data-embed-thumbnail="https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg"' in body
    assert f'<a href="{YOUTUBE_URL}" rel="noopener noreferrer">Harbour ferries return after the storm</a>' in body
    assert "<figcaption>YouTube</figcaption>" in body and body.endswith("<p>After.</p>")
    assert "<iframe" not in body and "frameborder" not in body  # the provider's HTML is never kept


def test_the_public_page_has_the_placeholder_and_no_third_party_address_to_load(client, editor, provider):
    story = ArticleFactory()
    save_body(client, story, pasted(YOUTUBE_URL))

    reader = Client()
    html = reader.get(story.get_absolute_url()).content.decode()

    assert '<figure class="embed" data-embed="youtube"' in html and "js/embeds.js" in html
    # Nothing on the page makes the browser fetch from the provider before the click: no iframe,
    # no <img>, <script> or <link> pointing at its hosts (the thumbnail stays a data attribute).
    assert "<iframe" not in html
    for host in ("youtube.com", "ytimg.com", "youtube-nocookie.com"):
        for tag in ("<img", "<script", "<link", "<source"):
            assert not any(host in part.split(">")[0] for part in html.split(tag)[1:]), (host, tag)


def test_the_csp_frame_src_allows_exactly_the_providers_frame_origins(client):
    story = ArticleFactory()

    policy = client.get(story.get_absolute_url())["Content-Security-Policy"]

    frame_src = next(part.strip() for part in policy.split(";") if part.strip().startswith("frame-src"))
    assert frame_src.split()[1:] == [
        "https://platform.twitter.com", "https://player.vimeo.com", "https://www.instagram.com",
        "https://www.youtube-nocookie.com",
    ]


def test_an_x_post_gets_the_providers_embed_page_not_its_script(client, editor, provider):
    provider.answer = {"type": "rich", "title": "", "author_name": "Harbour Office",
                       "html": '<blockquote class="twitter-tweet"><p>Ferries</p></blockquote>'
                               '<script async src="https://platform.twitter.com/widgets.js"></script>'}
    story = ArticleFactory()

    body = save_body(client, story, pasted("https://x.com/harbour/status/1790000000000000001"))

    assert 'data-embed="x"' in body
    frame = "https://platform.twitter.com/embed/Tweet.html?dnt=true&amp;id=1790000000000000001"
    assert f'data-embed-frame="{frame}"' in body
    assert "<script" not in body and "blockquote" not in body
    assert 'data-embed-title="X content"' in body


def test_feeds_carry_no_scripts_frames_or_embed_markup(client, editor, provider):
    story = ArticleFactory()
    save_body(client, story, pasted(YOUTUBE_URL))

    for name in ("reader:feed-latest-rss", "reader:feed-latest-atom"):
        feed = client.get(reverse(name)).content.decode()
        assert story.headline in feed
        assert "<iframe" not in feed and "<script" not in feed and "&lt;iframe" not in feed
        assert "&lt;script" not in feed


def test_editing_the_story_again_keeps_the_embed_without_asking_the_provider(client, editor, provider):
    story = ArticleFactory()
    body = save_body(client, story, pasted(YOUTUBE_URL))
    asked = len(provider.requests)

    assert save_body(client, story, body) == body
    assert len(provider.requests) == asked


# -- what stays a link ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        pasted("https://evil.example/watch?v=1"),  # not on the allow-list
        f'<p><a href="{YOUTUBE_URL}">our video of the ferries</a></p>',  # a link with its own words
        f"<p>Watch {YOUTUBE_URL} today.</p>",  # a link inside a sentence
    ],
)
def test_links_that_are_not_lone_allow_listed_pastes_stay_links_and_nothing_is_asked(client, editor, provider, body):
    story = ArticleFactory()

    saved = save_body(client, story, body)

    assert "<figure" not in saved and provider.requests == []


def test_a_provider_switched_off_is_neither_asked_nor_kept(client, editor, provider, settings):
    settings.NEWSROOM_EMBED_PROVIDERS = ["vimeo"]
    story = ArticleFactory()

    assert "<figure" not in save_body(client, story, pasted(YOUTUBE_URL))
    assert provider.requests == []
    kept = sanitize_html(embeds.embed_html(PROVIDERS["youtube"], YOUTUBE_URL, YOUTUBE_ANSWER))
    assert 'data-embed="youtube"' not in kept and "youtube-nocookie" not in kept


@pytest.mark.parametrize(
    ("answer", "status", "delay"),
    [
        (b"<html>not json</html>", 200, 0),  # garbage
        (b"[1, 2, 3]", 200, 0),  # JSON, not an oEmbed object
        (b'{"title": "x"', 200, 0),  # cut short
        (b"\xff\xfe\x00garbage", 200, 0),  # not UTF-8
        (YOUTUBE_ANSWER, 500, 0),  # the provider fails
        (YOUTUBE_ANSWER, 404, 0),  # the video is gone
        (b"{" + b" " * (embeds.MAX_RESPONSE_BYTES + 10) + b"}", 200, 0),  # far too big
        (YOUTUBE_ANSWER, 200, 2.5),  # slower than NEWSROOM_EMBED_TIMEOUT_SECONDS
    ],
    ids=["html", "json-list", "truncated", "binary", "500", "404", "huge", "slow"],
)
def test_a_provider_that_fails_leaves_the_plain_link_and_the_save_succeeds(client, editor, provider, answer, status,
                                                                           delay):
    provider.answer, provider.status, provider.delay = answer, status, delay
    story = ArticleFactory()

    saved = save_body(client, story, pasted(YOUTUBE_URL))

    assert "<figure" not in saved and f'href="{YOUTUBE_URL}"' in saved


def test_a_provider_that_is_down_leaves_the_plain_link(client, editor, monkeypatch):
    monkeypatch.setattr(embeds, "oembed_endpoint", lambda provider: "http://127.0.0.1:8486/nothing-listens-here")
    story = ArticleFactory()

    saved = save_body(client, story, pasted(YOUTUBE_URL))

    assert "<figure" not in saved and YOUTUBE_URL in saved


def test_hostile_oembed_answers_keep_only_plain_text_and_checked_addresses(client, editor, provider):
    provider.answer = {
        "title": '<img src=x onerror="alert(1)">Ferries" data-x="1',
        "thumbnail_url": "javascript:alert(1)",
        "html": '<iframe src="https://evil.example/embed/1"></iframe><script>alert(1)</script>',
    }
    story = ArticleFactory()

    saved = save_body(client, story, pasted(YOUTUBE_URL))

    assert 'data-embed="youtube"' in saved
    assert "evil.example" not in saved and "javascript:" not in saved and "onerror" not in saved
    assert "<img" not in saved and "<script" not in saved
    assert not re.search(r'<[^>]*\sdata-x="', saved)  # the quote in the title stays text, never an attribute
    assert "data-embed-frame=" not in saved  # no frame on the provider's own origins: nothing to load


def test_lookups_per_save_are_bounded(client, editor, provider):
    story = ArticleFactory()
    body = "".join(pasted(f"https://youtu.be/video{i:02d}") for i in range(embeds.MAX_LOOKUPS_PER_SAVE + 3))

    saved = save_body(client, story, body)

    assert len(provider.requests) == embeds.MAX_LOOKUPS_PER_SAVE
    assert saved.count("<figure") == embeds.MAX_LOOKUPS_PER_SAVE


def test_the_live_preview_does_not_ask_the_provider(client, editor, provider):
    story = ArticleFactory()
    data = open_change_form(client, story)

    client.post(reverse("admin:articles_article_live_preview", args=[story.pk]), {**data, "body": pasted(YOUTUBE_URL)})

    assert provider.requests == []


def test_a_user_who_may_not_edit_the_story_makes_no_lookup(client, provider):
    story = ArticleFactory(created_by=desk_user("Reporter", "owner"))
    client.force_login(desk_user("Reporter", "someone-else"))

    client.post(reverse("admin:articles_article_change", args=[story.pk]), {"body": pasted(YOUTUBE_URL)})

    assert provider.requests == []


# -- the sanitizer against hostile embed markup -----------------------------------------------------------


GOOD = ('<figure class="embed" data-embed="youtube" data-embed-frame="https://www.youtube-nocookie.com/embed/a" '
        'data-embed-title="T" data-embed-thumbnail="https://i.ytimg.com/a.jpg"><a href="https://youtu.be/a" '
        'rel="noopener noreferrer">T</a><figcaption>YouTube</figcaption></figure>')


def test_our_own_figure_survives_the_sanitizer_unchanged():
    assert sanitize_html(GOOD) == GOOD


@pytest.mark.parametrize(
    ("hostile", "gone"),
    [
        (GOOD.replace("https://www.youtube-nocookie.com/embed/a", "https://evil.example/embed/a"), "evil.example"),
        (GOOD.replace("https://www.youtube-nocookie.com/embed/a", "javascript:alert(1)"), "javascript"),
        (GOOD.replace("https://www.youtube-nocookie.com/embed/a", "http://www.youtube-nocookie.com/embed/a"),
         "http://www.youtube-nocookie"),
        (GOOD.replace("https://www.youtube-nocookie.com/embed/a", "https://user@www.youtube-nocookie.com/embed/a"),
         "user@"),
        (GOOD.replace("https://www.youtube-nocookie.com/embed/a", "https://www.youtube-nocookie.com.evil.example/a"),
         "evil.example"),
        (GOOD.replace('data-embed="youtube"', 'data-embed="myspace"'), "myspace"),
        (GOOD.replace("https://i.ytimg.com/a.jpg", "http://tracker.example/pixel.gif"), "tracker.example"),
        (GOOD.replace('class="embed"', 'class="embed takeover"'), "takeover"),
        (GOOD.replace("<figure ", '<figure onclick="alert(1)" style="position:fixed" '), "alert"),
        (GOOD.replace("<figcaption>", '<iframe src="https://www.youtube-nocookie.com/embed/a"></iframe><figcaption>'),
         "<iframe"),
        (GOOD.replace("<figcaption>", "<script>alert(1)</script><figcaption>"), "alert"),
        (GOOD.replace("<figcaption>", '<svg><image href="https://evil.example/x"/></svg><figcaption>'), "evil"),
        (GOOD.replace('href="https://youtu.be/a"', 'href="javascript:alert(1)"'), "javascript"),
        ('<figure class="embed" data-embed-frame="data:text/html,<script>alert(1)</script>"></figure>', "data:"),
    ],
)
def test_hostile_embed_markup_loses_what_is_not_ours(hostile, gone):
    assert gone not in sanitize_html(hostile)


def test_the_sanitizer_also_guards_the_wire_and_scripts():
    story = ArticleFactory(body=GOOD.replace("https://www.youtube-nocookie.com/embed/a", "https://evil.example/a"))
    assert "evil.example" not in Article.objects.get(pk=story.pk).body


def test_a_story_with_embeds_keeps_the_page_query_count(client, editor, provider):
    plain, embedded = ArticleFactory(), ArticleFactory()
    save_body(client, embedded, pasted(YOUTUBE_URL) + pasted("https://youtu.be/other"))
    client.logout()

    assert count_queries(client, embedded.get_absolute_url()) == count_queries(client, plain.get_absolute_url())
