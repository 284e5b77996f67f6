"""Accessible names for form widgets Django renders without a label of their own."""

from django import forms


def label_split_datetimes(form):
    """Name the date box and the time box of each split date-time field (axe-core: "label").

    Django's admin labels only the pair, pointing at the date box's id with nothing on either box.
    """
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.SplitDateTimeWidget):
            date, time = widget.widgets
            date.attrs["aria-label"] = f"{field.label}: date"
            time.attrs["aria-label"] = f"{field.label}: time"
