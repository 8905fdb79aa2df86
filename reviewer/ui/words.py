"""The window's words for reviewer's stored values (statuses, types, checklist…), in its language.

The core's labels (reviewer.core.domain.labels) are English for the report and the CLI; the window
shows the same words through Qt's translator. Each source text is listed here once, so that
pyside6-lupdate finds it; a value this module does not know is shown with the core's label.
"""

from __future__ import annotations

from reviewer.core.domain import labels
from reviewer.core.domain.values import (
    AnnotationKind,
    ChecklistItem,
    CheckState,
    DocumentType,
    LinkRelation,
    MetadataField,
    VerificationStatus,
)
from reviewer.core.forensics.signals import Severity
from reviewer.ui.i18n import QT_TRANSLATE_NOOP, translate

_STATUS: dict[str, str] = {
    VerificationStatus.UNVERIFIED: QT_TRANSLATE_NOOP("Words", "Unverified"),
    VerificationStatus.IN_REVIEW: QT_TRANSLATE_NOOP("Words", "In review"),
    VerificationStatus.VERIFIED: QT_TRANSLATE_NOOP("Words", "Verified"),
    VerificationStatus.DISPUTED: QT_TRANSLATE_NOOP("Words", "Disputed"),
    VerificationStatus.FABRICATED: QT_TRANSLATE_NOOP("Words", "Fabricated"),
}
_TYPE: dict[str, str] = {
    DocumentType.DIPLOMATIC_NOTE: QT_TRANSLATE_NOOP("Words", "diplomatic note"),
    DocumentType.LETTER: QT_TRANSLATE_NOOP("Words", "letter"),
    DocumentType.EXPORT_PASSPORT: QT_TRANSLATE_NOOP("Words", "export passport"),
    DocumentType.BILL_OF_SALE: QT_TRANSLATE_NOOP("Words", "bill of sale"),
    DocumentType.INVOICE: QT_TRANSLATE_NOOP("Words", "invoice"),
    DocumentType.CONTRACT: QT_TRANSLATE_NOOP("Words", "contract"),
    DocumentType.OTHER: QT_TRANSLATE_NOOP("Words", "other"),
}
_CHECK_ITEM: dict[str, str] = {
    ChecklistItem.LETTERHEAD: QT_TRANSLATE_NOOP("Words", "Letterhead"),
    ChecklistItem.REFERENCE_FORMAT: QT_TRANSLATE_NOOP("Words", "Reference-number format"),
    ChecklistItem.SIGNATORY: QT_TRANSLATE_NOOP("Words", "Signatory"),
    ChecklistItem.STAMP: QT_TRANSLATE_NOOP("Words", "Stamp or seal"),
    ChecklistItem.DATES_CONSISTENT: QT_TRANSLATE_NOOP("Words", "Dates consistent"),
    ChecklistItem.MATCHES_OTHER_DOCUMENTS: QT_TRANSLATE_NOOP("Words", "Matches other documents"),
    ChecklistItem.OUTSIDE_CONFIRMATION: QT_TRANSLATE_NOOP("Words", "Confirmed by an outside source"),
}
_CHECK_STATE: dict[str, str] = {
    CheckState.UNCHECKED: QT_TRANSLATE_NOOP("Words", "not checked"),
    CheckState.CONSISTENT: QT_TRANSLATE_NOOP("Words", "consistent"),
    CheckState.DOUBTFUL: QT_TRANSLATE_NOOP("Words", "doubtful"),
    CheckState.INCONSISTENT: QT_TRANSLATE_NOOP("Words", "inconsistent"),
    CheckState.NOT_APPLICABLE: QT_TRANSLATE_NOOP("Words", "not applicable"),
}
_FIELD: dict[str, str] = {
    MetadataField.TITLE: QT_TRANSLATE_NOOP("Words", "Title"),
    MetadataField.TYPE: QT_TRANSLATE_NOOP("Words", "Type"),
    MetadataField.DOCUMENT_DATE: QT_TRANSLATE_NOOP("Words", "Document date"),
    MetadataField.REFERENCE_NUMBER: QT_TRANSLATE_NOOP("Words", "Reference number"),
    MetadataField.ISSUER: QT_TRANSLATE_NOOP("Words", "Issuer"),
    MetadataField.RECIPIENT: QT_TRANSLATE_NOOP("Words", "Recipient"),
    MetadataField.LANGUAGE: QT_TRANSLATE_NOOP("Words", "Language"),
}
_RELATION: dict[str, str] = {
    LinkRelation.REFERENCES: QT_TRANSLATE_NOOP("Words", "references"),
    LinkRelation.REPLIES_TO: QT_TRANSLATE_NOOP("Words", "replies to"),
    LinkRelation.ATTACHMENT_OF: QT_TRANSLATE_NOOP("Words", "attachment of"),
    LinkRelation.SAME_SERIES: QT_TRANSLATE_NOOP("Words", "same series"),
    LinkRelation.CONTRADICTS: QT_TRANSLATE_NOOP("Words", "contradicts"),
}
_INVERSE: dict[str, str] = {
    LinkRelation.REFERENCES: QT_TRANSLATE_NOOP("Words", "referenced by"),
    LinkRelation.REPLIES_TO: QT_TRANSLATE_NOOP("Words", "replied to by"),
    LinkRelation.ATTACHMENT_OF: QT_TRANSLATE_NOOP("Words", "has attachment"),
    LinkRelation.SAME_SERIES: QT_TRANSLATE_NOOP("Words", "same series"),
    LinkRelation.CONTRADICTS: QT_TRANSLATE_NOOP("Words", "contradicted by"),
}
_KIND: dict[str, str] = {
    AnnotationKind.NOTE: QT_TRANSLATE_NOOP("Words", "note"),
    AnnotationKind.REDACTION: QT_TRANSLATE_NOOP("Words", "redaction"),
}
_WATCH_KIND: dict[str, str] = {
    "organisation": QT_TRANSLATE_NOOP("Words", "organisation"),
    "person": QT_TRANSLATE_NOOP("Words", "person"),
    "equipment": QT_TRANSLATE_NOOP("Words", "equipment"),
    "other": QT_TRANSLATE_NOOP("Words", "other"),
}
_SEVERITY: dict[str, str] = {
    Severity.WARNING: QT_TRANSLATE_NOOP("Words", "Warning"),
    Severity.NOTICE: QT_TRANSLATE_NOOP("Words", "Notice"),
    Severity.INFO: QT_TRANSLATE_NOOP("Words", "Information"),
}


