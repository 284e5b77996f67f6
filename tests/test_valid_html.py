"""Every public page type passes the Nu HTML checker with 0 errors; feeds are well-formed XML.

The pages are rendered with realistic content (photos, bylines, notes, Korean text, pagination),
written to files and checked in one run of the checker (one JVM start), with every stylesheet and SVG
under static/. A failure names the page, its URL, the line and column in the rendered HTML and the
checker's extract, so markup added by a new feature is found at once: give a new kind of markup an
instance in public_site(). Run just this file with `.venv/bin/python -m pytest tests/test_valid_html.py`.
"""

from datetime import timedelta
from pathlib import Path

import defusedxml.ElementTree as ET
import pytest
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error

from articles.models import ArticleNote
from articles.preview import share_url
from articles.publishing import append_note
from frontpage.layouts import SlotChoice
from newsletter.mails import CONFIRM_SALT, UNSUBSCRIBE_SALT, make_token
from newsletter.models import Subscriber
from tests.factories import (
    ArticleAuthorFactory,
    ArticleFactory,
    AuthorFactory,
    CaptionFactory,
    PhotoFactory,
    SectionFactory,
    SourceFactory,
)
from tests.front_helpers import publish_front
from tests.nu_checker import check_files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

AI_GENERATED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"  # labelled under the figure
STATIC = Path(__file__).resolve().parent.parent / "static"

BODY = (
    "<p>The harbour authority said on Tuesday that the new container terminal would open in "
    "stages, with the first berth <a href=\"https://example.com/plan\">ready by spring</a>.</p>"
    "<h2>What changes for the port</h2>"
    "<ul><li>Two deep-water berths</li><li>A rail spur to the freight line</li></ul>"
    "<blockquote><p>\u201cThis is the largest investment in the port for a generation,\u201d "
    "the chair said.</p></blockquote>"
    "<h3>Costs</h3><p>The project is budgeted at <strong>1.2 trillion won</strong>.</p>"
    "<ol start=\"2\"><li>Dredging</li><li>Cranes</li></ol><hr><p>Reporting by the city desk.</p>"
    # An embed as articles/embeds.py stores it (the click-to-load placeholder readers get).
    '<figure class="embed" data-embed="youtube" data-embed-frame="https://www.youtube-nocookie.com/embed/abc" '
    'data-embed-title="The new berth from the air" data-embed-thumbnail="https://i.ytimg.com/vi/abc/hqdefault.jpg">'
    '<a href="https://www.youtube.com/watch?v=abc">The new berth from the air</a><figcaption>YouTube</figcaption>'
    "</figure>"
)
KOREAN_BODY = (
    "<p>부산항만공사는 화요일 새 컨테이너 부두를 단계적으로 연다고 밝혔다.</p>"
    "<h2>달라지는 점</h2><p>첫 번째 선석은 내년 봄에 문을 연다.</p>"
)


