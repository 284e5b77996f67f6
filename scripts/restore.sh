#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into DATABASE_URL and the media folders.
#
#   DATABASE_URL=postgres://... MEDIA_ROOT=... PRIVATE_MEDIA_ROOT=... scripts/restore.sh BACKUP.tar
#   (in the compose stack: `make restore FILE=backups/newsroom-....tar`)
#
# Stop the web service first. Order, so that a bad backup changes nothing:
#   1. unpack and verify every checksum, and that pg_restore can read the dump;
#   2. unpack both media archives beside their targets (same filesystem);
#   3. restore the database in ONE transaction (any error rolls it all back);
#   4. swap the unpacked media into place by renames.
# The database may be empty (a fresh `createdb`) or hold an older copy: restored tables replace it.
set -euo pipefail

die() { echo "restore: $*" >&2; exit 1; }

archive=${1:-}
[ -n "$archive" ] || die "usage: restore.sh BACKUP.tar"
[ -f "$archive" ] || die "no such backup file: $archive"
DATABASE_URL=${DATABASE_URL:-}
[ -n "$DATABASE_URL" ] || die "set DATABASE_URL to the PostgreSQL database to restore into"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) die "DATABASE_URL must be a postgres:// URL" ;;
esac
MEDIA_ROOT=${MEDIA_ROOT:-media}
PRIVATE_MEDIA_ROOT=${PRIVATE_MEDIA_ROOT:-private_media}
for tool in pg_restore tar gzip sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

stamp=$(date -u +%Y%m%dT%H%M%SZ)
work=$(mktemp -d)
staged=()
cleanup() {
  rm -rf "$work"
  for dir in "${staged[@]}"; do rm -rf "$dir"; done
}
trap cleanup EXIT

# 1. Verify.
tar -C "$work" -xf "$archive" 2>/dev/null || die "$archive is not a readable tar archive; nothing restored"
for part in MANIFEST SHA256SUMS database.dump media.tar.gz private_media.tar.gz; do
  [ -f "$work/$part" ] || die "$archive is not a Newsroom backup (no $part); nothing restored"
done
grep -qx "format=newsroom-backup-1" "$work/MANIFEST" || die "unknown backup format; nothing restored"
(cd "$work" && sha256sum --check --quiet --strict SHA256SUMS) \
  || die "checksums do not match: the backup is damaged; nothing restored"
pg_restore --list "$work/database.dump" >/dev/null || die "pg_restore cannot read the dump; nothing restored"

# 2. Stage the media next to where it goes.
stage_media() {  # archive target
  mkdir -p "$2"
  local stage="$2/.restore-$stamp"
  staged+=("$stage")
  mkdir "$stage"
  tar --numeric-owner -C "$stage" -xzf "$1" || die "could not unpack $(basename "$1"); nothing restored"
}
stage_media "$work/media.tar.gz" "$MEDIA_ROOT"
stage_media "$work/private_media.tar.gz" "$PRIVATE_MEDIA_ROOT"

# 3. The database, all or nothing.
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname="$DATABASE_URL" "$work/database.dump" \
  || die "pg_restore failed and was rolled back; database and media are unchanged"

# 4. Swap the media in. Works when the target is a mount point (a Docker volume): its entries
#    move aside into a hidden folder, the restored ones move in, then the old ones go.
swap_media() {  # target
  local target=$1 stage="$1/.restore-$stamp" old="$1/.before-restore-$stamp"
  mkdir "$old"
  find "$target" -mindepth 1 -maxdepth 1 ! -name ".restore-$stamp" ! -name ".before-restore-$stamp" \
    -exec mv -t "$old" {} +
  find "$stage" -mindepth 1 -maxdepth 1 -exec mv -t "$target" {} +
  rmdir "$stage"
  if [ "${KEEP_REPLACED_MEDIA:-0}" = "1" ]; then
    echo "restore: the media it replaced is in $old"
  else
    rm -rf "$old"
  fi
}
swap_media "$MEDIA_ROOT"
swap_media "$PRIVATE_MEDIA_ROOT"
staged=()
echo "restored $(basename "$archive") into the database and $MEDIA_ROOT, $PRIVATE_MEDIA_ROOT"
