"""The words a person reads for reviewer's stored values: one place for the window, the CLI and the report.

Stored values (``diplomatic_note``, ``in_review``, ``not_applicable``) are for the database and for
machines; whatever a person reads (the window, report.html, an annotated copy's cover) says
"Diplomatic note", "In review", "Not applicable", and dates as "13 March 2019". Every function here
accepts the enum member or its stored string, and gives back a readable fallback for a value it does
not know (a newer case, a merged bundle) instead of raising.
"""

from __future__ import annotations

import datetime
import re

from reviewer.core.domain.values import (
    AnnotationKind,
    ChecklistItem,
    CheckState,
    DocumentType,
    MetadataField,
    VerificationStatus,
)

STATUS_LABELS: dict[VerificationStatus, str] = {
    VerificationStatus.UNVERIFIED: "Unverified",
    VerificationStatus.IN_REVIEW: "In review",
    VerificationStatus.VERIFIED: "Verified",
    VerificationStatus.DISPUTED: "Disputed",
    VerificationStatus.FABRICATED: "Fabricated",
}

#: one colour per status, for the window's dots and the report's badges
STATUS_COLOURS: dict[VerificationStatus, str] = {
    VerificationStatus.UNVERIFIED: "#8a8f98",
    VerificationStatus.IN_REVIEW: "#d08c00",
    VerificationStatus.VERIFIED: "#1e8e3e",
    VerificationStatus.DISPUTED: "#c5221f",
    VerificationStatus.FABRICATED: "#6f2dbd",
}

CHECK_STATE_LABELS: dict[CheckState, str] = {
    CheckState.UNCHECKED: "Not checked",
    CheckState.CONSISTENT: "Consistent",
    CheckState.DOUBTFUL: "Doubtful",
    CheckState.INCONSISTENT: "Inconsistent",
    CheckState.NOT_APPLICABLE: "Not applicable",
}

FIELD_LABELS: dict[MetadataField, str] = {
    MetadataField.TITLE: "Title",
    MetadataField.TYPE: "Type",
    MetadataField.DOCUMENT_DATE: "Document date",
    MetadataField.REFERENCE_NUMBER: "Reference number",
    MetadataField.ISSUER: "Issuer",
    MetadataField.RECIPIENT: "Recipient",
    MetadataField.LANGUAGE: "Language",
}

SEVERITY_LABELS = {"warning": "Warning", "notice": "Notice", "info": "Information"}

_MEDIA_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG image",
    "image/png": "PNG image",
    "image/tiff": "TIFF image",
    "image/gif": "GIF image",
    "image/bmp": "BMP image",
    "image/webp": "WebP image",
}

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _plain(value: str) -> str:
    """A stored word a label table does not know, readable: ``some_value`` -> ``Some value``."""
    text = value.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def status_label(status: VerificationStatus | str) -> str:
    """``in_review`` -> ``In review``."""
    try:
        return STATUS_LABELS[VerificationStatus(status)]
    except ValueError:
        return _plain(str(status))


def document_type_label(kind: DocumentType | str) -> str:
    """``diplomatic_note`` -> ``Diplomatic note``."""
    try:
        return _plain(DocumentType(kind).label)
    except ValueError:
        return _plain(str(kind))


def check_item_label(item: ChecklistItem | str) -> str:
    """``reference_format`` -> ``Reference-number format`` (the checklist's own words)."""
    try:
        return ChecklistItem(item).label
    except ValueError:
        return _plain(str(item))


def check_state_label(state: CheckState | str) -> str:
    """``not_applicable`` -> ``Not applicable``."""
    try:
        return CHECK_STATE_LABELS[CheckState(state)]
    except ValueError:
        return _plain(str(state))


def field_label(name: MetadataField | str) -> str:
    """A recorded field's name as a form shows it: ``reference_number`` -> ``Reference number``."""
    try:
        return FIELD_LABELS[MetadataField(name)]
    except ValueError:
        return _plain(str(name))  # a free field, named by the person


def annotation_kind_label(kind: AnnotationKind | str) -> str:
    """``redaction`` -> ``Redaction``."""
    return _plain(str(kind))


def severity_label(severity: str) -> str:
    """A forensic signal's severity: ``warning`` -> ``Warning``, ``info`` -> ``Information``."""
    return SEVERITY_LABELS.get(severity, _plain(severity))


def media_type_label(media_type: str) -> str:
    """``application/pdf`` -> ``PDF``; an unknown type is shown as it is."""
    return _MEDIA_TYPES.get(media_type, media_type)


def count_label(count: int, singular: str, plural: str | None = None) -> str:
    """``1 page``, ``2 pages``, ``1,204 pages``."""
    return f"{count:,} {singular if count == 1 else (plural or singular + 's')}"


def format_day(day: datetime.date) -> str:
    """``13 March 2019``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def format_partial_date(text: str) -> str:
    """A document's date as recorded (``2019-03-13``, ``2019-03``, ``2019``) as a person writes it."""
    match = _PARTIAL.match(text.strip())
    if match is None:
        return text
    year, month, day = (int(part) if part else None for part in match.groups())
    if year is None or month is None or not 1 <= month <= 12:
        return str(year)
    if day is None:
        return f"{MONTHS[month - 1]} {year}"
    try:
        return format_day(datetime.date(year, month, day))
    except ValueError:
        return text


def format_moment(moment: datetime.datetime) -> str:
    """A time a file states, in its own zone: ``13 March 2019, 10:42 (+03:00)``.

    A time without a zone (EXIF, many PDFs) is shown without one: it is the device's clock, wherever
    that was, and converting it would invent an offset.
    """
    text = f"{format_day(moment.date())}, {moment:%H:%M}"
    offset = moment.utcoffset()
    if offset is None:
        return text
    if not offset:
        return f"{text} (UTC)"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{text} ({sign}{hours:02d}:{rest:02d})"


def format_utc(iso: str | None) -> str:
    """A time reviewer recorded (``2026-12-07T03:42:10.123456Z``) as ``7 Dec 2026, 03:42 UTC``.

    Text that is not such a time is given back unchanged (a hand-edited or merged value).
    """
    if not iso:
        return ""
    try:
        moment = datetime.datetime.fromisoformat(iso.strip().replace("Z", "+00:00"))
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC)
    return f"{moment.day} {MONTHS[moment.month - 1][:3]} {moment.year}, {moment:%H:%M} UTC"
