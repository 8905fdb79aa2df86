"""The Forensics pane's "Look for copies on this page": found copies join the signals and are outlined."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.importing import import_paths
from reviewer.ui.panes.forensics import ForensicsPane
from tests.copy_move_files import cloned, scan_pdf, signed_scan

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot

CLONED, CLEAN, TWO_PAGES = 1, 2, 3


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("copies-pane")
    files = [
        scan_pdf(folder / "cloned.pdf", cloned(signed_scan())),
        scan_pdf(folder / "clean.pdf", signed_scan()),
        two_pages(folder),
    ]
    case_root = folder / "case"
    with create_case(case_root, actor="tester") as case:
        for path in files:
            import_paths(case, [path])
    return case_root


@pytest.fixture
def pane(qtbot: QtBot, root: Path) -> Iterator[ForensicsPane]:
    with open_case(root, actor="tester") as case:
        widget = ForensicsPane(case)
        qtbot.addWidget(widget)
        widget.resize(460, 900)
        yield widget
        widget.shutdown()


def two_pages(folder: Path) -> Path:
    """A two-page PDF: a cloned signature on page 1, a clean page 2."""
    import pymupdf

    first = scan_pdf(folder / "first.pdf", cloned(signed_scan(seed=5)))
    second = scan_pdf(folder / "second.pdf", signed_scan(seed=6))
    path = folder / "two-pages.pdf"
    with pymupdf.open(str(first)) as doc, pymupdf.open(str(second)) as other:
        doc.insert_pdf(other)
        doc.save(str(path))
    return path


def copy_signals(pane: ForensicsPane) -> list[object]:
    return [s for s in (pane._report.signals if pane._report else ()) if s.code == "image.copy_move"]


@pytest.mark.slow
def test_copies_found_on_the_page_join_the_signals_and_are_outlined(
    qtbot: QtBot, pane: ForensicsPane
) -> None:
    pane.set_document(CLONED)
    pane.set_page(1)
    assert pane.look_for_copies.isEnabled()
    assert copy_signals(pane) == []
    with qtbot.waitSignal(pane.overlayReady, timeout=120_000) as ready:
        pane.look_for_copies.click()
        assert not pane.look_for_copies.isEnabled()  # one look at a time
    page, image = ready.args
    assert page == 1
    assert image.height() / image.width() == pytest.approx(842 / 595, rel=0.01)
    # outlined where the signature was copied from and to, transparent elsewhere
    scale = image.width() / 595
    assert image.pixelColor(round(400 * 0.36 * scale), round(1570 * 0.36 * scale)).alpha() > 0
    assert image.pixelColor(round(1200 * 0.36 * scale), round(1570 * 0.36 * scale)).alpha() > 0
    assert image.pixelColor(round(300 * 0.36 * scale), round(600 * 0.36 * scale)).alpha() == 0
    assert len(copy_signals(pane)) == 1
    assert "1 pair of copied regions on page 1" in pane.copies_note.text()
    qtbot.waitUntil(pane.look_for_copies.isEnabled)


@pytest.mark.slow
def test_a_clean_page_says_so_and_draws_nothing(qtbot: QtBot, pane: ForensicsPane) -> None:
    pane.set_document(CLEAN)
    pane.set_page(1)
    drawn: list[object] = []
    pane.overlayReady.connect(lambda *args: drawn.append(args))
    pane.look_for_copies.click()
    qtbot.waitUntil(lambda: "No copied regions on page 1." in pane.copies_note.text(), timeout=120_000)
    assert drawn == []
    assert copy_signals(pane) == []
    assert pane.look_for_copies.isEnabled()


@pytest.mark.slow
def test_the_copies_stay_outlined_on_their_page_while_the_document_is_open(
    qtbot: QtBot, pane: ForensicsPane
) -> None:
    shown: list[tuple[int, bool]] = []  # (page, whether something is drawn) as the page view gets it
    pane.overlayReady.connect(lambda page, image: shown.append((page, not image.isNull())))
    pane.set_document(TWO_PAGES)
    pane.set_page(1)
    with qtbot.waitSignal(pane.overlayReady, timeout=120_000):
        pane.look_for_copies.click()
    assert shown[-1] == (1, True)
    outlines = pane._copies[1]
    pane.set_page(2)
    assert shown[-1] == (2, False)
    pane.set_page(1)  # back: outlined again, not left to whatever the page view drew last
    assert shown[-1] == (1, True)
    with qtbot.waitSignal(pane.overlayReady, timeout=60_000) as levels:
        pane.error_levels.setChecked(True)
    assert not levels.args[1].isNull()
    with qtbot.waitSignal(pane.overlayReady) as back:
        pane.error_levels.setChecked(False)
    assert back.args[0] == 1
    assert back.args[1] == outlines, "the error levels gone, the copies are outlined again"
    with qtbot.waitSignal(pane.overlayReady) as other:
        pane.set_document(CLEAN)
    assert other.args[1].isNull(), "another document shows none of these outlines"
    pane.set_page(1)
    assert shown[-1] == (1, False)
