"""Background tasks of the newsletter (pipeline.queue: Django's Tasks API with retries)."""

from pipeline.queue import background_task, enqueue_after_commit

from . import outbox


@background_task(retries=8, backoff=outbox.RETRY_SECONDS, queue_name="mail")
def send_signup_mail(mail_id):
    """Send one queued sign-up mail; MailNotSent (SMTP down) makes the queue retry it with backoff."""
    outbox.deliver(mail_id)


def start(the_task, *args):
    enqueue_after_commit(the_task, *args)
