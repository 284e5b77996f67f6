"""The reader's IP address, for rate limits and repeat-read detection."""

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or the header named by NEWSROOM_CLIENT_IP_HEADER when a trusted proxy sets it.

    Only set NEWSROOM_CLIENT_IP_HEADER (e.g. "HTTP_X_REAL_IP") when every request passes through
    a proxy that overwrites that header; otherwise clients could choose their own address.
    """
    header = settings.NEWSROOM_CLIENT_IP_HEADER
    if header:
        value = request.META.get(header, "").split(",")[0].strip()
        if value:
            return value
    return request.META.get("REMOTE_ADDR", "")
