"""Logging helpers: a filter that lets one record of a kind through per interval."""

import logging
import threading
import time


class OncePerInterval(logging.Filter):
    """Pass the first record of each (logger, message) per `seconds`; count the rest.

    A Redis outage makes every cache call fail, hundreds per second; the log needs to say so once a
    minute, not flood. The next record let through says how many were held back.
    """

    def __init__(self, seconds=60, name="", clock=time.monotonic):
        super().__init__(name)
        self.seconds = float(seconds)
        self.clock = clock
        self._lock = threading.Lock()
        self._state = {}  # (logger, msg) -> (next time a record may pass, records held back)

    def reset(self):
        with self._lock:
            self._state.clear()

    def filter(self, record):
        key = (record.name, record.msg)
        now = self.clock()
        with self._lock:
            next_pass, held_back = self._state.get(key, (0.0, 0))
            if now < next_pass:
                self._state[key] = (next_pass, held_back + 1)
                return False
            self._state[key] = (now + self.seconds, 0)
        if held_back:
            record.msg = f"{record.msg} ({held_back} like it in the last {self.seconds:g} s not logged)"
        return True
