"""The panes and the filter bar at a laptop's width: about 300 px, and nothing a user reads is cut.

At 1366x768 the page takes 56 % of the width and the panes get about 314 px. Each pane is shown at
300 px in a real window and every widget that shows text is asked whether its text fits where it is:
a button's or a one-line label's size hint within its width, a wrapped label's words within its width
and its lines within its height, a combo box's current item within its field, a table's header titles
within their columns.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)

from reviewer.core.domain.values import ChecklistItem
from reviewer.core.services import documents, queries
from reviewer.core.services.provenance import set_sighting_provenance
from reviewer.ui.filter_bar import FilterBar

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from reviewer.ui.main_window import MainWindow

NARROW = 300
TABS = ("Status", "Notes", "Fields", "Sources", "Text", "Entities", "Links", "Forensics")


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text).replace("&nbsp;", " ").replace("&amp;", "&")


def cut_texts(root: QWidget) -> list[str]:
    """What of the text shown under ``root`` does not fit where it is drawn, one line per widget."""
    cut: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) or widget.width() <= 0:
            continue
        name = f"{type(widget).__name__} {widget.objectName() or ''}".strip()
        if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            room = widget.contentsRect()
            if not widget.wordWrap():
                wanted = widget.sizeHint().width()
                if wanted > widget.width():
                    cut.append(f"{name} {widget.text()!r}: wants {wanted} px, has {widget.width()}")
                continue
            metrics = widget.fontMetrics()
            for word in _plain(widget.text()).split():
                if metrics.horizontalAdvance(word) > room.width():
                    cut.append(f"{name}: the word {word!r} is wider than the label ({room.width()} px)")
            if widget.heightForWidth(widget.width()) > widget.height():
                cut.append(f"{name} {widget.text()[:40]!r}: its lines are cut at the bottom")
        elif isinstance(widget, QAbstractButton) and widget.text():
            if widget.sizeHint().width() > widget.width():
                cut.append(
                    f"{name} {widget.text()!r}: wants {widget.sizeHint().width()} px, has {widget.width()}"
                )
        elif isinstance(widget, QComboBox) and widget.currentText():
            option = QStyleOptionComboBox()
            widget.initStyleOption(option)
            field = widget.style().subControlRect(
                QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, widget
            )
            needed = widget.fontMetrics().horizontalAdvance(widget.currentText())
            if not widget.itemIcon(widget.currentIndex()).isNull():
                needed += widget.iconSize().width() + 4
            if needed > field.width():
                cut.append(
                    f"{name} {widget.currentText()!r}: wants {needed} px, its field has {field.width()}"
                )
        elif isinstance(widget, QLineEdit) and not widget.text() and widget.placeholderText():
            needed = widget.fontMetrics().horizontalAdvance(widget.placeholderText())
            # Qt cuts a long placeholder with "…"; then the tooltip must say it whole
            if needed > widget.width() - 12 and widget.placeholderText() not in widget.toolTip():
                cut.append(f"{name} placeholder {widget.placeholderText()!r}: wants {needed} px")
        elif isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal:
            model = widget.model()
            for section in range(widget.count()):
                if widget.isSectionHidden(section):
                    continue
                title = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
                needed = min(
                    widget.fontMetrics().horizontalAdvance(title) + 8, widget.sectionSizeHint(section)
                )
                if title and widget.sectionSize(section) < needed:
                    cut.append(f"{name} column {title!r}: {widget.sectionSize(section)} px, wants {needed}")
    return cut


def _panes_at(window: MainWindow, qtbot: QtBot, width: int) -> None:
    splitter = window.splitter
    total = sum(splitter.sizes())
    splitter.setSizes([240, total - 240 - width, width])
    qtbot.waitUntil(lambda: abs(window.panes.width() - width) <= 1)


@pytest.fixture
def narrow_window(window: MainWindow, qtbot: QtBot) -> MainWindow:
    """The window on a document with long fields, a rationale, checklist notes; the panes at 300 px."""
    case = window.case
    documents.set_metadata(
        case,
        1,
        {
            "title": "Letter to Qaraçay Logistika on the cargo held at Port Aldmere since April",
            "reference_number": "BV/OPS/19-0233",
            "issuer": "Brannock & Vey Shipping Agency Ltd",
            "vessel": "m/v Qaranquş",
        },
    )
    documents.set_status(case, 1, "in review", "Letterhead and company number match the register.")
    documents.set_check(
        case, 1, ChecklistItem.LETTERHEAD, "consistent", "the register's extract of 23 February"
    )
    sighting = queries.document_detail(case, 1).sightings[0].id
    set_sighting_provenance(
        case, sighting, source="Partner newsroom (Kestrel Desk)", received_on="2026-02-20"
    )
    window.refresh([1])
    _panes_at(window, qtbot, NARROW)
    return window


@pytest.mark.parametrize("tab", TABS)
def test_each_pane_reads_whole_at_300_px(narrow_window: MainWindow, qtbot: QtBot, tab: str) -> None:
    tabs = narrow_window.panes
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == tab)
    tabs.setCurrentIndex(index)
    pane = tabs.widget(index)
    qtbot.waitUntil(pane.isVisible)
    qtbot.wait(50)  # a shown tab lays itself out; nothing to wait for by signal
    problems = cut_texts(pane)
    if pane.minimumSizeHint().width() > NARROW:
        problems.append(f"{tab} asks for {pane.minimumSizeHint().width()} px")
    assert pane.width() <= NARROW
    assert not problems, "\n".join(problems)


def test_the_panes_ask_no_more_than_300_px(narrow_window: MainWindow) -> None:
    assert narrow_window.panes.minimumSizeHint().width() <= NARROW


def test_the_filter_bar_fits_300_px(qtbot: QtBot) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)
    assert bar.minimumSizeHint().width() <= NARROW
    bar.resize(NARROW - 20, bar.sizeHint().height())
    bar.show()
    qtbot.waitExposed(bar)
    assert cut_texts(bar) == []
    bar.close()


def test_sightings_show_the_source_and_date_and_say_the_rest(narrow_window: MainWindow, qtbot: QtBot) -> None:
    """The Sources pane at 300 px: the source and date of each sighting, its file said in full below."""
    tabs = narrow_window.panes
    tabs.setCurrentWidget(narrow_window.provenance)
    pane = narrow_window.provenance
    qtbot.waitUntil(pane.isVisible)
    view = pane.sighting_view
    visible = [c for c in range(view.model().columnCount()) if not view.isColumnHidden(c)]
    assert sum(view.columnWidth(c) for c in visible) <= view.viewport().width()
    source = view.model().index(0, 0).data()
    assert source == "Partner newsroom (Kestrel Desk)"
    assert view.fontMetrics().horizontalAdvance(source) <= view.columnWidth(0) * 2  # two lines at most
    assert "note.pdf" in pane.sighting_detail.toPlainText()
