"""The focal point: validated against the picture's size, set on the photo page, re-cuts the crops."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.admin.focal_point import focal_picker_html
from articles.images import CROPS, crop_box
from articles.models import Photo
from tests.factories import ArticleFactory, CaptionFactory, PhotoFactory
from tests.workflow_helpers import desk_user, form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]


def change_url(photo):
    return reverse("admin:articles_photo_change", args=[photo.pk])


@pytest.fixture
def photo_desk(client):
    client.force_login(desk_user("Photo editor"))
    return client


def post_focal(client, photo, x, y):
    data = form_data(client.get(change_url(photo)).content.decode(), "photo_form")
    data.update(focal_x=x, focal_y=y)
    return client.post(change_url(photo), data)


def test_a_focal_point_inside_the_picture_is_valid():
    photo = PhotoFactory.build(width=4000, height=3000, focal_x=3999, focal_y=0)
    photo.clean_fields()


@pytest.mark.parametrize(
    ("x", "y", "field", "message"),
    [
        (99999, 10, "focal_x", "The picture is 4000 pixels wide: enter a value from 0 to 3999."),
        (4000, 10, "focal_x", "The picture is 4000 pixels wide"),
        (10, 3000, "focal_y", "The picture is 3000 pixels high: enter a value from 0 to 2999."),
        (10, None, "focal_y", "Set both coordinates"),
        (None, 10, "focal_x", "Set both coordinates"),
    ],
)
def test_a_focal_point_outside_the_picture_is_refused(x, y, field, message):
    photo = PhotoFactory.build(width=4000, height=3000, focal_x=x, focal_y=y)
    with pytest.raises(ValidationError) as raised:
        photo.clean_fields()
    assert message in raised.value.message_dict[field][0]


def test_a_form_without_the_focal_fields_is_not_stopped_by_a_bad_stored_value():
    photo = PhotoFactory.build(width=800, height=533, focal_x=99999, focal_y=5)
    photo.clean_fields(exclude=["focal_x", "focal_y", "image", "sha256"])  # no error


@pytest.mark.parametrize(
    ("x", "y", "expected"),
    [
        ("99999", "10", "The picture is 800 pixels wide: enter a value from 0 to 799."),
        ("-5", "10", "Ensure this value is greater than or equal to 0."),
        ("left", "10", "Enter a whole number."),
        ("10", "", "Set both coordinates"),
    ],
)
def test_the_photo_page_refuses_a_bad_focal_point_with_a_clear_message(photo_desk, x, y, expected):
    photo = PhotoFactory(width=800, height=533)
    response = post_focal(photo_desk, photo, x, y)
    assert response.status_code == 200
    assert expected in response.content.decode()
    photo.refresh_from_db()
    assert photo.focal_point is None


def test_the_photo_page_shows_the_picker_and_three_crop_previews_cut_like_the_renditions(photo_desk):
    photo = PhotoFactory(width=800, height=533, focal_x=700, focal_y=100)
    html = photo_desk.get(change_url(photo)).content.decode()
    assert 'class="focal-picker"' in html and "desk/focal-point.js" in html
    for name, ratio in CROPS.items():
        box = ",".join(map(str, crop_box((800, 533), ratio, (700, 100))))
        assert f'data-crop="{name}"' in html and f'data-box="{box}"' in html
    assert {"16x9", "4x3", "1x1"} <= set(CROPS)
    assert 'id="id_focal_x"' in html  # the typed fallback stays


def test_picker_without_a_focal_point_previews_centred_crops():
    photo = PhotoFactory(width=800, height=533)
    html = focal_picker_html(photo)
    assert f'data-box="{",".join(map(str, crop_box((800, 533), CROPS["1x1"])))}"' in html
    assert "No focal point: the crops are centred." in html


def test_moving_the_focal_point_recuts_the_crops_and_the_story_page_moves_on(photo_desk, client):
    photo = PhotoFactory(width=800, height=533, focal_x=100, focal_y=100)
    story = ArticleFactory()
    CaptionFactory(article=story, photo=photo)
    old_key = photo.focal_key
    before = client.get(story.get_absolute_url()).content.decode()
    assert old_key in before  # the social card is a 16:9 crop named by the focal point

    response = post_focal(photo_desk, photo, "700", "400")
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.focal_point == (700, 400)
    assert photo.renditions.filter(spec__startswith="16x9", focal_key=photo.focal_key).exists()
    after = client.get(story.get_absolute_url()).content.decode()
    assert photo.focal_key in after and old_key not in after


def test_a_reporter_cannot_change_the_focal_point(client):
    photo = PhotoFactory(width=800, height=533)
    client.force_login(desk_user("Reporter"))
    response = client.post(change_url(photo), {"focal_x": "10", "focal_y": "10"})
    assert response.status_code == 403
    assert Photo.objects.get(pk=photo.pk).focal_point is None
