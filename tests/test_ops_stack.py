"""The web container's entrypoint run natively against PostgreSQL and Redis, behind the real nginx config.

CI has no Docker engine, so this is the closest to `docker compose up`: a fresh database, the static
files collected as the image build does, two `release` runs racing (the advisory lock keeps the
migrations apart), gunicorn started by the entrypoint, nginx rendered from our template, and the
compose file's `worker` and `scheduler` services started by the entrypoint on a queue of their own:
with no cron, the scheduler's jobs reach the worker, a dropped wire file becomes a story, an
uploaded photo gets its renditions, and the pipeline health says all is well.
"""
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings

from pipeline.schedule import LOCK_NAME
from tests.ops_helpers import admin_connection, database_url
from tests.queue_helpers import TEST_QUEUE_URL, clear_queue_keys

METRICS_TOKEN = secrets.token_urlsafe(24)

ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, path, method="GET", headers=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def wait_for(port, path, deadline=60):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            return request(port, path)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered on port {port} within {deadline}s")


def make_read_only_role(dbname):
    role = f"{dbname}_reader"
    with admin_connection() as conn:
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
    with psycopg.connect(database_url(dbname), autocommit=True) as conn:
        conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"')
    return role


def reader_last_queries(dbname):
    """The last statement of each connection the read-only role holds open (CONN_MAX_AGE keeps them)."""
    with admin_connection() as conn:
        rows = conn.execute("SELECT query FROM pg_stat_activity WHERE usename = %s AND datname = %s",
                            [f"{dbname}_reader", dbname]).fetchall()
    return [query for (query,) in rows]


