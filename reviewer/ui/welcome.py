"""The first screen when no case is open: new case, open case, or the demo."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class WelcomeWindow(QWidget):
    """Three ways in."""

    new_case = Signal()
    open_case = Signal()
    open_demo = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("reviewer")
        title = QLabel("<h1>reviewer</h1><p>Verify leaked documents, offline.</p>", self)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        explain = QLabel(
            "A case holds the files of one leak, byte for byte, with where each came from, "
            "what you found on every page, and why you believe it.",
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
            ("new", "New case…", self.new_case),
            ("open", "Open a case…", self.open_case),
            ("demo", "Open the demo case", self.open_demo),
        ):
            button = QPushButton(text, self)
            button.setMinimumHeight(36)
            button.clicked.connect(signal.emit)
            layout.addWidget(button)
            self.buttons[key] = button
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.resize(520, 380)
