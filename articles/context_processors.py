from django.conf import settings

from newsroom.links import site_url

from .public_cache import nav_sections


def site(request):
    """Site name and the section navigation, on every page."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_url": site_url(),
        # Cached: saving a Section drops it (articles.public_cache), so navigation costs no query.
        "nav_sections": nav_sections(),
    }
