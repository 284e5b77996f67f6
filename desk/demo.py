"""The desk's part of the demo newsroom (`manage.py seed_demo`): a comment with an @mention."""

from django.contrib.auth import get_user_model

from .comments import post_comment
from .models import Comment

DEMO_COMMENT = "@editor the vendors' association confirmed the opening date this morning; the quote in par 3 is theirs."


def on_demo_seeded(sender, stories, **kwargs):
    """articles.demo.demo_seeded: the reporter asks the editor about the story marked ready."""
    story = stories.get("ready")
    reporter = get_user_model().objects.filter(username="reporter").first()
    if story is None or reporter is None or Comment.objects.filter(article=story).exists():
        return
    post_comment(story, reporter, DEMO_COMMENT)
