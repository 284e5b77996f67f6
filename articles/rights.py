"""Photo rights and provenance: what a photo's licence allows, and what made the picture.

One home for the rules (docs/photos.md explains them to photo editors):
- a photo may not be shown before `usable_from` (a photo embargo) nor from `expires_at` (licence end,
  PLUS LicenseEndDate, IPTC expiration date, or a "do not use after" in the usage terms);
  PhotoQuerySet.usable() applies this to every public surface by the clock;
- "editorial use only" photos, and photos of a Source whose photo rule says so, cannot run on a
  sponsored story; photos of a Source marked "not for publication" cannot run at all;
- publishing a story (publishing.check_publishable) refuses, naming each photo and the reason.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .metadata import parse_date

SOURCE_TYPE_BASE = "http://cv.iptc.org/newscodes/digitalsourcetype/"


@dataclass(frozen=True)
class SourceType:
    code: str  # the IPTC NewsCodes term, e.g. "trainedAlgorithmicMedia"
    label: str  # what editors see on the badge
    reader_label: str  # what readers see under the figure, when the type is labelled
    kind: str  # "camera", "edited", "composite", "ai" or "other": the badge's colour

    @property
    def uri(self):
        return SOURCE_TYPE_BASE + self.code

    @property
    def schema_org(self):
        """The schema.org IPTCDigitalSourceEnumeration member, for JSON-LD's digitalSourceType."""
        return f"https://schema.org/{self.code[0].upper()}{self.code[1:]}DigitalSource"

    @property
    def is_labelled(self):
        """Whether readers see a label under the figure (NEWSROOM_PHOTO_LABELLED_SOURCE_TYPES)."""
        return self.code in settings.NEWSROOM_PHOTO_LABELLED_SOURCE_TYPES


# IPTC NewsCodes "Digital Source Type" (cv.iptc.org/newscodes/digitalsourcetype), the terms in use.
SOURCE_TYPES = {
    t.code: t
    for t in [
        SourceType("digitalCapture", "Camera original", "Photograph", "camera"),
        SourceType("negativeFilm", "Scanned film negative", "Scanned from film", "camera"),
        SourceType("positiveFilm", "Scanned slide", "Scanned from film", "camera"),
        SourceType("print", "Scanned print", "Scanned from a print", "camera"),
        SourceType("minorHumanEdits", "Camera, minor edits", "Photograph, lightly edited", "camera"),
        SourceType("humanEdits", "Edited by a person", "Edited image", "edited"),
        SourceType("compositeCapture", "Composite of photos", "Composite of several photographs", "composite"),
        SourceType("composite", "Composite", "Composite image", "composite"),
        SourceType("algorithmicallyEnhanced", "Algorithmically enhanced", "Enhanced by software", "edited"),
        SourceType("screenCapture", "Screen capture", "Screenshot", "other"),
        SourceType("virtualRecording", "Virtual recording", "Recorded in a virtual environment", "other"),
        SourceType("dataDrivenMedia", "Data-driven media", "Made from data", "other"),
        SourceType("digitalArt", "Digital art", "Digital artwork", "other"),
        SourceType("digitalCreation", "Digital creation", "Digital artwork", "other"),
        SourceType("algorithmicMedia", "Algorithmic media", "Computer-generated image", "ai"),
        SourceType("trainedAlgorithmicMedia", "AI-generated", "AI-generated image", "ai"),
        SourceType("compositeSynthetic", "Composite with AI elements", "Contains AI-generated elements", "ai"),
        SourceType("compositeWithTrainedAlgorithmicMedia", "Edited with AI", "Edited with AI", "ai"),
    ]
}


def source_type(value):
    """The SourceType of a URI or bare code (IPTC or C2PA spelling), or None when empty or unknown."""
    if not value:
        return None
    code = value.strip().rstrip("/").rsplit("/", 1)[-1]
    found = SOURCE_TYPES.get(code)
    if found is None and code:
        return SourceType(code, f"Source type: {code}", "", "other")  # a term newer than this list
    return found


# --- usage terms ------------------------------------------------------------------------------

EDITORIAL_ONLY = re.compile(r"\beditorial\s+(?:use\s+)?only\b|\bfor\s+editorial\s+use\b|\bno\s+commercial\b", re.I)
NOTED_TERMS = {
    "editorial": EDITORIAL_ONLY,
    "no_sales": re.compile(r"\bno\s+sales?\b", re.I),
    "no_archive": re.compile(r"\bno\s+archives?\b", re.I),
    "mandatory_credit": re.compile(r"\bmandatory\s+credit\b", re.I),
}
TERM_LABELS = {
    "editorial": "Editorial use only",
    "no_sales": "No sales",
    "no_archive": "No archive",
    "mandatory_credit": "Mandatory credit",
    "expires": "Do not use after",
}
NO_USE_AFTER = re.compile(
    r"\b(?:do\s+)?not\s+(?:to\s+be\s+)?used?\s+after|\bno\s+use\s+after|\bnot\s+for\s+use\s+after"
    r"|\bexpires?(?:\s+on)?|\bkill\s+after",
    re.I,
)
WRITTEN_DATES = [  # "1 July 2026", "July 1, 2026", "2026-07-01", "20260701"
    (re.compile(r"(\d{4})-?(\d{2})-?(\d{2})"), lambda m: f"{m[1]}-{m[2]}-{m[3]}", "%Y-%m-%d"),
    (re.compile(r"(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})"), lambda m: f"{m[1]} {m[2][:3]} {m[3]}", "%d %b %Y"),
    (re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})"), lambda m: f"{m[2]} {m[1][:3]} {m[3]}", "%d %b %Y"),
]


