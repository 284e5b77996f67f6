"""What the desk is told, and whom: each event is hooked where it happens, by signal.

- a story marked ready for editing: the editors (publishing.status_changed); sent back to draft:
  the story's people;
- published or scheduled: the story's people; killed: the story's people and the editors;
- an agency update waiting, or applied: the story's people and the editors (wire.pending);
- a comment mentioning you: desk/comments.py calls notify() itself.

notify() drops the actor and anyone who may not see the story.
"""

from django.utils import timezone

from articles.demo import demo_seeded
from articles.models import Article
from articles.publishing import status_changed
from wire.pending import update_applied, update_held

from .demo import on_demo_seeded
from .models import Verb
from .notifications import desk_editors, notify, story_people

Status = Article.Status


def connect_signals():
    status_changed.connect(on_status_changed, dispatch_uid="desk-status-changed")
    update_held.connect(on_update_held, dispatch_uid="desk-wire-update-held")
    update_applied.connect(on_update_applied, dispatch_uid="desk-wire-update-applied")
    demo_seeded.connect(on_demo_seeded, dispatch_uid="desk-demo-comment")


def on_status_changed(sender, article, previous, status, by=None, **kwargs):
    if status == Status.READY:
        notify(desk_editors(), Verb.READY, article, actor=by)
    elif status == Status.DRAFT and previous == Status.READY:
        notify(story_people(article), Verb.RETURNED, article, actor=by)
    elif status == Status.PUBLISHED:
        scheduled = article.published_at is not None and article.published_at > timezone.now()
        text = f"Goes live {timezone.localtime(article.published_at):%Y-%m-%d %H:%M}." if scheduled else ""
        notify(story_people(article), Verb.SCHEDULED if scheduled else Verb.PUBLISHED, article, actor=by, text=text)
    elif status == Status.KILLED:
        notify([*story_people(article), *desk_editors()], Verb.KILLED, article, actor=by)


def on_update_held(sender, pending, **kwargs):
    article = pending.article
    notify([*story_people(article), *desk_editors()], Verb.WIRE_WAITING, article, text=pending.reason)


def on_update_applied(sender, pending, by=None, fields=(), **kwargs):
    article = pending.article
    text = f"{pending.wire_version}: {', '.join(fields)}"
    notify([*story_people(article), *desk_editors()], Verb.WIRE_APPLIED, article, actor=by, text=text)
