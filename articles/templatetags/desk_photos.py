from django import template
from django.utils import timezone

from ..admin.photo_grid import grid_card

register = template.Library()


@register.inclusion_tag("admin/articles/photo/grid.html", takes_context=True)
def photo_grid(context, photos):
    """The media library's cards for the Photo list's page of results (thumbnails prefetched)."""
    now = timezone.now()
    user = context["request"].user
    return {"cards": [grid_card(photo, user, now) for photo in photos], "choosing": False}
