"""The search panel on a real case: grouped results, marks, errors in one line, the keyboard, filters."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from reviewer.core.domain.values import Rect
from reviewer.core.services import documents
from reviewer.core.services.case import create_case
from reviewer.core.services.importing import import_paths
from reviewer.core.services.queries import DocumentFilter
from reviewer.core.services.reading import read_pages
from reviewer.core.services.search import search
from reviewer.ui.roles import DocumentIdRole, RecordRole
from reviewer.ui.search_model import SearchResultsModel, snippet_html
from reviewer.ui.search_panel import SearchPanel
from tests.filemaker import make_text_pdf

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.modeltest import ModelTester
    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case

NOTE = [
    "МИНИСТЕРСТВО ИНОСТРАННЫХ ДЕЛ РЕСПУБЛИКИ ВЕЛОРИЯ",
    "Исх. № 12-05/1174 от 12 мая 2019 г.",
    "Министерство свидетельствует своё уважение Посольству.",
]
INVOICE = [
    "INVOICE No. INV-2019-0415",
    "Draft contract for machine tools, see note 12-05/1174.",
    "Total: USD 12,500.00",
]
LETTER = ["Письмо о поставке станков", "Без ссылок на ноты."]


@pytest.fixture
def search_case(tmp_path: Path) -> Iterator[tuple[Case, dict[str, int]]]:
    """A note (1 page), an invoice (3 pages, the reference on each) and a letter without it; all read."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_text_pdf(inbox / "note.pdf", lines=NOTE, title="Нота МИД")
    make_text_pdf(inbox / "invoice.pdf", lines=INVOICE, title="Invoice", pages=3)
    make_text_pdf(inbox / "letter.pdf", lines=LETTER, title="Письмо")
    with create_case(tmp_path / "case", title="Search test", actor="tester") as case:
        report = import_paths(case, [inbox])
        ids = {item.path.rsplit("/", 1)[-1]: item.id for item in report.imported}
        read_pages(case, None, processes=1)
        yield case, ids


