import pytest
from django.core.management import call_command

from articles.models import Article, Caption, Photo, Source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]


def counts():
    return (Article.objects.count(), Photo.objects.count(), Caption.objects.count(), Source.objects.count())


def test_seed_demo_creates_the_demo_newsroom_and_running_it_again_changes_nothing(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "editor" in out and "reporter" in out and "password" in out
    assert Article.objects.published().count() >= 30
    assert set(Source.objects.values_list("name", flat=True)) >= {"Yonhap", "AFP", "AP", "Reuters"}
    featured = Article.objects.get(source__name="Yonhap", captions__credit="AFP-Yonhap", tags__name="NATO")
    photo = featured.lead_caption.photo
    assert photo.credit == "AFP-Yonhap" and photo.caption  # read from the file's XMP by the upload pipeline
    assert set(photo.credit_sources.values_list("name", flat=True)) == {"AFP", "Yonhap"}
    assert photo.usage_terms == "Editorial use only. No sales."  # the agency's terms, read from the file

    before = counts()
    call_command("seed_demo")
    assert counts() == before


def test_the_demo_front_page_is_curated_with_a_pinned_lead(client):
    from articles.demo import DESK_PICK
    from tests.front_helpers import lead_headline

    call_command("seed_demo")
    newest = Article.objects.published().newest_first().first()
    assert newest.headline != DESK_PICK
    assert lead_headline(client.get("/").content.decode()) == DESK_PICK


def test_the_demo_reference_photo_shows_its_usage_terms_to_the_photo_desk(client):
    from django.urls import reverse

    from tests.workflow_helpers import desk_user

    call_command("seed_demo")
    featured = Article.objects.get(source__name="Yonhap", captions__credit="AFP-Yonhap", tags__name="NATO")
    photo = featured.lead_caption.photo
    client.force_login(desk_user("Photo editor", username="demo-photo-desk"))
    page = client.get(reverse("admin:articles_photo_change", args=[photo.pk])).content.decode()
    assert "Editorial use only. No sales." in page and "Editorial use only</span>" in page


def test_the_demo_ai_generated_wire_image_is_labelled_on_its_page(client):
    call_command("seed_demo")
    story = Article.objects.get(headline="Schools adopt four-day week in rural pilot")
    page = client.get(story.get_absolute_url()).content.decode()
    assert '<span class="figure__provenance">' in page and "AI-generated image" in page
