"""What an export asks of its workers and gets back: plain, picklable records, without PyMuPDF.

The export (``reviewer.core.services.export``) builds these and submits them by job name
(``reviewer.core.workers.registry.PIECES`` and ``CLEAN``); the work is in ``pieces``, ``cleaned``
and ``redact``, which import these records and are imported only in the workers.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from reviewer.core.domain.records import AnnotationRecord

#: Part of a crop's cache key: a change to how crops are drawn makes old ones unused.
CROP_STYLE = "v1"


@dataclass(frozen=True, slots=True)
class RedactionRegion:
    """One area to redact: page (1-based) and a rectangle in points on the unrotated page."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True, slots=True)
class CropRequest:
    """A picture of a region of a page (unrotated page points), ``width`` pixels wide.

    ``cache`` is a path without suffix where the picture is kept for the next export (``.jpg`` or
    ``.png`` is added), or None when it must not be kept (the page of a redacted copy).
    """

    page: int
    rect: tuple[float, float, float, float]
    width: int
    cache: str | None = None


@dataclass(frozen=True, slots=True)
class PiecesRequest:
    """What to make for one document; ``source`` is the file the bundle shows (original or redacted)."""

    source: str
    target: str
    title: str
    annotations: Sequence[AnnotationRecord]
    cover: str
    password: str | None = None
    withhold: bool = False
    crops: Sequence[CropRequest] = ()
    thumbnail_width: int | None = None
    #: the document's media type: MuPDF is told what the file is (an original has no suffix)
    filetype: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentPieces:
    """What was made: the annotated copy is at the request's ``target``.

    ``prefix`` is how many of its first bytes are the source's, unchanged (its size when an
    incremental update was appended, 0 when the copy was saved whole); ``source_stat`` the source's
    (size, mtime_ns) as it was copied. ``crops`` follow the request's order; a crop or thumbnail
    that could not be drawn is None.
    """

    prefix: int
    source_stat: tuple[int, int]
    crops: tuple[bytes | None, ...]
    thumbnail: bytes | None = None


def crop_cache_key(sha256: str, page: int, rect: tuple[float, float, float, float], width: int) -> str:
    """The file name (without suffix) a crop of the original with this hash is kept under."""
    facts = f"{CROP_STYLE}|{page}|{','.join(f'{v:.2f}' for v in rect)}|{width}"
    return f"crop-{page:05d}-{hashlib.sha256(facts.encode()).hexdigest()[:16]}"


def cached_crop(cache: str) -> bytes | None:
    """The picture kept under ``cache`` by an earlier export, if any."""
    for suffix in (".jpg", ".png"):
        with contextlib.suppress(OSError):
            return Path(cache + suffix).read_bytes()
    return None


@dataclass(frozen=True, slots=True)
class CleanRequest:
    """What to make for one document of a publication bundle (plain data, sent to a worker).

    ``pieces`` is the annotated copy's request, its ``source`` the cleaned copy; its cover is made
    here from ``facts`` and the sections around what the cleaning removed.
    """

    original: str
    sha256: str
    cleaned: str
    regions: tuple[RedactionRegion, ...]
    pieces: PiecesRequest
    title: str
    facts: tuple[tuple[str, str], ...]
    before: tuple[tuple[str, tuple[str, ...]], ...]
    after: tuple[tuple[str, tuple[str, ...]], ...]
    password: str | None = None
    filetype: str | None = None
    #: paint out printer tracking dots found on the cleaned copy's page images (they are re-encoded)
    remove_tracking_dots: bool = False


@dataclass(frozen=True, slots=True)
class CleanedPieces:
    """What was made. ``intact`` is False when the original no longer matches its SHA-256 (nothing
    made); ``error`` says why no cleaned copy could be made (the document is left out);
    ``redaction`` and ``cleaning`` are the report's lines; ``pieces_error`` why the annotated copy
    could not be made."""

    intact: bool
    redaction: tuple[str, ...] = ()
    cleaning: tuple[str, ...] = ()
    pages: tuple[tuple[int, int], ...] = ()
    error: str | None = None
    pieces: DocumentPieces | None = None
    pieces_error: str | None = None


def cover_html(
    title: str, facts: Sequence[tuple[str, str]], sections: Sequence[tuple[str, Sequence[str]]]
) -> str:
    """The cover page as simple HTML; every value is escaped here."""
    rows = "".join(
        f"<tr><td><b>{html.escape(label)}</b></td><td>{html.escape(value)}</td></tr>"
        for label, value in facts
    )
    parts = [f"<h2>{html.escape(title)}</h2>", f"<table>{rows}</table>"]
    for heading, lines in sections:
        if lines:
            items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
            parts.append(f"<h4>{html.escape(heading)}</h4><ul>{items}</ul>")
    return "".join(parts)
