"""Annotations as a W3C Web Annotation Data Model collection (JSON-LD), and back.

Each annotation targets its original by content, ``urn:sha256:…``, with an RFC 3778 fragment selector
(``page=N&viewrect=left,top,width,height`` in PDF points from the top-left of the unrotated page), so
anyone holding the original can find the region without reviewer.

A text annotation's target carries three selectors of the same words, any one enough to find them: the
fragment selector of their union, a ``TextQuoteSelector`` (exact words, with the text before and after
them), and an ``SvgSelector`` with one rectangle per word box (same coordinates). When a redaction's
texts are withheld its quote is too: the words it hides are the point.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from reviewer.core.domain.quotes import TextQuote
from reviewer.core.domain.values import AnnotationKind, Rect

if TYPE_CHECKING:
    from collections.abc import Iterable

    from reviewer.core.domain.records import AnnotationRecord

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
RFC3778 = "http://tools.ietf.org/rfc/rfc3778"
WITHHELD = "[withheld for publication]"
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_VIEWRECT = re.compile(r"^page=(\d+)&viewrect=([-\d.]+),([-\d.]+),([-\d.]+),([-\d.]+)$")


def annotation_to_jsonld(
    record: AnnotationRecord, sha256: str, *, language: str | None = None, withhold: bool = False
) -> dict[str, Any]:
    """One annotation; ``withhold`` leaves out the texts of a redaction (what it hides is the point)."""
    bodies: list[dict[str, Any]] = []
    hidden = withhold and record.kind is AnnotationKind.REDACTION
    texts = (
        (record.note, "commenting", None),
        (record.transcription, "transcribing", language if language and _LANGUAGE.match(language) else None),
        (record.translation, "translating", "en"),
    )
    for value, purpose, lang in texts:
        if value:
            body: dict[str, Any] = {
                "type": "TextualBody",
                "purpose": purpose,
                "value": WITHHELD if hidden else value,
                "format": "text/plain",
            }
            if lang and not hidden:
                body["language"] = lang
            bodies.append(body)
    bodies += [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in record.tags]
    if record.kind is AnnotationKind.REDACTION:
        bodies.append({"type": "TextualBody", "purpose": "classifying", "value": "redaction"})
    width, height = record.x1 - record.x0, record.y1 - record.y0
    fragment = {
        "type": "FragmentSelector",
        "conformsTo": RFC3778,
        "value": f"page={record.page}&viewrect={record.x0:g},{record.y0:g},{width:g},{height:g}",
    }
    selector: dict[str, Any] | list[dict[str, Any]] = fragment
    if record.quote is not None and record.boxes:
        selector = [fragment, *([] if hidden else [_quote_selector(record)]), _svg_selector(record)]
    return {
        "id": f"urn:uuid:{record.id}",
        "type": "Annotation",
        "motivation": "moderating" if record.kind is AnnotationKind.REDACTION else "commenting",
        "created": record.created_at,
        "modified": record.updated_at,
        "creator": {"type": "Person", "nickname": record.created_by},
        "body": bodies,
        "target": {
            "source": f"urn:sha256:{sha256}",
            "selector": selector,
        },
    }


def _quote_selector(record: AnnotationRecord) -> dict[str, Any]:
    assert record.quote is not None
    quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": record.quote.exact}
    if record.quote.prefix:
        quote["prefix"] = record.quote.prefix
    if record.quote.suffix:
        quote["suffix"] = record.quote.suffix
    return quote


def _svg_selector(record: AnnotationRecord) -> dict[str, Any]:
    rects = "".join(
        f'<rect x="{b.x0:g}" y="{b.y0:g}" width="{b.x1 - b.x0:g}" height="{b.y1 - b.y0:g}"/>'
        for b in record.boxes
    )
    return {"type": "SvgSelector", "value": f'<svg xmlns="http://www.w3.org/2000/svg">{rects}</svg>'}


def collection(
    items: Iterable[dict[str, Any]], *, label: str, collection_id: str, generated: str
) -> dict[str, Any]:
    """An AnnotationCollection holding every annotation on a single page of results."""
    annotations = list(items)
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "generated": generated,
        "total": len(annotations),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": annotations},
    }


def parse_annotation(item: dict[str, Any]) -> tuple[str, str, int, Rect, AnnotationKind, dict[str, Any]]:
    """Read back (id, sha256, page, rect, kind, texts) from an annotation this module wrote.

    Raises ValueError with a plain message for anything not in that shape.
    """
    try:
        ident = str(item["id"]).removeprefix("urn:uuid:")
        target = item["target"]
        sha256 = str(target["source"]).removeprefix("urn:sha256:")
        selectors = target["selector"] if isinstance(target["selector"], list) else [target["selector"]]
        match = _VIEWRECT.match(str(selectors[0]["value"]))
    except (KeyError, TypeError, IndexError):
        raise ValueError("an annotation without the id, target or selector reviewer writes") from None
    if (
        match is None
        or not re.fullmatch(r"[0-9a-f]{64}", sha256)
        or not re.fullmatch(r"[0-9a-f-]{36}", ident)
    ):
        raise ValueError(f"annotation {ident[:40]!r} has a target reviewer cannot read")
    page = int(match.group(1))
    x, y, w, h = (float(match.group(i)) for i in range(2, 6))
    kind = AnnotationKind.NOTE
    texts: dict[str, Any] = {"tags": []}
    for body in item.get("body") or []:
        if not isinstance(body, dict):
            continue
        purpose, value = body.get("purpose"), body.get("value")
        if not isinstance(value, str):
            continue
        if purpose == "classifying" and value == "redaction":
            kind = AnnotationKind.REDACTION
        elif purpose == "tagging":
            texts["tags"].append(value)
        elif purpose in ("commenting", "transcribing", "translating") and value != WITHHELD:
            texts[
                {"commenting": "note", "transcribing": "transcription", "translating": "translation"}[purpose]
            ] = value
    for selector in selectors[1:]:
        if isinstance(selector, dict) and selector.get("type") == "TextQuoteSelector":
            parts = [selector.get(k, "") for k in ("exact", "prefix", "suffix")]
            if all(isinstance(v, str) for v in parts) and parts[0]:
                texts["quote"] = TextQuote(*parts)
    return ident, sha256, page, Rect(x, y, x + w, y + h), kind, texts
