"""Running a batch: finding and reading wire files, pairing pictures with text, worker lanes."""
import threading
import zlib
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.db import connections

from articles.models import Article

from .items import IngestError, WireItem, WirePackage
from .newsml import parse_newsml
from .ninjs import parse_ninjs
from .options import FAILED, WIRE_SUFFIXES, IngestBatch, IngestOptions, IngestResult
from .resolvers import FolderResolver, NoFiles
from .stories import base_slug, ingest_item


def check_item_size(size):
    """Refuse a wire file over NEWSROOM_INGEST_MAX_ITEM_BYTES (callers check before reading when they can)."""
    limit = settings.NEWSROOM_INGEST_MAX_ITEM_BYTES
    if size > limit:
        raise IngestError(f"The file is larger than the {limit // 1024} KB allowed for a wire item.")


def parse_bytes(data, *, filename="", resolver=None):
    """The items in one wire file's bytes, by content (JSON is ninjs, XML is NewsML-G2)."""
    check_item_size(len(data))
    start = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    resolver = resolver or NoFiles()
    try:
        if start[:1] in (b"{", b"["):
            return parse_ninjs(data, filename=filename, resolver=resolver)
        if start[:1] == b"<":
            return parse_newsml(data, filename=filename, resolver=resolver)
    except RecursionError as error:
        raise IngestError("The item is nested too deeply to be a wire item.") from error
    if not start:
        raise IngestError("The file is empty.")
    raise IngestError("Not a wire item: expected ninjs JSON or NewsML-G2 XML.")


def read_wire_file(path):
    """The bytes of a wire file, refusing oversized ones before reading them into memory."""
    path = Path(path)
    try:
        check_item_size(path.stat().st_size)
        return path.read_bytes()
    except OSError as error:
        raise IngestError(f"The file cannot be read: {error.strerror or error}.") from error


def wire_files(paths):
    """Wire files under `paths` (files, or folders searched recursively), in a stable order."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in WIRE_SUFFIXES and not p.name.startswith(".")
            ))
        else:
            found.append(path)
    return found


def drop_folders(paths, root=None):
    """[(wire file, the folder its pictures must be inside)]: `root`, else the folder given, else
    the file's own folder."""
    found = []
    for path in map(Path, paths):
        folder = Path(root) if root else (path if path.is_dir() else path.parent)
        found.extend((file, folder) for file in wire_files([path]))
    return found


def ingest_paths(paths, *, options=None, batch=None, progress=None, root=None):
    """Ingest wire files and folders; returns one IngestResult per item, failures included.

    Pictures are read relative to each item's file but never from outside its drop folder (see
    drop_folders).
    """
    parsed = []
    for path, folder in drop_folders(paths, root):
        try:
            resolver = FolderResolver(path.parent, confine_to=folder)
            entries = parse_bytes(read_wire_file(path), filename=str(path), resolver=resolver)
        except IngestError as error:
            entries = error
        parsed.append((str(path), entries))
    return ingest_parsed(parsed, options=options, batch=batch, progress=progress)


def ingest_uploads(files, *, options=None, batch=None, resolver=None, progress=None):
    """Ingest uploaded wire files (admin page); pictures are looked up among the uploads."""
    parsed = []
    for upload in files:
        try:
            check_item_size(upload.size)
            entries = parse_bytes(upload.read(), filename=upload.name, resolver=resolver)
        except IngestError as error:
            entries = error
        parsed.append((upload.name, entries))
    return ingest_parsed(parsed, options=options, batch=batch, progress=progress)


