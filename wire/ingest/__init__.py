"""Wire ingest: IPTC ninjs and NewsML-G2 items into stories, idempotent and all-or-nothing per item.

ninjs.py / newsml.py parse a file into WireItems (items.py); batch.py finds files, pairs pictures
with text and runs items (optionally in worker lanes); stories.py turns one item into one story.
"""
from .batch import ingest_parsed, ingest_paths, ingest_uploads, parse_bytes, wire_files
from .items import IngestError, WireItem, WirePackage, WirePicture
from .options import (
    FAILED,
    IGNORED,
    IMPORTED,
    STATUSES,
    UNCHANGED,
    UPDATED,
    WIRE_SUFFIXES,
    IngestBatch,
    IngestOptions,
    IngestResult,
    count_statuses,
)
from .stories import ingest_item

__all__ = [
    "FAILED", "IGNORED", "IMPORTED", "STATUSES", "UNCHANGED", "UPDATED",
    "IngestBatch", "IngestError", "IngestOptions", "IngestResult", "WireItem", "WirePackage", "WirePicture",
    "count_statuses", "ingest_item", "ingest_parsed", "ingest_paths", "ingest_uploads", "parse_bytes", "wire_files",
    "WIRE_SUFFIXES",
]
