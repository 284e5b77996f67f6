"""Previews and share links say "Preview" and the story's real status, and stay private and uncached."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.preview import share_url
from articles.publishing import preview_state, publish_article
from tests.factories import ArticleFactory
from tests.workflow_helpers import desk_user, form_data

pytestmark = pytest.mark.django_db


def local(when):
    return f"{timezone.localtime(when):%Y-%m-%d %H:%M}"


def staff_preview(client, story):
    client.force_login(desk_user("Editor"))
    response = client.get(reverse("reader:preview", args=[story.pk]))
    assert response.status_code == 200
    return response


def meta_line(html):
    return html.split('<p class="meta">', 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: ArticleFactory(draft=True), "Draft"),
        (lambda: ArticleFactory(draft=True, status=Article.Status.READY), "Ready for editing"),
        (lambda: ArticleFactory(status=Article.Status.KILLED), "Unpublished (killed)"),
    ],
)
def test_the_preview_says_preview_and_the_real_status_never_published(client, make, expected):
    html = staff_preview(client, make()).content.decode()
    assert f"<strong>Preview</strong> — {expected}." in html
    assert f"<strong>Preview</strong> · {expected}" in meta_line(html)
    assert "Published" not in meta_line(html)


def test_a_scheduled_story_is_previewed_as_scheduled_for_its_time(client):
    at = timezone.now() + timedelta(hours=5)
    story = ArticleFactory(published_at=at)
    html = staff_preview(client, story).content.decode()
    assert f"Preview</strong> — Scheduled for {local(at)}." in html


def test_an_embargoed_story_is_previewed_as_embargoed_until_the_lift(client):
    lift = timezone.now() + timedelta(hours=3)
    draft = ArticleFactory(draft=True, embargo_until=lift)
    assert preview_state(draft) == f"Draft, embargoed until {local(lift)}"
    live_later = ArticleFactory(published_at=timezone.now() - timedelta(minutes=5), embargo_until=lift)
    html = staff_preview(client, live_later).content.decode()
    assert f"Preview</strong> — Embargoed until {local(lift)}." in html


def test_a_share_link_says_preview_and_draft_to_the_guest(client):
    story = ArticleFactory(draft=True, headline="Budget talks stall")
    response = client.get(share_url(story))
    html = response.content.decode()
    assert response.status_code == 200 and "Budget talks stall" in html
    assert "<strong>Preview</strong> — Draft." in html and "Published" not in meta_line(html)


def test_the_share_page_names_the_status_the_guest_will_see(client):
    story = ArticleFactory(draft=True, status=Article.Status.READY)
    client.force_login(desk_user("Editor"))
    html = client.post(reverse("admin:articles_article_share", args=[story.pk]), {"hours": 2}).content.decode()
    assert "“Preview — Ready for editing”" in html


def test_labelling_a_preview_never_makes_it_public_or_cached(client):
    story = ArticleFactory(draft=True, headline="Secret merger plan")
    link = share_url(story)
    first = client.get(link)
    assert first.status_code == 200
    for response in (first, staff_preview(client, story)):
        assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
        assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"
    client.logout()
    assert client.get(story.get_absolute_url()).status_code == 404  # the public page stays shut
    home = client.get("/").content.decode()
    assert "Secret merger plan" not in home and "Secret merger plan" not in client.get("/feeds/rss/").content.decode()
    # Not served from any cache: an edit shows at once, and publishing kills the link.
    Article.objects.filter(pk=story.pk).update(headline="Merger plan, revised")
    assert "Merger plan, revised" in client.get(link).content.decode()
    publish_article(Article.objects.get(pk=story.pk))
    assert client.get(link).status_code == 410


def test_the_live_preview_of_the_form_is_labelled_too(client, editor):
    story = ArticleFactory(draft=True)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    response = client.post(reverse("admin:articles_article_live_preview", args=[story.pk]),
                           form_data(page.content.decode()))
    html = response.content.decode()
    assert "<strong>Preview</strong> — Draft." in html and "no-store" in response["Cache-Control"]
