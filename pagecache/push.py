"""The shared generation pushed to every serving process, under a lease, so a hot hit asks Redis nothing.

A hot hit (pagecache/wsgi.py) used to spend most of its time on one GET of the shared generation:
a loopback round trip costs about as much as Django's whole request handling. Instead each process
that serves pages runs one listener thread which

1. subscribes to the generation's channel in Redis, then
2. holds a **lease**: its token in a sorted set, scored with an expiry on Redis's clock
   (NEWSROOM_GENERATION_LEASE_SECONDS), renewed every third of that.

Every ``publish`` (pagecache/generation.py) sends the generation on the channel in the same Redis
script that stores it, and gets back the live lease holders. A publish made for a write then
**waits until every holder has acknowledged** (applied the generation, then pushed its token to
the publish's ack list), or until that holder's lease has run out, before the write returns. So
"a kill has returned to its editor" still means every process serves the new generation on its
next request: either it has applied it, or its lease, and with it its trust in its own copy, has
ended (the process's own view of the lease ends a margin before Redis's, and it starts from when
the renewal was sent).

A process trusts its copy only while its lease holds and the copy is usable (before its clock
moment and no older than the recheck interval, exactly as Redis keeps the shared copy). Any doubt
drops it and the hot path reads Redis as before (one GET): a lapsed renewal, a broken
subscription (a new subscription starts a new epoch with no copy), Redis down (then Django serves,
degraded as always). A GET made while the lease held is remembered; generations only move forward.
A process that dies without letting go of its lease delays writes by at most the lease's length.
"""

import atexit
import os
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import caches

from .generation import (
    ACKS_KEY,
    CHANNEL_KEY,
    LEASES_KEY,
    TOKEN_LENGTH,
    Generation,
    fetch_shared_generation,
    shared_generation,
    shares_cache,
)

ACK_LIST_MS = 10_000  # an ack list outlives the longest wait for it
# How much sooner than Redis a process stops trusting its lease (scheduling, clock rates).
LEASE_MARGIN_SECONDS = 0.25
RETRY_SECONDS = 0.5

# KEYS: the lease set; ARGV: token, lease in ms. A lease's score is its end on Redis's clock.
_RENEW_SCRIPT = """
local now = redis.call('TIME')
redis.call('ZADD', KEYS[1], now[1] * 1000 + math.floor(now[2] / 1000) + tonumber(ARGV[2]), ARGV[1])
return 1
"""


def lease_seconds():
    return settings.NEWSROOM_GENERATION_LEASE_SECONDS


def is_newer(candidate, than):
    return than is None or (candidate.counter, candidate.read_at) > (than.counter, than.read_at)


def usable(generation, now=None):
    """Usable as the shared one now: before its clock moment, and as fresh as Redis keeps it."""
    now = now or time.time()
    fresh = now < generation.read_at + settings.NEWSROOM_GENERATION_RECHECK_SECONDS
    return fresh and shared_generation(generation) is not None


