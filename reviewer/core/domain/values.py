"""Vocabulary of a verification case and the rules for values a person types in."""

from __future__ import annotations

import datetime
import enum
import re
from dataclasses import dataclass
from typing import TypeVar

from reviewer.core.domain.errors import UsageError


class VerificationStatus(enum.StrEnum):
    """Where a document stands: the fact-checker's verdict, always with a rationale."""

    UNVERIFIED = "unverified"
    IN_REVIEW = "in_review"
    VERIFIED = "verified"
    DISPUTED = "disputed"
    FABRICATED = "fabricated"

    @classmethod
    def parse(cls, text: str) -> VerificationStatus:
        """Read a status as typed (``in review``, ``In-Review`` and ``in_review`` are one)."""
        found = _lookup(cls, text)
        if found is not None:
            return found
        allowed = ", ".join(s.value for s in cls)
        raise UsageError(f"unknown status {text!r}; use one of: {allowed}")


class DocumentType(enum.StrEnum):
    """What kind of paper a document claims to be."""

    DIPLOMATIC_NOTE = "diplomatic_note"
    LETTER = "letter"
    EXPORT_PASSPORT = "export_passport"
    BILL_OF_SALE = "bill_of_sale"
    INVOICE = "invoice"
    CONTRACT = "contract"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The type as a person says it: ``diplomatic note``."""
        return self.value.replace("_", " ")

    @classmethod
    def parse(cls, text: str) -> DocumentType:
        """Read a type as typed; ``diplomatic note`` and ``diplomatic_note`` are one."""
        found = _lookup(cls, text)
        if found is not None:
            return found
        allowed = ", ".join(k.label for k in cls)
        raise UsageError(f"unknown document type {text!r}; use one of: {allowed}")


class AnnotationKind(enum.StrEnum):
    """A note marks something worth knowing; a redaction marks something not to publish."""

    NOTE = "note"
    REDACTION = "redaction"

    @classmethod
    def parse(cls, text: str) -> AnnotationKind:
        """Read an annotation kind, refusing anything but ``note`` or ``redaction``."""
        found = _lookup(cls, text)
        if found is not None:
            return found
        raise UsageError(f"unknown annotation kind {text!r}; use note or redaction")


class LinkRelation(enum.StrEnum):
    """How one document relates to another: read as "A <relation> B"."""

    REFERENCES = "references"
    REPLIES_TO = "replies_to"
    ATTACHMENT_OF = "attachment_of"
    SAME_SERIES = "same_series"
    CONTRADICTS = "contradicts"

    @property
    def label(self) -> str:
        """The relation as a person reads it."""
        return self.value.replace("_", " ")

    @property
    def inverse_label(self) -> str:
        """The relation read from the other document's side."""
        return {
            "references": "referenced by",
            "replies_to": "replied to by",
            "attachment_of": "has attachment",
            "same_series": "same series",
            "contradicts": "contradicted by",
        }[self.value]

    @classmethod
    def parse(cls, text: str) -> LinkRelation:
        """Read a relation (``replies to``, ``replies-to``…), refusing unknown ones."""
        found = _lookup(cls, text)
        if found is not None:
            return found
        allowed = ", ".join(r.label for r in cls)
        raise UsageError(f"unknown relation {text!r}; use one of: {allowed}")


