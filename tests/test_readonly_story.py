"""Who may only read a story sees its body rendered (sanitized), not its raw markup."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory
from tests.workflow_helpers import desk_user

pytestmark = pytest.mark.django_db

BODY = "<p>The harbour <strong>reopened</strong> on Monday.</p><p>Ships queued overnight.</p>"


def change_page(client, article):
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["Reporter", "Photo editor"])
def test_a_read_only_story_shows_its_body_rendered_not_as_markup(client, role):
    user = desk_user(role)
    article = ArticleFactory(body=BODY, created_by=user if role == "Reporter" else None)  # published
    client.force_login(user)
    page = change_page(client, article)
    assert '<div class="story-body-readonly"><p>The harbour <strong>reopened</strong> on Monday.</p>' in page
    assert "&lt;p&gt;" not in page and "&lt;strong&gt;" not in page


def test_the_rendered_body_goes_through_the_sanitizer(client):
    article = ArticleFactory(body="<p>Safe</p>")
    type(article).objects.filter(pk=article.pk).update(body='<p onclick="x()">Hi</p><script>alert(1)</script>')
    client.force_login(desk_user("Photo editor"))
    page = change_page(client, article)
    assert "<script>alert(1)" not in page and "onclick" not in page and "<p>Hi</p>" in page


def test_an_editor_still_gets_the_body_editor(client, editor):
    article = ArticleFactory(body=BODY)
    client.force_login(editor)
    page = change_page(client, article)
    assert 'name="body"' in page and "story-body-readonly" not in page
