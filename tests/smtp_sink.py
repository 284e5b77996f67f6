"""A real SMTP server on 127.0.0.1 for tests and benchmarks (aiosmtpd), recording what it accepts.

`on_message(count, envelope)` runs after a message is stored and before the 250 reply: the point
where a sender that dies has delivered the mail without knowing it. `refuse_next` answers the
next N messages with a temporary failure (451), as a provider under load would.
"""

import threading

from aiosmtpd.controller import Controller


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
