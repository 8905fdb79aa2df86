"""How statuses look: one colour and one key each, used by the list, the panes and the shortcuts."""

from __future__ import annotations

from PySide6.QtGui import QColor

from reviewer.core.domain import labels
from reviewer.core.domain.values import VerificationStatus

# The colours and words of the core (reviewer.core.domain.labels): the window and report.html agree.
STATUS_COLOURS = {status: QColor(colour) for status, colour in labels.STATUS_COLOURS.items()}
STATUS_LABELS = dict(labels.STATUS_LABELS)

#: digits set statuses while triaging: 1 unverified … 5 fabricated
STATUS_KEYS = {str(i + 1): status for i, status in enumerate(VerificationStatus)}
