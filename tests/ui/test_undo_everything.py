"""Every edit made in the window is undone and redone through the undo stack, as the database shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtWidgets import QPushButton

from reviewer.core.domain.values import LinkRelation
from reviewer.core.services import entities, links, queries
from reviewer.core.services.fixity import verify_case
from reviewer.core.services.page_readings import page_readings
from reviewer.core.services.region_search import RegionHit
from reviewer.core.text.watchlist import WatchTerm

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from reviewer.ui.main_window import MainWindow


def _live_links(window: MainWindow, doc: int) -> list[tuple[int, int, LinkRelation, str | None]]:
    return [(r.source_id, r.target_id, r.relation, r.note) for r in links.links_of(window.case, doc)]


def test_links_added_and_removed(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.links
    window.panes.setCurrentWidget(pane)
    dialog = pane.open_add_link(other=2, relation=LinkRelation.REPLIES_TO)
    assert dialog is not None
    dialog.note.setText("answers the note of 3 March")
    dialog.accept()
    linked = [(1, 2, LinkRelation.REPLIES_TO, "answers the note of 3 March")]
    assert _live_links(window, 1) == linked
    window.edits.undo_stack.undo()
    assert _live_links(window, 1) == []
    assert pane.model.rowCount() == 0, "the pane shows the undo"
    window.edits.undo_stack.redo()
    assert _live_links(window, 1) == linked
    assert pane.model.rowCount() == 1
    pane.list.setCurrentIndex(pane.model.index(0))
    pane.remove_selected()
    assert _live_links(window, 1) == []
    window.edits.undo_stack.undo()
    assert _live_links(window, 1) == linked, "the link comes back with its note"
    window.edits.undo_stack.redo()
    assert _live_links(window, 1) == []
    actions = [e.action for e in queries.document_detail(window.case, 2).custody]
    assert actions.count("link_added") == 3
    assert actions.count("link_removed") == 3
    assert verify_case(window.case).ok


def test_the_watch_list(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.entities
    window.panes.setCurrentWidget(pane)
    pane._add(WatchTerm("Белнефтехим", "organisation", ("Belneftekhim",)))
    qtbot.waitUntil(lambda: not pane.is_busy(), timeout=30_000)

    def watched() -> list[str]:
        return [t.canonical for t in entities.watch_terms(window.case)]

    assert watched() == ["Белнефтехим"]
    with qtbot.waitSignal(pane.caseChanged):
        window.edits.undo_stack.undo()
    assert watched() == []
    assert pane.watch.rowCount() == 0, "the pane shows the undo"
    window.edits.undo_stack.redo()
    assert watched() == ["Белнефтехим"]
    [term] = entities.watch_terms(window.case)
    assert term.aliases == ("Belneftekhim",), "redo brings back the term as it was"
    pane.watch_view.setCurrentIndex(pane.watch.index(0, 0))
    pane.remove_selected_term()
    qtbot.waitUntil(lambda: not pane.is_busy(), timeout=30_000)
    assert watched() == []
    window.edits.undo_stack.undo()
    assert watched() == ["Белнефтехим"]
    assert verify_case(window.case).ok


@pytest.mark.slow
def test_reading_again_with_ocr(qtbot: QtBot, window: MainWindow) -> None:
    window.open_document(4)  # the scan, read without OCR by the fixture
    pane = window.page_text
    window.panes.setCurrentWidget(pane)
    before = page_readings(window.case, 4)
    with qtbot.waitSignal(pane.documentChanged, timeout=120_000):
        pane.read_again_with_ocr()
    after = page_readings(window.case, 4)
    assert after != before
    assert all(r.ocr_status == "done" for r in after)
    window.edits.undo_stack.undo()
    assert page_readings(window.case, 4) == before
    assert pane.shown_layer() != "OCR", "the page shows the earlier reading again"
    window.edits.undo_stack.redo()
    assert page_readings(window.case, 4) == after
    actions = [e.action for e in queries.document_detail(window.case, 4).custody]
    assert actions.count("ocr_restored") == 2
    assert verify_case(window.case).ok


def test_forensics_add_to_rationale_and_annotate_a_hit(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.forensics
    window.panes.setCurrentWidget(pane)
    window.open_document(4)
    qtbot.waitUntil(lambda: pane.signals.rowCount() > 0, timeout=30_000)
    [first, *_] = pane.signals.signal_indexes()
    button = pane.signal_view.indexWidget(first)
    assert isinstance(button, QPushButton)
    button.click()
    note = queries.document_detail(window.case, 4).status_note
    assert note is not None
    assert note.startswith("Forensic signal")
    window.edits.undo_stack.undo()
    assert queries.document_detail(window.case, 4).status_note is None
    window.edits.undo_stack.redo()
    assert queries.document_detail(window.case, 4).status_note == note

    [source] = queries.document_detail(window.case, 1).annotations
    hit = RegionHit(source.id, 2, "rotated.pdf", 1, (40.0, 40.0, 190.0, 90.0), 0.93, 1.0, 0.0, False)
    pane.regions.annotate_hit(hit)

    def marks() -> list[str]:
        return [a.note or "" for a in queries.document_detail(window.case, 2).annotations]

    assert len(marks()) == 1
    assert "Same as “reference number” on document 1" in marks()[0]
    window.edits.undo_stack.undo()
    assert marks() == []
    window.edits.undo_stack.redo()
    assert len(marks()) == 1
    assert verify_case(window.case).ok


def test_a_documents_ocr_languages(qtbot: QtBot, window: MainWindow) -> None:
    from reviewer.core.services.settings import document_languages

    pane = window.page_text
    window.panes.setCurrentWidget(pane)
    window.open_document(1)
    default = pane.document_languages()
    pane.set_languages("aze+rus")
    assert document_languages(window.case, 1) == "aze+rus"
    assert pane.document_languages() == "aze+rus"
    window.edits.undo_stack.undo()
    assert document_languages(window.case, 1) is None, "back to following the case"
    assert pane.document_languages() == default
    window.edits.undo_stack.redo()
    assert document_languages(window.case, 1) == "aze+rus"
    actions = [e.action for e in queries.document_detail(window.case, 1).custody]
    assert actions.count("ocr_languages_changed") == 3
    assert verify_case(window.case).ok
