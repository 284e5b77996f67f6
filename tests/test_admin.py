"""The desk's admin pages render and save for a logged-in editor."""
import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CaptionFactory,
    PhotoFactory,
    SectionFactory,
    SourceFactory,
    UserFactory,
)
from tests.workflow_helpers import desk_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(desk_user("Editor", "desk-editor"))
    return client


@pytest.fixture
def admin_client_(client):
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    return client


def test_article_list_shows_desk_columns_and_filters(editor_client):
    story = ArticleFactory(source=SourceFactory(name="Yonhap"), tags=["NATO"])
    ArticleFactory(source=SourceFactory(name="AFP", slug="afp"), section=SectionFactory(name="World"))
    CaptionFactory(article=story)
    response = editor_client.get(reverse("admin:articles_article_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert story.headline in html and "Yonhap" in html
    filters = ["state=draft", "state=scheduled", "state=embargoed", "section__id__exact", "source__id__exact"]
    for filter_param in filters:
        assert filter_param in html
    searched = editor_client.get(reverse("admin:articles_article_changelist"), {"q": "harbour"})
    assert story.headline in searched.content.decode()


def test_article_add_and_change_pages_render(editor_client):
    story = ArticleFactory()
    CaptionFactory(article=story)
    add = editor_client.get(reverse("admin:articles_article_add"))
    assert add.status_code == 200
    assert "prose-editor" in add.content.decode()  # the journalist's body editor, not a bare textarea
    change = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert change.status_code == 200
    assert "View on site" in change.content.decode()


def inline_management(prefix, total=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def test_editor_creates_a_tagged_captioned_story_with_ordered_byline(editor_client):
    section, source = SectionFactory(name="World"), SourceFactory(name="Yonhap")
    first, second = AuthorFactory(name="First"), AuthorFactory(name="Second")
    photo = PhotoFactory(caption="Leaders meet.", credit="AFP-Yonhap")
    existing_tag_story = ArticleFactory(tags=["Diplomacy"])
    tag_id = existing_tag_story.tags.get().pk
    data = {
        "headline": "Leaders meet in Washington",
        "slug": "leaders-meet-in-washington",
        "dek": "Talks focus on security.",
        "body": "<p>Leaders met on Tuesday.</p><script>alert(1)</script>",
        "section": section.pk,
        "source": source.pk,
        "dateline": "WASHINGTON",
        "tags": [tag_id],
        "new_tags": "NATO, Security",
        "status": "draft",
        **inline_management("authorships", 2),
        "authorships-0-author": second.pk, "authorships-0-position": 2,
        "authorships-1-author": first.pk, "authorships-1-position": 1,
        **inline_management("captions", 1),
        "captions-0-photo": photo.pk, "captions-0-role": "lead", "captions-0-position": 0,
        "captions-0-caption": "", "captions-0-credit": "",
    }
    data.update(extra_form_fields(editor_client))
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    story = Article.objects.get(slug="leaders-meet-in-washington")
    assert "<script>" not in story.body
    assert sorted(story.tags.names()) == ["Diplomacy", "NATO", "Security"]
    assert [a.name for a in story.ordered_authors] == ["First", "Second"]
    assert story.lead_caption.caption == "Leaders meet." and story.lead_caption.credit == "AFP-Yonhap"


def extra_form_fields(client):
    """Hidden fields other features add to the article form (e.g. the edit version), as the browser would send."""
    form = client.get(reverse("admin:articles_article_add")).context["adminform"].form
    known = {"headline", "slug", "dek", "body", "section", "source", "dateline", "tags", "new_tags", "status"}
    return {
        name: field.initial if field.initial is not None else ""
        for name, field in form.fields.items()
        if name not in known and field.widget.is_hidden
    }


def test_photo_section_source_and_author_admins_render_with_search(admin_client_):
    PhotoFactory()
    SectionFactory()
    SourceFactory()
    AuthorFactory()
    for model in ["photo", "section", "source", "author"]:
        response = admin_client_.get(reverse(f"admin:articles_{model}_changelist"), {"q": "a"})
        assert response.status_code == 200, model


def test_tag_autocomplete_offers_existing_tags(editor_client):
    ArticleFactory(tags=["North Korea", "NATO"])
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "nor", "app_label": "articles", "model_name": "article", "field_name": "tags"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["North Korea"]


def test_readers_cannot_reach_the_admin(client):
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_article_list_links_to_the_wire_upload_page(editor_client):
    html = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert f'href="{reverse("admin:wire_upload")}"' in html
