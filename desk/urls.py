from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("admin/desk/notifications/", views.notifications_page, name="notifications"),
    path("admin/desk/notifications/read/", views.notifications_mark_read, name="notifications-read"),
    path("admin/desk/notifications/<int:notification_id>/", views.notification_open, name="notification-open"),
    path("admin/desk/stories/<int:article_id>/comments/", views.story_comments, name="story-comments"),
    path("admin/desk/mentions/", views.mentions, name="mentions"),
]
