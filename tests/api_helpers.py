"""Shared set-up for the content API tests: keys and a story with everything the page shows."""
from datetime import timedelta

from django.utils import timezone

from api.models import ApiKey
from tests.factories import ArticleAuthorFactory, ArticleFactory, CaptionFactory, SourceFactory


def make_key(*scopes, rate_limit="", name="Partner"):
    """A saved key with `scopes` (default: content and ninjs); returns (ApiKey, raw key)."""
    key, raw = ApiKey.generate(name=name, scopes=list(scopes or ["content", "ninjs"]), rate_limit=rate_limit)
    key.save()
    return key, raw


def full_story(**overrides):
    """A published Yonhap story with two authors, tags, a lead photo (with renditions) and a correction."""
    from articles import images
    from articles.models import ArticleNote

    story = ArticleFactory(source=SourceFactory(), dateline="SEOUL", tags=["harbour", "council"], **overrides)
    for position in range(2):
        ArticleAuthorFactory(article=story, position=position)
    caption = CaptionFactory(article=story, caption="Cranes at the harbour.", credit="AFP-Yonhap")
    images.ensure_renditions(caption.photo, ["w320", "w640.webp"])
    ArticleNote.objects.create(article=story, text="An earlier version misspelt the mayor's name.")
    return story


def leak_stories():
    """One story in each state readers must never see, keyed by the state's name."""
    now = timezone.now()
    return {
        "draft": ArticleFactory(draft=True, headline="Leak draft story"),
        "ready": ArticleFactory(status="ready", published_at=None, headline="Leak ready story"),
        "scheduled": ArticleFactory(scheduled=True, headline="Leak scheduled story"),
        "embargoed": ArticleFactory(
            published_at=now - timedelta(minutes=5),
            embargo_until=now + timedelta(hours=2),
            headline="Leak embargoed story",
        ),
        "killed": ArticleFactory(killed=True, first_published_at=now - timedelta(days=1), headline="Leak killed story"),
    }
