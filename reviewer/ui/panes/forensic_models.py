"""Item models of the Forensics pane: signals by severity, revisions, near-identical pages, region hits."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from reviewer.core.forensics.signals import Severity
from reviewer.core.services.forensics import NearPage, RevisionRecord
from reviewer.ui.i18n import QT_TRANSLATE_NOOP, translate
from reviewer.ui.record_list import RecordListModel
from reviewer.ui.roles import DocumentIdRole, RecordRole

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtCore import QPersistentModelIndex

    from reviewer.core.services.forensics import SignalRecord
    from reviewer.core.services.region_search import RegionHit

    Index = QModelIndex | QPersistentModelIndex

SEVERITY_COLOURS = {
    Severity.WARNING: QColor("#c5221f"),
    Severity.NOTICE: QColor("#d08c00"),
    Severity.INFO: QColor("#5f6368"),
}
#: the groups, warnings first
SEVERITIES = (Severity.WARNING, Severity.NOTICE, Severity.INFO)
GROUP_TITLES = {
    Severity.WARNING: QT_TRANSLATE_NOOP("ForensicsPane", "Warnings"),
    Severity.NOTICE: QT_TRANSLATE_NOOP("ForensicsPane", "Notices"),
    Severity.INFO: QT_TRANSLATE_NOOP("ForensicsPane", "Facts about the file"),
}
GROUP_TIPS = {
    Severity.WARNING: QT_TRANSLATE_NOOP(
        "ForensicsPane", "Contradictions or traces of editing that need an explanation"
    ),
    Severity.NOTICE: QT_TRANSLATE_NOOP(
        "ForensicsPane", "Common in genuine files, but worth a look in context"
    ),
    Severity.INFO: QT_TRANSLATE_NOOP("ForensicsPane", "Facts about the file, not suspicious in themselves"),
}
#: which level a row of the signal tree is
KindRole = Qt.ItemDataRole.UserRole + 10
#: the :class:`Severity` of a row's group or signal
SeverityRole = Qt.ItemDataRole.UserRole + 11
GROUP, SIGNAL, DETAIL, ACTION = "group", "signal", "detail", "action"


def severity_icon(severity: Severity) -> QIcon:
    """A filled dot in the severity's colour (a ring for facts, so colour is not the only cue)."""
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = SEVERITY_COLOURS.get(severity, SEVERITY_COLOURS[Severity.INFO])
    painter.setPen(colour)
    if severity is Severity.INFO:
        painter.drawEllipse(3, 3, 8, 8)
    else:
        painter.setBrush(colour)
        painter.drawEllipse(1, 1, 12, 12)
        if severity is Severity.WARNING:
            painter.setPen(QColor("white"))
            painter.drawLine(7, 4, 7, 8)
            painter.drawPoint(7, 10)
    painter.end()
    return QIcon(pixmap)


def raw_value_text(value: Any) -> str:
    """A signal's raw value for reading: JSON, indented, as stored."""
    if value is None:
        return "none"
    if isinstance(value, str):
        return value
    # one line that wraps at the pane's width, not an indented block cut off after two lines
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def signal_title(record: SignalRecord) -> str:
    """A signal's title with its page, unless the title starts by naming it ("Page 2: ...")."""
    if record.page is None or record.title.startswith(f"Page {record.page}:"):
        return record.title
    return translate("ForensicsPane", "{title} (page {page})").format(title=record.title, page=record.page)


@dataclass(slots=True)
class _Node:
    kind: str
    parent: int  # index of the parent node in the model's list; -1 for the top
    row: int
    severity: Severity
    record: SignalRecord | None = None
    children: list[int] = field(default_factory=list)


