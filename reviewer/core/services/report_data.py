"""What report.html says of one document, in words: facts, checklist, provenance, custody, forensics.

The export (``services/export.py``) assembles a ``ReportDocument`` from these; the window and the
report share their labels (``reviewer.core.domain.labels``). For a publication bundle the values a
file carried that locate or identify are withheld as ``services/publication_rules.py`` decides for
file facts (:func:`public_facts`): a forensic signal's raw value is what the file said, so it is
withheld as a whole, and its title (which quotes that value) is replaced by the check's name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from reviewer.core.bundles.report import ReportSignal
from reviewer.core.bundles.report_text import custody_text, fact_value, field_value, signal_value
from reviewer.core.bundles.webannotation import WITHHELD
from reviewer.core.domain import labels
from reviewer.core.domain.file_facts import file_facts
from reviewer.core.services.publication_rules import public_facts
from reviewer.core.storage.orm import ForensicSignal, ForensicsRun

if TYPE_CHECKING:
    from collections.abc import Iterable

    from reviewer.core.domain.records import DocumentDetail
    from reviewer.core.services.case import Case

#: severities the report lists one by one; plain facts ("info") are only counted
LISTED = ("warning", "notice")
_RANK = {"warning": 0, "notice": 1}


def report_facts(detail: DocumentDetail, *, publish: bool, redacted: bool) -> list[tuple[str, str]]:
    """The document's recorded fields and what its file says, as (label, value) in words."""
    summary = detail.summary
    facts = [
        (labels.field_label(name), field_value(name, value)) for name, value in detail.fields.items() if value
    ]
    facts += [(labels.field_label(name), value) for name, value in detail.free_fields.items() if value]
    facts.append(
        (
            "File",
            f"{labels.media_type_label(summary.media_type)}, {summary.size:,} bytes, "
            + labels.count_label(summary.page_count, "page"),
        )
    )
    if publish:
        facts += public_facts(detail.file_metadata)  # nothing that locates or identifies
    elif not redacted:
        facts += [(label, fact_value(label, value)) for label, value in file_facts(detail.file_metadata)]
    return facts


def report_checklist(detail: DocumentDetail) -> list[tuple[str, str, str]]:
    """(item, finding, note) of every checklist item that was looked at, in words."""
    return [
        (labels.check_item_label(item), labels.check_state_label(check.state), check.note or "")
        for item, check in detail.checklist.items()
        if check.state != "unchecked"
    ]


def report_provenance(detail: DocumentDetail, *, publish: bool) -> list[str]:
    """One line per sighting, dates written out; for publication, no name as received and no source."""
    return [
        ("a file (its name as received withheld)" if publish else s.original_path)
        + (f", from {WITHHELD if publish else s.source}" if s.source else "")
        + (f", received {labels.format_partial_date(s.received_on)}" if s.received_on else "")
        + f"; imported by {s.imported_by}, {labels.format_utc(s.imported_at)}"
        for s in detail.sightings
    ]


def report_custody(
    detail: DocumentDetail, published: Iterable[dict[str, Any]] = ()
) -> list[tuple[str, str, str]]:
    """(time, person, what changed) per custody entry.

    ``published`` are the entries as the bundle's case.json carries them (for a publication bundle,
    with private facts and redacted words withheld): their before and after say what changed, so
    the report never shows more than case.json does.
    """
    facts = {e.get("id"): e for e in published if isinstance(e, dict)}
    lines = []
    for event in detail.custody:
        carried = facts.get(event.id)
        before, after = (carried.get("before"), carried.get("after")) if carried else (None, None)
        lines.append(
            (
                labels.format_utc(event.at),
                event.actor,
                custody_text(event.action, event.summary, before, after),
            )
        )
    return lines


def report_signals(case: Case, document_id: int, *, publish: bool) -> tuple[list[ReportSignal] | None, int]:
    """The document's forensic warnings and notices (warnings first), and how many plain facts more.

    None when the checks never ran on it (a document imported before they existed, or locked).
    """
    with case.db.reading() as session:
        if session.get(ForensicsRun, document_id) is None:
            return None, 0
        rows = session.scalars(
            select(ForensicSignal)
            .where(ForensicSignal.document_id == document_id)
            .order_by(ForensicSignal.id)
        ).all()
        stored = [(r.code, r.severity, r.title, r.explanation, r.value, r.page) for r in rows]
    listed = sorted((s for s in stored if s[1] in LISTED), key=lambda s: _RANK[s[1]])
    signals = [
        _published(code, severity, explanation, value, page)
        if publish
        else ReportSignal(severity, title, explanation, signal_value(value), page)
        for code, severity, title, explanation, value, page in listed
    ]
    return signals, len(stored) - len(listed)


def _published(code: str, severity: str, explanation: str, value: Any, page: int | None) -> ReportSignal:
    """A signal as a publication report shows it: which check, why it matters; not what the file said."""
    for text in sorted(_strings(value), key=len, reverse=True):
        explanation = explanation.replace(text, WITHHELD).replace(text[:100], WITHHELD)
    name = code.rpartition(".")[2].replace("_", " ")
    shown = WITHHELD if value not in (None, "", [], {}) else ""
    return ReportSignal(severity, name[:1].upper() + name[1:], explanation, shown, page)


def _strings(value: Any) -> Iterable[str]:
    """Every text (of three characters or more) held in a signal's value."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str) and len(value) >= 3:
        yield value
