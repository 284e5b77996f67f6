"""Links and accounts that must not leak or come back: share links after kill → draft, newsletter
links that carry no readable address, and no known superuser password outside DEBUG."""
import zlib

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.management import call_command
from django.urls import reverse

from articles import publishing
from articles.models import Article
from articles.preview import share_url
from newsletter.models import Subscriber
from newsletter.signup import CONFIRM_SALT, UNSUBSCRIBE_SALT, confirm_subscription, make_token, unsubscribe
from tests.factories import ArticleFactory
from tests.workflow_helpers import desk_user

pytestmark = pytest.mark.django_db


def test_a_share_link_stays_dead_after_a_killed_story_goes_back_to_draft(client):
    editor = desk_user("Editor")
    story = ArticleFactory(draft=True)
    url = share_url(story)
    assert client.get(url).status_code == 200
    publishing.publish_article(story, by=editor)
    publishing.unpublish_article(story, by=editor)
    publishing.set_status(story, Article.Status.DRAFT, by=editor)
    assert client.get(url).status_code == 410
    assert client.get(share_url(story)).status_code == 200  # a new link works for the new draft


def test_a_share_link_survives_moves_between_draft_and_ready(client):
    story = ArticleFactory(draft=True)
    url = share_url(story)
    publishing.set_status(story, Article.Status.READY)
    publishing.set_status(story, Article.Status.DRAFT)
    assert client.get(url).status_code == 200


def readable_payload(token):
    """What anyone holding the link can read without the key: the base64 (maybe zlib) payload."""
    payload = token.split(":")[0]
    compressed = payload.startswith(".")
    data = signing.b64_decode(payload.lstrip(".").encode())
    return zlib.decompress(data) if compressed else data


@pytest.mark.parametrize("salt", [CONFIRM_SALT, UNSUBSCRIBE_SALT])
def test_newsletter_links_do_not_carry_the_address(salt):
    person = Subscriber.objects.create(email="min-ji.kim@example.org")
    token = make_token(person, salt)
    assert b"min-ji" not in readable_payload(token) and b"example.org" not in readable_payload(token)
    assert "min-ji" not in token


def test_newsletter_links_still_work_and_die_when_the_address_changes(client):
    person = Subscriber.objects.create(email="reader@example.org")
    confirm_token, unsubscribe_token = make_token(person, CONFIRM_SALT), make_token(person, UNSUBSCRIBE_SALT)
    assert confirm_subscription(confirm_token).status == Subscriber.Status.CONFIRMED
    person.refresh_from_db()
    person.email = "other@example.org"
    person.save()
    response = client.get(reverse("newsletter:unsubscribe", args=[unsubscribe_token]))
    assert response.status_code in (400, 404)
    person.refresh_from_db()
    assert person.status == Subscriber.Status.CONFIRMED
    assert unsubscribe(make_token(person, UNSUBSCRIBE_SALT)).status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.usefixtures("no_avif")
def test_seed_demo_never_gives_a_superuser_a_known_password_when_debug_is_off(capsys, settings):
    settings.DEBUG = False
    call_command("seed_demo")
    out = capsys.readouterr().out
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert not admin.check_password("newsroom-admin")
    assert "newsroom-admin" not in out and "random passwords" in out
    printed = next(line.split("password:")[1].strip() for line in out.splitlines() if line.strip().startswith("admin "))
    assert admin.check_password(printed)
    call_command("seed_demo")  # a second run prints no password at all
    assert printed not in capsys.readouterr().out


@pytest.mark.usefixtures("no_avif")
def test_seed_demo_keeps_the_quick_start_logins_in_debug(capsys, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    assert get_user_model().objects.get(username="admin").check_password("newsroom-admin")
    assert "newsroom-admin" in capsys.readouterr().out
