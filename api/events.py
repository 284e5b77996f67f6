"""Story events for webhooks (filled in with the webhook slice)."""


def connect_signals():
    pass
