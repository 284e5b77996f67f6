"""Reporters may fix a tag only while no published story carries it: renaming or merging a live
tag changes public pages, feeds and tag addresses, so that is an editor's call."""
import pytest
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from tests.factories import ArticleFactory
from tests.workflow_helpers import desk_user

pytestmark = pytest.mark.django_db


def signed_in(role):
    client = Client()
    client.force_login(desk_user(role))
    return client


def rename(client, tag, name):
    return client.post(reverse("admin:taggit_tag_change", args=[tag.pk]), {
        "name": name, "slug": tag.slug,
        "taggit-taggeditem-content_type-object_id-TOTAL_FORMS": "0",
        "taggit-taggeditem-content_type-object_id-INITIAL_FORMS": "0",
        "tagged_items-TOTAL_FORMS": "0", "tagged_items-INITIAL_FORMS": "0",
    })


def test_a_reporter_cannot_rename_a_tag_on_a_live_story():
    ArticleFactory(tags=["NATO"])
    tag = Tag.objects.get(name="NATO")
    reporter = signed_in("Reporter")
    page = reporter.get(reverse("admin:taggit_tag_change", args=[tag.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content  # read-only
    assert rename(reporter, tag, "Nato (renamed)").status_code == 403
    tag.refresh_from_db()
    assert tag.name == "NATO"


def test_a_reporter_cannot_merge_tags():
    ArticleFactory(tags=["NATO", "Alliance"])
    reporter = signed_in("Reporter")
    changelist = reporter.get(reverse("admin:taggit_tag_changelist"))
    assert b"render_tag_form" not in changelist.content
    assert reporter.get(reverse("admin:taggit_tag_merge_tags")).status_code == 403


def test_a_reporter_still_fixes_a_tag_only_drafts_carry():
    ArticleFactory(draft=True, tags=["Harbuor"])
    tag = Tag.objects.get(name="Harbuor")
    response = rename(signed_in("Reporter"), tag, "Harbour")
    assert response.status_code == 302, response.content[:3000]
    tag.refresh_from_db()
    assert tag.name == "Harbour"


def test_an_editor_renames_a_live_tag():
    ArticleFactory(tags=["NATO"])
    tag = Tag.objects.get(name="NATO")
    assert rename(signed_in("Editor"), tag, "Nato").status_code == 302
