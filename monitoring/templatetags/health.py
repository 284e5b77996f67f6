"""The health page's times: the dictionary carries ISO stamps (for the JSON); people read local time."""

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.dateparse import parse_datetime

register = template.Library()


@register.filter
def moment(value):
    """An ISO stamp of the health dictionary in the newsroom's zone, as the page's own time ("—" if none)."""
    parsed = parse_datetime(value) if value else None
    return date_format(timezone.localtime(parsed), "Y-m-d H:i:s T") if parsed else "—"
