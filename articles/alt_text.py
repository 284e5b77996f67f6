"""Alt text on a story's lead photo: the desk's warning, and (NEWSROOM_REQUIRE_LEAD_ALT_TEXT) the publish block.

The warning is shown in the story form and as a column and filter of the story list; the block is
enforced in publishing.check_publishable, the one publish path, like the photo-rights refusals.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from .models import Caption
from .rights import describe_photo

# A caption row whose photo has no usable alt text (empty or only spaces).
_NO_ALT = Q(photo__alt_text="") | Q(photo__alt_text__regex=r"^\s*$")


def has_alt_text(photo):
    return bool((photo.alt_text or "").strip())


def stored_lead_photo(article):
    """The saved lead photo of `article`, or None (one query; none for an unsaved story)."""
    if article.pk is None:
        return None
    caption = Caption.objects.filter(article=article, role=Caption.Role.LEAD).select_related("photo").first()
    return caption.photo if caption else None


def missing_alt_warning(photo):
    """The desk's warning for a lead photo without alt text, or "" when it has some (or there is none)."""
    if photo is None or has_alt_text(photo):
        return ""
    return (
        f"The lead photo {describe_photo(photo)} has no alt text: readers who cannot see it get nothing. "
        "Describe the picture in the photo's “Alt text” field."
    )


def lead_alt_problem(article, *, photos=None, lead_photo=None):
    """Why `article` may not go live for want of lead alt text ("" when it may, or the block is off).

    `photos`/`lead_photo`: what the story will carry when it is not saved yet (the admin form's
    captions); with `photos` None the stored lead photo is checked.
    """
    if not settings.NEWSROOM_REQUIRE_LEAD_ALT_TEXT:
        return ""
    lead = lead_photo if photos is not None else stored_lead_photo(article)
    warning = missing_alt_warning(lead)
    return f"{warning} This site does not publish a lead photo without it." if warning else ""


def lead_missing_alt():
    """An annotation for Article querysets: True when the story's lead photo has no alt text."""
    return Exists(Caption.objects.filter(_NO_ALT, article=OuterRef("pk"), role=Caption.Role.LEAD))
