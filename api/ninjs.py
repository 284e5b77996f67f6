"""A story as an IPTC ninjs 2.0 document: what another newsroom's ingest takes in.

Mapping (ninjs property ← our field): uri ← a stable URN per story; version ← Article.version;
pubstatus ← usable, or canceled once killed (ninjs's word for a withdrawn item); embargoed ←
embargo_until; headlines/descriptions/bodies ← headline, standfirst, body; by/people ← the byline;
located ← dateline; infosources ← Source; subjects ← tags; associations ← photos, each a picture
with its caption, credit (copyrightholder), copyright notice (rights) and renditions.
"""
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from articles.body import feed_body
from newsroom.links import absolute_url, site_url

from .content import rendition_data

NINJS_STANDARD = {
    "name": "ninjs",
    "version": "2.0",
    "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.0.json",
}


def site_authority():
    return urlsplit(site_url()).netloc or "newsroom"


def story_uri(article):
    return f"urn:newsroom:{site_authority()}:story:{article.pk}"


def photo_uri(photo):
    return f"urn:newsroom:{site_authority()}:photo:{photo.pk}"


def iso(value):
    return value.isoformat() if value else None


def story_ninjs(article):
    """The full ninjs document of a published (or, for embargo keys, cleared) story."""
    authors = article.ordered_authors
    document = {
        "uri": story_uri(article),
        "standard": NINJS_STANDARD,
        "type": "text",
        "representationtype": "full",
        "version": str(article.version),
        "firstcreated": iso(article.first_published_at or article.created_at),
        "versioncreated": iso(article.modified_at),
        "contentcreated": iso(article.created_at),
        "pubstatus": "usable",
        "language": settings.LANGUAGE_CODE,
        "headlines": [{"role": "main", "value": article.headline}],
        "descriptions": [{"role": "summary", "contenttype": "text/plain", "value": article.dek}] if article.dek else [],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": feed_body(article)}],
        "by": ", ".join(a.name for a in authors),
        "people": [
            {"name": a.name, "rel": "author", "uri": absolute_url(a.get_absolute_url())} for a in authors
        ],
        "subjects": [
            {"name": t.name, "literal": t.slug, "uri": absolute_url(reverse("reader:tag", args=[t.slug]))}
            for t in article.tags.all()
        ],
        "copyrightholder": article.source.name if article.source else settings.NEWSROOM_SITE_NAME,
        "altids": [{"role": "canonical-url", "value": absolute_url(article.get_absolute_url())}],
        "associations": [picture_association(c, n) for n, c in enumerate(article.ordered_captions, start=1)],
    }
    if article.embargo_until:
        document["embargoed"] = iso(article.embargo_until)
    if article.dateline:
        document["located"] = article.dateline
    if article.source:
        document["infosources"] = [
            {"name": article.source.name, "role": "source", "uri": absolute_url(article.source.get_absolute_url())}
        ]
    return {key: value for key, value in document.items() if value not in ([], "")}


def picture_association(caption, number):
    photo = caption.photo
    renditions = [rendition_data(r) | {"name": r.spec} for r in photo.renditions.all()]
    # The largest JPEG first and named "original": receivers that take one file take the best one.
    renditions.sort(key=lambda r: (r["format"] != "jpeg", r["crop"] != "", -r["width"]))
    association = {
        "name": "featureimage" if caption.role == caption.Role.LEAD else f"picture{number}",
        "uri": photo_uri(photo),
        "type": "picture",
        "version": "1",
        "headlines": [{"role": "main", "value": photo.headline}] if photo.headline else [],
        "descriptions": [{"role": "caption", "contenttype": "text/plain", "value": caption.caption}],
        # ninjs 2.0 has no credit-line property: the credit as printed ("AFP-Yonhap") names the holders.
        "copyrightholder": caption.credit,
        "copyrightnotice": photo.copyright,
        "usageterms": photo.usage_terms,
        "by": photo.photographer,
        "renditions": [
            {
                "name": "original" if i == 0 else r["name"],
                "href": r["url"],
                "contenttype": r["content_type"],
                "width": r["width"],
                "height": r["height"],
            }
            for i, r in enumerate(renditions)
        ],
    }
    if photo.web_statement or photo.licensor_url:
        association["rightsinfo"] = {"linkedrights": photo.web_statement or photo.licensor_url}
    if photo.expires_at:
        association["expires"] = iso(photo.expires_at)
    return {key: value for key, value in association.items() if value not in ([], "")}


def withdrawal_ninjs(article):
    """What a killed story's ninjs says: the same uri, a newer version, pubstatus canceled, no content."""
    return {
        "uri": story_uri(article),
        "standard": NINJS_STANDARD,
        "type": "text",
        "version": str(article.version),
        "versioncreated": iso(article.modified_at),
        "pubstatus": "canceled",
        # The headline only, so the receiving desk knows which story to pull; never the body.
        "headlines": [{"role": "main", "value": article.headline}],
    }