def public_site():
    """A small desk's worth of content; returns the objects the pages are about."""
    nation = SectionFactory(name="Nation", description="Politics and society at home.")
    world = SectionFactory(name="World")
    yonhap = SourceFactory(name="Yonhap", website="https://en.yna.co.kr/")
    kim = AuthorFactory(name="Kim Min-ji", slug="kim-min-ji", bio="Diplomatic correspondent.")
    lee = AuthorFactory(name="Lee Joon-ho", slug="lee-joon-ho")
    now = timezone.now()

    story = ArticleFactory(
        headline="Port opens new container terminal in stages",
        section=nation, source=yonhap, dateline="BUSAN", body=BODY,
        tags=["Busan", "Shipping", "Infrastructure"],
        published_at=now - timedelta(minutes=30),
    )
    ArticleAuthorFactory(article=story, author=kim, position=0)
    ArticleAuthorFactory(article=story, author=lee, position=1)
    CaptionFactory(article=story, role="lead", caption="Cranes line the new berth on Tuesday.")
    CaptionFactory(
        article=story, role="inline", position=1,
        photo=PhotoFactory(digital_source_type=AI_GENERATED, caption="An illustration of the finished terminal.",
                           credit="Port authority"),
    )
    body_photo = CaptionFactory(article=story, role="inline", position=2, caption="The rail spur under construction.")
    story.body = BODY.replace("<hr>", f'<figure data-photo="{body_photo.photo.pk}"></figure><hr>')
    story.save()  # a photo inside the body, drawn in place (articles/body.py)
    append_note(story, kind=ArticleNote.Kind.CORRECTION, text="An earlier version gave the wrong budget.")
    append_note(story, kind=ArticleNote.Kind.UPDATE, text="Adds the rail spur.\nAdds the cost figure.")

    korean = ArticleFactory(
        headline="부산항 새 컨테이너 부두, 단계적으로 개장", dek="첫 선석은 내년 봄에 문을 연다.",
        section=world, body=KOREAN_BODY, tags=["부산", "Shipping"], published_at=now - timedelta(hours=2),
    )
    CaptionFactory(article=korean, role="lead", caption="부산항의 크레인.")
    # Enough stories in one section for a second page (20 per page), some with photos.
    for i in range(22):
        older = ArticleFactory(section=nation, tags=["Shipping"], published_at=now - timedelta(hours=3 + i))
        if i % 5 == 0:
            CaptionFactory(article=older)
    publish_front(SlotChoice(korean, position=1), SlotChoice(story, position=2))  # a curated front page
    draft = ArticleFactory(draft=True, headline="Budget talks resume", section=nation, tags=["Budget"])
    return {"story": story, "korean": korean, "section": nation, "author": kim, "source": yonhap, "draft": draft}


def newsletter_pages():
    """(name, method, path) for the sign-up flow's pages, with genuine signed links."""
    pending = Subscriber.objects.create(email="new@example.com")
    confirmed = Subscriber.objects.create(email="reader@example.com", status=Subscriber.Status.CONFIRMED)
    confirm = reverse("newsletter:confirm", args=[make_token(pending, CONFIRM_SALT)])
    unsubscribe = reverse("newsletter:unsubscribe", args=[make_token(confirmed, UNSUBSCRIBE_SALT)])
    return [
        ("newsletter sign-up", "get", reverse("newsletter:signup"), 200),
        ("newsletter sign-up with an error", "post", reverse("newsletter:signup"), 400),
        ("newsletter check your email", "get", reverse("newsletter:check-email"), 200),
        ("newsletter confirm", "get", confirm, 200),
        ("newsletter confirmed", "post", confirm, 200),
        ("newsletter unsubscribe", "get", unsubscribe, 200),
        ("newsletter unsubscribed", "post", unsubscribe, 200),
        ("newsletter broken link", "get", reverse("newsletter:confirm", args=["not-a-token"]), 404),
    ]


def public_pages(site):
    """(name, method, path, expected status) for every public page type."""
    story, section = site["story"], site["section"]
    return [
        ("home", "get", "/", 200),
        ("story with photos, tags and notes", "get", story.get_absolute_url(), 200),
        ("story in Korean", "get", site["korean"].get_absolute_url(), 200),
        ("section", "get", section.get_absolute_url(), 200),
        ("section page 2", "get", section.get_absolute_url() + "?page=2", 200),
        ("tag", "get", reverse("reader:tag", args=["shipping"]), 200),
        ("author", "get", site["author"].get_absolute_url(), 200),
        ("source", "get", site["source"].get_absolute_url(), 200),
        ("search results", "get", reverse("reader:search") + "?q=container+terminal", 200),
        ("search results page 2", "get", reverse("reader:search") + "?q=harbour&page=2", 200),
        ("search with filters", "get", reverse("reader:search") + "?q=port&section=nation&date_from=2020-01-01", 200),
        ("search without results", "get", reverse("reader:search") + "?q=zeppelin", 200),
        ("empty search", "get", reverse("reader:search"), 200),
        ("tag in Korean", "get", reverse("reader:tag", args=["부산"]), 200),
        ("404", "get", "/no/such/page/", 404),
        ("desk sign-in", "get", reverse("account_login"), 200),
        ("shared preview of a draft", "get", share_url(site["draft"]), 200),
        ("broken share link", "get", reverse("reader:share", args=["not-a-token"]), 404),
        *newsletter_pages(),
    ]


