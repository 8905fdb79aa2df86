"""Selecting words on the page and making them an annotation, in the real window, offscreen: a
born-digital page with the text tool, an OCR'd scan with Shift+drag; listed, searched, exported."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from reviewer.core.domain.quotes import find_text
from reviewer.core.ingest.reading import OcrMode
from reviewer.core.services import documents, queries
from reviewer.core.services.export import export_bundle
from reviewer.core.services.fixity import verify_case
from reviewer.core.services.reading import read_pages
from reviewer.core.services.search import search
from reviewer.ui.roles import RecordRole

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from reviewer.core.domain.quotes import PageWord
    from reviewer.ui.main_window import MainWindow


def _drag(
    window: MainWindow,
    start: QPoint,
    end: QPoint,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Press, move with the button held, release, on the page viewer."""
    target = window.viewer.viewport()
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton

    def send(kind: QEvent.Type, point: QPoint, button: Qt.MouseButton, buttons: Qt.MouseButton) -> None:
        event = QMouseEvent(
            kind, QPointF(point), QPointF(target.mapToGlobal(point)), button, buttons, modifiers
        )
        QApplication.sendEvent(target, event)

    send(QEvent.Type.MouseButtonPress, start, left, left)
    for i in range(1, 7):
        send(QEvent.Type.MouseMove, start + (end - start) * (i / 6), none, left)
    send(QEvent.Type.MouseButtonRelease, end, left, none)


def _centre(window: MainWindow, word: PageWord) -> QPoint:
    box = word.box
    return window.viewer.mapFromScene(QPointF((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2))


def _action(window: MainWindow, text: str) -> object:
    [action] = [a for a in window.actions() if a.text().replace("&", "") == text]
    return action


def _select(
    window: MainWindow, doc: int, page: int, words: str, **drag: Qt.KeyboardModifier
) -> list[PageWord]:
    on_page = documents.page_words(window.case, doc, page)
    first, last = find_text(on_page, words)[0]
    _drag(window, _centre(window, on_page[first]), _centre(window, on_page[last]), **drag)
    return on_page[first : last + 1]


def _listed(window: MainWindow) -> list[str]:
    model = window.annotations.model
    return [model.data(model.index(row)) for row in range(model.rowCount())]


def test_words_selected_with_the_text_tool_become_a_note(
    qtbot: QtBot, qtmodeltester: object, window: MainWindow, tmp_path: Path
) -> None:
    text_tool = _action(window, "Select text on the page")
    text_tool.trigger()  # type: ignore[attr-defined]
    assert window.viewer.text_tool
    assert text_tool.isChecked()  # type: ignore[attr-defined]
    picked = _select(window, 1, 1, "иностранных дел Республики")
    assert window.viewer.words.text() == "ИНОСТРАННЫХ ДЕЛ РЕСПУБЛИКИ"
    assert len(window.viewer.words.boxes()) == len(picked) == 3
    before = len(queries.document_detail(window.case, 1).annotations)
    with qtbot.waitSignal(window.edits.changed, timeout=5000):
        _action(window, "Annotate selected words").trigger()  # type: ignore[attr-defined]
    assert window.viewer.words.span is None, "the selection became the annotation"
    annotations = queries.document_detail(window.case, 1).annotations
    assert len(annotations) == before + 1
    [made] = [a for a in annotations if a.quote is not None]
    assert made.quote is not None
    assert made.quote.exact == "ИНОСТРАННЫХ ДЕЛ РЕСПУБЛИКИ"
    assert list(made.boxes) == [w.box for w in picked]
    # drawn on its words, listed with its quote, selected for a note
    region = window.viewer.regions()[made.id]
    assert region.is_text
    assert not region.flags() & region.GraphicsItemFlag.ItemIsMovable
    assert any("\u201cИНОСТРАННЫХ ДЕЛ РЕСПУБЛИКИ\u201d" in row for row in _listed(window))
    assert window.annotations.words.text() == "\u201cИНОСТРАННЫХ ДЕЛ РЕСПУБЛИКИ\u201d"
    qtmodeltester.check(window.annotations.model)  # type: ignore[attr-defined]
    window.annotations.note.setPlainText("the ministry's full name")
    with qtbot.waitSignal(window.edits.changed, timeout=5000):
        window.annotations.note.commit()
    found = search(window.case, "ministry's full name").documents
    hits = [h for d in found for h in d.hits if h.annotation_id == made.id]
    assert hits, "search finds the note"
    # exported with the words it quotes
    export_bundle(window.case, tmp_path / "bundle")
    items = json.loads((tmp_path / "bundle" / "data" / "annotations.jsonld").read_text())["first"]["items"]
    [item] = [i for i in items if i["id"] == f"urn:uuid:{made.id}"]
    [quote] = [s for s in item["target"]["selector"] if s["type"] == "TextQuoteSelector"]
    assert quote["exact"] == "ИНОСТРАННЫХ ДЕЛ РЕСПУБЛИКИ"
    # undone and redone through the undo stack, on the custody log each time
    window.edits.undo_stack.undo()  # the note
    window.edits.undo_stack.undo()  # the annotation
    assert made.id not in {a.id for a in queries.document_detail(window.case, 1).annotations}
    window.edits.undo_stack.redo()
    assert made.id in {a.id for a in queries.document_detail(window.case, 1).annotations}
    assert verify_case(window.case).ok


def test_a_plain_drag_still_draws_a_region_and_escape_clears_a_selection(window: MainWindow) -> None:
    _select(window, 1, 1, "НОТА", modifiers=Qt.KeyboardModifier.ShiftModifier)
    assert window.viewer.words.text() == "НОТА"
    window.viewer.setFocus()
    QTest.keyClick(window.viewer, Qt.Key.Key_Escape)
    assert window.viewer.words.span is None
    before = len(queries.document_detail(window.case, 1).annotations)
    _drag(
        window, window.viewer.mapFromScene(QPointF(100, 500)), window.viewer.mapFromScene(QPointF(300, 600))
    )
    after = queries.document_detail(window.case, 1).annotations
    assert len(after) == before + 1
    assert [a.quote for a in after if a.y0 >= 499] == [None], "a region, not words"


@pytest.mark.slow
def test_words_of_an_ocrd_scan_become_a_redaction(qtbot: QtBot, window: MainWindow) -> None:
    read_pages(window.case, [4], mode=OcrMode.ALWAYS, force=True, languages="rus+eng")
    on_page = documents.page_words(window.case, 4, 1)
    assert on_page, "the scan was OCR'd"
    window.open_document(4)
    qtbot.waitUntil(lambda: window.viewer.is_sharp, timeout=20_000)
    [(first, last)] = find_text(on_page, "12-05/1174")[:1]
    start = on_page[max(first - 1, 0)]
    _drag(window, _centre(window, start), _centre(window, on_page[last]), Qt.KeyboardModifier.ShiftModifier)
    selected = window.viewer.words.text()
    assert selected == " ".join(w.text for w in on_page[max(first - 1, 0) : last + 1])
    with qtbot.waitSignal(window.edits.changed, timeout=5000):
        _action(window, "Redact selected words").trigger()  # type: ignore[attr-defined]
    [made] = queries.document_detail(window.case, 4).annotations
    assert made.quote is not None
    assert made.quote.exact == selected
    assert made.kind.value == "redaction"
    rows = [
        window.annotations.model.index(r).data(RecordRole) for r in range(window.annotations.model.rowCount())
    ]
    assert [r.id for r in rows] == [made.id]
    assert verify_case(window.case).ok
