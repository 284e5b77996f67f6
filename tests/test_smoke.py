import pytest

from tests.factories import ArticleFactory, CaptionFactory

pytestmark = pytest.mark.django_db


def test_published_article_renders(client):
    caption = CaptionFactory()
    response = client.get(caption.article.get_absolute_url())
    assert response.status_code == 200
    assert caption.article.headline in response.content.decode()


def test_home_renders(client):
    ArticleFactory.create_batch(3)
    assert client.get("/").status_code == 200
