"""Who may read what through the content API: leaks, embargo access, keys, scopes and rate limits."""
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from api.models import ApiKey, hash_key
from tests.api_helpers import leak_stories, make_key
from tests.factories import ArticleFactory, CaptionFactory

pytestmark = pytest.mark.django_db

LIST_ENDPOINTS = ["/api/v1/stories", "/api/v1/stories?q=leak", "/api/v1/stories?tag=leaky", "/api/v1/tags",
                  "/api/v1/photos"]
HIDDEN_STATES = ["draft", "ready", "scheduled", "embargoed", "killed"]


@pytest.fixture
def hidden():
    stories = leak_stories()
    for story in stories.values():
        story.tags.add(f"leaky-{story.status}-{story.pk}")
        CaptionFactory(article=story, caption=f"Photo of {story.headline}", photo__caption=f"Photo of {story.headline}")
    return stories


def body(client, url, raw=None):
    response = client.get(url, **({"HTTP_X_API_KEY": raw} if raw else {}))
    assert response.status_code in (200, 404, 410), (url, response.status_code)
    return response.content.decode()


def markers(story):
    """Text that only this story's rows carry: its headline, its tag, its photo's caption."""
    return [story.headline, f"leaky-{story.status}-{story.pk}", f"Photo of {story.headline}"]


def detail_urls(story):
    photo = story.captions.first().photo
    return [f"/api/v1/stories/{story.pk}", f"/api/v1/stories/{story.pk}.ninjs", f"/api/v1/photos/{photo.pk}"]


@pytest.mark.parametrize("who", ["anonymous", "plain key"])
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_unpublished_stories_never_leak(client, hidden, who, state):
    raw = make_key("content", "ninjs")[1] if who == "plain key" else None
    story = hidden[state]
    for url in LIST_ENDPOINTS + [f"/api/v1/stories?tag=leaky-{story.status}-{story.pk}"]:
        text = body(client, url, raw)
        assert not [marker for marker in markers(story) if marker in text], url
    for url in detail_urls(story):
        response = client.get(url, **({"HTTP_X_API_KEY": raw} if raw else {}))
        expected = 410 if state == "killed" and ".ninjs" not in url and "photos" not in url else None
        if expected:
            assert response.status_code == 410 and response.content == b""
        elif state == "killed" and url.endswith(".ninjs"):
            assert response.status_code == 410
            assert response.json()["pubstatus"] == "canceled"
            assert "bodies" not in response.json()
        else:
            assert response.status_code == 404, url


@pytest.mark.parametrize("state", ["scheduled", "embargoed"])
def test_embargo_key_sees_cleared_stories_early_and_marked(client, hidden, state):
    raw = make_key("content", "ninjs", "embargo")[1]
    story = hidden[state]
    for url in ["/api/v1/stories", f"/api/v1/stories?tag=leaky-{story.status}-{story.pk}", "/api/v1/tags",
                "/api/v1/photos", *detail_urls(story)]:
        text = body(client, url, raw)
        assert any(marker in text for marker in markers(story)), url
    data = client.get(f"/api/v1/stories/{story.pk}", HTTP_X_API_KEY=raw).json()
    assert data["embargo"]["is_released"] is False
    assert data["embargo"]["release_at"] is not None
    if state == "embargoed":
        assert data["embargo"]["under_embargo"] is True
        assert data["embargo"]["embargoed_until"] is not None
        ninjs = client.get(f"/api/v1/stories/{story.pk}.ninjs", HTTP_X_API_KEY=raw).json()
        assert ninjs["embargoed"] == story.embargo_until.isoformat()
    response = client.get(f"/api/v1/stories/{story.pk}", HTTP_X_API_KEY=raw)
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("state", ["draft", "ready", "killed"])
def test_embargo_key_never_sees_drafts_or_killed(client, hidden, state):
    raw = make_key("content", "ninjs", "embargo")[1]
    story = hidden[state]
    for url in LIST_ENDPOINTS:
        text = body(client, url, raw)
        assert not [marker for marker in markers(story) if marker in text], url
    assert client.get(f"/api/v1/stories/{story.pk}", HTTP_X_API_KEY=raw).status_code in (404, 410)