@pytest.fixture
def panel(qtbot: QtBot, search_case: tuple[Case, dict[str, int]]) -> SearchPanel:
    """The panel on ``search_case``, shown offscreen."""
    widget = SearchPanel(search_case[0])
    qtbot.addWidget(widget)
    widget.resize(420, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _tree(panel: SearchPanel) -> list[tuple[int, list[str]]]:
    """(document id, [place labels]) top to bottom, as the view shows them."""
    model = panel.model
    out = []
    for row in range(model.rowCount()):
        top = model.index(row, 0)
        places = [model.index(r, 0, top).data().split("  ")[0] for r in range(model.rowCount(top))]
        out.append((top.data(DocumentIdRole), places))
    return out


def test_typing_shows_places_grouped_by_document_in_rank_order(
    qtbot: QtBot, panel: SearchPanel, search_case: tuple[Case, dict[str, int]]
) -> None:
    case, ids = search_case
    qtbot.keyClicks(panel.field, "12-05/1174")
    assert panel.timer.isActive()  # typing waits for a pause …
    with qtbot.waitSignal(panel.model.modelReset, timeout=5000):
        pass  # … then searches by itself
    expected = search(case, "12-05/1174")
    assert [t[0] for t in _tree(panel)] == [d.document.id for d in expected.documents]
    tree = dict(_tree(panel))
    assert set(tree) == {ids["note.pdf"], ids["invoice.pdf"]}
    assert sorted(tree[ids["invoice.pdf"]]) == ["p. 1", "p. 2", "p. 3"]
    assert "p. 1" in tree[ids["note.pdf"]]
    assert panel.count.text() == f"{expected.matches} places in 2 documents"
    assert all(panel.view.isExpanded(panel.model.index(r, 0)) for r in range(panel.model.rowCount()))
    assert panel.query() == "12-05/1174"


def test_short_typing_waits_for_enter(qtbot: QtBot, panel: SearchPanel) -> None:
    qtbot.keyClicks(panel.field, "to")
    assert not panel.timer.isActive()
    assert panel.model.rowCount() == 0
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert panel.count.text() == "Nothing found"  # "to" is no whole word here
    qtbot.keyClicks(panel.field, "ols")
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert panel.model.rowCount() == 1


def test_the_marked_words_are_bold_and_everything_is_escaped() -> None:
    text = "see <script>alert(1)</script> & note 12-05/1174."
    start = text.index("12-05/1174")
    rich = snippet_html(text, ((start, start + len("12-05/1174")),))
    assert "<script>" not in rich
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; note" in rich
    assert "<b>" in rich
    assert rich.index("<b>") < rich.index("12-05/1174") < rich.index("</b>")
    document = QTextDocument()
    document.setHtml(rich)
    assert document.toPlainText() == text  # what is drawn is the snippet, character for character
    bold = document.findBlock(0).begin()
    fragments = []
    while not bold.atEnd():
        fragment = bold.fragment()
        fragments.append((fragment.text(), fragment.charFormat().fontWeight() > 400))
        bold += 1
    assert ("12-05/1174", True) in fragments
    assert all(not heavy for piece, heavy in fragments if piece != "12-05/1174")


def test_a_note_with_markup_is_shown_as_text(
    qtbot: QtBot, panel: SearchPanel, search_case: tuple[Case, dict[str, int]]
) -> None:
    case, ids = search_case
    documents.add_annotation(
        case,
        ids["letter.pdf"],
        page=1,
        rect=Rect(10, 10, 90, 40),
        note="<script>alert('x')</script> гербовая",
    )
    panel.run("гербовая")
    top = panel.model.index(0, 0)
    hit = panel.model.index(0, 0, top)
    assert hit.data(RecordRole).kind == "note"
    rich = panel.delegate.html(hit)
    assert "<script>" not in rich
    assert "&lt;script&gt;" in rich
    assert "note p. 1" in rich
    assert "<b>" in panel.delegate.html(top)  # the document's name
    panel.grab()  # the delegate paints it without complaint


def test_nonsense_shows_one_line_and_no_results(qtbot: QtBot, panel: SearchPanel) -> None:
    panel.run("12-05/1174")
    assert panel.model.rowCount() == 2
    panel.focus_search()  # the old query is selected: typing replaces it
    qtbot.keyClicks(panel.field, "NOT draft")
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert panel.count.text().startswith("NOT needs something before it")
    assert "\n" not in panel.count.text()
    assert "color" in panel.count.styleSheet()
    assert panel.model.rowCount() == 0
    panel.run("(unclosed")
    assert "without its ')'" in panel.count.text()
    panel.run("министерство")
    assert panel.count.styleSheet() == ""  # the warning goes with the error


def test_choosing_a_place_says_document_page_and_query(
    qtbot: QtBot, panel: SearchPanel, search_case: tuple[Case, dict[str, int]]
) -> None:
    _case, ids = search_case
    panel.run("draft contract")
    invoice = panel.model.index(0, 0)
    assert invoice.data(DocumentIdRole) == ids["invoice.pdf"]
    second = panel.model.index(1, 0, invoice)
    page = second.data(RecordRole).page
    rect = panel.view.visualRect(second)
    with qtbot.waitSignal(panel.hitActivated) as clicked:
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert clicked.args == [ids["invoice.pdf"], page, "draft contract"]
    # a document row opens its first place
    first_page = panel.model.index(0, 0, invoice).data(RecordRole).page
    with qtbot.waitSignal(panel.hitActivated) as opened:
        qtbot.mouseClick(
            panel.view.viewport(), Qt.MouseButton.LeftButton, pos=panel.view.visualRect(invoice).center()
        )
    assert opened.args == [ids["invoice.pdf"], first_page, "draft contract"]


def test_the_keyboard_goes_from_the_field_into_the_results(qtbot: QtBot, panel: SearchPanel) -> None:
    panel.focus_search()
    qtbot.keyClicks(panel.field, "12-05/1174")  # QTest types ASCII only
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    assert panel.view.hasFocus()
    assert panel.view.currentIndex().parent().isValid()  # on the first place, not on its document
    with qtbot.waitSignal(panel.hitActivated) as chosen:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    first = panel.model.index(0, 0)
    assert chosen.args == [
        first.data(DocumentIdRole),
        panel.model.index(0, 0, first).data(RecordRole).page,
        "12-05/1174",
    ]


def test_a_description_hit_opens_page_zero(
    qtbot: QtBot, panel: SearchPanel, search_case: tuple[Case, dict[str, int]]
) -> None:
    _case, ids = search_case
    panel.run("letter.pdf")  # the file's name is part of the description
    top = panel.model.index(0, 0)
    hit = panel.model.index(0, 0, top)
    assert hit.data().startswith("description")
    with qtbot.waitSignal(panel.hitActivated) as chosen:
        panel.view.setCurrentIndex(hit)
        qtbot.keyClick(panel.view, Qt.Key.Key_Enter)
    assert chosen.args == [ids["letter.pdf"], 0, "letter.pdf"]


def test_the_filter_narrows_the_results(
    qtbot: QtBot, panel: SearchPanel, search_case: tuple[Case, dict[str, int]]
) -> None:
    case, ids = search_case
    documents.tag_documents(case, [ids["invoice.pdf"]], ["customs"])
    panel.run("12-05/1174")
    assert panel.model.rowCount() == 2
    with qtbot.waitSignal(panel.model.modelReset):
        panel.set_filter(DocumentFilter(tag="customs"))
    assert [t[0] for t in _tree(panel)] == [ids["invoice.pdf"]]
    assert panel.count.text() == "3 places in 1 document"
    panel.set_filter(None)
    assert panel.model.rowCount() == 2


def test_clearing_the_field_clears_the_results(qtbot: QtBot, panel: SearchPanel) -> None:
    panel.run("министерство")
    assert panel.model.rowCount() == 1
    panel.field.selectAll()
    qtbot.keyClick(panel.field, Qt.Key.Key_Backspace)
    assert panel.model.rowCount() == 0
    assert panel.query() == ""
    assert panel.count.text() == ""


def test_search_results_model(qtmodeltester: ModelTester, search_case: tuple[Case, dict[str, int]]) -> None:
    case, ids = search_case
    model = SearchResultsModel()
    qtmodeltester.check(model)
    model.set_results(search(case, "12-05/1174 OR станков"))
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    invoice = next(
        model.index(r, 0) for r in range(3) if model.index(r, 0).data(DocumentIdRole) == ids["invoice.pdf"]
    )
    assert model.rowCount(invoice) == 3
    child = model.index(2, 0, invoice)
    assert model.parent(child) == invoice
    assert model.hit_at(child) is not None
    assert model.hit_at(invoice) is None
    assert model.document_at(child) is model.document_at(invoice)
    assert not model.index(3, 0, invoice).isValid()
    model.set_results(None)
    qtmodeltester.check(model)