def usage_flags(terms):
    """The restrictions a usage-terms text names, as keys of TERM_LABELS (those this module knows)."""
    return [flag for flag, pattern in NOTED_TERMS.items() if pattern.search(terms or "")]


def no_use_after(terms):
    """The date in a "do not use after <date>" phrase of the usage terms, as an aware datetime, or None.

    The photo may be used through that whole day (site time); it expires at the next midnight.
    """
    match = NO_USE_AFTER.search(terms or "")
    if not match:
        return None
    rest = terms[match.end() :].strip(" :.-\t")
    day = None
    for pattern, spelled, fmt in WRITTEN_DATES:
        found = pattern.match(rest)
        if found:
            try:
                day = datetime.strptime(spelled(found), fmt).date()
            except ValueError:
                continue
            break
    if not day:
        return None
    end = datetime.combine(day, time.max)
    return timezone.make_aware(end) if settings.USE_TZ else end


def read_moment(value):
    """An aware datetime from an ISO date or datetime string read from the file (UTC when no offset)."""
    if not value:
        return None
    moment = parse_datetime(value) if "T" in value else None
    if moment is None:
        day = parse_date(value)
        if day is None:
            return None
        # A licence end date without a time: usable through that whole day.
        moment = datetime.combine(day, time.max)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment


def rights_fields(metadata):
    """Photo fields from what metadata.read_metadata found (and None for absent dates)."""
    terms = metadata.get("usage_terms", "")
    expiry = read_moment(metadata.get("expiry_datetime", ""))
    terms_expiry = no_use_after(terms)
    if terms_expiry and (expiry is None or terms_expiry < expiry):
        expiry = terms_expiry
    return {
        "usage_terms": terms,
        "web_statement": url_or_blank(metadata.get("web_statement", "")),
        "licensor_name": metadata.get("licensor_name", "")[:255],
        "licensor_url": url_or_blank(metadata.get("licensor_url", "")),
        "copyright_owner": metadata.get("copyright_owner", "")[:255],
        "usable_from": read_moment(metadata.get("release_datetime", "")),
        "expires_at": expiry,
        "digital_source_type": normalise_source_type(metadata.get("digital_source_type", "")),
    }


def url_or_blank(value):
    return value[:500] if re.match(r"https?://", value or "") else ""


def normalise_source_type(value):
    found = source_type(value)
    return found.uri if found else ""


# --- what a story may carry -------------------------------------------------------------------


def photo_policy(photo):
    """The strictest Source rule over the photo's source and the agencies its credit names."""
    sources = [photo.source] if photo.source_id else []
    sources += list(photo.credit_sources.all())
    rules = {source.photo_policy for source in sources if source and source.photo_policy}
    for rule in ("blocked", "editorial"):
        if rule in rules:
            return rule, next(s for s in sources if s and s.photo_policy == rule)
    return "", None


def photo_problems(photo, *, at, sponsored):
    """Why `photo` may not appear on a story going live at `at` (a sponsored one if `sponsored`)."""
    problems = []
    local = timezone.localtime
    if photo.expires_at is not None and photo.expires_at <= at:
        problems.append(f"its licence ended on {local(photo.expires_at):%Y-%m-%d %H:%M %Z} (do not use after)")
    if photo.usable_from is not None and photo.usable_from > at:
        problems.append(f"it is embargoed until {local(photo.usable_from):%Y-%m-%d %H:%M %Z}")
    rule, source = photo_policy(photo)
    if rule == "blocked":
        problems.append(f"photos from {source} are not for publication on this site")
    if sponsored:
        if "editorial" in usage_flags(photo.usage_terms):
            problems.append("its usage terms allow editorial use only and this story is sponsored")
        elif rule == "editorial":
            problems.append(f"photos from {source} are for editorial use only and this story is sponsored")
    return problems


def describe_photo(photo):
    name = str(photo)
    return f"“{name[:80]}” (photo {photo.pk}{', ' + photo.credit if photo.credit else ''})"


def publish_problems(article, *, at, photos=None):
    """One message per photo that stops `article` going live at `at`; [] when all may run.

    `photos` are the photos the story will carry (the admin passes the captions being saved);
    by default the story's stored lead and inline photos.
    """
    if photos is None:
        photos = [c.photo for c in article.captions.select_related("photo__source")] if article.pk else []
    messages = []
    for photo in dict.fromkeys(photos):
        problems = photo_problems(photo, at=at, sponsored=article.is_sponsored)
        if problems:
            messages.append(f"Photo {describe_photo(photo)} cannot be published: {'; '.join(problems)}.")
    return messages


# The clock: a licence end or a photo embargo lift changes public pages with no save. The content
# generation (pagecache/generation.py) includes the latest such moment that has passed, so every
# cached surface changes at that time.