def rate_limited_pages(settings):
    """The pages a reader sees when over a rate limit (limits set to zero so the first request is over)."""
    settings.NEWSROOM_SEARCH_RATE = "0/m"
    settings.NEWSLETTER_SIGNUPS_PER_HOUR = 0
    return [
        ("search rate limited", "get", reverse("reader:search") + "?q=port", 429),
        ("newsletter rate limited", "post", reverse("newsletter:signup"), 429),
    ]


# A page the checker must reject (a stray end tag, an image without alt): proves that a run
# reporting nothing really looked at the files.
CANARY = '<!doctype html><html lang="en"><head><title>x</title></head><body><p>x</p></p><img src="a.png"></body></html>'
SIGNUP_DATA = {"newsletter sign-up with an error": {"email": "not an address"},
               "newsletter rate limited": {"email": "reader@example.com"}}


def render_pages(client, pages, folder, labels):
    """Request each page, check its status and write it to `folder`, remembering which page a file is."""
    for name, method, path, status in pages:
        response = getattr(client, method)(path, SIGNUP_DATA.get(name, {}))
        assert response.status_code == status, f"{name} ({path}) answered {response.status_code}"
        file = folder / f"{len(labels):02d}-{name.replace(' ', '-').replace(',', '')}.html"
        file.write_bytes(response.content)
        labels[file.name] = f"{name} ({path})"


def test_public_pages_have_no_html_errors(client, rf, settings, tmp_path):
    site = public_site()
    folder = tmp_path / "pages"
    folder.mkdir()
    labels = {}
    render_pages(client, public_pages(site), folder, labels)
    render_pages(client, rate_limited_pages(settings), folder, labels)
    (folder / "500.html").write_bytes(server_error(rf.get("/")).content)
    labels["500.html"] = "500 page (templates/500.html)"
    for asset in sorted([*STATIC.rglob("*.css"), *STATIC.rglob("*.svg")]):  # checked as CSS and SVG
        name = "__".join(asset.relative_to(STATIC).parts)
        (folder / name).write_bytes(asset.read_bytes())
        labels[name] = f"static/{asset.relative_to(STATIC)}"
    (folder / "canary.html").write_text(CANARY)

    findings = check_files(sorted(folder.iterdir()))

    assert any(f.file == "canary.html" and f.kind == "error" for f in findings), "the checker reported nothing"
    errors = [f for f in findings if f.kind in {"error", "non-document-error"} and f.file != "canary.html"]
    report = "\n".join(f.describe(labels.get(f.file, f.file)) for f in errors)
    if errors:
        pytest.fail(
            f"The Nu HTML checker found {len(errors)} error(s) in the public pages (line and column are in the "
            f"rendered HTML; pages kept in {folder}):\n{report}",
            pytrace=False,
        )


FEEDS = [
    ("reader:feed-latest-rss", []), ("reader:feed-latest-atom", []),
    ("reader:feed-section-rss", ["nation"]), ("reader:feed-tag-atom", ["shipping"]),
    ("reader:feed-author-rss", ["kim-min-ji"]), ("reader:feed-source-atom", ["yonhap"]),
]


@pytest.mark.parametrize(("name", "args"), FEEDS)
def test_feeds_are_well_formed_xml(client, name, args):
    public_site()
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # raises on anything that is not well-formed XML
    assert root.tag in {"rss", "{http://www.w3.org/2005/Atom}feed"}
    assert "부산항" in response.content.decode() or name.endswith(("section-rss", "author-rss", "source-atom"))
