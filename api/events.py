"""Story events to webhook deliveries: publishing.story_changed is the one place events come from."""
from articles.publishing import story_changed

from .webhooks import queue_deliveries


def connect_signals():
    story_changed.connect(on_story_changed, dispatch_uid="api-webhooks-story-changed")


def on_story_changed(sender, article, event, **kwargs):
    queue_deliveries(article, event)
