"""Reader page speed: Newsroom under gunicorn against a bare-Django baseline serving the same bytes.

    .venv/bin/python bench/pages.py                 # 10,000 stories, a few minutes
    .venv/bin/python bench/pages.py --large 100000  # also: 100k-vs-10k cost, search p95, admin list

Everything runs on 127.0.0.1, on seven ports from --port-base (BENCH_PORT_BASE, default 8510), with
its files under /tmp/<database>_bench, and stops by PID what it started. Corpora live in PostgreSQL
databases named <database>_bench_<N> (<database>: DATABASE_URL's, so two engineers never share
one) on DATABASE_URL's server, built once through bulk paths (bench/corpus.py) and reused by later
runs (--rebuild drops them).

Servers, as production runs them: gunicorn, sync workers, 2 workers, DEBUG off, collected static
files. "uncached" is Newsroom with the whole-page cache off (NEWSROOM_PAGE_CACHE_SECONDS=0;
navigation and the Top 10 stay cached as always); "cached" is production's configuration, the
cache in Redis (--redis-url, default REDIS_URL; keys under a prefix of the run's own, nothing is
flushed); "memory-cached" the quick start's, each worker's own memory (one query per hit). The
baseline is bench/baseline_app.py: Django with no middleware returning the bytes Newsroom served
for the same page, from memory. nginx runs our own
docker/nginx/default.conf.template: its micro-cache in front of the cached gunicorn, and the same
bytes as a static file. Load: wrk, after a 1 s warm-up per target. The figures are printed, never
asserted; ratios measured in the same run are what to compare (the machine is shared).
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

from _setup import corpus_database, server_env  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom")
DATABASE_NAME = urllib.parse.urlsplit(DATABASE_URL).path.lstrip("/") or "newsroom"
WORK = Path(f"/tmp/{DATABASE_NAME}_bench")
PORT_NAMES = ("uncached", "cached", "baseline", "nginx", "large", "memory", "floor")
PORTS = {}  # set from --port-base in main()
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SEARCHES = {"search": "harbour budget"}
ENGLISH_QUERIES = ["harbour budget", "council rail", "ferry market", "court river", "school hospital", "energy bridge"]
KOREAN_QUERIES = ["평양 회담", "서울시 예산안", "부산항", "정부 대책", "평양", "예산안"]
TARGETS = {"uncached story": 0.15, "uncached home": 0.08, "uncached section": 0.08, "uncached tag": 0.08,
           "cached story": 0.80, "cached home": 0.80, "micro-cache story": 0.50, "micro-cache home": 0.50}
RATIOS = {}  # name -> (ratio, target or None), for the summary at the end
NO_TARGET = {
    "uncached robots": "(no target: the whole stack and the generation read every public response's ETag needs)",
    "floor story": "(no target: the whole stack and the story page's query of the story and its links)",
}
FLOOR = {}  # page -> req/s ÷ its floor's (bench/floor_urls.py)
SCALING = {}  # page -> cost at --large / cost at --stories (target: at most 1.2)


def django_env(db, **extra):
    return server_env(db, WORK, **extra)


def ensure_corpus(stories, rebuild=False):
    db = f"{DATABASE_NAME}_bench_{stories}"
    env = django_env(db)
    if corpus_database(db, rebuild):
        print(f"building the corpus of {stories:,} stories in {db} (once) ...", file=sys.stderr, flush=True)
        started = time.monotonic()
        subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([PY, "bench/corpus.py", "build", "--stories", str(stories)], cwd=ROOT, env=env, check=True)
        print(f"  built in {time.monotonic() - started:.0f} s", file=sys.stderr)
    else:
        subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([PY, "bench/corpus.py", "refresh"], cwd=ROOT, env=env, check=True)
    info = json.loads(subprocess.run([PY, "bench/corpus.py", "paths"], cwd=ROOT, env=env, check=True,
                                     capture_output=True, text=True).stdout)
    return db, info


def collect_static():
    """Collected as production does (incremental: only changed files are copied again)."""
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                   env=django_env("postgres"), check=True)


@contextmanager
def process(args, *, env=None, cwd=ROOT, log_name):
    log = open(WORK / f"{log_name}.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def gunicorn(name, port, env, app="newsroom.wsgi:application", cwd=ROOT):
    args = [PY, "-m", "gunicorn", app, "-b", f"127.0.0.1:{port}", "-w", "2", "-k", "sync",
            "--keep-alive", "5", "--timeout", "60", "--max-requests", "0"]
    return process(args, env=env, cwd=cwd, log_name=name)


def wait_for(port, path="/healthz", deadline=60):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"nothing answered on port {port}; see {WORK}/*.log")


def fetch(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        return response.read()


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(port, path, seconds, connections):
    url = f"http://127.0.0.1:{port}{path}"
    subprocess.run(["wrk", "-t2", f"-c{connections}", "-d1s", url], capture_output=True, check=True)  # warm-up
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(p):
        number, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)\b", out).groups()
        return float(number) * UNITS[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return {"rps": rps, "p50": percentile(50), "p99": percentile(99), "errors": errors}


def sequential_ms(port, paths, repeat):
    """Unloaded latency: median and p95 of one request at a time over `paths` (cycled)."""
    for path in paths[:3]:
        fetch(port, path)
    timings = []
    for n in range(repeat):
        started = time.perf_counter()
        fetch(port, paths[n % len(paths)])
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {"median": statistics.median(timings), "p95": timings[int(0.95 * (len(timings) - 1))]}


INTERLEAVED_ROUNDS, INTERLEAVED_REQUESTS = 6, 8


def interleaved_ms(*servers):
    """Median ms of one request on each (port, path), in rounds that take turns between them: a
    minute of noise on this shared machine then weighs on every server alike, not on one."""
    timings = {server: [] for server in servers}
    for port, path in servers:
        for _ in range(3):
            fetch(port, path)
    for _ in range(INTERLEAVED_ROUNDS):
        for server in servers:
            port, path = server
            for _ in range(INTERLEAVED_REQUESTS):
                started = time.perf_counter()
                fetch(port, path)
                timings[server].append((time.perf_counter() - started) * 1000)
    return [statistics.median(timings[server]) for server in servers]


def render_nginx(upstream_port, bytes_dir):
    conf = (ROOT / "docker" / "nginx" / "default.conf.template").read_text()
    for old, new in {
        "${NEWSROOM_MAX_UPLOAD_MB}": "50",
        "listen 80 default_server;": f"listen 127.0.0.1:{PORTS['nginx']} default_server;",
        "http://web:8000": f"http://127.0.0.1:{upstream_port}",
        "/srv/static/": f"{bytes_dir}/",
        "/srv/media/renditions/": f"{WORK}/media/renditions/",
        "/var/cache/nginx/newsroom": f"{WORK}/nginx/page-cache",
    }.items():
        conf = conf.replace(old, new)
    folder = WORK / "nginx"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "default.conf").write_text(conf)
    user = "user root;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(f"""
{user}
daemon off;
worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/default.conf;
}}
""")
    return folder / "nginx.conf"


def row(name, figures, baseline=None):
    ratio = f"{figures['rps'] / baseline['rps']:8.1%}" if baseline else " " * 8
    target = TARGETS.get(name)
    if baseline:
        RATIOS[name] = (figures["rps"] / baseline["rps"], target)
    verdict = ""
    if figures["errors"]:  # a failing server answers fast: its ratio measures the failure
        verdict = "  errors: not a valid figure"
        RATIOS.pop(name, None)
    elif target is not None and baseline:
        verdict = f"  target {target:.0%}: {'met' if figures['rps'] / baseline['rps'] >= target else 'NOT met'}"
    print(f"{name:<24}{figures['rps']:>9.0f}{figures['p50']:>9.1f}{figures['p99']:>9.1f}{figures['errors']:>7}"
          f"{ratio}{verdict}", flush=True)


def header(title, against):
    print(f"\n{title}\n{'page':<24}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>7}{'÷ ' + against:>10}")


def page_paths(info):
    return {
        "story": info["story"],
        "home": "/",
        "section": info["section"],
        "tag": info["tag"],
        "search": "/search/?" + urllib.parse.urlencode({"q": SEARCHES["search"]}),
        "feed": "/feeds/rss/",
        # No query and no template: what the whole middleware stack alone lets a page reach (the floor).
        "robots": "/robots.txt",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=0, help="also measure a corpus this big (e.g. 100000)")
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per target")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the corpora")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
                        help="Redis of the cached server (default: REDIS_URL); keys under a prefix of this run")
    parser.add_argument("--port-base", type=int, default=int(os.environ.get("BENCH_PORT_BASE", "8510")),
                        help=f"first of {len(PORT_NAMES)} ports on 127.0.0.1")
    args = parser.parse_args()
    # A plain `kill` of this script still stops every server it started (the ExitStack unwinds).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM; servers stopped"))
    PORTS.update({name: args.port_base + n for n, name in enumerate(PORT_NAMES)})
    WORK.mkdir(parents=True, exist_ok=True)
    bytes_dir = WORK / "bytes"
    shutil.rmtree(bytes_dir, ignore_errors=True)
    bytes_dir.mkdir()

    db, info = ensure_corpus(args.stories, args.rebuild)
    if args.large:  # built (once) before any server runs: the build would load the machine
        large_db, large_info = ensure_corpus(args.large, args.rebuild)
    collect_static()
    paths = page_paths(info)
    load = os.getloadavg()
    print(f"bench/pages.py: {info['stories']:,} stories, wrk -t2 -c{args.connections} -d{args.seconds}s, "
          f"gunicorn sync x2, DEBUG off; load average before: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (2 cores)")

    with ExitStack() as stack:
        stack.enter_context(gunicorn("uncached", PORTS["uncached"], django_env(
            db, NEWSROOM_PAGE_CACHE_SECONDS="0", NEWSROOM_SEARCH_CACHE_SECONDS="0")))
        # As production runs it: the page cache in Redis (one round trip per hit, no query).
        stack.enter_context(gunicorn("cached", PORTS["cached"], django_env(
            db, REDIS_URL=args.redis_url, CACHE_KEY_PREFIX=f"bench-pages-{os.getpid()}-{time.time():.0f}")))
        # The quick start's: each worker's own memory (then one query per hit reads the generation).
        stack.enter_context(gunicorn("memory", PORTS["memory"], django_env(db)))
        for name in ("uncached", "cached", "memory"):
            wait_for(PORTS[name])
        sizes = {}
        for name, path in paths.items():
            body = fetch(PORTS["cached"], path)
            (bytes_dir / f"{name}.html").write_bytes(body)
            sizes[name] = len(body)
        stack.enter_context(gunicorn("baseline", PORTS["baseline"], {**os.environ, "BENCH_BYTES_DIR": str(bytes_dir)},
                                     app="baseline_app:application", cwd=ROOT / "bench"))
        wait_for(PORTS["baseline"], "/home")
        # The floor (bench/floor_urls.py): the uncached server plus one view doing only the story's live reads.
        stack.enter_context(gunicorn("floor", PORTS["floor"], django_env(
            db, NEWSROOM_PAGE_CACHE_SECONDS="0", DJANGO_SETTINGS_MODULE="floor_settings",
            BENCH_BYTES_DIR=str(bytes_dir), PYTHONPATH=str(ROOT / "bench"))))  # after the repo: bench/api.py is no app
        wait_for(PORTS["floor"])
        stack.enter_context(process([NGINX, "-c", str(render_nginx(PORTS["cached"], bytes_dir)), "-p", str(WORK)],
                                    log_name="nginx"))
        wait_for(PORTS["nginx"], "/static/home.html")
        print("page sizes (bytes): " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))

        baseline = {}
        header("Uncached pages (whole-page cache off) against the baseline", "baseline")
        for name, path in paths.items():
            figures = wrk(PORTS["uncached"], path, args.seconds, args.connections)
            baseline[name] = wrk(PORTS["baseline"], f"/{name}", args.seconds, args.connections)
            row(f"uncached {name}", figures, baseline[name])
            if name == "story":
                floor = wrk(PORTS["floor"], f"/floor/{info['story'].rstrip('/').rsplit('/', 1)[1]}/", args.seconds,
                            args.connections)
                row("  floor story", floor, baseline[name])
                if not floor["errors"]:
                    FLOOR["uncached story"] = figures["rps"] / floor["rps"]
            row(f"  baseline {name}", baseline[name])
        print("  (floor story: the whole stack and the story page's query of the story and its links, bytes from "
              "memory; uncached robots: the whole stack and the generation read every public response makes for its "
              "ETag)")

        header(f"Cached pages (anonymous whole-page cache in Redis, {args.redis_url}) against the baseline",
               "baseline")
        for name, path in paths.items():
            row(f"cached {name}", wrk(PORTS["cached"], path, args.seconds, args.connections), baseline[name])
        header("Cached pages, per-worker memory cache (no Redis: one query per hit) against the baseline", "baseline")
        for name in ("story", "home"):
            row(f"memory-cached {name}", wrk(PORTS["memory"], paths[name], args.seconds, args.connections),
                baseline[name])

        header("nginx micro-cache (our template) against nginx serving the same bytes as a static file", "static")
        for name in ("story", "home"):
            static = wrk(PORTS["nginx"], f"/static/{name}.html", args.seconds, args.connections)
            row(f"micro-cache {name}", wrk(PORTS["nginx"], paths[name], args.seconds, args.connections), static)
            row(f"  nginx static {name}", static)

        if args.large:
            stack.enter_context(gunicorn("large", PORTS["large"], django_env(
                large_db, NEWSROOM_PAGE_CACHE_SECONDS="0", NEWSROOM_SEARCH_CACHE_SECONDS="0")))
            wait_for(PORTS["large"])
            large_paths = page_paths(large_info)
            print(f"\n{args.large:,} stories against {info['stories']:,}: unloaded median ms of one uncached "
                  f"request ({INTERLEAVED_ROUNDS} rounds of {INTERLEAVED_REQUESTS} on each server, taking turns)")
            print(f"{'page':<10}{info['stories']:>10,}{args.large:>10,}{'ratio':>8}   target: within 20 %")
            for name in ("story", "home", "section", "tag"):
                small, big = interleaved_ms((PORTS["uncached"], paths[name]), (PORTS["large"], large_paths[name]))
                ratio = big / small
                SCALING[name] = ratio
                print(f"{name:<10}{small:>10.1f}{big:>10.1f}{ratio:>8.2f}   {'met' if ratio <= 1.2 else 'NOT met'}")
            print(f"\nsearch at {args.large:,} stories, unloaded, 60 requests over six queries each "
                  "(target p95 < 100 ms)")
            for label, queries in (("English", ENGLISH_QUERIES), ("Korean", KOREAN_QUERIES)):
                queries = [f"/search/?{urllib.parse.urlencode({'q': q})}" for q in queries]
                figures = sequential_ms(PORTS["large"], queries * 10, 60)
                print(f"  {label:<8} median {figures['median']:6.1f} ms   p95 {figures['p95']:6.1f} ms   "
                      f"{'met' if figures['p95'] < 100 else 'NOT met'}")

    if args.large:
        # Signed in with force_login, as the tests do: the two-factor requirement is not what it measures.
        listing = subprocess.run([PY, "bench/corpus.py", "admin-list"], cwd=ROOT, capture_output=True, text=True,
                                 env=django_env(large_db, NEWSROOM_2FA_REQUIRED_ROLES=""))
        if listing.returncode:
            print(f"\nadmin story list at {args.large:,} stories: FAILED\n{listing.stderr[-2000:]}")
        else:
            admin = json.loads(listing.stdout)
            print(f"\nadmin story list at {args.large:,} stories (in-process, logged in, 15 requests): "
                  f"median {admin['median_ms']:.0f} ms, p95 {admin['p95_ms']:.0f} ms   target < 300 ms: "
                  f"{'met' if admin['p95_ms'] < 300 else 'NOT met'}")
    summary(args)
    load = os.getloadavg()
    print(f"\nload average after: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


def summary(args):
    """Every ratio of issue #12's targets, in one table."""
    print("\nSummary: every ratio of this run against its target (req/s ÷ the same run's baseline)")
    for name, (ratio, target) in RATIOS.items():
        name = name.strip()
        if target is None and not name.startswith("memory-cached") and name not in NO_TARGET:
            continue
        verdict = f"target {target:>4.0%}  {'met' if ratio >= target else 'NOT met'}" if target else "(no target)"
        print(f"  {name:<24}{ratio:>8.1%}   {NO_TARGET.get(name, verdict)}")
    for name, ratio in FLOOR.items():
        print(f"  {name + ' ÷ floor':<24}{ratio:>8.1%}   (how near the page is to its floor)")
    if args.large:
        for name, ratio in SCALING.items():
            print(f"  {name + f' {args.large // 1000}k÷{args.stories // 1000}k':<24}{ratio:>8.2f}   "
                  f"target ≤ 1.20  {'met' if ratio <= 1.2 else 'NOT met'}")


if __name__ == "__main__":
    main()
