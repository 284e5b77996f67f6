"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), collecting what it is sent."""

from contextlib import contextmanager
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Collect:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"


@contextmanager
def smtp_sink(port):
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler.messages
    finally:
        controller.stop()