def render_nginx(tmp, web_port, nginx_port, max_upload_mb):
    """Our template as the nginx image would render it, with local paths instead of the volumes."""
    conf = (ROOT / "docker" / "nginx" / "default.conf.template").read_text()
    for old, new in {
        "${NEWSROOM_MAX_UPLOAD_MB}": str(max_upload_mb),
        "listen 80 default_server;": f"listen 127.0.0.1:{nginx_port} default_server;",
        "http://web:8000": f"http://127.0.0.1:{web_port}",
        "/srv/static/": f"{tmp}/published_static/",
        "/srv/media/renditions/": f"{tmp}/media/renditions/",
        "/var/cache/nginx/newsroom": f"{tmp}/nginx/page-cache",
    }.items():
        assert conf.count(old) == 1, old
        conf = conf.replace(old, new)
    assert "${" not in conf
    (tmp / "nginx").mkdir()
    (tmp / "nginx" / "default.conf").write_text(conf)
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read pytest's private tmp dir
    (tmp / "nginx" / "nginx.conf").write_text(f"""
{user}
daemon off;
pid {tmp}/nginx/nginx.pid;
error_log stderr warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {tmp}/nginx/body;
    proxy_temp_path {tmp}/nginx/proxy;
    fastcgi_temp_path {tmp}/nginx/fastcgi;
    uwsgi_temp_path {tmp}/nginx/uwsgi;
    scgi_temp_path {tmp}/nginx/scgi;
    include {tmp}/nginx/default.conf;
}}
""")
    return tmp / "nginx" / "nginx.conf"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not Path(NGINX).exists():
        # scripts/ci_ops_smoke.sh installs it and reruns this module, failing on any skip.
        pytest.skip("nginx is needed for the stack test: apt-get install nginx-light")
    tmp = tmp_path_factory.mktemp("stack")
    dbname = f"{settings.DATABASES['default']['NAME']}_stack"
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        conn.execute(f'CREATE DATABASE "{dbname}"')
    web_port, nginx_port = free_port(), free_port()
    env = {
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
        "HOME": str(tmp),
        "LANG": "C.UTF-8",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url(dbname),
        "REDIS_URL": "redis://127.0.0.1:6379/14",
        "CACHE_KEY_PREFIX": f"stack-{secrets.token_hex(4)}",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private_media"),
        "STATIC_PUBLISH_DIR": str(tmp / "published_static"),
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
        "GUNICORN_GRACEFUL_TIMEOUT": "2",  # quick teardown
        # The queue on a Redis database of its own, as compose's `queue` service is.
        "TASKS_REDIS_URL": TEST_QUEUE_URL,
        "NEWSROOM_METRICS_TOKEN": METRICS_TOKEN,
        "WIRE_INTAKE_POLL_SECONDS": "2",
        "WIRE_INTAKE_SETTLE_SECONDS": "1",
        "NEWSROOM_PHOTO_AVIF": "0",  # the slow encoder is not what this test is about
    }
    queue = redis.Redis.from_url(TEST_QUEUE_URL)
    clear_queue_keys(queue)
    queue.delete(LOCK_NAME)
    processes = []
    try:
        # What the Dockerfile does at build time.
        build = subprocess.run([ENTRYPOINT, "manage", "collectstatic", "--noinput", "-v0"], env=env,
                               capture_output=True, text=True, timeout=300)
        assert build.returncode == 0, build.stderr
        # Two replicas' worth of `release` at once: the advisory lock must serialise the migrations.
        releases = [subprocess.Popen([ENTRYPOINT, "release"], env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True) for _ in range(2)]
        release_logs = [p.communicate(timeout=300)[0] for p in releases]
        # A read-only role stands in for a streaming replica: public reads must work through it.
        reader = make_read_only_role(dbname)
        web_env = env | {"DATABASE_REPLICA_URL": database_url(dbname, user=reader)}
        web = subprocess.Popen([ENTRYPOINT, "web"], env=web_env, stdout=open(tmp / "web.log", "w"),
                               stderr=subprocess.STDOUT, start_new_session=True)
        processes.append(web)
        nginx = subprocess.Popen([NGINX, "-c", str(render_nginx(tmp, web_port, nginx_port, 1)), "-p", str(tmp)],
                                 stdout=open(tmp / "nginx.log", "w"), stderr=subprocess.STDOUT,
                                 start_new_session=True)
        processes.append(nginx)
        wait_for(web_port, "/healthz")
        wait_for(nginx_port, "/healthz")
        for service in ("worker", "scheduler"):  # compose's two background services
            processes.append(subprocess.Popen([ENTRYPOINT, service], env=env, stdout=open(tmp / f"{service}.log", "w"),
                                              stderr=subprocess.STDOUT, start_new_session=True))
        yield {"tmp": tmp, "web": web_port, "nginx": nginx_port, "releases": releases,
               "release_logs": release_logs, "dbname": dbname, "env": env}
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        with admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{dbname}_reader"')
        clear_queue_keys(queue)
        queue.delete(LOCK_NAME)
        queue.close()


