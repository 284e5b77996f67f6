"""Request logging with a request id, and the Content-Security-Policy header."""
import base64
import hashlib
import logging
import re
import time
import uuid
from contextvars import ContextVar

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware

from newsroom.health import PROBES

logger = logging.getLogger("newsroom.request")

_request_id = ContextVar("newsroom_request_id", default="-")
# nginx sends its $request_id; anything else a client sends is replaced if it looks odd.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdFilter(logging.Filter):
    """Stamps every log record with the current request id (for the log formatters)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


def request_id_for(incoming):
    """The id of a request: nginx's X-Request-ID when it looks sane, else a new one."""
    return incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex


def log_request(method, path, status, duration_ms, request_id=None):
    """The one log line of a request (RequestLogMiddleware; pagecache/wsgi.py for hot cache hits).

    `request_id` is for a caller outside RequestLogMiddleware (else the current request's is used).
    """
    # Probes come every few seconds per replica: at DEBUG they don't drown real traffic.
    level = logging.DEBUG if path in PROBES else logging.INFO
    if logger.isEnabledFor(level):
        logger.log(
            level,
            "%s %s %s %.1fms",
            method,
            path,
            status,
            duration_ms,
            extra={
                "method": method, "path": path, "status": status, "duration_ms": duration_ms,
                **({"request_id": request_id} if request_id else {}),
            },
        )


class RequestLogMiddleware:
    """One structured log line per request: request id, method, path, status and duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request.headers.get("X-Request-ID", ""))
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            log_request(request.method, request.path_info, response.status_code,
                        round((time.perf_counter() - started) * 1000, 1))
            return response
        finally:
            _request_id.reset(token)


_IMPORTMAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.S)
_STYLE = re.compile(rb"<style[^>]*>(.*?)</style>", re.S)


def _hashes(pattern, content):
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(block).digest()).decode()}'"
        for block in pattern.findall(content)
    ]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, plus the few inline blocks our own trusted pages need.

    * The admin: django-prose-editor renders an inline import map (allowed by its exact hash) and
      its editor injects a <style> element at run time (so inline styles are allowed there).
      Only staff reach these pages; public pages keep the strict policy.
    * The stand-alone 500 page carries its own small <style> (allowed by hash).
    """

    admin_prefix = "/admin/"

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if getattr(response, "streaming", False) or "html" not in response.get("Content-Type", ""):
            return parts
        update = dict(parts.update or {})
        if request.path_info.startswith(self.admin_prefix):
            update["script-src"] = [*update.get("script-src", []), *_hashes(_IMPORTMAP, response.content)]
            # Replaced rather than extended: browsers ignore 'unsafe-inline' next to a nonce.
            parts.replace = {**(parts.replace or {}), "style-src": [SELF, UNSAFE_INLINE]}
        elif response.status_code >= 500:
            update["style-src"] = [*update.get("style-src", []), *_hashes(_STYLE, response.content)]
        parts.update = update or None
        return parts
