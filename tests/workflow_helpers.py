"""Desk users by role, admin change forms read back from their HTML so tests post what a browser would,
and query counts of a page."""

from html.parser import HTMLParser

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory

ROLES = ["Reporter", "Editor", "Photo editor", "Admin"]


def desk_user(role, username=None):
    # No password: tests log in with force_login.
    user = UserFactory(username=username or role.lower().replace(" ", "-"), is_staff=True, password=None)
    user.groups.add(Group.objects.get(name=role))
    return user


class _FormFields(HTMLParser):
    """Collects the fields of <form id="article_form"> the way a browser would submit them."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or attrs.get("disabled") is not None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # Browsers drop the newline right after <textarea>.
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_data(html, form_id="article_form"):
    """A dict for client.post: single values as strings, repeated names as lists."""
    parser = _FormFields(form_id)
    parser.feed(html)
    data = {}
    for name, value in parser.fields:
        if name in data:
            data[name] = [*data[name], value] if isinstance(data[name], list) else [data[name], value]
        else:
            data[name] = value
    return data


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def open_change_form(client, article):
    """What the editor's browser holds after opening the story."""
    response = client.get(change_url(article))
    assert response.status_code == 200
    return form_data(response.content.decode())


def save_change_form(client, article, data, **changes):
    return client.post(change_url(article), {**data, **changes})


def form_errors(response):
    context = response.context
    if not context or "adminform" not in context:
        return None
    return context["adminform"].form.errors


def count_queries(client, url):
    """Queries of a steady-state view of `url` (renditions are made on the first view)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def confirm(client, url, response, **extra):
    """Post a confirmation page (kill, restore: articles/admin/confirm.py) back as its button would."""
    html = response.content.decode()
    assert response.status_code == 200 and 'id="confirm-form"' in html, html[:2000]
    return client.post(url, {**form_data(html, "confirm-form"), **extra})
