from django import template

from ..body import render_body
from ..pictures import picture

register = template.Library()

register.simple_tag(picture)


@register.simple_tag
def story_body(article):
    """The story's body with its photo figures drawn in place (articles/body.py)."""
    return render_body(article)
