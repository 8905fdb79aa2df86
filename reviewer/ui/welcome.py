"""The first screen when no case is open: new case, open case, or the demo."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from reviewer.core.domain.names import shown_line
from reviewer.core.services.case import is_case

if TYPE_CHECKING:
    from collections.abc import Sequence


class WelcomeWindow(QWidget):
    """Three ways in, and the cases opened last."""

    new_case = Signal()
    open_case = Signal()
    open_demo = Signal()
    open_recent = Signal(str)  # a case folder

    def __init__(self, recent: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("reviewer")
        title = QLabel("<h1>reviewer</h1><p>" + self.tr("Verify leaked documents, offline.") + "</p>", self)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        explain = QLabel(
            self.tr(
                "A case holds the files of one leak, byte for byte, with where each came from, "
                "what you found on every page, and why you believe it."
            ),
            self,
        )
        explain.setWordWrap(True)
        explain.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.buttons = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addWidget(title)
        layout.addWidget(explain)
        for key, text, signal in (
            ("new", self.tr("New case…"), self.new_case),
            ("open", self.tr("Open a case…"), self.open_case),
            ("demo", self.tr("Open the demo case"), self.open_demo),
        ):
            button = QPushButton(text, self)
            button.setMinimumHeight(36)
            button.clicked.connect(signal.emit)
            layout.addWidget(button)
            self.buttons[key] = button
        self.recent = QListWidget(self)
        self.recent.setToolTip(self.tr("Double-click or press Enter to open a case"))
        for folder in recent:
            item = QListWidgetItem(shown_line(folder), self.recent)
            item.setData(Qt.ItemDataRole.UserRole, folder)
            if not is_case(Path(folder)):
                item.setFlags(Qt.ItemFlag.NoItemFlags)  # greyed: moved, renamed or not mounted
                item.setToolTip(self.tr("not found"))
        self.recent.itemActivated.connect(
            lambda item: self.open_recent.emit(str(item.data(Qt.ItemDataRole.UserRole)))
        )
        if self.recent.count():
            layout.addWidget(QLabel("<b>" + self.tr("Recent cases") + "</b>", self))
            layout.addWidget(self.recent)
        else:
            self.recent.hide()
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.resize(520, 380)
