"""docker-compose.yml validates and wires the stack the way docs/deploying.md says; the image is sane."""
import re
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"


def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())


def project_dir(tmp_path, **values):
    """A copy of the compose project with an .env made from .env.example, as an operator would."""
    shutil.copy(COMPOSE_FILE, tmp_path / "docker-compose.yml")
    env = (ROOT / ".env.example").read_text()
    for name, value in values.items():
        env, count = re.subn(rf"^{name}=.*$", f"{name}={value}", env, flags=re.M)
        assert count == 1, name
    (tmp_path / ".env").write_text(env)
    return tmp_path


def compose_config(directory):
    binary = shutil.which("docker-compose")
    if not binary:
        # scripts/ci_ops_smoke.sh installs it (Debian's docker-compose) and reruns this module.
        pytest.skip("docker-compose not installed (apt-get install docker-compose)")
    return subprocess.run([binary, "config"], cwd=directory, capture_output=True, text=True, timeout=60)


def test_compose_file_validates_with_the_example_env_and_secrets_filled_in(tmp_path):
    directory = project_dir(tmp_path, SECRET_KEY=secrets.token_urlsafe(50), POSTGRES_PASSWORD=secrets.token_hex(16))
    result = compose_config(directory)
    assert result.returncode == 0, result.stderr
    resolved = yaml.safe_load(result.stdout)
    assert set(resolved["services"]) == {
        "db", "redis", "queue", "migrate", "web", "worker", "scheduler", "nginx", "mailpit", "backup"
    }


def test_compose_refuses_to_start_without_the_secrets(tmp_path):
    result = compose_config(project_dir(tmp_path))
    assert result.returncode != 0
    assert "Set SECRET_KEY in .env" in result.stderr or "Set POSTGRES_PASSWORD in .env" in result.stderr


def test_web_waits_for_a_healthy_database_and_a_finished_migration():
    services = compose()["services"]
    assert services["web"]["depends_on"]["db"] == {"condition": "service_healthy"}
    assert services["web"]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["web"]["depends_on"]["queue"] == {"condition": "service_healthy"}  # it queues tasks
    assert services["migrate"]["command"] == ["release"] and services["migrate"]["restart"] == "no"
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])


def test_database_is_postgres_16_on_a_named_volume_with_a_health_check():
    spec = compose()
    db = spec["services"]["db"]
    assert db["image"].startswith("postgres:16")
    assert "pgdata:/var/lib/postgresql/data" in db["volumes"] and "pgdata" in spec["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_web_can_be_scaled_out():
    web = compose()["services"]["web"]
    # A published port or a fixed container name would stop `docker compose up --scale web=3`.
    assert "ports" not in web and "container_name" not in web
    assert web["environment"]["REDIS_URL"].startswith("redis://redis:")


def test_nginx_gets_public_media_and_static_but_never_the_private_originals():
    nginx = compose()["services"]["nginx"]
    mounts = " ".join(nginx["volumes"])
    assert "static:/srv/static:ro" in mounts and "media:/srv/media:ro" in mounts
    assert "private_media" not in mounts
    assert nginx["depends_on"]["web"] == {"condition": "service_healthy"}


def test_django_sees_the_readers_address_that_nginx_sets():
    web = compose()["services"]["web"]
    assert web["environment"]["NEWSROOM_CLIENT_IP_HEADER"] == "HTTP_X_REAL_IP"
    template = (ROOT / "docker" / "nginx" / "default.conf.template").read_text()
    assert "proxy_set_header X-Real-IP $remote_addr;" in template


def test_mail_catcher_runs_only_in_the_dev_profile():
    assert compose()["services"]["mailpit"]["profiles"] == ["dev"]


def test_nginx_upload_limit_follows_djangos(settings):
    nginx = compose()["services"]["nginx"]
    limit = settings.NEWSROOM_MAX_UPLOAD_MB
    assert nginx["environment"]["NEWSROOM_MAX_UPLOAD_MB"] == f"${{NEWSROOM_MAX_UPLOAD_MB:-{limit}}}"
    template = (ROOT / "docker" / "nginx" / "default.conf.template").read_text()
    assert "client_max_body_size ${NEWSROOM_MAX_UPLOAD_MB}m;" in template


def test_every_compose_variable_is_documented_in_env_example():
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE_FILE.read_text()))
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, re.M))
    assert used - listed == set()


def test_image_is_multi_stage_slim_non_root_with_static_collected_at_build():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.count("\nFROM ") == 2 and "python:3.11-slim" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert re.search(r"^USER newsroom$", dockerfile, re.M)
    assert 'ENTRYPOINT ["/app/docker/entrypoint.sh"]' in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", ".env", "media", "private_media"} <= set(ignored)


def test_workers_scale_and_share_a_queue_that_never_evicts():
    services = compose()["services"]
    worker = services["worker"]
    assert worker["command"] == ["worker"]
    assert "ports" not in worker and "container_name" not in worker  # `--scale worker=N`
    assert worker["environment"]["TASKS_REDIS_URL"] == "redis://queue:6379/0"
    assert "check_worker" in worker["healthcheck"]["test"]
    queue = " ".join(services["queue"]["command"])
    assert "noeviction" in queue and "--appendonly yes" in queue


def test_one_scheduler_ships_with_a_heartbeat_health_check():
    scheduler = compose()["services"]["scheduler"]
    assert scheduler["command"] == ["scheduler"]
    assert "check_heartbeat" in scheduler["healthcheck"]["test"]
    assert "deploy" not in scheduler  # no replicas: the Redis lock would idle them anyway
