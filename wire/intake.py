"""Continuous wire intake: each agency's drop folder or HTTP(S) feed, polled by tasks on the queue.

Drop folder: a wire file is picked up once it has not changed for WIRE_INTAKE_SETTLE_SECONDS (and
does not carry an upload tool's temporary suffix), so files still being written are left alone. It
is claimed by an atomic rename into `.processing/` under a name of its own (two workers never take
the same file, and a second delivery under the same name never replaces one in hand), ingested
with ingest_item() like any other batch (pictures read from the drop folder, never outside it),
then moved to `.processed/<date>/`; a file with any item that failed goes to `.quarantine/` with a
`<name>.reason.txt` beside it instead. Hidden folders are ours and never scanned. A claim older
than TASK_TIMEOUT was left by a worker that died (RQ stops any task by then): the next poll puts
the file back, and ingesting it again is harmless. A folder whose files cannot be moved (its
permissions) counts as unavailable, like a missing one.

Feed: a GET with If-None-Match / If-Modified-Since; 304 costs nothing. The body is one ninjs list or
NewsML-G2 newsMessage. On errors the next poll backs off (interval × 2^failures, at most an hour).

The same file or item delivered twice changes nothing: ingest_item() finds the GUID and version.
"""

import logging
import os
import secrets
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from pipeline.queue import background_task, enqueue

from .ingest import FAILED, IngestError, IngestOptions, ingest_parsed, parse_bytes
from .ingest.batch import read_wire_file
from .ingest.options import WIRE_SUFFIXES
from .ingest.resolvers import FolderResolver, NoFiles
from .models import Intake, IntakeFailure

logger = logging.getLogger("wire.intake")

PROCESSING, PROCESSED, QUARANTINE = ".processing", ".processed", ".quarantine"
CLAIM_MARK = "~"  # a claimed file is .processing/<token>~<delivered name>
TEMPORARY_SUFFIXES = {".part", ".partial", ".tmp", ".filepart", ".crdownload"}
MAX_BACKOFF = timedelta(hours=1)


# --- scheduling ---------------------------------------------------------------------------------


def due_intakes(now=None):
    now = now or timezone.now()
    return Intake.objects.filter(enabled=True).filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))


@background_task(retries=0)
def poll_due_intakes():
    """The scheduler's job (every WIRE_INTAKE_POLL_SECONDS): one poll task per intake that is due."""
    intake_ids = list(due_intakes().values_list("pk", flat=True))
    for intake_id in intake_ids:
        enqueue(poll_intake, intake_id)
    return len(intake_ids)


@background_task(retries=0)
def poll_intake(intake_id):
    """Poll one intake now; returns {status: count} of what its items became."""
    intake = Intake.objects.select_related("source").filter(pk=intake_id, enabled=True).first()
    if intake is None:
        return {}
    poll = poll_folder if intake.kind == Intake.Kind.FOLDER else poll_feed
    try:
        counts = poll(intake)
    except IntakeUnavailable as error:
        record_failure(intake, intake.location, str(error))
        schedule_next(intake, failed=str(error))
        return {"unavailable": 1}
    schedule_next(intake)
    return counts


class IntakeUnavailable(Exception):
    """The folder or feed itself could not be read (not one bad item): the next poll backs off."""


def schedule_next(intake, failed=""):
    now = timezone.now()
    intake.last_polled_at = now
    if failed:
        intake.consecutive_failures += 1
        intake.last_error = failed[:500]
        delay = min(timedelta(seconds=intake.interval_seconds * 2 ** intake.consecutive_failures), MAX_BACKOFF)
    else:
        intake.consecutive_failures, intake.last_error = 0, ""
        intake.last_success_at = now
        delay = timedelta(seconds=intake.interval_seconds)
    intake.next_poll_at = now + delay
    intake.save(update_fields=["last_polled_at", "last_success_at", "next_poll_at", "consecutive_failures",
                               "last_error", "etag", "last_modified"])


def record_failure(intake, item, reason):
    IntakeFailure.objects.create(intake=intake, item=str(item)[:500], reason=reason)


def options_for(intake):
    return IngestOptions(source_name=intake.source.name)


def count(results):
    counts = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    return counts


# --- drop folder ----------------------------------------------------------------------------------


def settled_files(folder, now=None):
    """Wire files in `folder` (not below it) that nobody has written to for the settle time."""
    now = (now or timezone.now()).timestamp()
    settle = settings.WIRE_INTAKE_SETTLE_SECONDS
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file() or path.suffix.lower() in TEMPORARY_SUFFIXES:
            continue
        if path.suffix.lower() not in WIRE_SUFFIXES:
            continue  # pictures wait beside the items that name them
        try:
            if now - path.stat().st_mtime >= settle:
                found.append(path)
        except FileNotFoundError:  # taken by another worker a moment ago
            continue
    return found


def claim(path):
    """Move `path` into .processing/ (atomic: one worker wins); None if another worker took it.

    The claimed name is unique, so the rename never replaces a file another worker holds; its
    modification time becomes the claim's time (see return_abandoned).
    """
    target = path.parent / PROCESSING / f"{secrets.token_hex(4)}{CLAIM_MARK}{path.name}"
    target.parent.mkdir(exist_ok=True)
    try:
        path.rename(target)
    except FileNotFoundError:
        return None
    now = time.time()
    os.utime(target, (now, now))
    return target


