"""Request logs with ids, the Content-Security-Policy header, and the optional read-replica routing."""
import base64
import hashlib
import json
import logging
import re

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.utils.module_loading import import_string

from articles.models import Article
from newsroom.db_router import ReaderReadsMiddleware, ReplicaRouter
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def request_records(caplog):
    return [r for r in caplog.records if r.name == "newsroom.request"]


def test_each_request_logs_one_line_with_id_status_and_duration(client, caplog):
    caplog.set_level(logging.INFO, logger="newsroom.request")
    response = client.get("/no-such-page/")
    [record] = request_records(caplog)
    assert record.status == 404 and record.method == "GET" and record.path == "/no-such-page/"
    assert record.duration_ms >= 0
    assert record.request_id == response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", record.request_id)


def test_the_proxy_request_id_is_kept_and_a_malformed_one_replaced(client, caplog):
    caplog.set_level(logging.INFO, logger="newsroom.request")
    assert client.get("/", HTTP_X_REQUEST_ID="3f2a9c0d1b7e4a55")["X-Request-ID"] == "3f2a9c0d1b7e4a55"
    replaced = client.get("/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", replaced)


def test_production_log_lines_are_json_with_the_request_fields(client, caplog):
    caplog.set_level(logging.INFO, logger="newsroom.request")
    client.get("/")
    [record] = request_records(caplog)
    options = dict(settings.LOGGING["formatters"]["json"])
    formatter = import_string(options.pop("()"))(**options)
    line = json.loads(formatter.format(record))
    assert line["level"] == "INFO" and line["logger"] == "newsroom.request"
    assert {"request_id", "status", "duration_ms", "method", "path", "time"} <= line.keys()


def test_health_probes_are_logged_only_at_debug_level(client, caplog):
    caplog.set_level(logging.INFO, logger="newsroom.request")
    client.get("/healthz")
    assert request_records(caplog) == []


def csp(response):
    return {d.split()[0]: d.split()[1:] for d in response["Content-Security-Policy"].split("; ")}


def test_public_pages_get_a_strict_policy(client):
    story = ArticleFactory()
    for url in ("/", story.get_absolute_url()):
        policy = csp(client.get(url))
        assert policy["default-src"] == ["'self'"]
        # 'self', plus a per-request nonce only where a template asks for one.
        for directive in ("script-src", "style-src"):
            assert all(v == "'self'" or v.startswith("'nonce-") for v in policy[directive])
        assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
        assert "'unsafe-inline'" not in " ".join(sum(policy.values(), []))


def test_the_admin_policy_allows_exactly_the_editors_import_map(client):
    client.force_login(UserFactory(username="desk-admin", is_staff=True, is_superuser=True))
    response = client.get("/admin/articles/article/add/")
    assert response.status_code == 200
    importmap = re.search(rb'<script type="importmap"[^>]*>(.*?)</script>', response.content, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(importmap).digest()).decode()
    policy = csp(response)
    assert policy["script-src"] == ["'self'", f"'sha256-{digest}'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]  # the editor injects its base styles


def test_the_plain_500_page_keeps_its_inline_style(rf):
    from newsroom.middleware import ContentSecurityPolicyMiddleware

    page = b"<html><head><style>body{color:#222}</style></head><body>Sorry</body></html>"
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse(page, status=500))
    response = middleware(rf.get("/"))
    digest = base64.b64encode(hashlib.sha256(b"body{color:#222}").digest()).decode()
    assert f"'sha256-{digest}'" in csp(response)["style-src"]


@pytest.fixture
def replica_configured(monkeypatch):
    # Only the alias's presence matters here; no connection to it is opened.
    monkeypatch.setitem(settings.DATABASES, "replica", settings.DATABASES["default"])


def reads_from(request):
    """Which alias the router picks for a read made while serving `request`."""
    seen = []
    middleware = ReaderReadsMiddleware(lambda r: seen.append(ReplicaRouter().db_for_read(Article)) or HttpResponse())
    middleware(request)
    return seen[0] or "default"


def test_anonymous_public_reads_go_to_the_replica(rf, replica_configured):
    assert reads_from(rf.get("/2026/01/02/a-story/")) == "replica"
    assert reads_from(rf.head("/")) == "replica"


def test_admin_writes_and_logged_in_readers_stay_on_the_primary(rf, replica_configured):
    assert reads_from(rf.get("/admin/articles/article/")) == "default"
    assert reads_from(rf.post("/newsletter/subscribe/")) == "default"
    logged_in = rf.get("/")
    logged_in.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    assert reads_from(logged_in) == "default"


def test_without_a_replica_everything_reads_from_the_primary(rf):
    assert reads_from(rf.get("/")) == "default"


def test_the_router_never_migrates_the_replica_and_writes_to_the_primary():
    router = ReplicaRouter()
    assert router.allow_migrate("replica", "articles") is False
    assert router.allow_migrate("default", "articles") is None
    assert router.db_for_write(Article) == "default"
