"""The resilience suite (`make resilience`): gunicorn under load while its parts fail, figures printed.

Everything runs on 127.0.0.1 and is started here: a PostgreSQL instance of its own (initdb into a
temporary folder), a Redis of its own, an SMTP server (aiosmtpd) and gunicorn. Only those processes
are stopped, by their PID. Phases, each with 50 concurrent clients on a mix of reader pages, the
read beacon and the admin login page:

1. steady      60 s, nothing fails: 0 errors.
2. redis       Redis is stopped mid-load and started again: 0 errors; /readyz says "degraded" while
               it is down and pages are built uncached (their latency is printed per window); an
               Editor signs in with password and authenticator code meanwhile (2FA is required).
3. postgres    PostgreSQL is stopped and started again mid-load: errors only inside the restart
               window (from the stop until it accepts connections again, plus 2 s), then none, with
               the same gunicorn master serving.
4. smtp        SMTP is down: sign-ups answer 302 and their mails wait in the outbox; the SMTP server
               comes back, `send_signup_mails --now` runs, and every mail arrives.

Exit status 0 only if every phase met its condition. Options shorten the phases for development and move
the ports (`--port-base`, for several runs on one machine).
"""

import argparse
import base64
import glob
import hashlib
import hmac
import http.client
import http.cookies
import json
import mailbox
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PORTS = {"web": 8301, "smtp": 8302, "redis": 6383, "postgres": 5443}  # --port-base N moves them to N..N+3
GUNICORN_WORKERS = 2
RESTART_GRACE = 2.0  # seconds after PostgreSQL accepts connections in which errors still count as the window

SEED = """
import json
from datetime import timedelta
from django.utils import timezone
from articles.models import Article, Section
section, _ = Section.objects.get_or_create(slug="nation", defaults={"name": "Nation"})
now = timezone.now()
stories = []
for n in range(40):
    article = Article.objects.create(
        headline=f"Harbour plan update number {n}", slug=f"harbour-plan-{n}", section=section,
        dek="The council voted on the harbour plan.",
        body="<p>The harbour plan was approved after a long debate.</p>" * 5,
        status=Article.Status.PUBLISHED, published_at=now - timedelta(minutes=n + 1),
    )
    article.tags.add("harbour", f"topic-{n % 5}")
    stories.append({"id": article.pk, "url": article.get_absolute_url()})
# An Editor with an authenticator app: with DEBUG off Editors must use a second factor.
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, User
editor = User.objects.create_user("editor", password="resilience-editor-password", is_staff=True)
editor.groups.add(Group.objects.get(name="Editor"))
secret = generate_totp_secret()
TOTP.activate(editor, secret)
print("SEED" + json.dumps({"stories": stories, "section": f"/section/{section.slug}/", "totp": secret}))
"""


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def wait_for_port(port, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on {HOST}:{port} within {timeout:.0f} s")


def port_is_free(port):
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) != 0


