"""Unique slugs for any model with a slug field."""

from django.utils.text import slugify


def unique_slug(model, value, *, instance=None, field="slug", max_length=200):
    """A slug for `value` that no other row of `model` uses yet."""
    base = slugify(value)[:max_length].strip("-") or "item"
    candidate, n = base, 2
    others = model._default_manager.all()
    if instance is not None and instance.pk:
        others = others.exclude(pk=instance.pk)
    # One query for every slug the candidates could collide with (the base, and its truncations
    # that make room for a suffix), however many duplicates exist already.
    stem = base[: max(1, max_length - 6)]
    taken = set(others.filter(**{f"{field}__startswith": stem}).values_list(field, flat=True))
    while candidate in taken:
        suffix = f"-{n}"
        candidate, n = base[: max_length - len(suffix)] + suffix, n + 1
    return candidate
