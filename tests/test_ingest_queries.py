"""Ingest cost per item stays constant however many tags and byline names an item carries."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wire.ingest import IngestBatch, ingest_paths

from .ingest_helpers import ninjs, write_json

pytestmark = pytest.mark.django_db

TAGS = [{"name": t} for t in ("transport", "ports", "weather", "busan", "ferries", "tourism", "islands", "rail")]
BYLINE = "Han Ji-woo, Oh Se-ri and Park Dae-ho"


def queries_for(tmp_path, item, batch):
    path = write_json(tmp_path, f"{item['uri'].rsplit(':', 1)[-1]}-{item['version']}.json", item)
    with CaptureQueriesContext(connection) as ctx:
        [result] = ingest_paths([str(path)], batch=batch)
    assert result.status in {"imported", "updated"}, result.error
    return len(ctx.captured_queries)


def test_new_story_query_count_does_not_grow_with_tags_or_authors(tmp_path):
    batch = IngestBatch()
    queries_for(tmp_path, ninjs(guid="urn:test:warm", headline="Warm-up", subjects=TAGS, by=BYLINE), batch)

    small = queries_for(tmp_path, ninjs(guid="urn:test:small", headline="Small", subjects=TAGS[:1],
                                        by="Han Ji-woo"), batch)
    large = queries_for(tmp_path, ninjs(guid="urn:test:large", headline="Large", subjects=TAGS, by=BYLINE), batch)

    assert small == large
    assert large <= 10


def test_update_query_count_does_not_grow_with_tags_or_authors(tmp_path):
    batch = IngestBatch()
    queries_for(tmp_path, ninjs(guid="urn:test:a", headline="A", subjects=TAGS[:1], by="Han Ji-woo"), batch)
    queries_for(tmp_path, ninjs(guid="urn:test:b", headline="B", subjects=TAGS, by=BYLINE), batch)
    queries_for(tmp_path, ninjs(guid="urn:test:b", version="2", headline="Warm-up update"), batch)

    small = queries_for(tmp_path, ninjs(guid="urn:test:a", version="2", headline="A2", subjects=TAGS[1:2],
                                        by="Oh Se-ri"), batch)
    large = queries_for(tmp_path, ninjs(guid="urn:test:b", version="3", headline="B3", subjects=TAGS[1:][::-1],
                                        by=BYLINE), batch)

    assert small == large
    # 22 before agency updates merged three ways: reading the desk's byline and tags (2), the
    # locked re-read of the row and the GUID looked up per source are the price of never overwriting the desk.
    assert large <= 26
