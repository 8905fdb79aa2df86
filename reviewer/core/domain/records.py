"""Plain, frozen records that services hand to the window and the command line.

Front ends never see live ORM objects: these are safe to keep, to pass between threads and to print.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reviewer.core.domain.quotes import TextQuote
    from reviewer.core.domain.values import AnnotationKind, Rect, VerificationStatus


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """One row of the document list."""

    id: int
    sha256: str
    title: str | None
    display_name: str
    doc_type: str | None
    document_date: str | None
    status: VerificationStatus
    tags: tuple[str, ...]
    page_count: int
    size: int
    media_type: str
    imported_at: str
    locked: bool = False  # encrypted and its password not known: no pages until unlocked
    reference: str | None = None  # the reference number the fact-checker recorded
    damaged: str | None = None  # the damage line of a file MuPDF had to repair (forensics.damage)


@dataclass(frozen=True, slots=True)
class PageRecord:
    """A page as imported: size in points of the unrotated page, rotation, text lengths."""

    number: int
    width: float
    height: float
    rotation: int
    label: str | None
    text_length: int
    ocr_text_length: int | None


@dataclass(frozen=True, slots=True)
class SightingRecord:
    """One time these exact bytes were found somewhere, and who brought them in."""

    id: int
    original_path: str
    original_name: str
    size: int
    modified_at: str | None
    changed_at: str | None
    accessed_at: str | None
    source: str | None
    received_on: str | None
    imported_by: str
    imported_at: str
    host: str


@dataclass(frozen=True, slots=True)
class CustodyRecord:
    """One append-only entry of a custody log."""

    id: int
    document_id: int | None
    at: str
    actor: str
    action: str
    summary: str
    before: Any
    after: Any
    entry_hash: str


@dataclass(frozen=True, slots=True)
class AnnotationRecord:
    """A marked region of a page with what the fact-checker wrote about it."""

    id: str
    document_id: int
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    kind: AnnotationKind
    note: str | None
    transcription: str | None
    translation: str | None
    tags: tuple[str, ...]
    created_by: str
    created_at: str
    updated_at: str
    # A text annotation: the words it quotes and their boxes (its x0..y1 are their union); a region has none.
    quote: TextQuote | None = None
    boxes: tuple[Rect, ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentDetail:
    """Everything known about a document."""

    summary: DocumentSummary
    status_note: str | None
    fields: dict[str, str]
    free_fields: dict[str, str]
    file_format: str
    file_metadata: dict[str, Any]
    pages: tuple[PageRecord, ...]
    sightings: tuple[SightingRecord, ...]
    annotations: tuple[AnnotationRecord, ...]
    custody: tuple[CustodyRecord, ...]
    checklist: dict[str, CheckRecord] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """The finding on one checklist item."""

    state: str
    note: str | None
    updated_by: str | None
    updated_at: str | None


@dataclass(frozen=True, slots=True)
class ImportedFile:
    """A file that became a new document; ``warnings`` say what is wrong with it (damage), one a line."""

    id: int
    sha256: str
    path: str
    pages: int
    warnings: tuple[str, ...] = ()
    locked: bool = False  # encrypted and its password not known: kept, without pages until unlocked


@dataclass(frozen=True, slots=True)
class DuplicateFile:
    """A file whose exact bytes were already in the case: recorded as another sighting."""

    id: int
    sha256: str
    path: str


@dataclass(frozen=True, slots=True)
class RefusedFile:
    """A file or folder entry that could not be imported, with the reason in plain words."""

    path: str
    error: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What became of every file an import was given."""

    imported: tuple[ImportedFile, ...] = ()
    duplicates: tuple[DuplicateFile, ...] = ()
    failed: tuple[RefusedFile, ...] = ()
    cancelled: bool = False
    # files not imported because the disk holding the case filled up (they are in ``failed`` too)
    not_imported: int = 0
    # pages recorded as read while importing (``ImportOptions.read_as``), and of those, pages left
    # without OCR (switched off, or waiting for Tesseract), as ``ReadReport.pages`` and ``skipped`` count
    pages_read: int = 0
    pages_skipped: int = 0

    @property
    def ok(self) -> bool:
        """True when nothing was refused and the import ran to the end."""
        return not self.failed and not self.cancelled


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """Progress of a running import, for a progress bar: plain data, no callbacks into widgets."""

    done: int
    total: int
    current: str | None
    imported: int
    duplicates: int
    failed: int


@dataclass(frozen=True, slots=True)
class FixityProblem:
    """Something found wrong by a fixity check."""

    sha256: str | None
    document_id: int | None
    problem: str


@dataclass(frozen=True, slots=True)
class FixityReport:
    """The outcome of re-hashing every original and re-checking the custody chain."""

    checked: int
    bytes_checked: int
    problems: tuple[FixityProblem, ...] = field(default=())
    # The custody chain's head after the check (its own entry): to note elsewhere, for `verify --head`.
    head_entry: int | None = None
    head_hash: str | None = None

    @property
    def ok(self) -> bool:
        """True when every original and the custody log are as recorded."""
        return not self.problems


@dataclass(frozen=True, slots=True)
class QuarantineReport:
    """Files found in the originals store that the database does not explain, and where they went."""

    found: tuple[str, ...]
    moved_to: tuple[str, ...] = ()
    dry_run: bool = False


def as_plain(value: Any) -> Any:
    """A record (or anything holding records) as JSON-ready data."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): as_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_plain(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One place a search found: a page's text layer or OCR, an annotation, or the description.

    ``marks`` are the character spans of the hits inside ``snippet``.
    """

    document_id: int
    kind: str
    page: int | None
    annotation_id: str | None
    snippet: str
    marks: tuple[tuple[int, int], ...]
    rank: float


@dataclass(frozen=True, slots=True)
class DocumentHits:
    """A document a search found, with its hits in rank order."""

    document: DocumentSummary
    hits: tuple[SearchHit, ...]


@dataclass(frozen=True, slots=True)
class SearchResults:
    """What a search found: documents in rank order (best hit first), and how many places matched."""

    query: str
    documents: tuple[DocumentHits, ...]
    matches: int
    truncated: bool


@dataclass(frozen=True, slots=True)
class PageText:
    """The text of one page: its text layer, its OCR and what became of OCR."""

    document_id: int
    page: int
    text_layer: str
    ocr_text: str | None
    ocr_status: str | None
    ocr_languages: str | None
    ocr_confidence: float | None
    ocr_error: str | None
