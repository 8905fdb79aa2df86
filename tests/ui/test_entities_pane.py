"""The Entities pane on a real case: entities by kind, who else mentions one, and the watch-list."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialogButtonBox

from reviewer.core.services import entities, reading
from reviewer.core.services.importing import import_paths
from reviewer.ui.panes.entities import EntitiesPane
from reviewer.ui.panes.entity_models import EntityTreeModel, MentioningModel, WatchTermModel, page_ranges
from reviewer.ui.roles import DocumentIdRole, RecordRole
from tests.filemaker import make_text_pdf

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.modeltest import ModelTester
    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case


@pytest.fixture
def three(case: Case, inbox: Path) -> list[int]:
    """A note, a reply sharing its reference number and naming the concern, and an invoice; all read."""
    make_text_pdf(inbox / "a.pdf", lines=["Нота № 12-05/1174 от 12 мая 2019 г.", "Концерн Белнефтехим"])
    make_text_pdf(inbox / "b.pdf", lines=["В ответ на ноту № 12-05/1174", "Концерна Белнефтехима"])
    make_text_pdf(inbox / "c.pdf", lines=["Invoice No. INV-2019-0415", "Total: USD 12,500.00"])
    report = import_paths(case, [inbox / "a.pdf", inbox / "b.pdf", inbox / "c.pdf"])
    reading.read_pages(case)
    return [item.id for item in report.imported]


@pytest.fixture
def pane(qtbot: QtBot, case: Case, three: list[int]) -> EntitiesPane:
    widget = EntitiesPane(case)
    qtbot.addWidget(widget)
    widget.resize(420, 700)
    return widget


def tree_contents(model: EntityTreeModel) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for group in range(model.rowCount()):
        heading = model.index(group, 0)
        out[heading.data()] = [
            tuple(model.index(row, column, heading).data() for column in range(model.columnCount()))
            for row in range(model.rowCount(heading))
        ]
    return out


def names(model: MentioningModel) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_a_documents_entities_are_grouped_by_kind(pane: EntitiesPane, three: list[int]) -> None:
    a, _b, c = three
    pane.set_document(a)
    assert tree_contents(pane.model) == {
        "Dates (1)": [("2019-05-12", "12 мая 2019 г.", "1")],
        "Reference numbers (1)": [("12-05/1174", "№ 12-05/1174", "1")],
    }
    assert pane.info.text() == "2 in this document"
    pane.set_document(c)
    assert list(tree_contents(pane.model)) == ["Reference numbers (1)", "Amounts (1)"]
    assert tree_contents(pane.model)["Amounts (1)"] == [("12500.00 USD", "USD 12,500.00", "1")]
    pane.set_document(None)
    assert pane.model.is_empty()
    assert pane.info.text() == "No document"


def test_choosing_an_entity_lists_every_document_mentioning_it(
    qtbot: QtBot, pane: EntitiesPane, three: list[int]
) -> None:
    a, b, _c = three
    pane.show()
    qtbot.waitExposed(pane)
    pane.set_document(a)
    assert pane.mentioning.rowCount() == 0
    assert pane.choose_entity("reference", "12-05/1174")
    assert names(pane.mentioning) == [f"{a} · a.pdf", f"{b} · b.pdf"]
    assert "2 document(s)" in pane.mentioning_title.text()
    assert pane.mentioning.data(pane.mentioning.index(1, 0), DocumentIdRole) == b

    pane.documents.setCurrentIndex(pane.mentioning.index(1, 0))
    with qtbot.waitSignal(pane.documentWanted) as wanted:
        qtbot.keyClick(pane.documents, Qt.Key.Key_Return)
    assert wanted.args == [b]
    rect = pane.documents.visualRect(pane.mentioning.index(0, 0))
    # a real double-click starts with a press on the same row, which the view checks for
    qtbot.mouseClick(pane.documents.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(pane.documentWanted) as wanted:
        qtbot.mouseDClick(pane.documents.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert wanted.args == [a]

    pane.set_document(b)  # b mentions the same number: it stays chosen
    assert pane.chosen_entity() is not None
    assert names(pane.mentioning) == [f"{a} · a.pdf", f"{b} · b.pdf"]
    assert not pane.choose_entity("money", "12500.00 USD")  # not in b
    assert pane.mentioning.rowCount() == 0


def test_the_whole_case_shows_entities_in_most_documents_first(pane: EntitiesPane, three: list[int]) -> None:
    a, b, c = three
    pane.set_document(c)
    pane.whole_case.setChecked(True)
    contents = tree_contents(pane.model)
    assert contents["Reference numbers (2)"] == [("12-05/1174", "2"), ("INV-2019-0415", "1")]
    assert pane.model.headerData(1, Qt.Orientation.Horizontal) == "Documents"
    assert pane.choose_entity("reference", "12-05/1174")
    assert names(pane.mentioning) == [f"{a} · a.pdf", f"{b} · b.pdf"]
    pane.set_document(a)  # the case's list stays; the document being read is marked
    assert pane.mentioning.current_document == a
    assert pane.mentioning.data(pane.mentioning.index(0, 0), Qt.ItemDataRole.FontRole).italic()
    pane.whole_case.setChecked(False)
    assert "Amounts (1)" not in tree_contents(pane.model)


def test_a_watched_term_is_found_inflected_after_the_case_is_searched(
    qtbot: QtBot, case: Case, pane: EntitiesPane, three: list[int]
) -> None:
    a, b, _c = three
    pane.set_document(b)
    dialog = pane.open_add_term()
    assert dialog.isVisible()
    dialog.canonical.setText("Белнефтехим")
    dialog.kind.setCurrentIndex(dialog.kind.findData("organisation"))
    dialog.aliases.setText("Belneftekhim, , BNK ")
    with qtbot.waitSignal(pane.caseChanged, timeout=20_000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        # the search runs on its own thread: the pane says so and refuses a second change meanwhile
        assert pane.is_busy()
        assert not pane.busy.isHidden()
        assert not pane.add_button.isEnabled()
    assert not pane.is_busy()
    assert pane.busy.isHidden()
    assert [(t.canonical, t.kind, t.aliases) for t in entities.watch_terms(case)] == [
        ("Белнефтехим", "organisation", ("Belneftekhim", "BNK"))
    ]
    assert tree_contents(pane.model)["Watched terms (1)"] == [("Белнефтехим", "Белнефтехима", "1")]
    assert pane.watch.rowCount() == 1
    assert pane.message.text() == "“Белнефтехим” is on the watch-list: found in 2 document(s)."
    assert pane.choose_entity("term", "Белнефтехим")
    assert names(pane.mentioning) == [f"{a} · a.pdf", f"{b} · b.pdf"]

    pane.watch_view.setCurrentIndex(pane.watch.index(0, 0))
    assert pane.remove_button.isEnabled()
    with qtbot.waitSignal(pane.caseChanged, timeout=20_000):
        pane.remove_button.click()
    assert entities.watch_terms(case) == []
    assert pane.message.text() == "“Белнефтехим” is off the watch-list."
    assert "Watched terms (1)" not in tree_contents(pane.model)
    assert pane.watch.rowCount() == 0
    assert not pane.remove_button.isEnabled()
    assert pane.mentioning.rowCount() == 0


def test_bad_terms_are_refused_with_one_line(qtbot: QtBot, case: Case, pane: EntitiesPane) -> None:
    dialog = pane.open_add_term()
    dialog.canonical.setText("   ")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible()
    assert dialog.error.text() == "watch-list term '' has no letters or digits"
    assert not pane.is_busy()
    dialog.reject()

    entities.add_watch_term(case, "Белнефтехим")
    pane.refresh()
    dialog = pane.open_add_term()
    dialog.canonical.setText("Белнефтехим")
    dialog.accept()
    # the service refuses it on the job's thread; the pane shows why and the case is unchanged
    with qtbot.assertNotEmitted(pane.caseChanged):
        qtbot.waitUntil(lambda: not pane.is_busy(), timeout=20_000)
    assert pane.message.text() == "'Белнефтехим' is on the watch-list already"
    assert pane.add_button.isEnabled()
    assert len(entities.watch_terms(case)) == 1


def test_the_panes_models(qtmodeltester: ModelTester, case: Case, three: list[int]) -> None:
    a, _b, _c = three
    entities.add_watch_term(case, "Белнефтехим", "organisation", ["Belneftekhim"])
    tree = EntityTreeModel()
    tree.set_records(entities.entities_of(case, a), whole_case=False)
    qtmodeltester.check(tree)
    heading = tree.index(0, 0)
    assert tree.record(heading) is None
    assert tree.record(tree.index(0, 0, heading)).kind == "date"
    assert tree.parent(tree.index(0, 1, heading)) == heading
    assert tree.rowCount(tree.index(0, 1)) == 0
    assert tree.parent(QModelIndex()) == QModelIndex()
    tree.set_records(entities.entity_counts(case), whole_case=True)
    qtmodeltester.check(tree)
    tree.set_records([], whole_case=False)
    qtmodeltester.check(tree)
    assert tree.is_empty()
    mentioning = MentioningModel()
    mentioning.set_records(entities.documents_mentioning(case, "reference", "12-05/1174"))
    mentioning.current_document = a
    qtmodeltester.check(mentioning)
    assert mentioning.summary(0).id == a
    assert mentioning.summary(5) is None
    watch = WatchTermModel()
    watch.set_records(entities.watch_terms(case))
    qtmodeltester.check(watch)
    assert watch.data(watch.index(0, 2)) == "Belneftekhim"
    assert watch.data(watch.index(0, 0), RecordRole).kind == "organisation"


def test_pages_are_written_as_ranges() -> None:
    assert page_ranges([1, 2, 3, 7, 9, 10]) == "1–3, 7, 9–10"
    assert page_ranges([4]) == "4"
    assert page_ranges([]) == ""
