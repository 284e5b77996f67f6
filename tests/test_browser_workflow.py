"""Two editors in two browsers open the same story; the second save merges, nothing is lost."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.browser import chromium_browser, signed_in_page
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def logged_in_page(browser, base_url, username):
    return signed_in_page(browser, base_url, username)


def test_two_browsers_cannot_overwrite_each_other(live_server):
    call_command("sync_roles")  # transactional tests start from an empty database
    for name in ["first-editor", "second-editor"]:
        UserFactory(username=name, is_staff=True).groups.add(Group.objects.get(name="Editor"))
    story = ArticleFactory(headline="Rail strike called off", dek="Unions accept the offer.")
    change_url = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
    with chromium_browser() as browser:
        first = logged_in_page(browser, live_server.url, "first-editor")
        second = logged_in_page(browser, live_server.url, "second-editor")
        first.goto(change_url)
        second.goto(change_url)

        first.fill("#id_headline", "Rail strike called off after late talks")
        first.locator("input[name=_save]").first.click()
        first.wait_for_url("**/admin/articles/article/")

        second.fill("#id_dek", "Unions accept the improved offer overnight.")
        second.locator("input[name=_save]").first.click()
        # Different fields: the save merges with the first editor's (tests/test_browser_integrity.py
        # covers the same field, which asks for a choice).
        second.wait_for_url("**/admin/articles/article/")
        assert "first-editor saved this story" in second.locator(".messagelist").inner_text().lower()

    story.refresh_from_db()
    assert story.headline == "Rail strike called off after late talks"
    assert story.dek == "Unions accept the improved offer overnight."
