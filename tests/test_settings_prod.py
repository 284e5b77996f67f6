"""Production settings: they load from .env.example-style values and `check --deploy` is clean."""
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Printed by the child process: the settings these tests look at (no django.setup(), so the
# optional S3 backend need not be installed to read them).
PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_PROXY_SSL_HEADER": settings.SECURE_PROXY_SSL_HEADER,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": settings.SESSION_COOKIE_HTTPONLY,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "CSP": bool(settings.CONTENT_SECURITY_POLICY),
    "CSP_REPORT_ONLY": bool(settings.CONTENT_SECURITY_POLICY_REPORT_ONLY),
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "SESSION_ENGINE": settings.SESSION_ENGINE,
    "DATABASES": sorted(settings.DATABASES),
    "DATABASE_ROUTERS": list(settings.DATABASE_ROUTERS),
    "STORAGES": {k: v["BACKEND"] for k, v in settings.STORAGES.items()},
    "LOG_FORMATTER": settings.LOGGING["handlers"]["console"]["formatter"],
}))
"""


def env_example():
    """The variables .env.example sets (comments and blank values included as "")."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def production_env(**overrides):
    """A clean environment as compose gives the web container: .env.example plus the secrets."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"}
    env |= env_example()
    env |= {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "POSTGRES_PASSWORD": secrets.token_hex(12),
        "ALLOWED_HOSTS": "news.example.com",
        "DATABASE_URL": "postgres://newsroom:pw@127.0.0.1:5432/newsroom",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "STATIC_ROOT": str(ROOT / "staticfiles"),
    }
    env |= overrides
    return {k: v for k, v in env.items() if v is not None}


def run_probe(env):
    """Loads the settings under `env` in a child process that prints PROBE's values."""
    env = env | {"DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def loaded_settings(env):
    result = run_probe(env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_is_clean_under_production_values():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_values_switch_on_https_cookies_hsts_csp_redis_and_json_logs():
    values = loaded_settings(production_env())
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["CSP"] is True and values["CSP_REPORT_ONLY"] is False
    assert values["CACHE"] == "django_redis.cache.RedisCache"  # fails open when Redis is down
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"  # independent of Redis
    assert values["DATABASES"] == ["default"] and values["DATABASE_ROUTERS"] == []
    assert values["STORAGES"]["staticfiles"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["LOG_FORMATTER"] == "json"


def test_secure_defaults_apply_even_without_the_env_file():
    env = {"PATH": os.environ["PATH"], "SECRET_KEY": secrets.token_urlsafe(50)}
    values = loaded_settings(env)
    assert values["SECURE_SSL_REDIRECT"] and values["SESSION_COOKIE_SECURE"] and values["CSP"]
    assert values["CACHE"] == "django.core.cache.backends.locmem.LocMemCache"


def test_debug_mode_keeps_the_quick_start_relaxed():
    values = loaded_settings({"PATH": os.environ["PATH"], "DEBUG": "1"})
    assert values["SECURE_SSL_REDIRECT"] is False and values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["CSP"] is False and values["CSP_REPORT_ONLY"] is True
    assert values["STORAGES"]["staticfiles"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert values["LOG_FORMATTER"] == "plain"


def test_replica_url_adds_the_replica_alias_and_router():
    values = loaded_settings(production_env(DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/newsroom"))
    assert values["DATABASES"] == ["default", "replica"]
    assert values["DATABASE_ROUTERS"] == ["newsroom.db_router.ReplicaRouter"]


def test_s3_storage_is_a_settings_change():
    values = loaded_settings(
        production_env(
            NEWSROOM_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="news-media", AWS_PRIVATE_BUCKET_NAME="news-originals"
        )
    )
    assert values["STORAGES"]["default"] == "storages.backends.s3.S3Storage"
    assert values["STORAGES"]["originals"] == "storages.backends.s3.S3Storage"


def test_missing_secret_key_stops_startup_with_a_clear_message():
    result = run_probe(production_env(SECRET_KEY=None))
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_s3_without_a_bucket_and_unknown_storage_are_refused():
    result = run_probe(production_env(NEWSROOM_STORAGE="s3"))
    assert "Set the AWS_STORAGE_BUCKET_NAME environment variable" in result.stderr
    result = run_probe(production_env(NEWSROOM_STORAGE="ftp"))
    assert "NEWSROOM_STORAGE must be 'filesystem' or 's3'" in result.stderr


def variables_the_settings_read():
    source = (ROOT / "newsroom" / "settings.py").read_text()
    return set(re.findall(r'(?:environ\.get|environ\[|env_bool|env_int|env_list)\(?\s*"([A-Z][A-Z0-9_]*)"', source))


def test_env_example_lists_every_variable_the_settings_read():
    listed = set(env_example()) | set(re.findall(r"^# ([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.M))
    assert variables_the_settings_read() - listed == set(), "add these to .env.example (and docs/deploying.md)"


def test_deploying_md_documents_every_variable_the_settings_read():
    guide = (ROOT / "docs" / "deploying.md").read_text()
    table = guide[guide.index("## Environment variables"):]
    table = table[:table.index("\n## ", 1)]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]*)`", table))
    assert variables_the_settings_read() - documented == set(), "add a row to docs/deploying.md's table"