def test_key_is_stored_hashed_and_records_last_use(client):
    key, raw = make_key()
    assert key.key_hash == hash_key(raw) and raw not in key.key_hash
    assert not ApiKey.objects.filter(key_hash=raw).exists()
    assert client.get("/api/v1/sections", HTTP_X_API_KEY=raw).status_code == 200
    key.refresh_from_db()
    assert key.last_used_at is not None and timezone.now() - key.last_used_at < timedelta(seconds=5)


def test_revoked_or_unknown_key_is_refused(client):
    key, raw = make_key()
    key.revoke()
    key.save()
    assert client.get("/api/v1/stories", HTTP_X_API_KEY=raw).status_code == 401
    refused = client.get("/api/v1/stories", HTTP_X_API_KEY="nr_not-a-key")
    assert refused.status_code == 401 and refused["Cache-Control"] == "no-store"


def test_scopes_limit_a_key(client):
    story = ArticleFactory()
    _key, ninjs_only = make_key("ninjs")
    assert client.get(f"/api/v1/stories/{story.pk}", HTTP_X_API_KEY=ninjs_only).status_code == 403
    assert client.get(f"/api/v1/stories/{story.pk}.ninjs", HTTP_X_API_KEY=ninjs_only).status_code == 200


def test_anonymous_callers_are_rate_limited_per_address(client, settings):
    settings.NEWSROOM_API_ANON_RATE = "3/m"
    codes = [client.get("/api/v1/sections").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/v1/sections")["Cache-Control"] == "no-store"
    assert client.get("/api/v1/sections", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_each_key_has_its_own_rate_limit(client, settings):
    settings.NEWSROOM_API_ANON_RATE = "1/m"
    _slow, slow_raw = make_key(rate_limit="2/m", name="Slow")
    _fast, fast_raw = make_key(rate_limit="5/m", name="Fast")
    slow = [client.get("/api/v1/sections", HTTP_X_API_KEY=slow_raw).status_code for _ in range(3)]
    fast = [client.get("/api/v1/sections", HTTP_X_API_KEY=fast_raw).status_code for _ in range(5)]
    assert slow == [200, 200, 429]
    assert fast == [200] * 5
    response = client.get("/api/v1/sections", HTTP_X_API_KEY=slow_raw)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_admin_shows_a_new_key_once_and_stores_its_hash(client):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-for-tests")
    client.force_login(admin)
    response = client.post(
        "/admin/api/apikey/add/",
        {"name": "Harbour app", "contact": "", "scopes": ["content", "embargo"], "rate_limit": "100/m"},
        follow=True,
    )
    key = ApiKey.objects.get(name="Harbour app")
    message = next(str(m) for m in response.context["messages"])
    raw = message.split(" is ", 1)[1].split(" ", 1)[0]
    assert hash_key(raw) == key.key_hash and key.scopes == ["content", "embargo"]
    assert raw not in client.get(f"/admin/api/apikey/{key.pk}/change/").content.decode()
    client.post("/admin/api/apikey/", {"action": "revoke_keys", "_selected_action": [key.pk]})
    key.refresh_from_db()
    assert key.is_revoked
    client.logout()
    assert client.get("/api/v1/stories", HTTP_X_API_KEY=raw).status_code == 401


def test_photos_past_their_licence_leave_every_endpoint(client):
    caption = CaptionFactory(article=ArticleFactory(), caption="Expired harbour photo",
                             photo__caption="Expired harbour photo")
    caption.photo.expires_at = timezone.now() - timedelta(minutes=1)
    caption.photo.save()
    story = caption.article
    for url in ["/api/v1/stories", f"/api/v1/stories/{story.pk}", f"/api/v1/stories/{story.pk}.ninjs",
                "/api/v1/photos"]:
        assert "Expired harbour photo" not in client.get(url).content.decode(), url
    assert client.get(f"/api/v1/photos/{caption.photo.pk}").status_code == 404