class Listener:
    """One process's subscription, lease and pushed copy of the shared generation."""

    def __init__(self, identity):
        self.identity = identity
        # A backend of its own, built from the settings it was started under (the thread outlives requests).
        self.cache = caches.create_connection("default")
        self.token = uuid.uuid4().hex
        self._lock = threading.Lock()
        self._generation = None
        self._trusted_until = 0.0  # time.monotonic()
        self._epoch = 0  # a new one for each subscription or lapse: what was remembered before is void
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pagecache-push", daemon=True)

    # --- the serving threads' side ---------------------------------------------------------------

    def trusted_epoch(self):
        """The current epoch if the lease holds now, else None."""
        with self._lock:
            return self._epoch if time.monotonic() < self._trusted_until else None

    def current(self):
        """The pushed generation when it may be used without asking Redis, else None."""
        with self._lock:
            generation = self._generation if time.monotonic() < self._trusted_until else None
        return generation if generation is not None and usable(generation) else None

    def remember(self, generation, epoch):
        """Keep a generation read from Redis while the lease of `epoch` held (never an older one)."""
        with self._lock:
            if epoch == self._epoch and is_newer(generation, self._generation):
                self._generation = generation

    # --- the listener thread -----------------------------------------------------------------------

    def start(self):
        self._thread.start()
        atexit.register(self.stop)

    def stop(self):
        self._stopped.set()
        self._lapse()
        try:
            self.cache.client.get_client(write=True).zrem(self.cache.make_key(LEASES_KEY), self.token)
        except Exception:  # noqa: BLE001 - letting go is a courtesy: the lease ends by itself
            pass

    def _lapse(self):
        with self._lock:
            self._trusted_until = 0.0
            self._generation = None
            self._epoch += 1

    def _run(self):
        while not self._stopped.is_set() and cache_identity() == self.identity:
            try:
                self._listen()
            # Whatever went wrong (Redis gone, a reply it cannot read), the copy is no longer trusted
            # and the hot path reads Redis again; the thread tries afresh rather than dying.
            except Exception:  # noqa: BLE001
                self._lapse()
                self._stopped.wait(RETRY_SECONDS)
        self._lapse()

    def _listen(self):
        redis = self.cache.client.get_client(write=True)
        pubsub = redis.pubsub()
        try:
            pubsub.subscribe(self.cache.make_key(CHANNEL_KEY))
            confirmed = pubsub.get_message(timeout=1.0)
            if not confirmed or confirmed["type"] != "subscribe":
                raise ValueError("no subscription confirmed")
            self._lapse()  # a new subscription: nothing from before it counts
            renew = redis.register_script(_RENEW_SCRIPT)
            lease = lease_seconds()
            while not self._stopped.is_set() and cache_identity() == self.identity:
                sent = time.monotonic()
                renew(keys=[self.cache.make_key(LEASES_KEY)], args=[self.token, int(lease * 1000)])
                with self._lock:
                    if sent > self._trusted_until and self._trusted_until:
                        # The lease had run out: writes in between did not wait for us. Start afresh.
                        self._generation = None
                        self._epoch += 1
                    self._trusted_until = sent + lease - LEASE_MARGIN_SECONDS
                next_renewal = sent + lease / 3
                while (remaining := next_renewal - time.monotonic()) > 0 and not self._stopped.is_set():
                    message = pubsub.get_message(timeout=remaining)
                    if message and message["type"] == "message":
                        self._receive(redis, message["data"])
        finally:
            pubsub.close()

    def _receive(self, redis, data):
        publish_token, encoded = data[:TOKEN_LENGTH].decode(), data[TOKEN_LENGTH:]
        generation = self.cache.client.decode(encoded)
        if isinstance(generation, Generation):
            with self._lock:
                if is_newer(generation, self._generation):
                    self._generation = generation
        ack_key = self.cache.make_key(ACKS_KEY.format(publish_token))
        pipe = redis.pipeline(transaction=False)
        pipe.rpush(ack_key, self.token)
        pipe.pexpire(ack_key, ACK_LIST_MS)
        pipe.execute()


_listener = {"pid": None, "listener": None}
_start_lock = threading.Lock()


def cache_identity():
    default = settings.CACHES["default"]
    return os.getpid(), str(default.get("LOCATION")), default.get("KEY_PREFIX", "")


def listener():
    """This process's listener for the current cache (started on first use, again after a fork)."""
    if not shares_cache() or lease_seconds() <= 0:
        return None
    identity = cache_identity()
    current = _listener["listener"]
    if current is not None and current.identity == identity:
        return current
    with _start_lock:
        current = _listener["listener"]
        if current is None or current.identity != identity:
            if current is not None and current.identity[0] == identity[0]:
                current.stop()  # same process, another cache (tests change settings)
            current = Listener(identity)
            current.start()
            _listener["listener"] = current
    return current


def shared_generation_now():
    """The shared generation for a hot hit: the pushed copy when the lease holds, else one GET."""
    process_listener = listener()
    if process_listener is None:
        return fetch_shared_generation()
    pushed = process_listener.current()
    if pushed is not None:
        return pushed
    epoch = process_listener.trusted_epoch()
    fetched = fetch_shared_generation()
    if fetched is not None and epoch is not None:
        process_listener.remember(fetched, epoch)
    return fetched

