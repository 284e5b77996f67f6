"""Real SMTP servers on 127.0.0.1 for tests and benchmarks (aiosmtpd).

`smtp_sink(port)` collects the parsed messages it is sent. `SmtpSink(port)` yields a Recorder of
(recipients, bytes) whose `on_message(count, envelope)` runs after a message is stored and before
the 250 reply (the point where a sender that dies has delivered the mail without knowing it), and
whose `refuse_next` answers the next N messages with a temporary failure (451).
"""

import threading
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


class Recorder:
    def __init__(self):
        self.messages = []  # (recipients, bytes)
        self.lock = threading.Lock()
        self.on_message = None
        self.refuse_next = 0

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse_next:
                self.refuse_next -= 1
                return "451 4.3.0 Try again later"
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
            count = len(self.messages)
        if self.on_message:
            self.on_message(count, envelope)
        return "250 OK"

    def recipients(self):
        with self.lock:
            return [rcpt for recipients, _content in self.messages for rcpt in recipients]


class SmtpSink:
    def __init__(self, port):
        self.recorder = Recorder()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=port)

    def __enter__(self):
        self.controller.start()
        return self.recorder

    def __exit__(self, *exc):
        self.controller.stop()
