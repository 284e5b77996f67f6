"""Content credentials: what a photo's C2PA manifest says, read with the c2pa-python library.

The summary kept on Photo.content_credentials (and shown to editors as a badge):
- state: "trusted" (valid, signed by a certificate chaining to NEWSROOM_C2PA_TRUST_ANCHORS),
  "valid" (intact and correctly signed, signer not on our trust list), "invalid" (the picture or
  the manifest was changed after signing, or the signature is bad) or "unreadable";
- issuer and signer (from the signing certificate), claim generator, signing time;
- actions: what the manifest records was done (created, edited, AI-generated...), with any
  digitalSourceType they name;
- problems: the library's failure codes, except "signingCredential.untrusted", which the state says.
A file without a manifest gives {}: nothing is shown and nothing changes.
"""

import io
import json
import logging

import c2pa
from django.conf import settings

log = logging.getLogger(__name__)

MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "AVIF": "image/avif"}
UNTRUSTED = "signingCredential.untrusted"
# c2pa action names as editors read them.
ACTION_LABELS = {
    "c2pa.created": "created",
    "c2pa.opened": "opened",
    "c2pa.edited": "edited",
    "c2pa.color_adjustments": "colour adjusted",
    "c2pa.cropped": "cropped",
    "c2pa.resized": "resized",
    "c2pa.filtered": "filtered",
    "c2pa.placed": "element placed",
    "c2pa.converted": "converted",
    "c2pa.published": "published",
    "c2pa.drawing": "drawn on",
    "c2pa.removed": "element removed",
}


def reader_context():
    """A c2pa Context with our trust anchors, when NEWSROOM_C2PA_TRUST_ANCHORS names a PEM file."""
    path = settings.NEWSROOM_C2PA_TRUST_ANCHORS
    if not path:
        return None
    with open(path, encoding="ascii") as fh:
        anchors = fh.read()
    return c2pa.Context.from_dict({"verify": {"verify_trust": True}, "trust": {"trust_anchors": anchors}})


def read_content_credentials(data, image_format):
    """The summary of the C2PA manifest in `data` (the file's bytes), or {} when it has none."""
    mime = MIME_TYPES.get(image_format)
    if not mime:
        return {}
    try:
        context = reader_context()
        reader = (
            c2pa.Reader(mime, io.BytesIO(data), context=context) if context else c2pa.Reader(mime, io.BytesIO(data))
        )
    except c2pa.C2paError as exc:
        if "ManifestNotFound" in type(exc).__name__ or "no JUMBF" in str(exc):
            return {}
        return {"state": "unreadable", "problems": [f"the content credentials cannot be read ({exc})"]}
    try:
        with reader:
            return summarise(
                reader.get_validation_state(), reader.get_active_manifest(), reader.get_validation_results()
            )
    except (c2pa.C2paError, ValueError, TypeError, json.JSONDecodeError) as exc:
        log.warning("c2pa: unreadable manifest: %s", exc)
        return {"state": "unreadable", "problems": [f"the content credentials cannot be read ({exc})"]}


def summarise(state, manifest, results):
    manifest = manifest or {}
    failures = ((results or {}).get("activeManifest") or {}).get("failure") or []
    problems = [
        f"{f.get('code')}: {f.get('explanation', '')}".strip(": ") for f in failures if f.get("code") != UNTRUSTED
    ]
    signature = manifest.get("signature_info") or {}
    generator = next(iter(manifest.get("claim_generator_info") or []), {}) or {}
    return {
        "state": (state or "invalid").lower(),
        "issuer": signature.get("issuer", ""),
        "signer": signature.get("common_name", ""),
        "signed_at": signature.get("time", ""),
        "claim_generator": " ".join(str(v) for v in (generator.get("name"), generator.get("version")) if v),
        "title": manifest.get("title", ""),
        "actions": manifest_actions(manifest),
        "problems": problems,
    }


def manifest_actions(manifest):
    actions = []
    for assertion in manifest.get("assertions") or []:
        if not str(assertion.get("label", "")).startswith("c2pa.actions"):
            continue
        for action in (assertion.get("data") or {}).get("actions") or []:
            agent = action.get("softwareAgent") or ""
            if isinstance(agent, dict):
                agent = agent.get("name", "")
            actions.append(
                {
                    "action": action.get("action", ""),
                    "label": ACTION_LABELS.get(action.get("action", ""), action.get("action", "")),
                    "digital_source_type": action.get("digitalSourceType", ""),
                    "software_agent": str(agent),
                }
            )
    return actions


def manifest_source_type(credentials):
    """The digital source type the manifest's actions record (the last one naming one), or ""."""
    types = [a["digital_source_type"] for a in (credentials or {}).get("actions", []) if a.get("digital_source_type")]
    return types[-1] if types else ""
