"""Query budgets of the content API: constant whatever the page size or the size of each story."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api_helpers import full_story, make_key

pytestmark = pytest.mark.django_db

# Anonymous callers, including the content generation's one read (so no shared cache keeps an answer
# past the next scheduled go-live or licence end: pagecache.generation.shared_lifetimes); a key adds
# one lookup (its last-used time is written at most once a minute).
BUDGETS = {
    "/api/v1/stories?page_size={n}": 5,
    "/api/v1/stories?page_size={n}&tag=harbour&q=council": 5,
    "/api/v1/stories/{pk}": 7,
    "/api/v1/stories/{pk}.ninjs": 7,
    "/api/v1/sections?page_size={n}": 2,
    "/api/v1/sources?page_size={n}": 2,
    "/api/v1/authors?page_size={n}": 2,
    "/api/v1/tags?page_size={n}": 2,
    "/api/v1/photos?page_size={n}": 3,
    "/api/v1/photos/{photo}": 3,
}


def count_queries(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.content[:300])
    return len(queries)


@pytest.mark.parametrize("template", BUDGETS)
def test_query_count_is_constant_whatever_the_page_size(client, no_avif, template):
    last = [full_story() for _ in range(6)][-1]
    counts = {
        n: count_queries(client, template.format(n=n, pk=last.pk, photo=last.captions.get().photo_id)) for n in (1, 6)
    }
    assert counts == {1: BUDGETS[template], 6: BUDGETS[template]}


def test_a_key_costs_one_lookup(client, no_avif):
    story = full_story()
    _key, raw = make_key("content", "ninjs", "embargo")
    client.get("/api/v1/sections", HTTP_X_API_KEY=raw)  # the first use records last_used_at
    assert count_queries(client, f"/api/v1/stories/{story.pk}", HTTP_X_API_KEY=raw) == 7
    assert count_queries(client, "/api/v1/stories?page_size=6", HTTP_X_API_KEY=raw) == 5
