"""The Metadata pane: what the document is, as the fact-checker records it, and free fields."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from reviewer.core.domain.file_facts import file_facts
from reviewer.core.domain.values import DocumentType
from reviewer.ui.i18n import QT_TRANSLATE_NOOP, translate
from reviewer.ui.panes.editors import CommitLineEdit
from reviewer.ui.words import document_type_label, field_label

if TYPE_CHECKING:
    from reviewer.core.domain.records import DocumentDetail
    from reviewer.ui.actions import DocumentActions

FIELDS = [
    ("title", QT_TRANSLATE_NOOP("MetadataPane", "What the document calls itself")),
    (
        "document_date",
        QT_TRANSLATE_NOOP("MetadataPane", "YYYY-MM-DD, YYYY-MM or YYYY, as dated on the document"),
    ),
    ("reference_number", QT_TRANSLATE_NOOP("MetadataPane", "e.g. № 12-05/1174")),
    ("issuer", QT_TRANSLATE_NOOP("MetadataPane", "Who the document says issued it")),
    ("recipient", QT_TRANSLATE_NOOP("MetadataPane", "Who it is addressed to")),
    ("language", "ru, be, az, en …"),
]


class MetadataPane(QWidget):
    """Edits the recorded fields of one document; every edit is saved at once through the actions."""

    def __init__(self, actions: DocumentActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actions = actions
        self._doc_id: int | None = None
        self.type = QComboBox(self)
        self.type.addItem(self.tr("(not set)"), "")
        for kind in DocumentType:
            self.type.addItem(document_type_label(kind).capitalize(), kind.value)
        self.edits: dict[str, CommitLineEdit] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # each name above its field: 300 px
        form.addRow(field_label("type"), self.type)
        for key, hint in FIELDS:
            edit = CommitLineEdit(self)
            edit.setPlaceholderText(self.tr(hint))
            edit.setToolTip(self.tr(hint))  # the placeholder is cut with "…" in a narrow pane
            edit.committed.connect(lambda text, key=key, edit=edit: self._set(key, text, edit.seen))
            self.edits[key] = edit
            form.addRow(field_label(key), edit)
        self._recorded_type = ""  # the type as last shown: what the person changes
        self.type.activated.connect(
            lambda _i: self._set("type", self.type.currentData(), self._recorded_type)
        )
        self.free_form = QFormLayout()
        self.free_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.free: dict[str, CommitLineEdit] = {}
        self.new_name = CommitLineEdit(self)
        self.new_name.setPlaceholderText(self.tr("field name, e.g. vessel"))
        self.new_value = CommitLineEdit(self)
        self.new_value.setPlaceholderText(self.tr("value"))
        add = QPushButton(self.tr("Add field"), self)
        add.clicked.connect(self._add_free)
        row = QHBoxLayout()
        row.addWidget(self.new_value, 1)
        row.addWidget(add)
        self.file_facts = QLabel(self)
        self.file_facts.setWordWrap(True)
        self.file_facts.setStyleSheet("color: palette(mid);")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>" + self.tr("Free fields") + "</b>"))
        layout.addLayout(self.free_form)
        layout.addWidget(self.new_name)
        layout.addLayout(row)
        layout.addWidget(QLabel("<b>" + self.tr("From the file") + "</b>"))
        layout.addWidget(self.file_facts)
        layout.addStretch(1)
        self.setEnabled(False)

    def set_document(self, detail: DocumentDetail | None) -> None:
        """Show a document's fields."""
        self._doc_id = detail.summary.id if detail else None
        self.setEnabled(detail is not None)
        fields = detail.fields if detail else {}
        self._recorded_type = fields.get("type") or ""
        self.type.setCurrentIndex(max(self.type.findData(self._recorded_type), 0))
        for key, edit in self.edits.items():
            edit.set_saved(fields.get(key))
        while self.free_form.rowCount():
            self.free_form.removeRow(0)
        self.free = {}
        for name, value in (detail.free_fields if detail else {}).items():
            edit = CommitLineEdit(self)
            edit.set_saved(value)
            edit.committed.connect(lambda text, name=name, edit=edit: self._set(name, text, edit.seen))
            self.free[name] = edit
            self.free_form.addRow(name, edit)
        self.file_facts.setText(_file_facts(detail) if detail else "")

    def _set(self, name: str, value: str, seen: str | None = None) -> None:
        if self._doc_id is not None:
            self._actions.set_field(self._doc_id, name, value, seen)

    def _add_free(self) -> None:
        name, value = self.new_name.text().strip(), self.new_value.text().strip()
        if name and value:
            self._set(name, value)
            self.new_name.set_saved("")
            self.new_value.set_saved("")


def _file_facts(detail: DocumentDetail) -> str:
    lines = [
        f"{detail.summary.media_type}, {detail.file_format}, "
        + translate("MetadataPane", "{size} bytes").format(size=f"{detail.summary.size:,}")
    ]
    lines += [f"{label}: {value}" for label, value in file_facts(detail.file_metadata)]
    sha = detail.summary.sha256
    lines.append(f"SHA-256: {sha[:32]} {sha[32:]}")  # in two halves, so that it wraps in a narrow pane
    return "\n".join(lines)
