"""Character counters under the headline, SEO title, SEO description and standfirst.

The limits and their sources are in articles/writing_aids.py.

The server renders each counter with the stored text, so it reads right without JavaScript;
static/desk/writing-aids.js updates it as the editor types. The input points at its counter with
aria-describedby (read when it is focused); a polite live region speaks only when the text goes
over the limit or back under it, not at every keystroke.
"""

from django import forms
from django.utils.html import format_html

from ..writing_aids import LIMITS, count_text, is_over


class CountedMixin:
    limit_name = ""

    class Media:
        css = {"all": ["desk/writing-aids.css"]}
        js = ["desk/writing-aids.js"]

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        field_id = (attrs or {}).get("id") or self.attrs.get("id")
        if not field_id:
            return html
        limit = LIMITS[self.limit_name]
        text = value if isinstance(value, str) else ("" if value is None else str(value))
        return format_html(
            '{}<p class="writing-aid{}" id="{}_count" data-for="{}" data-limit="{}">'
            '<span class="writing-aid__count">{}</span> · <span class="writing-aid__hint">{}</span></p>'
            '<span class="writing-aid__announce visually-hidden" aria-live="polite"></span>',
            html,
            " is-over" if is_over(self.limit_name, text) else "",
            field_id,
            field_id,
            limit.chars,
            count_text(self.limit_name, text),
            limit.hint,
        )


class CountedTextInput(CountedMixin, forms.TextInput):
    pass


class CountedTextarea(CountedMixin, forms.Textarea):
    pass


def attach(form):
    """Give the form's headline, SEO title, SEO description and standfirst their counters."""
    for name in LIMITS:
        field = form.fields.get(name)
        if field is None:
            continue
        counted = CountedTextarea if isinstance(field.widget, forms.Textarea) else CountedTextInput
        widget = counted(attrs=field.widget.attrs)
        widget.limit_name = name
        widget.is_required = field.widget.is_required
        field.widget = widget
        auto_id = form.auto_id % form.add_prefix(name) if form.auto_id else ""
        if auto_id:
            described = [f"{auto_id}_count"]
            if field.help_text:
                described.append(f"{auto_id}_helptext")
            widget.attrs["aria-describedby"] = " ".join(described)
