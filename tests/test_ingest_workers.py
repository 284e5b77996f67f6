"""Ingest with several worker threads: same results, in batch order, versions kept in order."""
import pytest
from django.core.management import call_command

from articles.models import Article, Source
from wire.ingest import IngestOptions, ingest_paths

from .ingest_helpers import SUMMIT_V1, SUMMIT_V2, ninjs, write_json

# Worker threads use their own connections, which cannot see a test's open transaction.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("no_avif")]


def test_two_workers_ingest_a_batch_like_one(tmp_path):
    for n in range(12):
        write_json(tmp_path, f"{n:02d}-v1.json", ninjs(guid=f"urn:test:{n}", headline=f"Story {n}"))
        write_json(tmp_path, f"{n:02d}-v2.json", ninjs(guid=f"urn:test:{n}", version="2", headline=f"Story {n} (2)"))
    (tmp_path / "99-broken.json").write_text("{")

    results = ingest_paths([str(tmp_path)], options=IngestOptions(workers=2))

    assert [r.file.rsplit("/", 1)[-1] for r in results] == sorted(p.name for p in tmp_path.iterdir())
    assert [r.status for r in results] == ["imported", "updated"] * 12 + ["failed"]
    assert Article.objects.count() == 12
    assert set(Article.objects.values_list("headline", flat=True)) == {f"Story {n} (2)" for n in range(12)}
    assert Source.objects.filter(name="Test Wire").count() == 1


def test_command_uses_worker_threads_by_default_and_keeps_versions_in_order(settings):
    settings.NEWSROOM_INGEST_WORKERS = 3

    call_command("ingest", "--root", str(SUMMIT_V1.parent.parent), str(SUMMIT_V1), str(SUMMIT_V2))

    article = Article.objects.get()
    assert (article.headline, article.wire_version) == ("Putin, Kim hold summit in Pyongyang", "2")
