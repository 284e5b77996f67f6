"""No control characters in stored text: one U+0001 in a headline makes XML feeds and sitemaps
invalid (Django's feed writer refuses it, and readers' parsers would too).

Every save of a story, caption, photo, note, byline, section, source or tag passes its text
fields through `strip_control_characters()` (a pre_save signal, so the admin, wire ingest,
scripts and the shell are all covered). Tab, newline and carriage return stay.
"""
import re

from django.db import models
from django.db.models.signals import pre_save

# C0 controls but \t \n \r, DEL, C1 controls, and the two noncharacters XML 1.0 forbids.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_control_characters(value):
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


def clean_text_fields(sender, instance, **kwargs):
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = instance.__dict__.get(field.attname)  # deferred fields are not loaded, nor saved
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            setattr(instance, field.attname, strip_control_characters(value))


def connect_signals():
    from taggit.models import Tag

    from .models import Article, ArticleNote, Author, Caption, Photo, Section, Source

    for model in (Article, ArticleNote, Author, Caption, Photo, Section, Source, Tag):
        pre_save.connect(clean_text_fields, sender=model, dispatch_uid=f"control-characters-{model._meta.label}")
