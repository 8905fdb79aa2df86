"""Raw values as an editor reads them in report.html: PDF and EXIF dates, signal values, custody entries.

The report is sent to people who never open reviewer: ``D:20190313104218+03'00'`` becomes "13 March
2019, 10:42 (+03:00)", ``in_review`` "In review", and a custody entry says what changed. Values a
function here does not recognise are shown as they are, never dropped: the report is evidence.
"""

from __future__ import annotations

import re
from typing import Any

from reviewer.core.domain import labels
from reviewer.core.forensics.dates import parse_exif_date, parse_iso_date, parse_pdf_date

#: a PDF date anywhere in a text: ``D:20190313104218+03'00'``, ``D:2019031310``, ``D:20190313104218Z``
PDF_DATE = re.compile(r"D:\d{4}(?:\d{2}){0,5}(?:Z(?:00'?00'?)?|[+-]\d{2}'?(?:\d{2}'?)?)?")
_EXIF_DATE = re.compile(r"\b\d{4}:\d{2}:\d{2} \d{2}:\d{2}:\d{2}\b")
_ISO_MOMENT = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")
#: how much of a value a line quotes (a custody entry keeps it whole)
QUOTED = 80
VALUE_LIMIT = 240
#: facts of the file (file_facts labels) whose values are dates
DATE_FACTS = frozenset({"PDF created", "PDF modified", "EXIF date", "Taken", "Digitised"})


def human_dates(text: str) -> str:
    """``text`` with every PDF, EXIF or ISO date in it written as a person reads it."""

    def pdf(match: re.Match[str]) -> str:
        moment = parse_pdf_date(match.group(0))
        return labels.format_moment(moment) if moment is not None else match.group(0)

    def exif(match: re.Match[str]) -> str:
        moment = parse_exif_date(match.group(0))
        return labels.format_moment(moment) if moment is not None else match.group(0)

    def iso(match: re.Match[str]) -> str:
        moment = parse_iso_date(match.group(0))
        return labels.format_moment(moment) if moment is not None else match.group(0)

    return _ISO_MOMENT.sub(iso, _EXIF_DATE.sub(exif, PDF_DATE.sub(pdf, text)))


def fact_value(label: str, value: str) -> str:
    """A file fact's value for the report: dates readable, everything else as the file said it."""
    return human_dates(value) if label in DATE_FACTS else value


def field_value(name: str, value: str) -> str:
    """A recorded field's value for the report: the type by its label, the date written out."""
    if name == "type":
        return labels.document_type_label(value)
    if name == "document_date":
        return labels.format_partial_date(value)
    return value


def quoted(value: object, limit: int = QUOTED) -> str:
    """A value in quotes on one line, cut at ``limit`` characters; ``(empty)`` for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return "(empty)"
    text = ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
    return '"' + elide(text, limit) + '"'


def elide(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word boundary near ``limit`` with "…"."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def signal_value(value: Any, limit: int = VALUE_LIMIT) -> str:
    """A forensic signal's raw value on one line: ``created: 12 March 2019, 10:15 (+03:00); …``."""
    if value is None or value == {} or value == []:
        return ""
    if isinstance(value, dict):
        text = "; ".join(
            f"{str(k).replace('_', ' ')}: {signal_value(v, 80)}"
            for k, v in value.items()
            if v not in (None, "", [], {})
        )
    elif isinstance(value, list):
        text = ", ".join(signal_value(v, 80) for v in value)
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, float):
        text = f"{value:.6g}"
    else:
        text = human_dates(str(value))
    return elide(text, limit)


def custody_text(action: str, summary: str, before: Any, after: Any) -> str:
    """What a custody entry changed, in words: its first line the summary (readable), then details.

    Summaries made for the log name stored values (``status disputed → in_review``); those are
    written again from the entry's before and after. An entry whose summary does not say the old
    and new values gets a line for each value that changed.
    """
    if action == "status_changed" and isinstance(before, dict) and isinstance(after, dict):
        return _status_text(before, after) or summary
    if (
        action == "metadata_changed"
        and isinstance(before, dict)
        and isinstance(after, dict)
        and len(after) == 1
    ):
        [(name, new)] = after.items()
        old = before.get(name)
        free = summary.startswith("free field")
        label = f"Field {name!r}" if free else labels.field_label(name)
        if not free:
            old, new = (field_value(name, v) if isinstance(v, str) else v for v in (old, new))
        return f"{label} changed: {quoted(old)} → {quoted(new)}"
    if action == "checklist_changed" and isinstance(before, dict) and isinstance(after, dict):
        return (
            "; ".join(_check_text(item, before.get(item), facts) for item, facts in after.items()) or summary
        )
    details = _differences(before, after) if "→" not in summary else []
    return "\n".join([summary, *details])


def _status_text(before: dict[str, Any], after: dict[str, Any]) -> str:
    parts = []
    if before.get("status") != after.get("status"):
        old, new = before.get("status"), after.get("status")
        parts.append(
            f"Status: {labels.status_label(old) if old else '(none)'} → {labels.status_label(str(new))}"
        )
    if before.get("note") != after.get("note"):
        parts.append(f"rationale: {quoted(before.get('note'))} → {quoted(after.get('note'))}")
    return "; ".join(parts)


def _check_text(item: str, old: Any, new: Any) -> str:
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    text = f"Checklist, {labels.check_item_label(item)}: "
    old_state, new_state = old.get("state") or "unchecked", new.get("state") or "unchecked"
    if old_state != new_state:
        text += f"{labels.check_state_label(old_state)} → {labels.check_state_label(new_state)}"
    else:
        text += labels.check_state_label(new_state)
    if old.get("note") != new.get("note"):
        text += f", note: {quoted(old.get('note'))} → {quoted(new.get('note'))}"
    return text


#: facts of an annotation worth a line when it is added, changed or removed (where it is, its words)
_ANNOTATION_FACTS = ("note", "transcription", "translation", "tags", "page", "kind")
_SKIPPED = frozenset({"id", "rect", "boxes", "quote", "sha256", "entry_hash", "created_at", "updated_at"})
_MAX_DETAILS = 6


def _differences(before: Any, after: Any) -> list[str]:
    """One line per fact that an entry's before and after give differently (or that it added)."""
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    if not new and not old:
        return []
    if "kind" in new or "kind" in old:  # an annotation: its texts, not its geometry
        keys = [k for k in _ANNOTATION_FACTS if k in new or k in old]
    elif not isinstance(before, dict):
        return []  # something recorded for the first time (an import, an export): the summary says it
    else:
        keys = [k for k in dict.fromkeys([*old, *new]) if k not in _SKIPPED]
    lines = []
    for key in keys:
        was, now = old.get(key), new.get(key)
        if was == now or isinstance(was, dict) or isinstance(now, dict):
            continue
        name = str(key).replace("_", " ")
        if key == "kind" or (key == "page" and before is None):
            continue  # the summary names the kind, and the page an annotation was added on
        if before is None:
            if now in (None, "", []):
                continue
            lines.append(f"{name}: {quoted(now)}")
        else:
            lines.append(f"{name}: {quoted(was)} → {quoted(now)}")
    return lines[:_MAX_DETAILS]
