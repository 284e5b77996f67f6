"""A benchmark corpus of N published stories, built through bulk paths (used by bench/pages.py).

    DATABASE_URL=postgres://.../newsroom_speed_bench_10000 .venv/bin/python bench/corpus.py build --stories 10000
    DATABASE_URL=... .venv/bin/python bench/corpus.py refresh    # renditions of specs added since the build
    DATABASE_URL=... .venv/bin/python bench/corpus.py paths      # JSON: a story, a section, a tag path
    DATABASE_URL=... .venv/bin/python bench/corpus.py admin-list # JSON: admin story list timings

Shape (as in issue #12): 8 sections, ~600-word bodies (some with Korean sentences), 3-6 tags of
300, 20 authors, 3 sources, a lead photo on every story drawn from 200 photos. One real photo
goes through the rendition pipeline; the other 199 share its rendition files under their own rows,
so pages, feeds and srcsets cost what real ones do without 199 more encodes. The database must
already be migrated (bench/pages.py does it).
"""

import argparse
import json
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from _setup import setup_django  # noqa: E402  (bench/ is on sys.path when run as a script)

setup_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.files import File  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from taggit.models import Tag, TaggedItem  # noqa: E402

from articles.images import ensure_renditions  # noqa: E402
from articles.models import Article, ArticleAuthor, Author, Caption, Photo, Rendition, Section, Source  # noqa: E402
from articles.photos import import_photo  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PHOTO = ROOT / "tests" / "fixtures" / "photos" / "afp_yonhap_pyongyang_portraits.jpg"
SECTIONS = ["Nation", "Politics", "North Korea", "Economy", "World", "Culture", "Sports", "Science"]
COMMON = (
    "harbour council budget rail minister election ferry market court river school hospital energy "
    "bridge festival typhoon export vaccine museum summit parliament coast village factory tariff "
    "satellite museum orchestra league drought subway housing pension climate treaty border"
).split()
# A few thousand made-up words besides the common ones, so a two-word query matches a realistic
# share of the archive rather than all of it.
SYLLABLES = ["ka", "ro", "mi", "tan", "sel", "vo", "pu", "der", "lin", "ga", "shi", "om", "ber", "tu", "nak"]
RARE = [a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES[:14]]
WORDS = COMMON * 20 + RARE
KOREAN = [
    "평양에서 회담이 열렸다.",
    "서울시는 예산안을 발표했다.",
    "부산항 물동량이 늘었다.",
    "정부는 대책을 내놓았다.",
]
BATCH = 2000


def paragraph(rng, words=60):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    if rng.random() < 0.2:
        text += " " + rng.choice(KOREAN)
    return f"<p>{text.capitalize()}.</p>"


def make_photos(count=200):
    with PHOTO.open("rb") as handle:
        real, _ = import_photo(File(handle, name=PHOTO.name))
    renditions = list(real.renditions.all())
    photos = [real]
    clones = [
        Photo(image=real.image.name, sha256=f"{n:064x}", caption=f"Bench photo {n}", credit=real.credit,
              width=real.width, height=real.height, file_width=real.file_width, file_height=real.file_height,
              alt_text=f"Bench photo {n}")
        for n in range(1, count)
    ]
    photos += Photo.objects.bulk_create(clones)
    Rendition.objects.bulk_create(
        Rendition(photo=photo, spec=r.spec, focal_key=r.focal_key, file=r.file.name, width=r.width, height=r.height)
        for photo in photos[1:]
        for r in renditions
    )
    return photos


