"""Absolute links to the public site, for anything that leaves the request: feeds, sitemaps, metadata,
mails and wire results."""

from django.conf import settings


def absolute_url(path):
    """`path` on the public site (NEWSROOM_SITE_URL); an absolute URL is returned as it is."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.NEWSROOM_SITE_URL}{path}"
