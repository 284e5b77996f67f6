"""Template tags of the desk: the header's unread count, comments as HTML, the dashboard."""

from django import template

from .. import comments
from ..dashboard import dashboard_for
from ..notifications import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_unread_count(context):
    """Unread notifications of the signed-in user (one COUNT on an indexed, partial index)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user)


@register.inclusion_tag("admin/desk/comment_list.html")
def story_comment_thread(article):
    return {"comments": comments.thread(article)}


@register.filter
def comment_html(text):
    return comments.render_text(text)


@register.simple_tag(takes_context=True)
def desk_dashboard(context):
    """The signed-in user's desk (desk/dashboard.py)."""
    return dashboard_for(context["request"].user)
