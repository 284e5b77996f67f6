from django.conf import settings

from newsroom.links import site_url


def site(request):
    """Site name and address, on every page (the section navigation is articles.chrome's)."""
    return {"site_name": settings.NEWSROOM_SITE_NAME, "site_url": site_url()}