def build(stories, seed=12):
    rng = random.Random(seed)
    if Article.objects.exists():
        sys.exit("the corpus database already holds stories")
    sections = Section.objects.bulk_create(Section(name=n, slug=n.lower().replace(" ", "-"), position=i)
                                           for i, n in enumerate(SECTIONS))
    sources = Source.objects.bulk_create(Source(name=n, slug=n.lower(), attribution=n) for n in ("Yonhap", "AFP", "AP"))
    authors = Author.objects.bulk_create(Author(name=f"Reporter {n}", slug=f"reporter-{n}") for n in range(20))
    tags = Tag.objects.bulk_create(Tag(name=f"topic {n}", slug=f"topic-{n}") for n in range(300))
    photos = make_photos()
    article_type = ContentType.objects.get_for_model(Article)
    now = timezone.now()
    made = 0
    while made < stories:
        count = min(BATCH, stories - made)
        with transaction.atomic():
            batch = Article.objects.bulk_create(
                Article(
                    headline=f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} story number {made + i}",
                    slug=f"story-{made + i}",
                    dek=" ".join(rng.choice(WORDS) for _ in range(20)).capitalize() + ".",
                    body="".join(paragraph(rng) for _ in range(10)),
                    section=rng.choice(sections),
                    source=rng.choice(sources),
                    status=Article.Status.PUBLISHED,
                    # Ten stories an hour, newest last: ids grow with time as in a real archive.
                    published_at=now - timedelta(minutes=6 * (stories - made - i)),
                    first_published_at=now - timedelta(minutes=6 * (stories - made - i)),
                )
                for i in range(count)
            )
            TaggedItem.objects.bulk_create(
                TaggedItem(content_type=article_type, object_id=article.pk, tag=tag)
                for article in batch
                for tag in rng.sample(tags, rng.randint(3, 6))
            )
            ArticleAuthor.objects.bulk_create(ArticleAuthor(article=a, author=rng.choice(authors)) for a in batch)
            Caption.objects.bulk_create(
                Caption(article=a, photo=photos[(made + i) % len(photos)], caption="A bench caption.",
                        credit="AFP-Yonhap", role=Caption.Role.LEAD)
                for i, a in enumerate(batch)
            )
        made += count
        print(f"  {made}/{stories} stories", file=sys.stderr, flush=True)
    get_user_model().objects.create_superuser("bench", "bench@example.com", "bench-password-not-secret")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def refresh():
    """Bring a corpus built earlier up to today's standard renditions (specs added since), cheaply:
    the real photo gets what it lacks, the other 199 rows share its files as in build()."""
    real = Photo.objects.order_by("pk").first()
    ensure_renditions(real)
    have = set(Rendition.objects.values_list("photo_id", "spec", "focal_key"))
    missing = [
        Rendition(photo=photo, spec=r.spec, focal_key=r.focal_key, file=r.file.name, width=r.width, height=r.height)
        for photo in Photo.objects.exclude(pk=real.pk)
        for r in real.renditions.all()
        if (photo.pk, r.spec, r.focal_key) not in have
    ]
    Rendition.objects.bulk_create(missing)
    return len(missing)


def paths():
    story = Article.objects.published().newest_first()[50]
    tag = Tag.objects.get(slug="topic-7")
    section = Section.objects.get(slug="economy")
    return {"story": story.get_absolute_url(), "section": section.get_absolute_url(), "tag": f"/tag/{tag.slug}/",
            "stories": Article.objects.count()}


def admin_list(repeat=15):
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    timings = []
    for n in range(repeat + 2):
        started = time.perf_counter()
        response = client.get("/admin/articles/article/", {"p": n % 3} if n % 3 else {})
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        if n >= 2:  # the first two warm caches and connections
            timings.append(elapsed)
    timings.sort()
    return {"median_ms": statistics.median(timings), "p95_ms": timings[int(0.95 * (len(timings) - 1))]}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["build", "refresh", "paths", "admin-list"])
    parser.add_argument("--stories", type=int, default=10_000)
    args = parser.parse_args()
    if args.command == "build":
        build(args.stories)
    elif args.command == "refresh":
        print(f"  {refresh()} renditions added to the corpus", file=sys.stderr)
    else:
        print(json.dumps(paths() if args.command == "paths" else admin_list()))
