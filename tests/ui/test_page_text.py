"""The page text pane on a real case: text layer or OCR, what became of OCR, matches, copy, read again."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from reviewer.core.ingest.tesseract import INSTALL_HINT
from reviewer.core.services import queries
from reviewer.core.services.case import create_case
from reviewer.core.services.importing import import_paths
from reviewer.core.services.reading import read_pages
from reviewer.core.services.search import page_text
from reviewer.core.services.settings import ocr_defaults
from reviewer.ui.panes.ocr_languages import LanguagesDialog
from reviewer.ui.panes.page_text import OCR, TEXT_LAYER, PageTextPane, layers_of, ocr_status_text
from tests.filemaker import make_scanned_pdf, make_text_pdf

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case

NOTE = [
    "МИНИСТЕРСТВО ИНОСТРАННЫХ ДЕЛ РЕСПУБЛИКИ ВЕЛОРИЯ",
    "Исх. № 12-05/1174 от 12 мая 2019 г.",
    "Министерство свидетельствует своё уважение Посольству.",
]
READ_TIMEOUT = 180_000  # OCR of a page on a busy two-core machine


@pytest.fixture(scope="module")
def text_case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Case, dict[str, int]]]:
    """A born-digital note and a scan of it, both read (the scan with OCR); shared by the module."""
    folder = tmp_path_factory.mktemp("page_text")
    inbox = folder / "inbox"
    inbox.mkdir()
    make_text_pdf(inbox / "note.pdf", lines=NOTE, title="Нота МИД", pages=2)
    make_scanned_pdf(inbox / "scan.pdf", lines=NOTE, dpi=200)
    with create_case(folder / "case", title="Page text test", actor="tester") as case:
        report = import_paths(case, [inbox])
        ids = {item.path.rsplit("/", 1)[-1]: item.id for item in report.imported}
        read_pages(case, None, processes=1)
        yield case, ids


@pytest.fixture
def pane(qtbot: QtBot, text_case: tuple[Case, dict[str, int]]) -> Iterator[PageTextPane]:
    """The pane, shown offscreen; a reading it started is waited for."""
    widget = PageTextPane(text_case[0])
    qtbot.addWidget(widget)
    widget.resize(480, 500)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    if widget.job is not None:
        widget.job.cancel.set()
        widget.job.wait()


def test_a_born_digital_page_shows_its_text_layer(
    pane: PageTextPane, text_case: tuple[Case, dict[str, int]]
) -> None:
    _case, ids = text_case
    pane.show_page(ids["note.pdf"], 1)
    assert pane.shown_layer() == TEXT_LAYER
    assert pane.layer.isHidden()  # nothing else to choose: a label says where the text comes from
    assert not pane.source.isHidden()
    assert "Text layer" in pane.source.text()
    assert "Исх. № 12-05/1174 от 12 мая 2019 г." in pane.text.toPlainText()
    assert pane.status.text() == "No OCR needed: the page has a text layer"
    assert pane.read_again.isEnabled()


def test_a_scan_shows_its_ocr_and_how_sure_ocr_was(
    pane: PageTextPane, text_case: tuple[Case, dict[str, int]]
) -> None:
    case, ids = text_case
    pane.show_page(ids["scan.pdf"], 1)
    assert pane.shown_layer() == OCR
    shown = pane.text.toPlainText()
    assert "12-05/1174" in shown
    assert "ВЕЛОРИЯ" in shown
    confidence = page_text(case, ids["scan.pdf"], 1).ocr_confidence
    assert confidence is not None
    assert pane.status.text() == f"OCR done (rus+eng), mean confidence {confidence:.0f} %"


def test_matches_of_the_query_are_marked_and_counted(
    pane: PageTextPane, text_case: tuple[Case, dict[str, int]]
) -> None:
    _case, ids = text_case
    pane.show_page(ids["note.pdf"], 1)
    pane.set_query("министерство OR 12-05/1174")
    marked = [s.cursor.selectedText() for s in pane.text.extraSelections()]  # type: ignore[attr-defined]
    assert marked == ["МИНИСТЕРСТВО", "12-05/1174", "Министерство"]
    assert pane.match_count == 3
    assert pane.matches.text() == "3 matches"
    pane.set_query("12-05/1174")
    assert pane.matches.text() == "1 match"
    pane.show_page(ids["note.pdf"], 2)  # the query stays for the next page
    assert pane.matches.text() == "1 match"
    pane.set_query("NOT nonsense")  # the search panel reports the query's fault; here nothing is marked
    assert pane.text.extraSelections() == []
    assert pane.matches.text() == "0 matches"
    pane.set_query("")
    assert pane.matches.text() == ""


def test_the_text_can_be_selected_and_copied(
    qtbot: QtBot, pane: PageTextPane, text_case: tuple[Case, dict[str, int]]
) -> None:
    _case, ids = text_case
    pane.show_page(ids["note.pdf"], 1)
    pane.text.setFocus()
    qtbot.keyClick(pane.text, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(pane.text, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QApplication.clipboard().text()
    assert "Исх. № 12-05/1174" in copied
    assert copied == pane.text.toPlainText()
    assert pane.text.isReadOnly()


def test_layers_and_statuses_in_words(text_case: tuple[Case, dict[str, int]]) -> None:
    case, ids = text_case
    note = page_text(case, ids["note.pdf"], 1)
    assert layers_of(note) == [TEXT_LAYER]
    both = replace(note, ocr_text="Нота")
    assert layers_of(both) == [TEXT_LAYER, OCR]
    scan = page_text(case, ids["scan.pdf"], 1)
    assert layers_of(scan) == [OCR]
    skipped = replace(note, ocr_status="skipped")
    assert ocr_status_text(skipped, tesseract_installed=False) == (
        f"OCR skipped: Tesseract is not installed — {INSTALL_HINT}"
    )
    failed = replace(note, ocr_status="failed", ocr_error="bad image")
    assert ocr_status_text(failed, tesseract_installed=True) == "OCR failed: bad image"
    unread = replace(note, ocr_status=None)
    assert ocr_status_text(unread, tesseract_installed=True) == "Not read yet"


def test_no_page_shows_nothing_and_a_missing_page_says_so(
    pane: PageTextPane, text_case: tuple[Case, dict[str, int]]
) -> None:
    _case, ids = text_case
    pane.show_page(None, 0)
    assert pane.text.toPlainText() == ""
    assert not pane.read_again.isEnabled()
    assert not pane.languages.isEnabled()
    pane.show_page(ids["note.pdf"], 9)
    assert pane.status.text() == f"document {ids['note.pdf']} has no page 9"


def test_languages_offer_what_tesseract_has(
    qtbot: QtBot, pane: PageTextPane, text_case: tuple[Case, dict[str, int]]
) -> None:
    case, ids = text_case
    dialog = LanguagesDialog("rus+eng", ocr_defaults(case)[1], follows_case=True)
    qtbot.addWidget(dialog)
    codes = [dialog.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.list.count())]
    assert {"eng", "rus"} <= set(codes)
    assert "osd" not in codes
    assert dialog.languages() is None  # as the case
    dialog.follow_case.setChecked(False)
    assert dialog.languages() == "rus+eng"  # the order chosen before is kept
    dialog.list.item(codes.index("rus")).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.languages() == "eng"
    dialog.list.item(codes.index("eng")).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    pane.show_page(ids["note.pdf"], 1)
    pane.set_languages("eng")
    assert pane.document_languages() == "eng"
    assert "OCR languages: eng" in [e.summary for e in queries.document_detail(case, ids["note.pdf"]).custody]
    pane.set_languages(None)
    assert pane.document_languages() == ocr_defaults(case)[1]


@pytest.fixture
def note_case(tmp_path: Path) -> Iterator[tuple[Case, int]]:
    """A case of its own with one born-digital two-page note, read (no OCR needed)."""
    make_text_pdf(tmp_path / "note.pdf", lines=NOTE, title="Нота МИД", pages=2)
    with create_case(tmp_path / "case", title="Read again", actor="tester") as case:
        note = import_paths(case, [tmp_path / "note.pdf"]).imported[0].id
        read_pages(case, None, processes=1)
        yield case, note


def test_read_again_runs_ocr_and_says_the_document_changed(
    qtbot: QtBot, note_case: tuple[Case, int], request: pytest.FixtureRequest
) -> None:
    case, note = note_case
    pane = PageTextPane(case)
    qtbot.addWidget(pane)
    # a failed check must not leave OCR running while the case closes
    request.addfinalizer(lambda: pane.job is None or pane.job.wait())
    pane.show_page(note, 1)
    assert pane.status.text() == "No OCR needed: the page has a text layer"
    pane.set_languages("rus")
    with qtbot.waitSignal(pane.documentChanged, timeout=READ_TIMEOUT) as changed:
        qtbot.mouseClick(pane.read_again, Qt.MouseButton.LeftButton)
        assert pane.read_again.text() == "Cancel reading"
        assert not pane.progress.isHidden()
        assert not pane.languages.isEnabled()
    assert changed.args == [note]
    assert pane.job is None
    assert pane.progress.isHidden()
    assert pane.read_again.text() == "Read again with OCR"
    # a born-digital page now has OCR too: both texts can be chosen, the text layer stays first
    assert not pane.layer.isHidden()
    assert pane.source.isHidden()
    assert [pane.layer.itemText(i) for i in range(pane.layer.count())] == [TEXT_LAYER, OCR]
    assert pane.status.text().startswith("OCR done (rus), mean confidence")
    pane.layer.setCurrentIndex(1)
    pane.layer.activated.emit(1)
    assert pane.shown_layer() == OCR
    assert "12-05/1174" in pane.text.toPlainText()
    assert page_text(case, note, 2).ocr_status == "done"  # every page of the document
    pane.show_page(note, 2)
    assert pane.shown_layer() == OCR  # the choice is kept from page to page


PARAGRAPH = (
    "The Ministry of Foreign Affairs presents its compliments to the Embassy and has the honour to "
    "inform it that the delegation will arrive on the twelfth of May with the documents concerning "
    "the export passport and the invoice already sent."
)


def _justified_pdf(path: Path) -> Path:
    """A page with a justified paragraph set two ways: by MuPDF (align=3), and word by word, as many
    word processors and the demo's generator place the words of a justified line."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_textbox(pymupdf.Rect(72, 72, 400, 200), PARAGRAPH, fontsize=11, align=3)
    font = pymupdf.Font("helv")
    y = 260.0
    for line in ("Second paragraph set word by word across", "the whole measure of the page so that it"):
        words = line.split()
        gap = (451 - sum(font.text_length(w, 11) for w in words)) / (len(words) - 1)
        x = 72.0
        for word in words:
            page.insert_text((x, y), word, fontsize=11, fontname="helv")
            x += font.text_length(word, 11) + gap
        y += 15
    doc.save(path)
    doc.close()
    return path


