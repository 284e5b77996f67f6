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