def _normalise_word(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


_E = TypeVar("_E", bound=enum.StrEnum)


def _lookup(kind: type[_E], text: str) -> _E | None:
    """The member of ``kind`` a person meant: case, spaces and hyphens do not matter."""
    key = _normalise_word(text)
    return next((member for member in kind if member.value == key), None)


@dataclass(frozen=True, slots=True)
class Rect:
    """A region on a page in PDF points, origin at the top-left of the unrotated page."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        """Horizontal extent in points."""
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        """Vertical extent in points."""
        return self.y1 - self.y0

    @classmethod
    def parse(cls, text: str) -> Rect:
        """Read ``x0,y0,x1,y1``; the corners may be given in any order."""
        parts = [p.strip() for p in text.split(",")]
        if len(parts) != 4:
            raise UsageError(f"a rectangle is four numbers x0,y0,x1,y1, not {text!r}")
        try:
            a, b, c, d = (float(p) for p in parts)
        except ValueError:
            raise UsageError(f"a rectangle is four numbers x0,y0,x1,y1, not {text!r}") from None
        if any(v != v or v in (float("inf"), float("-inf")) for v in (a, b, c, d)):
            raise UsageError(f"a rectangle needs finite numbers, not {text!r}")
        return cls(min(a, c), min(b, d), max(a, c), max(b, d))

    def checked_against(self, width: float, height: float) -> Rect:
        """This rectangle, refused if empty or not on a page of the given size."""
        if self.width <= 0 or self.height <= 0:
            raise UsageError("the rectangle is empty; give two different corners")
        tolerance = 0.5  # points; rounding in front ends must not refuse a rectangle at the edge
        if (
            self.x0 < -tolerance
            or self.y0 < -tolerance
            or self.x1 > width + tolerance
            or (self.y1 > height + tolerance)
        ):
            raise UsageError(
                f"the rectangle {self.x0:g},{self.y0:g},{self.x1:g},{self.y1:g} is not within the page "
                f"(0,0 to {width:g},{height:g} points)"
            )
        return Rect(max(self.x0, 0.0), max(self.y0, 0.0), min(self.x1, width), min(self.y1, height))


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(text: str) -> str:
    """Accept ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: a document may show only a month or a year."""
    match = _PARTIAL_DATE.match(text.strip())
    if not match:
        raise UsageError(f"a date is YYYY-MM-DD (or YYYY-MM, or YYYY), not {text!r}")
    year, month, day = match.groups()
    if month is not None and not 1 <= int(month) <= 12:
        raise UsageError(f"no month {month} in {text!r}")
    if day is not None:
        try:
            datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise UsageError(f"no such day: {text!r}") from None
    return text.strip()


def parse_full_date(text: str) -> str:
    """A full calendar date ``YYYY-MM-DD`` (the day a leak was received is always known)."""
    value = parse_partial_date(text)
    if len(value) != 10:
        raise UsageError(f"give the full date as YYYY-MM-DD, not {text!r}")
    return value


# What no text a person gives reviewer may hold: U+0000 (PostgreSQL's text cannot keep it, SQLite's
# can: refused on both so local and shared cases take the same text), lone surrogates (no UTF-8 text
# holds one; a byte of a command-line argument that is not UTF-8 arrives as one) and every other
# control character (C0, DEL, C1: invisible, and a terminal obeys some of them when the log is
# printed) except the three that are text: tab, line feed and carriage return.
# Text reviewer read from a file (a page's words, a file's name) may hold controls; never these two.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_STORABLE = re.compile("[\x00\ud800-\udfff]")


def checked_text(what: str, value: str, *, controls: bool = False) -> str:
    """``value`` as given, or a one-line :class:`UsageError` naming ``what`` (``the note``) when it
    holds a character no case keeps: a NUL, a lone surrogate, a control other than tab and newline
    (``controls=True``: controls allowed, for text read from a file rather than typed by a person)."""
    found = (_NOT_STORABLE if controls else _NOT_TEXT).search(value)
    if found is None:
        return value
    code = ord(found.group())
    where = f"at character {found.start() + 1}"
    if code == 0:
        why = f"a NUL character (U+0000) {where}, which a shared case's database cannot keep"
    elif 0xDC80 <= code <= 0xDCFF:  # how Python hands over a byte of an argument that is not UTF-8
        why = f"the byte 0x{code - 0xDC00:02X} {where}, which is not UTF-8 text"
    elif 0xD800 <= code <= 0xDFFF:
        why = f"a lone surrogate (U+{code:04X}) {where}, which is not text"
    else:
        why = f"a control character (U+{code:04X}) {where}; only tabs and line breaks are kept"
    raise UsageError(f"{what} holds {why}: nothing was changed")


def checked_optional(what: str, value: str | None) -> str | None:
    """:func:`checked_text` of a value that may be absent (None stays None)."""
    return None if value is None else checked_text(what, value)


_TAG = re.compile(r"^[^\s,][^,]{0,63}$")


def parse_tag(text: str) -> str:
    """A tag: up to 64 characters, no commas, no leading or trailing space; kept as typed."""
    tag = checked_text("a tag", text).strip()
    if not _TAG.match(tag) or tag != " ".join(tag.split()):
        raise UsageError(f"a tag is 1 to 64 characters without commas or repeated spaces, not {text!r}")
    return tag


class MetadataField(enum.StrEnum):
    """What a fact-checker records about a document itself (as opposed to the file)."""

    TITLE = "title"
    TYPE = "type"
    DOCUMENT_DATE = "document_date"
    REFERENCE_NUMBER = "reference_number"
    ISSUER = "issuer"
    RECIPIENT = "recipient"
    LANGUAGE = "language"


_FIELD_ALIASES = {
    "date": MetadataField.DOCUMENT_DATE,
    "reference": MetadataField.REFERENCE_NUMBER,
    "ref": MetadataField.REFERENCE_NUMBER,
    "doc_type": MetadataField.TYPE,
    "document_type": MetadataField.TYPE,
    "lang": MetadataField.LANGUAGE,
}
_FREE_FIELD = re.compile(r"^[^\W\d][\w .\-]{0,63}$")


def parse_field_name(name: str) -> MetadataField | str:
    """A known field (aliases allowed: ``date``, ``ref``) or the name of a free field."""
    key = _normalise_word(checked_text("a field name", name))
    for field in MetadataField:
        if field.value == key:
            return field
    if key in _FIELD_ALIASES:
        return _FIELD_ALIASES[key]
    free = name.strip()
    if not _FREE_FIELD.match(free):
        raise UsageError(f"a field name is a word of up to 64 letters, digits, spaces or -_. , not {name!r}")
    return free


def normalise_field_value(field: MetadataField | str, value: str) -> str | None:
    """The value to store for a field, or None to clear it; refuses a malformed date or type."""
    text = checked_text(f"field {field}", value).strip()
    if not text:
        return None
    if field is MetadataField.TYPE:
        return DocumentType.parse(text).value
    if field is MetadataField.DOCUMENT_DATE:
        return parse_partial_date(text)
    if len(text) > 10_000:
        raise UsageError("a field value is at most 10,000 characters")
    return text


class ChecklistItem(enum.StrEnum):
    """What a fact-checker checks on every document before deciding its status."""

    LETTERHEAD = "letterhead"
    REFERENCE_FORMAT = "reference_format"
    SIGNATORY = "signatory"
    STAMP = "stamp"
    DATES_CONSISTENT = "dates_consistent"
    MATCHES_OTHER_DOCUMENTS = "matches_other_documents"
    OUTSIDE_CONFIRMATION = "outside_confirmation"

    @property
    def label(self) -> str:
        """The item as the checklist shows it."""
        return _CHECK_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> ChecklistItem:
        """Read an item by its name."""
        found = _lookup(cls, text)
        if found is not None:
            return found
        allowed = ", ".join(i.value for i in cls)
        raise UsageError(f"unknown checklist item {text!r}; use one of: {allowed}")


_CHECK_LABELS = {
    ChecklistItem.LETTERHEAD: "Letterhead",
    ChecklistItem.REFERENCE_FORMAT: "Reference-number format",
    ChecklistItem.SIGNATORY: "Signatory",
    ChecklistItem.STAMP: "Stamp or seal",
    ChecklistItem.DATES_CONSISTENT: "Dates consistent",
    ChecklistItem.MATCHES_OTHER_DOCUMENTS: "Matches other documents",
    ChecklistItem.OUTSIDE_CONFIRMATION: "Confirmed by an outside source",
}


class CheckState(enum.StrEnum):
    """The finding on one checklist item."""

    UNCHECKED = "unchecked"
    CONSISTENT = "consistent"
    DOUBTFUL = "doubtful"
    INCONSISTENT = "inconsistent"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        """The state as a person says it."""
        return self.value.replace("_", " ")

    @classmethod
    def parse(cls, text: str) -> CheckState:
        """Read a state by its name."""
        found = _lookup(cls, text)
        if found is not None:
            return found
        allowed = ", ".join(s.value for s in cls)
        raise UsageError(f"unknown checklist state {text!r}; use one of: {allowed}")
