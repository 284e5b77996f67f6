"""The photo page's focal point picker: click the picture, see the 16:9, 4:3 and 1:1 crops move.

The previews are drawn from images.crop_box(), the rule the renditions are cut with; the browser
redraws them with static/desk/focal-point.js, which mirrors it (tests/test_focal_point_browser.py
checks that both give the same boxes). The typed focal_x / focal_y fields stay the keyboard way in;
Photo.check_focal_point() validates whatever arrives.
"""

import json

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from ..images import CROPS, crop_box, get_rendition

# A whole-picture rendition large enough to click on precisely, small enough to load at once.
PICKER_SPEC = "w960"


def crop_label(name):
    return name.replace("x", ":")


def preview_style(size, box):
    """CSS that shows `box` of a picture of `size` in a frame of the box's proportions."""
    width, height = size
    left, top, right, bottom = box
    box_w, box_h = right - left, bottom - top
    return (
        f"width:{width / box_w * 100:.4f}%;left:{-left / box_w * 100:.4f}%;top:{-top / box_h * 100:.4f}%"
    )


def focal_picker_html(photo):
    if not photo or not photo.pk or not photo.image or not photo.width or not photo.height:
        return "—"
    picture = get_rendition(photo, PICKER_SPEC)
    size = (photo.width, photo.height)
    focal = photo.focal_point
    previews = []
    for name, ratio in CROPS.items():
        box = crop_box(size, ratio, focal)
        previews.append((name, ratio[0], ratio[1], ",".join(map(str, box)), picture.url, preview_style(size, box),
                         crop_label(name)))
    marker = "" if focal is None else f"left:{focal[0] / size[0] * 100:.4f}%;top:{focal[1] / size[1] * 100:.4f}%"
    return format_html(
        '<div class="focal-picker" data-width="{}" data-height="{}" data-crops="{}">'
        '<p class="focal-picker__help" id="focal-picker-help">'
        "Click the picture where the crops should centre (a face, the action). The focal point fields "
        "below take typed pixels too. The previews show each crop as it will be cut; save to re-cut the "
        "renditions.</p>"
        '<div class="focal-picker__frame">'
        '<img class="focal-picker__image" src="{}" width="{}" height="{}" '
        'alt="The photo: click to set the focal point" aria-describedby="focal-picker-help">'
        '<span class="focal-picker__marker" aria-hidden="true"{}{}></span></div>'
        '<p class="focal-picker__status" role="status" aria-live="polite">{}</p>'
        '<div class="focal-picker__previews">{}</div></div>',
        photo.width,
        photo.height,
        json.dumps(CROPS),
        picture.url,
        picture.width,
        picture.height,
        format_html(' style="{}"', marker) if marker else "",
        "" if focal else mark_safe(" hidden"),
        f"Focal point: {focal[0]} × {focal[1]} pixels." if focal else "No focal point: the crops are centred.",
        format_html_join(
            "",
            '<figure class="focal-preview" data-crop="{}"><div class="focal-preview__frame" '
            'style="aspect-ratio:{} / {}" data-box="{}"><img src="{}" alt="" style="{}"></div>'
            "<figcaption>{}</figcaption></figure>",
            previews,
        ),
    )