def test_two_releases_at_once_both_succeed_and_the_schema_is_complete(stack):
    assert [p.returncode for p in stack["releases"]] == [0, 0], stack["release_logs"]
    assert all("Static files were collected at build time." in log for log in stack["release_logs"])
    with psycopg.connect(database_url(stack["dbname"])) as db:
        tables = {name for (name,) in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert {"django_migrations", "articles_article", "articles_photo", "django_session"} <= tables


def test_gunicorn_started_by_the_entrypoint_is_ready(stack):
    status, headers, body = request(stack["web"], "/readyz")
    assert status == 200, body
    assert json.loads(body)["checks"] == {"database": "ok", "cache": "ok", "media": "ok"}


def test_nginx_proxies_with_a_request_id_and_https_is_enforced(stack):
    status, headers, _ = request(stack["nginx"], "/readyz")
    assert status == 200
    assert len(headers["X-Request-ID"]) == 32  # nginx's $request_id, carried through Django's logs
    status, headers, _ = request(stack["nginx"], "/", headers={"Host": "localhost"})
    assert status == 301 and headers["Location"] == "https://localhost/"
    status, headers, body = request(stack["nginx"], "/", headers={"Host": "localhost", "X-Forwarded-Proto": "https"})
    assert status == 200, body[:500]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_anonymous_public_pages_read_through_the_replica(stack):
    # The replica alias connects as a role that may only SELECT: the page works and that role is
    # connected; any write routed there would fail. (Which requests use it: test_ops_middleware.py.)
    https = {"Host": "localhost", "X-Forwarded-Proto": "https"}
    status, _, body = request(stack["nginx"], "/section/no-such-section/", headers=https)
    assert status == 404, body[:300]
    status, _, body = request(stack["nginx"], "/", headers=https)
    assert status == 200, body[:300]
    # Not just /readyz's SELECT 1: the page's own story queries ran as the read-only role.
    assert any("articles_" in query for query in reader_last_queries(stack["dbname"]))


def test_nginx_serves_hashed_static_files_compressed_with_a_year_of_cache(stack):
    manifest = json.loads((stack["tmp"] / "published_static" / "staticfiles.json").read_text())["paths"]
    status, headers, _ = request(stack["nginx"], f"/static/{manifest['admin/css/base.css']}",
                                 headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Encoding"] == "gzip"
    status, headers, _ = request(stack["nginx"], "/static/admin/css/base.css")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=3600"


def test_nginx_serves_renditions_but_never_the_private_originals(stack):
    tmp = stack["tmp"]
    rendition = tmp / "media" / "renditions" / "ab" / "abcdef-w640-1a2b3c4d.jpg"
    rendition.parent.mkdir(parents=True)
    rendition.write_bytes(b"\xff\xd8\xff rendition bytes")
    original = tmp / "private_media" / "originals" / "ab" / "abcdef.jpg"
    original.parent.mkdir(parents=True)
    original.write_bytes(b"\xff\xd8\xff original bytes")
    stray = tmp / "media" / "originals" / "ab" / "abcdef.jpg"  # even if one landed in public media
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"\xff\xd8\xff stray original")

    status, headers, body = request(stack["nginx"], "/media/renditions/ab/abcdef-w640-1a2b3c4d.jpg")
    assert status == 200 and body == b"\xff\xd8\xff rendition bytes"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for path in ("/media/originals/ab/abcdef.jpg", "/media/renditions/../originals/ab/abcdef.jpg",
                 "/media/private_media/originals/ab/abcdef.jpg", "/private_media/originals/ab/abcdef.jpg"):
        status, _, body = request(stack["nginx"], path, headers={"X-Forwarded-Proto": "https"})
        assert status == 404, path
        assert b"original bytes" not in body and b"stray original" not in body


def test_nginx_refuses_uploads_over_the_limit(stack):
    status, _, _ = request(stack["nginx"], "/admin/login/", method="POST", body=b"x" * (1024 * 1024 + 1),
                           headers={"Content-Type": "application/octet-stream"})
    assert status == 413


def test_nginx_micro_caches_public_pages_but_never_for_staff_or_the_admin(stack):
    https = {"Host": "localhost", "X-Forwarded-Proto": "https"}
    request(stack["nginx"], "/feeds/rss/", headers=https)
    status, headers, _ = request(stack["nginx"], "/feeds/rss/", headers=https)
    assert status == 200 and headers["X-Micro-Cache"] == "HIT"
    _, headers, _ = request(stack["nginx"], "/feeds/rss/", headers={**https, "Cookie": "sessionid=staff"})
    assert headers["X-Micro-Cache"] == "BYPASS"
    for _ in range(2):
        _, headers, _ = request(stack["nginx"], "/admin/login/", headers=https)
    assert headers["X-Micro-Cache"] != "HIT"


# --- the background services: what `docker compose up` runs all day, with no cron on the host ---------


def eventually(check, what, deadline=120):
    """Poll `check()` until it returns something true (a loaded machine starts Django slowly)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {deadline}s")


def manage(stack, *args):
    """`entrypoint.sh manage ...` as `docker compose exec web python manage.py ...` would run it."""
    return subprocess.run([ENTRYPOINT, "manage", *args], env=stack["env"], capture_output=True, text=True,
                          timeout=120)


def query(stack, sql, params=()):
    with psycopg.connect(database_url(stack["dbname"])) as db:
        return db.execute(sql, params).fetchall()


def test_the_scheduler_reaches_the_worker_and_both_health_checks_pass(stack):
    # The scheduler queues the heartbeat task at once when it starts; only a worker can run it.
    eventually(lambda: query(stack, "SELECT 1 FROM pipeline_heartbeat WHERE name = 'worker'"),
               "a worker running the scheduler's heartbeat task")
    worker_check = manage(stack, "check_worker", "--max-age", "60")  # compose's worker health check
    assert worker_check.returncode == 0, worker_check.stderr
    scheduler_check = manage(stack, "check_heartbeat", "scheduler", "--max-age", "90")
    assert scheduler_check.returncode == 0, scheduler_check.stderr


def test_a_file_dropped_in_an_intake_folder_becomes_a_story(stack):
    folder = stack["tmp"] / "wire-drop" / "yonhap"
    folder.mkdir(parents=True)
    made = manage(stack, "shell", "-c", (
        "from articles.models import Source; from wire.models import Intake; "
        f"Intake.objects.create(source=Source.objects.for_name('Yonhap'), kind='folder', location={str(folder)!r})"
    ))
    assert made.returncode == 0, made.stderr
    item = {"uri": "urn:stack:drop:1", "version": "1", "type": "text", "versioncreated": "2026-03-02T08:00:00Z",
            "headlines": [{"role": "main", "value": "Harbour cranes back at work"}],
            "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>Loading resumed at dawn.</p>"}]}
    (folder / "cranes.json").write_text(json.dumps(item))

    eventually(lambda: query(stack, "SELECT 1 FROM articles_article WHERE headline = %s",
                             ["Harbour cranes back at work"]), "the dropped story")
    assert eventually(lambda: list((folder / ".processed").glob("*/cranes.json")), "the file moved aside")


def test_an_uploaded_photo_gets_its_renditions_from_the_worker(stack):
    photo = ROOT / "tests" / "fixtures" / "photos" / "iptc_only_4000x2667.jpg"
    uploaded = manage(stack, "shell", "-c", (
        "from django.core.files import File; from articles.photos import import_photo; "
        f"p = import_photo(File(open({str(photo)!r}, 'rb'), name='harbour.jpg'))[0]; "
        "print(p.pk, p.renditions.count())"
    ))
    assert uploaded.returncode == 0, uploaded.stderr
    photo_id, made_in_upload = map(int, uploaded.stdout.split()[-2:])
    assert made_in_upload == 0  # the upload only stored and checked the original
    eventually(lambda: query(stack, "SELECT 1 FROM articles_rendition WHERE photo_id = %s AND spec = 'w320.webp'",
                             [photo_id]), "the worker's renditions")


def test_the_pipeline_health_is_ok_and_prometheus_sees_the_worker(stack):
    auth = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    https = {"Host": "localhost", "X-Forwarded-Proto": "https"}

    def healthy():
        status, _, body = request(stack["nginx"], "/admin/pipeline.json", headers={**https, **auth})
        return status == 200 and json.loads(body)

    health = eventually(healthy, "an ok pipeline health")
    assert health["queue"]["backend"] == "rq" and health["queue"]["workers"]
    assert {"scheduler", "worker"} <= set(health["heartbeats"])
    status, _, body = request(stack["web"], "/metrics", headers=auth)
    assert status == 200
    text = body.decode()
    assert "newsroom_workers 1.0" in text and "newsroom_pipeline_degraded 0.0" in text
    assert "django_http_requests_latency_seconds_by_view_method" in text  # gunicorn's, across processes
    status, _, _ = request(stack["nginx"], "/metrics", headers={**https, **auth})
    assert status == 404  # refused on the public side
