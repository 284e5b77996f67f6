"""Staff previews of unpublished stories, and signed share links that expire or die on publish."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.preview import article_for_share_token, make_share_token, share_url
from articles.publishing import publish_article, unpublish_article
from tests.factories import ArticleFactory
from tests.workflow_helpers import desk_user

pytestmark = pytest.mark.django_db


def preview_url(article):
    return reverse("reader:preview", args=[article.pk])


@pytest.mark.parametrize("kind", ["draft", "scheduled", "killed"])
def test_staff_preview_any_unpublished_story_marked_as_preview(client, kind):
    story = ArticleFactory(**{kind: True}, headline="Budget talks stall")
    client.force_login(desk_user("Reporter"))
    response = client.get(preview_url(story))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Budget talks stall" in html and 'class="preview-banner"' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_readers_cannot_use_the_staff_preview(client):
    story = ArticleFactory(draft=True)
    response = client.get(preview_url(story))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(desk_user("Reporter").__class__.objects.create_user("reader"))
    assert client.get(preview_url(story)).status_code == 302  # not staff: sent to the desk login


def test_preview_does_not_list_other_unpublished_stories(client):
    story = ArticleFactory(draft=True)
    other_draft = ArticleFactory(draft=True, section=story.section, headline="Secret draft next door")
    ArticleFactory(scheduled=True, section=story.section, headline="Scheduled for tomorrow")
    client.force_login(desk_user("Editor"))
    html = client.get(preview_url(story)).content.decode()
    assert other_draft.headline not in html and "Scheduled for tomorrow" not in html


def test_share_link_opens_the_draft_for_a_guest(client):
    story = ArticleFactory(draft=True, headline="Draft for the source to check")
    response = client.get(share_url(story, hours=2))
    assert response.status_code == 200
    assert "Draft for the source to check" in response.content.decode()
    assert 'class="preview-banner"' in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"


def test_share_link_stops_working_when_it_expires(client):
    story = ArticleFactory(draft=True)
    now = timezone.now()
    url = share_url(story, hours=2, now=now)
    with time_machine.travel(now + timedelta(hours=1, minutes=59), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(now + timedelta(hours=2), tick=False):
        response = client.get(url)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert story.headline not in response.content.decode()


@pytest.mark.parametrize("outcome", ["published", "scheduled", "killed"])
def test_share_link_stops_working_once_the_story_is_published_or_killed(client, outcome):
    editor = desk_user("Editor")
    story = ArticleFactory(draft=True, headline="Soon to change")
    url = share_url(story)
    if outcome == "published":
        publish_article(story, by=editor)
    elif outcome == "scheduled":
        publish_article(story, by=editor, at=timezone.now() + timedelta(days=1))
    else:
        unpublish_article(story, by=editor)
    response = client.get(url)
    assert response.status_code == 410
    assert "Soon to change" not in response.content.decode()


def test_tampered_share_link_is_refused(client):
    story = ArticleFactory(draft=True)
    other = ArticleFactory(draft=True, headline="Another draft")
    token = make_share_token(story)
    forged = token.replace(token.split(":")[0], make_share_token(other).split(":")[0])
    assert client.get(reverse("reader:share", args=[forged])).status_code == 404
    assert client.get(reverse("reader:share", args=["not-a-token"])).status_code == 404


def test_share_link_lifetime_is_bounded(settings):
    settings.NEWSROOM_SHARE_LINK_MAX_HOURS = 24
    story = ArticleFactory(draft=True)
    with pytest.raises(ValueError, match="between 1 and 24 hours"):
        make_share_token(story, hours=25)
    with pytest.raises(ValueError):
        make_share_token(story, hours=0)
    assert article_for_share_token(make_share_token(story, hours=24)) == story


def test_editor_makes_a_share_link_in_the_admin(client):
    story = ArticleFactory(draft=True, headline="Shared from the desk")
    client.force_login(desk_user("Editor"))
    url = reverse("admin:articles_article_share", args=[story.pk])
    response = client.post(url, {"hours": 6})
    html = response.content.decode()
    link = html.split('id="share-link"')[0].rsplit('value="', 1)[1].split('"')[0]
    client.logout()
    assert "Shared from the desk" in client.get(link).content.decode()
    assert client.post(url, {"hours": 6}).status_code == 302  # logged out: sent to the desk login
    client.force_login(desk_user("Editor", "second"))
    assert "At most" in client.post(url, {"hours": 100000}).content.decode()


def test_published_story_cannot_be_shared_from_the_admin(client):
    story = ArticleFactory()
    client.force_login(desk_user("Editor"))
    response = client.post(reverse("admin:articles_article_share", args=[story.pk]), {"hours": 6})
    assert "Only drafts and stories ready for editing can be shared" in response.content.decode()
    assert "/preview/shared/" not in response.content.decode()