def _word(table: dict[str, str], value: str, fallback: str) -> str:
    text = table.get(value)
    return translate("Words", text) if text is not None else fallback


def status_label(status: VerificationStatus | str) -> str:
    """``in_review`` -> ``In review`` (``На проверке``)."""
    return _word(_STATUS, str(status), labels.status_label(status))


def document_type_label(kind: DocumentType | str) -> str:
    """``diplomatic_note`` -> ``diplomatic note``, lower case as in a sentence."""
    return _word(_TYPE, str(kind), str(kind).replace("_", " "))


def check_item_label(item: ChecklistItem | str) -> str:
    """A checklist item as the checklist shows it."""
    return _word(_CHECK_ITEM, str(item), labels.check_item_label(item))


def check_state_label(state: CheckState | str) -> str:
    """``not_applicable`` -> ``not applicable``, lower case as in a list."""
    return _word(_CHECK_STATE, str(state), str(state).replace("_", " "))


def field_label(name: MetadataField | str) -> str:
    """A recorded field's name; a free field is the person's own word and stays as typed."""
    return _word(_FIELD, str(name), labels.field_label(name))


def relation_label(relation: LinkRelation, *, outgoing: bool = True) -> str:
    """A link read from its source (``replies to``) or from its target (``replied to by``)."""
    return _word(_RELATION if outgoing else _INVERSE, str(relation), relation.label)


def annotation_kind_label(kind: AnnotationKind | str) -> str:
    """``note`` or ``redaction``, lower case."""
    return _word(_KIND, str(kind), str(kind))


def severity_label(severity: Severity | str) -> str:
    """A forensic signal's severity."""
    return _word(_SEVERITY, str(severity), labels.severity_label(str(severity)))


def watch_kind_label(kind: str) -> str:
    """A watched term's kind: ``organisation``, ``person``, ``equipment``, ``other``."""
    return _word(_WATCH_KIND, kind, kind)
