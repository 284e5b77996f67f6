"""What the editorial workflow costs on a story save: our admin (roles, row lock, revision, status
history, redirect check) against a plain ModelAdmin with the same fields and inlines, and a save
that merges three ways (another editor saved meanwhile) against a plain save of our admin, in the
same run, through the same Django test client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom .venv/bin/python bench/workflow.py [--saves 60]

Runs in a throwaway test database (test_<name>). Each save posts the full change form of a story
with 3 byline authors and 3 captions, changing the headline. Figures are printed, never asserted:
compare the ratios.
"""

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from _setup import setup_django, throwaway_storages  # noqa: E402  (bench/ is on sys.path when run as a script)

setup_django()

from django.contrib import admin  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import path  # noqa: E402

from articles.admin.articles import ArticleAdmin, ArticleAuthorInline  # noqa: E402
from articles.admin.forms import ArticleTagsForm  # noqa: E402
from articles.models import Article, Caption  # noqa: E402
from newsroom.urls import urlpatterns as site_urls  # noqa: E402

plain_site = admin.AdminSite(name="plain")


class PlainCaptionInline(admin.StackedInline):
    """The caption rows as a stock inline (ours carries the photo chooser, whose upload URL only
    the site's admin has)."""

    model = Caption
    extra = 0
    fields = ["photo", "role", "caption", "credit", "position"]


class PlainArticleAdmin(admin.ModelAdmin):
    """The baseline: the same form, fieldsets and rows, none of the workflow."""

    form = ArticleTagsForm
    fieldsets = ArticleAdmin.fieldsets
    inlines = [ArticleAuthorInline, PlainCaptionInline]
    change_form_template = "admin/change_form.html"  # Django's own page, not the desk's story form
    autocomplete_fields = ArticleAdmin.autocomplete_fields
    prepopulated_fields = ArticleAdmin.prepopulated_fields


plain_site.register(Article, PlainArticleAdmin)
for model, model_admin in admin.site._registry.items():  # autocomplete targets must exist on the site
    if model is not Article:
        plain_site.register(model, type(model_admin))

# The site's own URLs (the story form links to the desk's comments and the reader pages) plus the baseline.
urlpatterns = [path("plain/", plain_site.urls), *site_urls]


def make_story(n):
    from tests.factories import ArticleAuthorFactory, ArticleFactory, CaptionFactory

    story = ArticleFactory(headline=f"Bench story {n}", tags=["one", "two"])
    for i in range(3):
        ArticleAuthorFactory(article=story, position=i)
        CaptionFactory(article=story, role="lead" if i == 0 else "inline", position=i)
    return story


def timed_saves(client, prefix, story, saves, other=None):
    """`saves` timed POSTs of the change form. With `other` (a second editor's client), that editor
    saves the standfirst and a body paragraph after the form is opened, so every timed save is a
    three-way merge (their dek and paragraph kept, my headline and paragraph saved)."""
    from tests.workflow_helpers import form_data

    url = f"/{prefix}/articles/article/{story.pk}/change/"
    durations, queries = [], []
    for i in range(saves):
        data = form_data(client.get(url).content.decode())
        if other is not None:
            theirs = form_data(other.get(url).content.decode())
            theirs["dek"] = f"Their standfirst {i}"
            theirs["body"] = f"<p>Their first paragraph {i}.</p>" + theirs["body"].split("</p>", 1)[1]
            assert other.post(url, theirs).status_code == 302
            data["body"] = data["body"].rsplit("<p>", 1)[0] + f"<p>My last paragraph {i}.</p>"
        data["headline"] = f"{story.headline} edit {i}"
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.post(url, data)
            durations.append(time.perf_counter() - start)
        assert response.status_code == 302, (prefix, response.status_code)
        if other is not None:
            saved = Article.objects.get(pk=story.pk)
            assert saved.dek == f"Their standfirst {i}" and f"My last paragraph {i}" in saved.body, "not merged"
        queries.append(len(captured))
    return durations, queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=60)
    args = parser.parse_args()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    media = Path(tempfile.mkdtemp(prefix="bench-workflow-"))
    storages = throwaway_storages(media)
    try:
        with override_settings(
            ROOT_URLCONF=__name__,
            DEBUG=False,
            ALLOWED_HOSTS=["testserver"],
            SECURE_SSL_REDIRECT=False,
            STORAGES=storages,
            MEDIA_ROOT=media / "m",
            # The bench signs in with force_login, as the test suite does; 2FA is not what it measures.
            NEWSROOM_2FA_REQUIRED_ROLES=[],
        ):
            from tests.factories import UserFactory

            user = UserFactory(username="bench-admin", is_staff=True, is_superuser=True, password=None)
            second = UserFactory(username="bench-second", is_staff=True, is_superuser=True, password=None)
            client, other = Client(), Client()
            client.force_login(user)
            other.force_login(second)
            ours_story, plain_story, merged_story = make_story(1), make_story(2), make_story(3)
            timed_saves(client, "admin", ours_story, 3)  # warm up every path
            timed_saves(client, "plain", plain_story, 3)
            timed_saves(client, "admin", merged_story, 3, other=other)
            ours, plain, merged = ([], []), ([], []), ([], [])
            # Interleave in rounds so every path sees the same machine load.
            for _ in range(args.saves // 10 or 1):
                for target, prefix, story, second_editor in (
                    (ours, "admin", ours_story, None),
                    (plain, "plain", plain_story, None),
                    (merged, "admin", merged_story, other),
                ):
                    durations, queries = timed_saves(client, prefix, story, 10, other=second_editor)
                    target[0].extend(durations)
                    target[1].extend(queries)
        ours_ms, plain_ms = statistics.median(ours[0]) * 1000, statistics.median(plain[0]) * 1000
        merged_ms = statistics.median(merged[0]) * 1000
        ours_q, plain_q, merged_q = (statistics.median(q) for q in (ours[1], plain[1], merged[1]))
        print(f"{len(ours[0])} admin saves each of a story with 3 authors and 3 captions (median of POST only)")
        print(f"  plain ModelAdmin          : {plain_ms:7.1f} ms/save, {plain_q:.0f} queries/save")
        print(f"  workflow admin, plain save: {ours_ms:7.1f} ms/save, {ours_q:.0f} queries/save")
        print(f"  workflow admin, merged    : {merged_ms:7.1f} ms/save, {merged_q:.0f} queries/save "
              "(another editor saved the standfirst and a paragraph meanwhile)")
        print(f"  ratio workflow/plain: {ours_ms / plain_ms:.2f}x time, {ours_q / plain_q:.2f}x queries")
        print(f"  ratio merged/plain save (same admin): {merged_ms / ours_ms:.2f}x time, "
              f"{merged_q / ours_q:.2f}x queries")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
