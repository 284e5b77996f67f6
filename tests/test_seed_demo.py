import pytest
from django.core.management import call_command

from articles.models import Article, Caption, Photo, Source

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_demo_newsroom(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "editor" in out and "reporter" in out and "password" in out
    assert Article.objects.published().count() >= 30
    assert set(Source.objects.values_list("name", flat=True)) >= {"Yonhap", "AFP", "AP", "Reuters"}
    featured = Article.objects.get(source__name="Yonhap", captions__credit="AFP-Yonhap", tags__name="NATO")
    assert featured.lead_caption.photo.credit_sources.filter(name="AFP").exists()


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    counts = (Article.objects.count(), Photo.objects.count(), Caption.objects.count(), Source.objects.count())
    call_command("seed_demo")
    assert (Article.objects.count(), Photo.objects.count(), Caption.objects.count(), Source.objects.count()) == counts