class SignalTreeModel(QAbstractItemModel):
    """Signals under their severity (warnings first); each signal's explanation and raw value below it.

    One column, so a narrow pane gives the words its whole width; under each explanation an empty row
    (``ACTION``) for the pane's "Add to rationale" button.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._nodes: list[_Node] = []
        self._top: list[int] = []
        self._icons = {s: severity_icon(s) for s in SEVERITY_COLOURS}

    def set_records(self, signals: Sequence[SignalRecord]) -> None:
        """Show these signals."""
        self.beginResetModel()
        self._nodes, self._top = [], []
        for severity in SEVERITIES:
            chosen = [s for s in signals if s.severity is severity]
            if not chosen:
                continue
            group = len(self._nodes)
            self._nodes.append(_Node(GROUP, -1, len(self._top), severity))
            self._top.append(group)
            for row, record in enumerate(chosen):
                at = len(self._nodes)
                self._nodes.append(_Node(SIGNAL, group, row, severity, record))
                self._nodes[group].children.append(at)
                for kind in (DETAIL, ACTION):
                    below = len(self._nodes)
                    self._nodes.append(_Node(kind, at, len(self._nodes[at].children), severity, record))
                    self._nodes[at].children.append(below)
        self.endResetModel()

    def signal_indexes(self) -> list[QModelIndex]:
        """The row under each signal's explanation, where the pane puts its "Add to rationale" button."""
        return [self.createIndex(node.row, 0, i) for i, node in enumerate(self._nodes) if node.kind == ACTION]

    def group_indexes(self) -> list[QModelIndex]:
        """The severity groups."""
        return [self.index(row, 0) for row in range(len(self._top))]

    def _node(self, index: Index) -> _Node | None:
        if not index.isValid():
            return None
        at = int(index.internalId())
        return self._nodes[at] if 0 <= at < len(self._nodes) else None

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        node = self._node(parent)
        children = self._top if node is None else node.children
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        node = self._node(index)
        if node is None or node.parent < 0:
            return QModelIndex()
        return self.createIndex(self._nodes[node.parent].row, 0, node.parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        node = self._node(parent)
        return len(self._top) if node is None else len(node.children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        node = self._node(index)
        if node is None:
            return Qt.ItemFlag.NoItemFlags
        if node.kind == ACTION:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
        if node.kind == DETAIL:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self._node(index)
        if node is None:
            return None
        if role == KindRole:
            return node.kind
        if role == RecordRole:
            return node.record
        if role == SeverityRole:
            return node.severity
        if index.column() != 0:
            return None
        if node.kind == GROUP:
            return self._group_data(node, role)
        record = node.record
        assert record is not None
        if node.kind == ACTION:
            return None
        if node.kind == SIGNAL:
            if role == Qt.ItemDataRole.DisplayRole:
                return signal_title(record)
            if role == Qt.ItemDataRole.DecorationRole:
                return self._icons.get(node.severity)
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{record.explanation}\n\n{record.code}"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            raw = translate("ForensicsPane", "Raw value: {value}").format(value=raw_value_text(record.value))
            return f"{record.explanation}\n{raw}"
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#3c4043"))
        return None

    def _group_data(self, node: _Node, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{translate('ForensicsPane', GROUP_TITLES[node.severity])} ({len(node.children)})"
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(SEVERITY_COLOURS[node.severity])
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icons.get(node.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            return translate("ForensicsPane", GROUP_TIPS[node.severity])
        return None


class RevisionModel(RecordListModel[RevisionRecord]):
    """The saved states of a PDF, the first save first."""

    def show(self, record: RevisionRecord, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            what = (
                translate("ForensicsPane", "the file as it is now")
                if record.current
                else translate("ForensicsPane", "an earlier save")
            )
            return translate("ForensicsPane", "Revision {number}: {what} ({size} bytes)").format(
                number=record.number, what=what, size=f"{record.size:,}"
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return translate(
                "ForensicsPane", "Open it to see the document as that save left it (a copy outside the case)"
            )
        return None


class NearPageModel(RecordListModel[NearPage]):
    """Pages of other documents that look near-identical to a page of this one."""

    def show(self, record: NearPage, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                translate("ForensicsPane", "p. {page} ≈ {id} · {name}, p. {other}").format(
                    page=record.page,
                    id=record.document_id,
                    name=record.document_name,
                    other=record.other_page,
                )
                + "  "
                + translate("ForensicsPane", "({distance} of 64 bits differ)").format(
                    distance=record.distance
                )
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return translate("ForensicsPane", "Double-click to open that page")
        if role == DocumentIdRole:
            return record.document_id
        return None


_QUALITY_WORDS = {
    "strong": QT_TRANSLATE_NOOP("ForensicsPane", "strong match"),
    "good": QT_TRANSLATE_NOOP("ForensicsPane", "good match"),
    "weak": QT_TRANSLATE_NOOP("ForensicsPane", "weak match"),
}


def hit_words(hit: RegionHit) -> str:
    """A hit in plain words: "0.5× · turned 8° · seen at an angle · strong match"."""
    parts = [f"{hit.scale:.2g}×" if hit.scale < 10 else f"{hit.scale:.0f}×"]
    if abs(hit.angle) >= 0.5:
        parts.append(translate("ForensicsPane", "turned {angle}°").format(angle=f"{abs(hit.angle):.0f}"))
    if hit.slant >= 1.05:
        parts.append(translate("ForensicsPane", "seen at an angle"))
    parts.append(translate("ForensicsPane", _QUALITY_WORDS[hit.quality.value]))
    return " · ".join(parts)


class RegionHitModel(QAbstractListModel):
    """Where an annotated region was found, one place a row in two lines: the document and page, then
    how it matches (size, turn, slant, how well); the numbers behind it in the tooltip."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RegionHit] = []

    def set_records(self, records: Sequence[RegionHit]) -> None:
        """Show these hits."""
        self.beginResetModel()
        self._rows = list(records)
        self.endResetModel()

    def record(self, row: int) -> RegionHit | None:
        """The hit at ``row``."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def mark_annotated(self, row: int) -> None:
        """The place at ``row`` has become an annotation."""
        record = self.record(row)
        if record is not None and not record.annotated:
            self._rows[row] = replace(record, annotated=True)
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.ForegroundRole, RecordRole])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = self.record(index.row()) if index.isValid() else None
        if record is None:
            return None
        if role == RecordRole:
            return record
        if role == DocumentIdRole:
            return record.document_id
        if role == Qt.ItemDataRole.DisplayRole:
            place = translate("ForensicsPane", "{id} · {name}, p. {page}").format(
                id=record.document_id, name=record.document_name, page=record.page
            )
            words = hit_words(record)
            if record.annotated:
                words += " · " + translate("ForensicsPane", "annotated")
            return f"{place}\n{words}"
        if role == Qt.ItemDataRole.ToolTipRole:
            marked = (
                "\n" + translate("ForensicsPane", "An annotation already covers this place.")
                if record.annotated
                else ""
            )
            found = translate(
                "ForensicsPane",
                "Found on page {page} of {name}: score {score} (1 = identical pixels), "
                "{scale} times the size, turned {angle}°; {inliers} keypoints agree, slant {slant}",
            ).format(
                page=record.page,
                name=record.document_name,
                score=f"{record.score:.2f}",
                scale=f"{record.scale:.2f}",
                angle=f"{record.angle:+.1f}",
                inliers=record.inliers,
                slant=f"{record.slant:.2f}",
            )
            return found + marked + "\n" + translate("ForensicsPane", "Double-click to open the page")
        if role == Qt.ItemDataRole.ForegroundRole and record.annotated:
            return QBrush(QColor("#5f6368"))
        return None