def test_a_justified_paragraph_reads_as_lines_not_a_word_a_line(qtbot: QtBot, tmp_path: Path) -> None:
    source = _justified_pdf(tmp_path / "justified.pdf")
    with create_case(tmp_path / "case", title="Justified", actor="tester") as case:
        [item] = import_paths(case, [source]).imported
        read_pages(case, None, processes=1)
        pane = PageTextPane(case)
        qtbot.addWidget(pane)
        pane.show_page(item.id, 1)
        shown = pane.text.toPlainText()
        lines = [line for line in shown.splitlines() if line.strip()]
        assert "Second paragraph set word by word across" in lines  # one line, as on the page
        assert "the whole measure of the page so that it" in lines
        assert lines[0].startswith("The Ministry of Foreign Affairs")
        assert len(lines) <= 8, shown
        assert all(len(line.split()) > 3 for line in lines[:3])
        assert "\n\nSecond paragraph" in shown  # paragraphs apart, as on the page
        # only the spacing changed: the same words in the same order as the stored text layer
        assert shown.split() == page_text(case, item.id, 1).text_layer.split()


def test_laid_out_keeps_the_text_when_the_words_are_not_its_own() -> None:
    from reviewer.core.text.lines import laid_out

    words = [(72.0, 72.0, 90.0, 84.0, "one"), (200.0, 72.0, 230.0, 84.0, "two")]
    assert laid_out("one\ntwo", words) == "one two"
    assert laid_out("one\nthree", words) == "one\nthree"  # not its words: left as stored
    assert laid_out("", words) == ""
    assert laid_out("one\ntwo", []) == "one\ntwo"
