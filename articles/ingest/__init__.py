"""Wire ingest: IPTC ninjs and NewsML-G2 items into stories, idempotent and all-or-nothing per item."""
from .items import IngestError, WireItem, WirePackage, WirePicture
from .services import (
    FAILED,
    IGNORED,
    IMPORTED,
    STATUSES,
    UNCHANGED,
    UPDATED,
    IngestOptions,
    IngestResult,
    ingest_item,
    ingest_parsed,
    ingest_paths,
    ingest_uploads,
    parse_bytes,
)

__all__ = [
    "FAILED", "IGNORED", "IMPORTED", "STATUSES", "UNCHANGED", "UPDATED",
    "IngestError", "IngestOptions", "IngestResult", "WireItem", "WirePackage", "WirePicture",
    "ingest_item", "ingest_parsed", "ingest_paths", "ingest_uploads", "parse_bytes",
]
