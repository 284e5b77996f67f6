"""The OpenAPI document, the docs page, and schemathesis run against our own document.

Schemathesis (with Hypothesis) generates requests for every operation from the document and checks
each answer against it: no server errors, documented status codes, content types, headers and body
shapes. Bounded: a fixed number of examples per operation, no deadline, derandomized for CI.
"""
import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from tests.api_helpers import full_story, leak_stories

pytestmark = pytest.mark.django_db

EXAMPLES = 25  # per operation: ~250 requests in all, a few seconds

ENDPOINTS = [
    "/api/v1/stories", "/api/v1/stories/{story_id}", "/api/v1/stories/{story_id}.ninjs", "/api/v1/sections",
    "/api/v1/sources", "/api/v1/authors", "/api/v1/tags", "/api/v1/photos", "/api/v1/photos/{photo_id}",
    "/api/v1/front",
]


def test_openapi_document_lists_every_endpoint(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert sorted(document["paths"]) == sorted(ENDPOINTS)
    assert "X-API-Key" in str(document["components"]["securitySchemes"])


def test_docs_page_is_served_without_a_cdn(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "/api/v1/openapi.json" in page
    assert "cdn." not in page and "/static/ninja/swagger-ui-bundle.js" in page


@pytest.fixture
def wsgi_app():
    """Django's WSGI app as schemathesis calls it, kept off the test's connection as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    # WSGIHandler, not get_wsgi_application(): that runs django.setup() again, which re-applies LOGGING
    # and so stacks a second copy of every logger filter for the rest of the session.
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def content(db, settings, no_avif):
    settings.NEWSROOM_API_ANON_RATE = "100000/m"
    story = full_story()
    return {"story": story, "hidden": leak_stories()}


def test_api_conforms_to_its_openapi_document(content, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(ENDPOINTS)
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate()

        check()