class Processes:
    """The processes this suite started, stopped by PID (never by name)."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.running = {}

    def start(self, name, args, *, env=None, user=None, log_name=None):
        out = open(self.workdir / f"{log_name or name}.log", "ab")  # noqa: SIM115 - closed with the process
        # Another user (postgres) may not be allowed into the checkout: it starts in the work folder.
        cwd = self.workdir if user else ROOT
        process = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, user=user, cwd=cwd)
        process.log_file = out
        self.running[name] = process
        return process

    def stop(self, name, sig=signal.SIGTERM, timeout=30.0):
        process = self.running.pop(name, None)
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        process.log_file.close()

    def stop_all(self):
        for name in list(self.running):
            self.stop(name)


# -- the load ----------------------------------------------------------------------------------


@dataclass
class Result:
    started: float  # seconds since the phase began
    latency: float  # seconds
    status: int  # 0 for a connection error
    path: str


@dataclass
class Load:
    """`clients` threads, each sending the request mix in turn over a keep-alive connection."""

    requests: list  # (method, path, body) to cycle through
    clients: int = 50
    results: list = field(default_factory=list)

    def run(self, seconds, events=()):
        """Load for `seconds`; `events` are (at seconds, function) run from this thread meanwhile."""
        self.t0 = time.monotonic()
        deadline = self.t0 + seconds
        per_client = [[] for _ in range(self.clients)]
        threads = [
            threading.Thread(target=self._client, args=(n, deadline, per_client[n]), daemon=True)
            for n in range(self.clients)
        ]
        for thread in threads:
            thread.start()
        marks = {}
        for at, action in sorted(events, key=lambda e: e[0]):
            time.sleep(max(0.0, self.t0 + at - time.monotonic()))
            marks.update(action(self) or {})
        for thread in threads:
            thread.join(seconds + 30)
        self.results = sorted((r for results in per_client for r in results), key=lambda r: r.started)
        return marks

    def now(self):
        return time.monotonic() - self.t0

    def _client(self, n, deadline, results):
        connection = None
        i = n * 7  # clients start at different points of the mix
        while time.monotonic() < deadline:
            method, path, body = self.requests[i % len(self.requests)]
            i += 1
            if connection is None:
                connection = http.client.HTTPConnection(HOST, PORTS["web"], timeout=30)
            started = time.monotonic()
            try:
                headers = {"User-Agent": f"Mozilla/5.0 (resilience client {n}) Firefox/128.0"}
                if body is not None:
                    headers["Content-Type"] = "application/x-www-form-urlencoded"
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = None
                time.sleep(0.05)  # a refused connection returns at once; do not spin
            results.append(Result(started - self.t0, time.monotonic() - started, status, path))


OK_STATUSES = {200, 204, 301, 302}


def totp_code(secret, at=None):
    """The code an authenticator app shows now (RFC 6238: SHA-1, 30 s, 6 digits), as allauth checks it."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at or time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def figures(results, start=0.0, end=float("inf")):
    window = [r for r in results if start <= r.started < end]
    errors = [r for r in window if r.status not in OK_STATUSES]
    latencies = [r.latency for r in window if r.status in OK_STATUSES]
    return {
        "requests": len(window),
        "errors": len(errors),
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        # When the failed answers came back (a request started before the failure may fail inside it).
        "first_error": min(r.started + r.latency for r in errors) if errors else None,
        "last_error": max(r.started + r.latency for r in errors) if errors else None,
        "error_statuses": sorted({r.status for r in errors}),
    }


def describe(name, f, seconds):
    rate = f["requests"] / seconds if seconds else 0
    line = (
        f"{name:<28} {f['requests']:>7} requests {rate:>6.0f}/s  errors {f['errors']:>5}  "
        f"p50 {f['p50_ms']:>7.1f} ms  p99 {f['p99_ms']:>7.1f} ms"
    )
    if f["errors"]:
        line += f"  errors answered from {f['first_error']:.2f} s to {f['last_error']:.2f} s ({f['error_statuses']})"
    return line


# -- the suite ---------------------------------------------------------------------------------


