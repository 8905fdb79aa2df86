"""Item-data roles shared by reviewer's models, defined once."""

from __future__ import annotations

from PySide6.QtCore import Qt

#: the plain record (a frozen dataclass from reviewer.core.domain.records) behind a row
RecordRole = Qt.ItemDataRole.UserRole + 1
#: the document id behind a row
DocumentIdRole = Qt.ItemDataRole.UserRole + 2