def delivered_name(claimed):
    return claimed.name.split(CLAIM_MARK, 1)[-1]


def free_path(directory, name):
    """`directory/name`, or `stem.2.suffix`, `stem.3.suffix`... if taken: the same name twice keeps both."""
    path, stem, suffix = directory / name, Path(name).stem, Path(name).suffix
    n = 1
    while path.exists():
        n += 1
        path = directory / f"{stem}.{n}{suffix}"
    return path


def move_aside(claimed, folder, *, reason=""):
    """Processed files to .processed/<date>/, failed ones to .quarantine/ with their reason beside them."""
    if reason:
        target_dir = folder / QUARANTINE
    else:
        target_dir = folder / PROCESSED / timezone.localdate().isoformat()
    target_dir.mkdir(parents=True, exist_ok=True)
    target = free_path(target_dir, delivered_name(claimed))
    claimed.rename(target)
    if reason:
        target.with_name(target.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")
    return target


def return_abandoned(folder, now=None):
    """Put back files claimed longer ago than a task may run: their worker died (killed, or its
    machine lost) before moving them aside. Returns how many went back."""
    processing = folder / PROCESSING
    if not processing.is_dir():
        return 0
    cutoff = (now or time.time()) - settings.TASK_TIMEOUT
    returned = 0
    for claimed in sorted(processing.iterdir()):
        try:
            if not claimed.is_file() or claimed.stat().st_mtime >= cutoff:
                continue
            claimed.rename(free_path(folder, delivered_name(claimed)))
        except FileNotFoundError:  # another poll put it back a moment ago
            continue
        logger.warning("wire intake: %s was claimed by a worker that never finished; put back", claimed.name)
        returned += 1
    return returned


def poll_folder(intake):
    folder = Path(intake.location)
    if not folder.is_dir():
        raise IntakeUnavailable(f"The drop folder {folder} does not exist or is not a folder.")
    counts = {}
    try:
        return_abandoned(folder)
        paths = settled_files(folder)
    except OSError as error:
        raise IntakeUnavailable(f"The drop folder {folder} cannot be read: {error.strerror or error}.") from error
    for path in paths:
        try:
            claimed = claim(path)
        except OSError as error:
            raise unmovable(folder, error) from error
        if claimed is None:
            continue
        results = ingest_file(intake, claimed, folder)
        failures = [r for r in results if r.status == FAILED]
        for result in failures:
            record_failure(intake, result.guid or path.name, result.error)
        reason = "\n".join(f"{r.guid or path.name}: {r.error}" for r in failures)
        try:
            move_aside(claimed, folder, reason=reason)
        except OSError as error:  # ingested; the claim is put back later and found unchanged
            raise unmovable(folder, error) from error
        for status, n in count(results).items():
            counts[status] = counts.get(status, 0) + n
    return counts


def unmovable(folder, error):
    return IntakeUnavailable(
        f"Files in the drop folder {folder} cannot be moved ({error.strerror or error}): the workers need "
        "write access to it to claim files and move them aside."
    )


def ingest_file(intake, path, folder):
    """Ingest one claimed file; its pictures are looked up in the drop folder it was delivered to."""
    try:
        entries = parse_bytes(read_wire_file(path), filename=delivered_name(path),
                              resolver=FolderResolver(folder, confine_to=folder))
    except IngestError as error:
        entries = error
    return ingest_parsed([(delivered_name(path), entries)], options=options_for(intake))


# --- HTTP feed --------------------------------------------------------------------------------------


def poll_feed(intake):
    request = urllib.request.Request(intake.location, headers={"User-Agent": "Newsroom wire intake"})
    if intake.etag:
        request.add_header("If-None-Match", intake.etag)
    if intake.last_modified:
        request.add_header("If-Modified-Since", intake.last_modified)
    try:
        with urllib.request.urlopen(request, timeout=settings.WIRE_INTAKE_TIMEOUT) as response:
            body = response.read(settings.NEWSROOM_INGEST_MAX_ITEM_BYTES + 1)
            etag, modified = response.headers.get("ETag", ""), response.headers.get("Last-Modified", "")
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return {"not modified": 1}
        raise IntakeUnavailable(f"The feed answered HTTP {error.code} {error.reason}.") from error
    except (urllib.error.URLError, OSError) as error:
        raise IntakeUnavailable(f"The feed cannot be reached: {getattr(error, 'reason', error)}.") from error
    try:
        # A quiet feed lists nothing: that is not an error (a single wire file must hold an item).
        entries = [] if body.strip() == b"[]" else parse_bytes(body, filename=intake.location, resolver=NoFiles())
    except IngestError as error:
        raise IntakeUnavailable(f"The feed's document cannot be read: {error}") from error
    results = ingest_parsed([(intake.location, entries)], options=options_for(intake))
    for result in results:
        if result.status == FAILED:
            record_failure(intake, result.guid or intake.location, result.error)
    # Remember the validators only once the items are in, so a crash means the next poll retries.
    intake.etag, intake.last_modified = etag[:255], modified[:64]
    return count(results)
