from django.conf import settings

from .models import Section


def site(request):
    """Site name and the section navigation, on every page."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_url": settings.NEWSROOM_SITE_URL,
        "nav_sections": Section.objects.all(),
    }
