from django.contrib import admin


def desk_names(request):
    """The desk's name (set in urls.py) for the sign-in, two-factor and lockout pages: they extend the
    admin's templates but are not admin views, so without this they say "Django administration"."""
    return {"site_header": admin.site.site_header, "site_title": admin.site.site_title}
