#!/usr/bin/env bash
# Back up Newsroom: the database (pg_dump custom format) and both media stores, in one tar file.
#
#   DATABASE_URL=postgres://... MEDIA_ROOT=... PRIVATE_MEDIA_ROOT=... scripts/backup.sh
#   (in the compose stack: `make backup`, which runs this in the ops `backup` service)
#
# Writes BACKUP_DIR/newsroom-<UTC time>.tar and prints its path. The archive appears only when
# everything in it was written: a failed run leaves nothing behind. The database is dumped first,
# then the files, so every file a dumped row points at is in the archive.
set -euo pipefail

die() { echo "backup: $*" >&2; exit 1; }

DATABASE_URL=${DATABASE_URL:-}
[ -n "$DATABASE_URL" ] || die "set DATABASE_URL to the PostgreSQL database to back up"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) die "DATABASE_URL must be a postgres:// URL (backups cover PostgreSQL only)" ;;
esac
MEDIA_ROOT=${MEDIA_ROOT:-media}
PRIVATE_MEDIA_ROOT=${PRIVATE_MEDIA_ROOT:-private_media}
BACKUP_DIR=${BACKUP_DIR:-backups}
for tool in pg_dump tar gzip sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
for dir in "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"; do
  [ -d "$dir" ] || die "media folder $dir does not exist (set MEDIA_ROOT / PRIVATE_MEDIA_ROOT)"
done

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$BACKUP_DIR"
work=$(mktemp -d "$BACKUP_DIR/.newsroom-$stamp.XXXXXX")
trap 'rm -rf "$work"' EXIT

pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$work/database.dump" \
  || die "pg_dump failed; no backup written"
archive_folder() {  # folder archive
  tar --numeric-owner --exclude="./.restore-*" --exclude="./.before-restore-*" -C "$1" -czf "$2" . \
    || die "could not archive $1; no backup written"
}
archive_folder "$MEDIA_ROOT" "$work/media.tar.gz"
archive_folder "$PRIVATE_MEDIA_ROOT" "$work/private_media.tar.gz"
{
  echo "format=newsroom-backup-1"
  echo "created=$stamp"
  echo "pg_dump=$(pg_dump --version)"
} > "$work/MANIFEST"
(cd "$work" && sha256sum MANIFEST database.dump media.tar.gz private_media.tar.gz > SHA256SUMS)
tar -C "$work" -cf "$work/archive.tar" MANIFEST SHA256SUMS database.dump media.tar.gz private_media.tar.gz
# Same folder, so the rename is atomic: readers see no archive or a complete one.
mv "$work/archive.tar" "$BACKUP_DIR/newsroom-$stamp.tar"
echo "$BACKUP_DIR/newsroom-$stamp.tar"
