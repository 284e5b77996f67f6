from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.NEWSROOM_SITE_NAME} desk"
admin.site.site_title = f"{settings.NEWSROOM_SITE_NAME} desk"
admin.site.index_title = "Stories, photos and sources"
# The admin's own password form would skip the second factor: send it to allauth's sign-in.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("monitoring.urls")),  # /admin/pipeline/ and its JSON, before the admin's catch-all
    path("", include("desk.urls")),  # /admin/desk/: notifications and story comments, before the admin's catch-all
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),  # /api/v1/: the content API, its OpenAPI document and docs page
    path("accounts/", include("allauth.urls")),  # sign-in, second factor, enrolment (docs/security.md)
    path("", include("articles.urls")),  # every reader page, namespace "reader"
    path("readership/", include("readership.urls")),
    path("newsletter/", include("newsletter.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
