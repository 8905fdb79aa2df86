"""How statuses look: one colour and one key each, used by the list, the panes and the shortcuts."""

from __future__ import annotations

from PySide6.QtGui import QColor

from reviewer.core.domain.values import VerificationStatus

STATUS_COLOURS = {
    VerificationStatus.UNVERIFIED: QColor("#8a8f98"),
    VerificationStatus.IN_REVIEW: QColor("#d08c00"),
    VerificationStatus.VERIFIED: QColor("#1e8e3e"),
    VerificationStatus.DISPUTED: QColor("#c5221f"),
    VerificationStatus.FABRICATED: QColor("#6f2dbd"),
}

STATUS_LABELS = {
    VerificationStatus.UNVERIFIED: "Unverified",
    VerificationStatus.IN_REVIEW: "In review",
    VerificationStatus.VERIFIED: "Verified",
    VerificationStatus.DISPUTED: "Disputed",
    VerificationStatus.FABRICATED: "Fabricated",
}

#: digits set statuses while triaging: 1 unverified … 5 fabricated
STATUS_KEYS = {str(i + 1): status for i, status in enumerate(VerificationStatus)}
