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

CLONED, CLEAN = 1, 2


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("copies-pane")
    files = [
        scan_pdf(folder / "cloned.pdf", cloned(signed_scan())),
        scan_pdf(folder / "clean.pdf", signed_scan()),
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
