"""scripts/backup.sh and scripts/restore.sh: a round trip into a fresh database, and bad input that changes nothing."""
import hashlib
import io
import os
import subprocess
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from articles.images import ensure_renditions
from tests.factories import ArticleFactory, CaptionFactory, PhotoFactory
from tests.ops_helpers import admin_connection, database_url

# pg_dump runs in another process, so the content it backs up must be committed.
with_committed_content = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fresh_database():
    """An empty database, as `createdb` gives an operator; dropped afterwards."""
    name = f"{settings.DATABASES['default']['NAME']}_restore"
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(script, *args, **env):
    base = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run([ROOT / "scripts" / script, *args], env=base | env, capture_output=True, text=True,
                          timeout=120)


def back_up(tmp_path, **env):
    return run("backup.sh", **{
        "DATABASE_URL": database_url(settings.DATABASES["default"]["NAME"]),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "BACKUP_DIR": str(tmp_path / "backups"),
    } | env)


def restore(archive, dbname, target):
    return run("restore.sh", str(archive), DATABASE_URL=database_url(dbname),
               MEDIA_ROOT=str(target / "media"), PRIVATE_MEDIA_ROOT=str(target / "private"))


def files_under(root):
    root = Path(root)
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def stories(dbname):
    with psycopg.connect(database_url(dbname)) as conn:
        return conn.execute("SELECT headline, slug, status FROM articles_article ORDER BY id").fetchall()


@pytest.fixture
def newsroom_content():
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    settings.PRIVATE_MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    published = ArticleFactory(headline="Port expansion approved after long debate")
    ArticleFactory(headline="Embargoed budget figures", draft=True)
    photo = PhotoFactory()
    ensure_renditions(photo)
    CaptionFactory(article=published, photo=photo)
    assert files_under(settings.MEDIA_ROOT) and files_under(settings.PRIVATE_MEDIA_ROOT)
    return published


@with_committed_content
def test_restore_into_a_fresh_database_finds_the_same_stories_and_files(tmp_path, newsroom_content, fresh_database):
    made = back_up(tmp_path)
    assert made.returncode == 0, made.stderr
    archive = Path(made.stdout.strip())
    assert archive.parent == tmp_path / "backups" and archive.name.startswith("newsroom-")
    assert [p.name for p in archive.parent.iterdir()] == [archive.name]  # no temporary leftovers

    restored = restore(archive, fresh_database, tmp_path / "restored")
    assert restored.returncode == 0, restored.stderr
    assert stories(fresh_database) == stories(settings.DATABASES["default"]["NAME"])
    assert ("Port expansion approved after long debate", newsroom_content.slug, "published") in stories(fresh_database)
    assert files_under(tmp_path / "restored" / "media") == files_under(settings.MEDIA_ROOT)
    assert files_under(tmp_path / "restored" / "private") == files_under(settings.PRIVATE_MEDIA_ROOT)


@with_committed_content
def test_restore_replaces_what_the_target_held(tmp_path, newsroom_content, fresh_database):
    archive = Path(back_up(tmp_path).stdout.strip())
    target = tmp_path / "restored"
    (target / "media").mkdir(parents=True)
    (target / "media" / "left-over.txt").write_text("from before the restore")
    assert restore(archive, fresh_database, target).returncode == 0
    assert restore(archive, fresh_database, target).returncode == 0  # restoring twice is fine
    assert not (target / "media" / "left-over.txt").exists()
    assert [p.name for p in (target / "media").iterdir() if p.name.startswith(".")] == []
    assert len(stories(fresh_database)) == 2


def test_a_failed_dump_writes_no_backup(tmp_path):
    settings.MEDIA_ROOT.mkdir(parents=True)
    settings.PRIVATE_MEDIA_ROOT.mkdir(parents=True)
    made = back_up(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere")
    assert made.returncode != 0
    assert "pg_dump failed; no backup written" in made.stderr
    assert list((tmp_path / "backups").iterdir()) == []


def test_backup_refuses_a_database_that_is_not_postgres(tmp_path):
    made = back_up(tmp_path, DATABASE_URL="sqlite:///db.sqlite3")
    assert made.returncode != 0 and "must be a postgres:// URL" in made.stderr


def rewrite_archive(archive, destination, change):
    """A copy of `archive` with one member's bytes changed by `change`."""
    with tarfile.open(archive) as source, tarfile.open(destination, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            data = change(member.name, data)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return destination


def mark_target(dbname, target):
    with psycopg.connect(database_url(dbname), autocommit=True) as conn:
        conn.execute("CREATE TABLE kept (note text)")
        conn.execute("INSERT INTO kept VALUES ('still here')")
    (target / "media").mkdir(parents=True)
    (target / "media" / "current.jpg").write_bytes(b"current file")


def assert_target_unchanged(dbname, target):
    with psycopg.connect(database_url(dbname)) as conn:
        assert conn.execute("SELECT note FROM kept").fetchall() == [("still here",)]
        assert conn.execute("SELECT to_regclass('articles_article')").fetchone() == (None,)
    assert files_under(target / "media") == {"current.jpg": hashlib.sha256(b"current file").hexdigest()}
    assert [p.name for p in (target / "media").iterdir()] == ["current.jpg"]


@with_committed_content
def test_a_damaged_backup_is_refused_before_anything_changes(tmp_path, newsroom_content, fresh_database):
    archive = Path(back_up(tmp_path).stdout.strip())
    target = tmp_path / "restored"
    mark_target(fresh_database, target)
    damaged = rewrite_archive(archive, tmp_path / "damaged.tar",
                              lambda name, data: data[:-10] + b"0123456789" if name == "database.dump" else data)
    result = restore(damaged, fresh_database, target)
    assert result.returncode != 0
    assert "checksums do not match" in result.stderr
    assert_target_unchanged(fresh_database, target)

    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[:2000])
    result = restore(truncated, fresh_database, target)
    assert result.returncode != 0 and "nothing restored" in result.stderr
    assert_target_unchanged(fresh_database, target)


@with_committed_content
def test_a_database_error_rolls_the_whole_restore_back(tmp_path, newsroom_content, fresh_database):
    archive = Path(back_up(tmp_path).stdout.strip())
    target = tmp_path / "restored"
    mark_target(fresh_database, target)
    with psycopg.connect(database_url(fresh_database), autocommit=True) as conn:
        # Something in the target that the restore's DROP cannot remove: pg_restore fails halfway.
        conn.execute("CREATE TABLE articles_section (id bigint PRIMARY KEY)")
        conn.execute("CREATE VIEW section_ids AS SELECT id FROM articles_section")
    result = restore(archive, fresh_database, target)
    assert result.returncode != 0
    assert "rolled back; database and media are unchanged" in result.stderr
    with psycopg.connect(database_url(fresh_database)) as conn:
        assert conn.execute("SELECT count(*) FROM section_ids").fetchone() == (0,)
        assert conn.execute("SELECT to_regclass('articles_article')").fetchone() == (None,)
        assert conn.execute("SELECT note FROM kept").fetchall() == [("still here",)]
    assert [p.name for p in (target / "media").iterdir()] == ["current.jpg"]


def test_restore_needs_a_backup_file(tmp_path, fresh_database):
    result = restore(tmp_path / "missing.tar", fresh_database, tmp_path)
    assert result.returncode != 0 and "no such backup file" in result.stderr
