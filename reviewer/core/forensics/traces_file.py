"""One file of a bag, inspected for traces in a worker process: what to ask, what comes back.

The file's kind is told from its first bytes, not its name: PDF and images go to their readers,
JSON is walked key by key (reviewer's ``case.json`` names received files, accounts and hosts), any
other text is searched for paths, hosts and e-mail addresses, and for the ``needles`` the bag
walker passes (names found elsewhere in the bag).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewer.core.forensics.traces import Trace, hint, text_traces, user_names

if TYPE_CHECKING:
    from pathlib import Path

MAX_TEXT_BYTES = 64 << 20
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a", b"BM")
_TEXT_SUFFIXES = (".json", ".jsonld", ".html", ".htm", ".txt", ".xml", ".csv", ".md", ".svg")
#: JSON keys (any depth) whose values identify, with the kind and how they are said
_JSON_KEYS: dict[str, tuple[str, str]] = {
    "original_name": ("file-name", "received file name"),
    "original_path": ("file-name", "received path"),
    "display_name": ("file-name", "received file name"),
    "source": ("metadata", "source"),
    "sources": ("metadata", "source"),
    "exported_by": ("author", "account that exported the bag"),
    "imported_by": ("author", "account that imported a file"),
    "actor": ("author", "account on the custody log"),
    "updated_by": ("author", "account that changed the checklist"),
    "created_by": ("author", "account that made an annotation"),
    "author": ("author", "author"),
    "creator": ("author", "creator"),
    "owner": ("author", "owner"),
    "artist": ("author", "artist"),
    "host": ("host", "host name"),
    "hostcomputer": ("host", "host name"),
    "gps": ("gps", "GPS position"),
    "gpsinfo": ("gps", "GPS position"),
    "bodyserialnumber": ("serial-number", "camera serial number"),
    "lensserialnumber": ("serial-number", "lens serial number"),
    "make": ("metadata", "camera make"),
    "model": ("metadata", "camera model"),
    "software": ("metadata", "software"),
    "producer": ("metadata", "producer"),
    "creatortool": ("metadata", "creator tool"),
    "xmp": ("xmp", "XMP metadata"),
}
_WITHHELD = re.compile(r"^\[?withheld", re.IGNORECASE)
# Values that name nobody: the neutral labels a publication bundle gives people ("reviewer 2"), and a
# document named by its SHA-256 (a Web Annotation's target "source" is W3C's word for the document the
# note is about, and a link's "source" is the document it starts from: neither is a source of the leak).
_NEUTRAL = re.compile(r"^(reviewer \d{1,4}|(urn:sha256:)?[0-9a-f]{64})$")


@dataclass(frozen=True, slots=True)
class FileTask:
    """Inspect the file at ``path`` (``name``: its place in the bag); look for ``needles`` in text."""

    path: str
    name: str
    needles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FileTraces:
    """Traces as (kind, detail) pairs, the names they carry, the PDF's first /ID, its kind of file."""

    traces: tuple[tuple[str, str], ...]
    names: tuple[str, ...]
    pdf_id: str | None
    kind: str


def sniff(head: bytes, name: str) -> str:
    """'pdf', 'image', 'json', 'text' or 'other', from the first bytes (and the name, for text)."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    lowered = name.lower()
    if lowered.endswith((".json", ".jsonld")):
        return "json"
    if lowered.endswith(_TEXT_SUFFIXES):
        return "text"
    return "other"


def text_file_traces(path: Path, kind: str, needles: tuple[str, ...]) -> tuple[list[Trace], list[str]]:
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        return [
            Trace("uninspectable", f"not searched: {size:,} bytes is more than a text file should be")
        ], []
    data = path.read_bytes()
    text = data.decode("utf-8", "replace") if kind != "other" else data.decode("latin-1")
    found: list[Trace] = []
    names: list[str] = []
    if kind == "json":
        try:
            found, names = json_traces(json.loads(text))
        except (ValueError, RecursionError):
            found.append(Trace("uninspectable", "not valid JSON: searched as plain text only"))
    if kind == "other" and (at := text.find("<x:xmpmeta")) >= 0:
        found.append(Trace("xmp", f"XMP metadata ({hint(text[at : at + 200])})"))
    found.extend(text_traces(text, "the text"))
    folded = text.casefold()
    for needle in needles:
        if len(needle) >= 4 and needle.casefold() in folded:
            found.append(Trace("file-name", f"mentions {hint(needle)!r}, a name found elsewhere in the bag"))
    return found, names


def json_traces(document: Any) -> tuple[list[Trace], list[str]]:
    """Identifying values in a JSON document, one line per kind of key (with the first value and a
    count), and the names among them (received file names, accounts, authors) to look for elsewhere."""
    groups: dict[tuple[str, str, str], list[str]] = {}

    def walk(value: Any, where: list[str], depth: int) -> None:
        if depth > 64:
            return
        if isinstance(value, dict):
            for key, item in value.items():
                folded = str(key).casefold()
                label = _JSON_KEYS.get(folded) or _JSON_KEYS.get(folded.replace("_", ""))
                if label is not None and _carries(item):
                    shown = "/".join([*where[-2:], str(key)])
                    groups.setdefault((label[0], label[1], shown), []).append(_value(item))
                walk(item, [*where, str(key)], depth + 1)
        elif isinstance(value, list):
            for item in value:
                walk(item, where, depth + 1)

    walk(document, [], 0)
    found = [
        Trace(
            kind,
            f"{what} ({key}: {hint(values[0])}{f', and {len(values) - 1} more' if len(values) > 1 else ''})",
        )
        for (kind, what, key), values in groups.items()
    ]
    names = [v for (kind, _, _), values in groups.items() if kind in ("file-name", "author") for v in values]
    strings: list[str] = []
    _strings(document, strings, 0)
    for text in strings:
        found.extend(text_traces(text, "a value"))
        names.extend(user_names(text))
    return found, names


def _carries(value: Any) -> bool:
    if value is None or value == "" or value == [] or value == {} or isinstance(value, bool):
        return False
    return not (isinstance(value, str) and (_WITHHELD.match(value.strip()) or _NEUTRAL.match(value.strip())))


def _value(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)[:200]
    return str(value)


def _strings(value: Any, into: list[str], depth: int) -> None:
    if depth > 64 or len(into) > 100_000:
        return
    if isinstance(value, str):
        into.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, into, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _strings(item, into, depth + 1)
