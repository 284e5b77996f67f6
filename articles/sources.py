"""How a credit or a wire field names a Source: `Source.objects.for_name()`, `.credit_names()` and
`.for_credit()`, used by the photo pipeline and wire ingest alike."""

import re

from django.db import models
from django.utils.text import slugify

from .slugs import unique_slug

# Agencies as credits spell them -> one Source name each (credits vary in case and language).
KNOWN_AGENCIES = {
    "afp": "AFP",
    "agence france-presse": "AFP",
    "ap": "AP",
    "associated press": "AP",
    "yonhap": "Yonhap",
    "연합뉴스": "Yonhap",
    "연합": "Yonhap",
    "yna": "Yonhap",
    "reuters": "Reuters",
    "epa": "EPA",
    "xinhua": "Xinhua",
    "kyodo": "Kyodo",
    "kcna": "KCNA",
    "getty images": "Getty Images",
    "newsis": "Newsis",
    "news1": "News1",
}
ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,7}")


class SourceQuerySet(models.QuerySet):
    def for_name(self, name):
        """The Source a credit or source field names, created (as an agency) if it is new; None for ''."""
        name = name.strip(" .()")
        if not name:
            return None
        canonical = KNOWN_AGENCIES.get(name.lower(), name)
        found = (
            self.filter(name__iexact=canonical).first()
            or self.filter(slug=slugify(canonical)).first()
            or self.filter(attribution__iexact=canonical).first()
        )
        if found:
            return found
        source = self.model(name=canonical[:100], kind=self.model.Kind.AGENCY, attribution=canonical[:100])
        source.slug = unique_slug(self.model, canonical, max_length=100)
        source.save()
        return source

    def is_agency_name(self, name):
        """A known agency, an existing Source, or an agency-style acronym ("KCNA") - not a person."""
        return (
            name.lower() in KNOWN_AGENCIES
            or bool(ACRONYM.fullmatch(name))
            or self.filter(name__iexact=name).exists()
        )

    def credit_names(self, credit):
        """The agencies a credit names: 'AFP-Yonhap' -> AFP, Yonhap; 'Ahn Young-joon/AP' -> AP.

        Parts are split on "/", ",", ";" and "via", then on hyphens only when every piece is an
        agency, so photographers' hyphenated names never become sources.
        """
        names = []
        for segment in re.split(r"\s*(?:/|,|;|\bvia\b)\s*", credit.strip()):
            segment = segment.strip(" .()")
            if not segment:
                continue
            if self.is_agency_name(segment):
                names.append(segment)
                continue
            pieces = [piece.strip(" .()") for piece in segment.split("-")]
            if len(pieces) > 1 and all(piece and self.is_agency_name(piece) for piece in pieces):
                names.extend(pieces)
        return names

    def for_credit(self, credit):
        """The Sources (created if new) of the agencies a credit names."""
        return [source for source in map(self.for_name, self.credit_names(credit)) if source]