def ingest_parsed(parsed, *, options=None, batch=None, progress=None):
    """Ingest [(file name, items or an IngestError)] as one batch; pictures are matched up first."""
    # A batch passed in keeps what earlier runs found (sources, authors, tags, sections).
    batch = batch or IngestBatch(options or IngestOptions())
    work = assemble(parsed)
    # One query for the batch instead of one per item: most wire items are new stories. Skipping the
    # per-item lookup loses nothing: a row that does not exist cannot be locked either, and the
    # unique constraint (retried once in ingest_item) settles a concurrent import of the same item.
    items = [entry for _, entry in work if isinstance(entry, WireItem)]
    batch.stored_guids = existing_values("wire_guid", (item.guid for item in items))
    batch.taken_slugs = existing_values(
        "slug", (base_slug(item) for item in items if item.guid not in batch.stored_guids)
    )
    batch.load_sections()
    if batch.options.workers > 1 and len(work) > 1:
        return _ingest_in_lanes(work, batch, progress)
    results = []
    for filename, entry in work:
        if isinstance(entry, Exception):
            results.append(IngestResult(file=filename, status=FAILED, error=str(entry)))
        else:
            results.append(ingest_item(entry, batch=batch))
        if progress:
            progress(results[-1])
    return results


def _ingest_in_lanes(work, batch, progress):
    """Ingest with `batch.options.workers` threads, each with its own database connection.

    Items are dealt to lanes by GUID, so every version of a story goes through one lane in batch
    order. Threads pay off because most of an item's time is spent waiting on PostgreSQL.
    """
    results, lock = [None] * len(work), threading.Lock()
    lanes = [[] for _ in range(batch.options.workers)]

    def record(index, result):
        results[index] = result
        if progress:
            with lock:
                progress(result)

    for index, (filename, entry) in enumerate(work):
        if isinstance(entry, Exception):
            record(index, IngestResult(file=filename, status=FAILED, error=str(entry)))
        else:
            lanes[zlib.crc32(entry.guid.encode()) % batch.options.workers].append((index, entry))
    crashes = []

    def run(lane):
        # Own caches per lane; the batch's GUID and slug sets are shared (set operations are atomic).
        lane_batch = replace(batch, known=dict(batch.known), pending={})
        try:
            for index, entry in lane:
                record(index, ingest_item(entry, batch=lane_batch))
        except BaseException as error:  # re-raised in the calling thread below
            crashes.append(error)
        finally:
            connections.close_all()  # this thread's connections only

    threads = [threading.Thread(target=run, args=(lane,), name=f"ingest-{n}") for n, lane in enumerate(lanes) if lane]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if crashes:
        raise crashes[0]
    return results


def existing_values(field, values, chunk=1000):
    """Which of these values of an Article field (GUIDs, slugs) stories already have."""
    values, found = list(dict.fromkeys(values)), set()
    for start in range(0, len(values), chunk):
        found.update(Article.objects.filter(**{f"{field}__in": values[start:start + chunk]})
                     .values_list(field, flat=True))
    return found


def assemble(parsed):
    """Attach pictures to the text items that point at them (links, packages, a shared newsMessage).

    Returns [(file name, WireItem or IngestError)]: the text items, the pictures nobody claimed
    (they go to the photo library on their own) and the files that could not be read.
    """
    pictures, texts, packages, work = {}, {}, [], []
    for filename, entries in parsed:
        if isinstance(entries, Exception):
            work.append((filename, entries))
            continue
        for entry in entries:
            if isinstance(entry, Exception):
                pass  # one bad object of a multi-item file: reported below, the others go on
            elif isinstance(entry, WirePackage):
                packages.append(entry)
            elif entry.kind == "picture":
                pictures.setdefault(entry.guid, entry)
            else:
                texts.setdefault(entry.guid, entry)
            work.append((filename, entry))
    for package in packages:
        members = [texts[ref] for ref in package.item_refs if ref in texts]
        if not members:
            work.append((package.filename, IngestError(
                f"Package {package.guid} refers to no text item in this batch; send them together."
            )))
        for text in members:
            text.picture_refs.extend(r for r in package.item_refs if r in pictures and r not in text.picture_refs)
    claimed = set()
    for text in texts.values():
        for ref in text.picture_refs:
            if ref in pictures:
                text.pictures.extend(pictures[ref].pictures)
                claimed.add(ref)
    return [
        (filename, entry)
        for filename, entry in work
        if not isinstance(entry, WirePackage)
        and not (isinstance(entry, WireItem) and entry.kind == "picture" and entry.guid in claimed)
    ]
