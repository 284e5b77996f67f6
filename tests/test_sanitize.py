import pytest

from articles.html import sanitize_html
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_script_tags_and_their_content_are_removed():
    assert sanitize_html("<p>Hi</p><script>alert(1)</script>") == "<p>Hi</p>"


def test_event_handler_attributes_are_removed():
    assert sanitize_html('<p onclick="steal()">Hi</p><img src=x onerror="steal()">') == "<p>Hi</p>"


def test_javascript_links_lose_their_href():
    cleaned = sanitize_html('<a href="javascript:alert(1)">x</a><a href="https://example.com">y</a>')
    assert "javascript:" not in cleaned
    assert 'href="https://example.com"' in cleaned


def test_editorial_markup_survives():
    html = "<h2>Sub</h2><p><strong>b</strong> <em>i</em></p><blockquote><p>q</p></blockquote><ul><li>a</li></ul>"
    assert sanitize_html(html) == html


def test_body_is_sanitized_on_save():
    story = ArticleFactory(body='<p>Text</p><script>x()</script><iframe src="https://evil"></iframe>')
    story.refresh_from_db()
    assert story.body == "<p>Text</p>"
