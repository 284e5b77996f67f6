from django import template

from ..images import get_rendition

register = template.Library()


@register.simple_tag
def rendition(photo, spec):
    return get_rendition(photo, spec)


@register.inclusion_tag("articles/includes/picture.html")
def picture(photo, spec="w1200", lead=False):
    return {"photo": photo, "image": get_rendition(photo, spec), "lead": lead}
