"""The Links pane and its Add-link dialog on a real case: links both ways, suggestions, removal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from reviewer.core.domain.values import LinkRelation
from reviewer.core.services import links, queries, reading
from reviewer.core.services.importing import import_paths
from reviewer.ui.panes.link_dialog import AddLinkDialog, DocumentChoiceModel
from reviewer.ui.panes.links import LinkListModel, LinksPane, SuggestionModel
from reviewer.ui.roles import DocumentIdRole, RecordRole
from tests.filemaker import make_text_pdf

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.modeltest import ModelTester
    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case


@pytest.fixture
def three(case: Case, inbox: Path) -> list[int]:
    """A note and a reply sharing its reference number, and an unrelated invoice; all read."""
    make_text_pdf(inbox / "a.pdf", lines=["Нота № 12-05/1174 от 12 мая 2019 г.", "Концерн Белнефтехим"])
    make_text_pdf(inbox / "b.pdf", lines=["В ответ на ноту № 12-05/1174", "Концерна Белнефтехима"])
    make_text_pdf(inbox / "c.pdf", lines=["Invoice No. INV-2019-0415", "Total: USD 12,500.00"])
    report = import_paths(case, [inbox / "a.pdf", inbox / "b.pdf", inbox / "c.pdf"])
    reading.read_pages(case)
    return [item.id for item in report.imported]


def make_pane(qtbot: QtBot, case: Case, document: int | None) -> LinksPane:
    pane = LinksPane(case)
    qtbot.addWidget(pane)
    pane.resize(420, 520)
    pane.set_document(document)
    return pane


def shown(model: LinkListModel | SuggestionModel) -> list[str]:
    return [model.index(row).data() for row in range(model.rowCount())]


def ok(dialog: AddLinkDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_a_link_added_in_the_dialog_shows_on_both_documents(
    qtbot: QtBot, case: Case, three: list[int]
) -> None:
    a, b, c = three
    pane_a, pane_b = make_pane(qtbot, case, a), make_pane(qtbot, case, b)
    assert shown(pane_b.model) == []
    dialog = pane_b.open_add_link()
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.choices.rowCount() == 2  # not b itself
    dialog.filter.setText("A.PDF")  # one match: chosen without a click
    assert dialog.chosen() == a
    dialog.set_relation(LinkRelation.REPLIES_TO)
    dialog.note.setText("  answers the note ")
    assert dialog.sentence.text() == f"Records that this document ({b}) replies to {a} · a.pdf."
    with qtbot.waitSignal(pane_b.linksChanged) as changed:
        ok(dialog)
    assert changed.args == [[b, a]]
    assert not dialog.isVisible()
    assert dialog.link_id is not None
    assert shown(pane_b.model) == [f"replies to — {a} · a.pdf\n      answers the note"]
    assert pane_b.title.text() == "<b>Links</b> (1)"
    pane_a.refresh()  # what the window does with linksChanged
    assert shown(pane_a.model) == [f"replied to by — {b} · b.pdf\n      answers the note"]

    # the relation read from the other side: c "has attachment" b records b "attachment of" c
    dialog = pane_b.open_add_link()
    assert dialog is not None
    dialog.filter.setText("c.pdf")
    dialog.set_relation(LinkRelation.ATTACHMENT_OF)
    dialog.filter.setText("")
    assert dialog.chosen() == c  # kept while the search changes
    pane_c = make_pane(qtbot, case, c)
    pane_c_dialog = pane_c.open_add_link(other=b)
    assert pane_c_dialog is not None
    pane_c_dialog.set_relation(LinkRelation.ATTACHMENT_OF, outgoing=False)
    assert pane_c_dialog.relation.currentText() == "has attachment"
    with qtbot.waitSignal(pane_c.linksChanged) as changed:
        ok(pane_c_dialog)
    assert changed.args == [[c, b]]
    assert [(r.source_id, r.target_id, r.label) for r in links.links_of(case, c)] == [
        (b, c, "has attachment")
    ]
    dialog.reject()


def test_documents_sharing_a_number_are_suggested_until_linked(
    qtbot: QtBot, case: Case, three: list[int]
) -> None:
    a, b, c = three
    pane = make_pane(qtbot, case, a)
    assert shown(pane.suggestions) == [f"shares 12-05/1174 with {b} · b.pdf"]
    assert pane.link_button.isEnabled()
    assert pane.selected_suggestion() is not None
    with qtbot.waitSignal(pane.linksChanged) as changed:
        pane.link_button.click()
        dialog = pane.link_dialog
        assert dialog is not None
        assert dialog.chosen() == b
        assert dialog.relation.currentText() == "references"
        ok(dialog)
    assert changed.args == [[a, b]]
    assert shown(pane.suggestions) == []
    assert pane.link_button.isHidden()
    assert shown(pane.model) == [f"references — {b} · b.pdf"]
    assert make_pane(qtbot, case, b).suggestions.rowCount() == 0
    assert make_pane(qtbot, case, c).suggestions.rowCount() == 0

    assert not pane.remove_button.isEnabled()
    pane.list.setCurrentIndex(pane.model.index(0))
    with qtbot.waitSignal(pane.linksChanged) as changed:
        pane.remove_button.click()
    assert changed.args == [[a, b]]
    assert shown(pane.model) == []
    assert links.links_of(case, b) == []
    assert shown(pane.suggestions) == [f"shares 12-05/1174 with {b} · b.pdf"]
    assert [e.action for e in queries.document_detail(case, b).custody][-1] == "link_removed"


def test_double_click_or_enter_opens_the_other_document(qtbot: QtBot, case: Case, three: list[int]) -> None:
    a, b, c = three
    links.link_documents(case, a, c, "references")
    pane = make_pane(qtbot, case, a)
    pane.show()
    qtbot.waitExposed(pane)
    pane.list.setCurrentIndex(pane.model.index(0))
    with qtbot.waitSignal(pane.documentWanted) as wanted:
        qtbot.keyClick(pane.list, Qt.Key.Key_Return)
    assert wanted.args == [c]
    rect = pane.suggestion_list.visualRect(pane.suggestions.index(0))
    qtbot.mouseClick(pane.suggestion_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(pane.documentWanted) as wanted:
        qtbot.mouseDClick(pane.suggestion_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert wanted.args == [b]


def test_links_that_cannot_be_made_are_explained_in_the_dialog(
    qtbot: QtBot, case: Case, three: list[int]
) -> None:
    a, b, _c = three
    links.link_documents(case, a, b, "same series")
    pane = make_pane(qtbot, case, a)
    dialog = pane.open_add_link()
    assert dialog is not None
    with qtbot.assertNotEmitted(pane.linksChanged):
        ok(dialog)
        assert dialog.error.text() == "Choose the other document from the list."
        dialog.filter.setText("nothing like this")
        assert dialog.found.rowCount() == 0
        assert dialog.chosen() is None
        dialog.filter.setText("b.pdf")
        dialog.set_relation(LinkRelation.SAME_SERIES, outgoing=False)  # reads the same both ways
        assert dialog.relation.currentText() == "same series"
        ok(dialog)
    assert dialog.isVisible()
    assert dialog.error.text() == f"document {a} already same series document {b}"
    dialog.reject()

    pane.set_document(None)
    assert pane.open_add_link() is None
    assert not pane.add_button.isEnabled()
    assert shown(pane.model) == []
    assert pane.title.text() == "<b>Links</b>"


def test_the_panes_models(qtmodeltester: ModelTester, case: Case, three: list[int]) -> None:
    a, b, c = three
    links.link_documents(case, b, a, "replies to", "answers the note")
    links.link_documents(case, a, c, "references")
    records = LinkListModel()
    records.set_records(links.links_of(case, a))
    qtmodeltester.check(records)
    assert records.index(0).data(DocumentIdRole) == b
    assert records.index(0).data(RecordRole).label == "replied to by"
    tooltip = records.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.endswith(f"Linked by tester on {records.record(0).created_at[:10]}")
    assert records.record(5) is None
    suggestions = SuggestionModel()
    suggestions.set_records(links.suggested_links(case, c))
    qtmodeltester.check(suggestions)
    links.unlink(case, records.record(0).id)
    suggestions.set_records(links.suggested_links(case, a))
    qtmodeltester.check(suggestions)
    assert suggestions.index(0).data(DocumentIdRole) == b
    choices = DocumentChoiceModel()
    choices.set_records(queries.list_documents(case))
    qtmodeltester.check(choices)
    assert choices.index(2, 0).data(DocumentIdRole) == c
    assert choices.index(0, 0).data() == f"{a} · a.pdf"
