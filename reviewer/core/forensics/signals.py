"""What a forensic check reports: a signal with a severity, a plain-language reason and the raw value.

Signals inform; they never decide a verdict. A fact-checker reads them beside the document and weighs
them with everything else they know (who sent it, when, through which channel).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class Severity(enum.StrEnum):
    """How much attention a signal deserves, from a plain fact to something that needs explaining."""

    INFO = "info"  # a fact about the file, worth knowing, not suspicious in itself
    NOTICE = "notice"  # common in genuine documents, but worth a look in context
    WARNING = "warning"  # a contradiction or a trace of editing that needs an explanation

    @property
    def rank(self) -> int:
        """0 for info, 1 for notice, 2 for warning: for sorting and for the worst of a list."""
        return _RANKS[self]


_RANKS = {Severity.INFO: 0, Severity.NOTICE: 1, Severity.WARNING: 2}


@dataclass(frozen=True, slots=True)
class Signal:
    """One thing a forensic check found.

    ``code`` is a stable identifier (``pdf.modified_before_created``) to store, filter and count by;
    ``title`` a short line for a list; ``explanation`` says why it matters to a fact-checker, in plain
    words; ``value`` is the raw evidence (JSON-serialisable: str, int, float, bool, None, lists and
    dicts of them); ``page`` the 0-based page it concerns, or None for the whole file.
    """

    code: str
    severity: Severity
    title: str
    explanation: str
    value: Any = None
    page: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The signal as plain JSON-ready data (severity as its string)."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "title": self.title,
            "explanation": self.explanation,
            "value": self.value,
            "page": self.page,
        }


def worst(signals: list[Signal] | tuple[Signal, ...]) -> Severity | None:
    """The highest severity among ``signals``; None when there are none."""
    if not signals:
        return None
    return max((s.severity for s in signals), key=lambda s: s.rank)


def by_severity(signals: list[Signal] | tuple[Signal, ...]) -> list[Signal]:
    """Warnings first, then notices, then facts; the order of equal ones is kept."""
    return sorted(signals, key=lambda s: -s.severity.rank)
