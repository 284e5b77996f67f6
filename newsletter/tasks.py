"""Background tasks of the newsletter's sign-up mails (pipeline.queue: Django's Tasks API with retries).

The daily edition's tasks are in editions.py.
"""

from pipeline.queue import background_task, enqueue_after_commit, runs_in_process

from . import outbox


@background_task(retries=8, backoff=outbox.RETRY_SECONDS, queue_name="mail")
def send_signup_mail(mail_id):
    """Send one queued sign-up mail; when SMTP is down the queue retries it with backoff."""
    try:
        outbox.deliver(mail_id)
    except outbox.MailNotSent:
        if runs_in_process(send_signup_mail):
            # The immediate backend cannot defer a retry (and would roll back the recorded attempt):
            # the mail stays queued and the `send_signup_mails` sweep sends it when it is due.
            return
        raise


def send_soon(mail):
    """Send `mail` from the `mail` queue once the current transaction commits."""
    enqueue_after_commit(send_signup_mail, mail.pk)


@background_task(retries=0, queue_name="mail")
def send_due_signup_mails():
    """The scheduler's sweep (was `send_signup_mails` from cron): outbox mails whose retry is due."""
    sent, waiting = outbox.send_due()
    return {"sent": sent, "waiting": waiting}
