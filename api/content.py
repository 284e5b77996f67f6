"""What the API shows and to whom: the visible stories for a caller, and each story as plain data.

Everyone gets Article.objects.published(); a key with embargo access also gets the stories the desk
has already cleared for a later time (scheduled, or waiting for an embargo), clearly marked.
The presenters read rows prefetched by ArticleQuerySet.with_related() only, so a page of stories
costs the same number of queries whatever its size.
"""
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles import images
from articles.body import feed_body
from articles.front_page import front_page_ids
from articles.models import Article, ArticleAuthor, Photo
from frontpage.models import slot_label
from newsroom.links import absolute_url


def visible_stories(key, now=None):
    """Every story `key` may read at `now`: published() for all; plus scheduled and embargoed ones for embargo keys."""
    now = now or timezone.now()
    stories = Article.objects.published(now)
    if key.has_embargo_access:
        stories = (
            stories
            | Article.objects.scheduled(now)
            | Article.objects.filter(status=Article.Status.PUBLISHED, embargo_until__gt=now)
        )
    return stories


def with_summary_related(stories):
    """What a story in a list carries (section, source, byline, lead photo): no tags or notes to prefetch."""
    byline = Prefetch("authorships", queryset=ArticleAuthor.objects.select_related("author"))
    return stories.with_card_related().select_related("source").prefetch_related(byline)


def visible_photos(key, now=None):
    """Photos a reader may see (rights: usable now) that appear with a story `key` may read."""
    now = now or timezone.now()
    return Photo.objects.usable(now).filter(captions__article__in=visible_stories(key, now)).distinct()


def visible_tags(key, now=None):
    return Tag.objects.filter(article__in=visible_stories(key, now)).distinct()


# --- presenters ------------------------------------------------------------------------------


def section_data(section):
    return {
        "id": section.pk,
        "name": section.name,
        "slug": section.slug,
        "description": section.description,
        "url": absolute_url(section.get_absolute_url()),
    }


def source_data(source):
    return {
        "id": source.pk,
        "name": source.name,
        "slug": source.slug,
        "kind": source.kind,
        "attribution": source.attribution_line,
        "url": absolute_url(source.get_absolute_url()),
    }


def author_data(author):
    return {
        "id": author.pk,
        "name": author.name,
        "slug": author.slug,
        "role": author.role,
        "url": absolute_url(author.get_absolute_url()),
    }


def tag_data(tag):
    return {"name": tag.name, "slug": tag.slug, "url": absolute_url(reverse("reader:tag", args=[tag.slug]))}


def rendition_data(rendition):
    spec = images.SPECS.get(rendition.spec) or images.Spec(rendition.width)
    return {
        "url": absolute_url(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "format": spec.format,
        "content_type": images.MIME_TYPES[spec.format],
        "crop": spec.crop,
    }


def provenance_label(photo):
    """What readers see under the figure for this photo (an AI-made image), or ""."""
    source = photo.digital_source
    return source.reader_label if source and source.is_labelled else ""


def photo_data(photo, *, caption=None):
    """A photo as published with a story (`caption` holds the story's own caption and credit) or on its own."""
    renditions = sorted(photo.renditions.all(), key=lambda r: (r.spec == "thumb", r.spec.split("-")[0], r.width))
    return {
        "id": photo.pk,
        "role": caption.role if caption else "",
        "caption": caption.caption if caption else photo.caption,
        "credit": caption.credit if caption else photo.credit,
        "photographer": photo.photographer,
        "copyright": photo.copyright,
        "alt_text": photo.display_alt,
        "usage_terms": photo.usage_terms,
        "expires_at": photo.expires_at,
        "digital_source_type": photo.digital_source_type,
        "provenance_label": provenance_label(photo),
        "width": photo.width,
        "height": photo.height,
        "renditions": [rendition_data(r) for r in renditions],
    }


def byline(article, authors):
    """The byline as the story page prints it."""
    names = [a.name for a in authors]
    if names:
        return "By " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
    return article.source.name if article.source else ""


def embargo_data(article, now):
    return {
        "under_embargo": article.is_embargoed_at(now),
        "embargoed_until": article.embargo_until,
        "release_at": max(filter(None, [article.published_at, article.embargo_until]), default=None),
        "is_released": article.is_published(now),
    }


def story_summary(article, now=None):
    now = now or timezone.now()
    lead = article.lead_caption
    return {
        "id": article.pk,
        "headline": article.headline,
        "standfirst": article.dek,
        "url": absolute_url(article.get_absolute_url()),
        "api_url": absolute_url(reverse("api:story", args=[article.pk])),
        "ninjs_url": absolute_url(reverse("api:story-ninjs", args=[article.pk])),
        "section": section_data(article.section),
        "source": source_data(article.source) if article.source else None,
        "byline": byline(article, article.ordered_authors),
        "published_at": article.published_at,
        "updated_at": article.updated_at if article.shows_updated else None,
        "modified_at": article.modified_at,
        "version": article.version,
        "embargo": embargo_data(article, now),
        "lead_photo": photo_data(lead.photo, caption=lead) if lead else None,
    }


def story_detail(article, now=None):
    return story_summary(article, now) | {
        "body_html": feed_body(article),  # photos in the body as plain <img> figures, like the feeds
        "dateline": article.dateline,
        "attribution": article.source.attribution_line if article.source else "",
        "authors": [author_data(a) for a in article.ordered_authors],
        "tags": [tag_data(t) for t in article.tags.all()],
        "photos": [photo_data(c.photo, caption=c) for c in article.ordered_captions],
        "corrections": [{"kind": n.kind, "text": n.text, "created_at": n.created_at} for n in article.notes.all()],
    }



def front_page(now=None):
    """The home page as readers see it now, as data: (home slots in order, each section's lead), each
    a (slot name, pinned?, story) with the story still an Article (the caller tags and serializes)."""
    now = now or timezone.now()
    front = front_page_ids(now)
    stories = {a.pk: a for a in with_summary_related(Article.objects.published(now).filter(pk__in=front.all_ids()))}
    home = [
        (slot_label(None, position), pk in front.pinned, stories[pk])
        for position, pk in enumerate(front.home, start=1)
        if pk in stories
    ]
    leads = {}  # section id -> story: the newest under its heading, unless one is pinned
    for story in sorted((stories[pk] for pk in front.under_sections if pk in stories), key=lambda a: a.published_at):
        leads[story.section_id] = story
    leads |= {section_id: stories[pk] for section_id, pk in front.section_leads.items() if pk in stories}
    sections = [
        (slot_label(story.section, 1), story.pk in front.pinned, story)
        for story in sorted(leads.values(), key=lambda a: (a.section.position, a.section.name))
    ]
    return home, sections