class Suite:
    def __init__(self, args):
        self.args = args
        self.workdir = Path(tempfile.mkdtemp(prefix="newsroom-resilience-"))
        self.processes = Processes(self.workdir)
        self.python = sys.executable
        self.as_postgres = "postgres" if os.geteuid() == 0 else None  # initdb refuses to run as root
        self.failures = []
        self.pg_bin = self._postgres_bin()

    def _postgres_bin(self):
        candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4]))
        if not candidates:
            raise SystemExit("PostgreSQL server binaries not found (apt-get install postgresql)")
        return Path(candidates[-1]).parent

    def env(self):
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "TASKS_"))},
            "DEBUG": "0",
            "SECRET_KEY": "resilience-suite-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DATABASE_URL": f"postgres://postgres@{HOST}:{PORTS['postgres']}/newsroom",
            "DB_CONN_MAX_AGE": "60",
            "REDIS_URL": f"redis://{HOST}:{PORTS['redis']}/0",
            "TASKS_BACKEND": "immediate",  # sign-up mails are tried in the request; the sweep retries them
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": str(self.workdir / "static"),
            "MEDIA_ROOT": str(self.workdir / "media"),
            "PRIVATE_MEDIA_ROOT": str(self.workdir / "private"),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": HOST,
            "EMAIL_PORT": str(PORTS["smtp"]),
            "EMAIL_TIMEOUT": "5",
            # Every client of the load comes from 127.0.0.1: the per-address limits would stop it.
            "NEWSROOM_SEARCH_RATE": "1000000/m",
            "NEWSROOM_READS_RATE": "1000000/h",
            "NEWSLETTER_SIGNUPS_PER_HOUR": "1000000",
            "LOG_LEVEL": "WARNING",
            "LOG_FORMAT": "plain",
        }

    def manage(self, *args, check=True):
        result = subprocess.run(
            [self.python, "manage.py", *args], env=self.env(), cwd=ROOT, capture_output=True, text=True
        )
        if check and result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    # services
    def start_postgres(self):
        self.processes.start(
            "postgres",
            [
                str(self.pg_bin / "postgres"), "-D", str(self.workdir / "pg"), "-p", str(PORTS["postgres"]),
                "-k", str(self.workdir), "-c", f"listen_addresses={HOST}", "-c", "fsync=off",
                "-c", "max_connections=100",
            ],
            user=self.as_postgres,
            log_name="postgres",
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            check = subprocess.run(
                [str(self.pg_bin / "pg_isready"), "-h", HOST, "-p", str(PORTS["postgres"]), "-q"], check=False
            )
            if check.returncode == 0:
                return time.monotonic()
            time.sleep(0.05)
        raise RuntimeError("PostgreSQL did not start")

    def start_redis(self):
        self.processes.start(
            "redis",
            ["redis-server", "--port", str(PORTS["redis"]), "--bind", HOST, "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
        )
        wait_for_port(PORTS["redis"])

    def start_smtp(self):
        self.processes.start(
            "smtp",
            [self.python, "-m", "aiosmtpd", "-n", "-l", f"{HOST}:{PORTS['smtp']}", "-c", "aiosmtpd.handlers.Mailbox",
             str(self.workdir / "maildir")],
        )
        wait_for_port(PORTS["smtp"])

    def start_gunicorn(self):
        self.processes.start(
            "gunicorn",
            [self.python, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"{HOST}:{PORTS['web']}",
             "--workers", str(GUNICORN_WORKERS), "--threads", "4", "--timeout", "30", "--keep-alive", "5",
             "--error-logfile", "-"],
            env=self.env(),
        )
        wait_for_port(PORTS["web"])

    def setup(self):
        for name, port in PORTS.items():
            if not port_is_free(port):
                raise SystemExit(f"port {port} ({name}) is taken: another run of the suite, or something else")
        log(f"work folder {self.workdir}")
        for folder in ("pg", "media", "private"):
            (self.workdir / folder).mkdir()
        if self.as_postgres:
            shutil.chown(self.workdir, "postgres")
            shutil.chown(self.workdir / "pg", "postgres")
        subprocess.run(
            [str(self.pg_bin / "initdb"), "-D", str(self.workdir / "pg"), "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--no-sync"],
            user=self.as_postgres, cwd=self.workdir, check=True, capture_output=True,
        )
        self.start_postgres()
        subprocess.run(
            [str(self.pg_bin / "createdb"), "-h", HOST, "-p", str(PORTS["postgres"]), "-U", "postgres", "newsroom"],
            check=True,
        )
        self.start_redis()
        log("migrate, collectstatic, seed")
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        seed = self.manage("shell", "-c", SEED).stdout
        data = json.loads(seed[seed.index("SEED") + 4 :])
        self.stories = data["stories"]
        self.section = data["section"]
        self.totp_secret = data["totp"]
        self.start_smtp()
        self.start_gunicorn()
        self.gunicorn_pid = self.processes.running["gunicorn"].pid
        self.requests = self.request_mix()
        log(f"gunicorn (pid {self.gunicorn_pid}) on {HOST}:{PORTS['web']}; {len(self.requests)} requests in the mix")

    def request_mix(self):
        mix = []
        for n, story in enumerate(self.stories[:12]):
            mix += [
                ("GET", story["url"], None),
                ("GET", "/", None) if n % 2 == 0 else ("GET", self.section, None),
                ("POST", "/readership/read/", f"article={story['id']}"),
            ]
        mix += [
            ("GET", "/search/?q=harbour", None),
            ("GET", "/search/?q=council+debate", None),
            ("GET", "/feeds/rss/", None),
            ("GET", "/feeds/atom/", None),
            ("GET", "/sitemap.xml", None),
            ("GET", "/sitemap-news.xml", None),
            ("GET", "/tag/harbour/", None),
            ("GET", "/admin/login/", None),
        ]
        return mix

    def readyz(self):
        connection = http.client.HTTPConnection(HOST, PORTS["web"], timeout=10)
        try:
            connection.request("GET", "/readyz")
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        finally:
            connection.close()

    def sign_in_with_totp(self):
        """The editor signs in through the sign-in page with password and authenticator code, as a
        browser would (cookies, CSRF token); the status of /admin/ afterwards (200: signed in)."""
        cookies = http.cookies.SimpleCookie()

        def request(method, path, fields=None):
            connection = http.client.HTTPConnection(HOST, PORTS["web"], timeout=30)
            headers = {"Cookie": "; ".join(f"{k}={m.value}" for k, m in cookies.items())}
            body = None
            if fields is not None:
                fields = {**fields, "csrfmiddlewaretoken": csrf_token}
                body = "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in fields.items())
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                for header in response.headers.get_all("Set-Cookie") or ():
                    cookies.load(header)
                return response.status, response.getheader("Location", ""), response.read().decode(errors="replace")
            finally:
                connection.close()

        def form_token(page):
            match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            return match.group(1) if match else ""

        csrf_token = form_token(request("GET", "/accounts/login/?next=/admin/")[2])
        status, location, _ = request(
            "POST", "/accounts/login/?next=/admin/", {"login": "editor", "password": "resilience-editor-password"}
        )
        if not location.startswith("/accounts/2fa/authenticate/"):
            return f"password step answered {status} {location!r}"
        csrf_token = form_token(request("GET", location)[2])
        status, location, _ = request("POST", "/accounts/2fa/authenticate/", {"code": totp_code(self.totp_secret)})
        if status != 302:
            return f"code step answered {status} (code refused)"
        return request("GET", "/admin/")[0]

    def expect(self, condition, message):
        print(("  ok    " if condition else "  FAIL  ") + message, flush=True)
        if not condition:
            self.failures.append(message)

    # phases
    def phase_steady(self):
        seconds = self.args.steady
        log(f"phase 1: {seconds} s steady load, 50 clients")
        load = Load(self.requests)
        load.run(seconds)
        f = figures(load.results)
        print(describe("steady", f, seconds))
        self.expect(f["errors"] == 0, f"steady load: 0 errors ({f['errors']})")
        self.expect(f["requests"] > 0, "steady load: requests were served")

    def phase_redis(self):
        seconds = self.args.outage
        stop_at, start_at = seconds * 0.3, seconds * 0.7
        log(f"phase 2: {seconds} s load, Redis stopped at {stop_at:.0f} s and started at {start_at:.0f} s")
        seen = {}

        def stop_redis(load):
            self.processes.stop("redis")
            time.sleep(1)
            seen["readyz"] = self.readyz()
            seen["sign_in"] = self.sign_in_with_totp()
            return {"stopped": load.now()}

        def start_redis(load):
            self.start_redis()
            time.sleep(1)
            seen["readyz_after"] = self.readyz()
            return {"started": load.now()}

        logged_before = self.cache_errors_logged()
        load = Load(self.requests)
        marks = load.run(seconds, [(stop_at, stop_redis), (start_at, start_redis)])
        logged = self.cache_errors_logged() - logged_before
        total = figures(load.results)
        print(describe("redis: whole phase", total, seconds))
        print(describe("  before the stop", figures(load.results, 0, marks["stopped"]), marks["stopped"]))
        down = figures(load.results, marks["stopped"], marks["started"])
        print(describe("  Redis down (uncached)", down, marks["started"] - marks["stopped"]))
        print(describe("  after the restart", figures(load.results, marks["started"]), seconds - marks["started"]))
        self.expect(total["errors"] == 0, f"Redis stopped mid-load: 0 errors ({total['errors']})")
        self.expect(down["requests"] > 0, f"pages were served while Redis was down ({down['requests']})")
        # Each failed cache call was ignored (served uncached) and logged at most once a minute per worker.
        self.expect(
            1 <= logged <= GUNICORN_WORKERS * (1 + int(seconds // 60)),
            f"the outage was logged once per worker, not per cache call ({logged} log records)",
        )
        status, body = seen["readyz"]
        self.expect(
            status == 200 and body.get("status") == "degraded",
            f"/readyz while Redis is down: {status} {body.get('status')} (want 200 degraded)",
        )
        self.expect(
            seen["sign_in"] == 200,
            f"an Editor signs in with password and authenticator code while Redis is down ({seen['sign_in']})",
        )
        status, body = seen["readyz_after"]
        self.expect(
            status == 200 and body.get("status") == "ok", f"/readyz once Redis is back: {status} {body.get('status')}"
        )

    def phase_postgres(self):
        seconds = self.args.outage
        stop_at = seconds * 0.3
        log(f"phase 3: {seconds} s load, PostgreSQL restarted at {stop_at:.0f} s")

        def restart_postgres(load):
            stopped = load.now()
            self.processes.stop("postgres", sig=signal.SIGINT)  # fast shutdown: connections are cut
            ready = self.start_postgres() - load.t0
            return {"stopped": stopped, "ready": ready}

        load = Load(self.requests)
        marks = load.run(seconds, [(stop_at, restart_postgres)])
        total = figures(load.results)
        window_end = marks["ready"] + RESTART_GRACE
        print(describe("postgres: whole phase", total, seconds))
        print(f"  restart window: PostgreSQL stopped at {marks['stopped']:.2f} s, accepting again at "
              f"{marks['ready']:.2f} s ({marks['ready'] - marks['stopped']:.2f} s)")
        def in_window(r):  # the request was in flight at some moment of the window
            return marks["stopped"] <= r.started + r.latency and r.started <= window_end

        outside = [r for r in load.results if r.status not in OK_STATUSES and not in_window(r)]
        after = figures(load.results, window_end)
        print(describe("  after the window", after, seconds - window_end))
        self.expect(
            not outside, f"errors only inside the restart window (+{RESTART_GRACE:.0f} s): {len(outside)} outside"
        )
        self.expect(after["requests"] > 0 and after["errors"] == 0, "recovered: requests after the window all succeed")
        gunicorn = self.processes.running["gunicorn"]
        self.expect(
            gunicorn.poll() is None and gunicorn.pid == self.gunicorn_pid, "the same gunicorn master served throughout"
        )

    def phase_smtp(self):
        count = self.args.signups
        log(f"phase 4: SMTP down, {count} sign-ups, then SMTP back and the outbox swept")
        self.processes.stop("smtp")
        statuses = []
        for n in range(count):
            connection = http.client.HTTPConnection(HOST, PORTS["web"], timeout=30)
            connection.request(
                "POST", "/newsletter/", body=f"email=reader{n}%40example.com",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            statuses.append(connection.getresponse().status)
            connection.close()
        queued = self.queued()
        print(f"smtp: {count} sign-ups while SMTP was down: statuses {sorted(set(statuses))}, {queued} mails queued")
        self.expect(statuses == [302] * count, "every sign-up answered 302 while SMTP was down")
        self.expect(queued == count, f"every mail waits in the outbox ({queued} of {count})")
        self.start_smtp()
        swept = self.manage("send_signup_mails", "--now").stdout.strip()
        received = len(mailbox.Maildir(self.workdir / "maildir", create=False))
        still = self.queued()
        print(f"smtp: back; {swept} — the SMTP server received {received} mails, {still} still queued")
        self.expect(received == count and still == 0, f"every queued mail was sent once SMTP was back ({received})")

    def cache_errors_logged(self):
        """How many cache-error records gunicorn's workers have logged so far."""
        text = (self.workdir / "gunicorn.log").read_text(errors="replace")
        return sum(1 for line in text.splitlines() if "newsroom.cache" in line and "Exception ignored" in line)

    def queued(self):
        """Sign-up mails waiting in the outbox."""
        return int(self.manage("shell", "-c", QUEUED).stdout.strip().splitlines()[-1])

    def run(self):
        try:
            self.setup()
            self.phase_steady()
            self.phase_redis()
            self.phase_postgres()
            self.phase_smtp()
        finally:
            self.processes.stop_all()
            if self.failures:
                log(f"logs kept in {self.workdir}")
            else:
                shutil.rmtree(self.workdir, ignore_errors=True)
        if self.failures:
            print(f"\nresilience: {len(self.failures)} check(s) failed")
            return 1
        print("\nresilience: every check passed")
        return 0


QUEUED = "from newsletter.models import SignupMail; print(SignupMail.objects.filter(sent_at__isnull=True).count())"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steady", type=float, default=60, help="seconds of steady load (60)")
    parser.add_argument("--outage", type=float, default=25, help="seconds of each outage phase (25)")
    parser.add_argument("--signups", type=int, default=20, help="sign-ups while SMTP is down (20)")
    parser.add_argument(
        "--port-base", type=int, help="use ports N (web), N+1 (SMTP), N+2 (Redis), N+3 (PostgreSQL) instead of "
        + ", ".join(f"{port} ({name})" for name, port in PORTS.items()),
    )
    args = parser.parse_args()
    if args.port_base:  # several people (or CI jobs) on one machine each run the suite on their own ports
        PORTS.update({name: args.port_base + n for n, name in enumerate(("web", "smtp", "redis", "postgres"))})
    sys.exit(Suite(args).run())


if __name__ == "__main__":
    main()
