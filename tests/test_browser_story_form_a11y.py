"""axe-core on the story form: no critical or serious violations for a reporter or an editor."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.axe import assert_accessible
from tests.browser import chromium_browser, signed_in_page
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def signed_in(browser, base_url, username):
    return signed_in_page(browser, base_url, username, viewport={"width": 1280, "height": 900})


def desk_users():
    call_command("sync_roles")  # transactional tests start from an empty database
    for name, role in [("a11y-reporter", "Reporter"), ("a11y-editor", "Editor")]:
        UserFactory(username=name, is_staff=True).groups.add(Group.objects.get(name=role))


def test_new_story_form_has_no_serious_violations(live_server):
    desk_users()
    SectionFactory(name="World")
    with chromium_browser() as browser:
        page = signed_in(browser, live_server.url, "a11y-reporter")
        page.goto(live_server.url + "/admin/articles/article/add/")
        page.wait_for_selector(".field-body .ProseMirror[contenteditable=true]")
        page.click("#captions-group .add-row a")  # an empty photo row as well
        assert_accessible(page)


def test_stored_story_form_has_no_serious_violations_for_an_editor(live_server):
    desk_users()
    story = ArticleFactory(headline="Harbour bridge reopens", body="<p>Traffic is flowing again.</p>")
    story.tags.add("Transport", "Busan")
    with chromium_browser() as browser:
        page = signed_in(browser, live_server.url, "a11y-editor")
        page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        page.wait_for_selector(".field-body .ProseMirror[contenteditable=true]")
        assert_accessible(page)
        # An autocomplete box opened: its search field is named too.
        page.click(".field-section .select2-selection")
        page.wait_for_selector(".select2-container--open .select2-search__field")
        page.wait_for_selector(".select2-results__option:not(.loading-results)")
        assert_accessible(page)
