"""The Forensics pane and the compare view on a real case: signals, rationale, revisions, error levels,
region search with its Annotate and Compare buttons."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from reviewer.core.domain.values import Rect
from reviewer.core.services import documents, forensics, queries
from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.importing import import_paths
from reviewer.core.services.region_search import RegionHit
from reviewer.ui.compare import DIFFERENCE, OVERLAY, SIDE_BY_SIDE, CompareDialog, RegionRef
from reviewer.ui.panes.forensic_models import (
    DETAIL,
    GROUP,
    SIGNAL,
    KindRole,
    NearPageModel,
    RegionHitModel,
    RevisionModel,
    SignalTreeModel,
)
from reviewer.ui.panes.forensics import ForensicsPane
from reviewer.ui.roles import RecordRole
from tests import filemaker
from tests import forensics_files as ff
from tests.conftest import raw_db

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.modeltest import ModelTester
    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case

ORIGIN = (420.0, 640.0)
HALF = 470 / 300 * 72 / 2 + 2
STAMP = Rect(ORIGIN[0] - HALF, ORIGIN[1] - HALF, ORIGIN[0] + HALF, ORIGIN[1] + HALF)
MODIFIED, INCREMENTAL, A, B, C = 1, 2, 3, 4, 5


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pane-files")
    stamp, other = ff.ministry_stamp(), ff.other_round_stamp()
    files = [
        filemaker.make_text_pdf(
            folder / "modified.pdf",
            creation_date="D:20190315120000+03'00'",
            mod_date="D:20190301090000+03'00'",
        ),
        filemaker.make_incremental_pdf(folder / "incremental.pdf"),
        ff.make_stamped_scan(folder / "a.pdf", [ff.Placement(stamp, ORIGIN)], seed=1),
        ff.make_stamped_scan(
            folder / "b.pdf",
            [ff.Placement(stamp, (160, 300), 0.85, 4.0), ff.Placement(other, (420, 650))],
            seed=2,
        ),
        ff.make_stamped_scan(folder / "c.pdf", [ff.Placement(other, (200, 640), 0.95, 3.0)], seed=3),
    ]
    root = folder / "case"
    with create_case(root, actor="tester") as case:
        for path in files:
            import_paths(case, [path])
        documents.add_annotation(case, A, page=1, rect=STAMP, note="Ministry stamp")
    return root


@pytest.fixture
def pcase(built: Path, tmp_path: Path) -> Iterator[Case]:
    root = tmp_path / "case"
    shutil.copytree(built, root)
    with open_case(root, actor="tester") as case:
        yield case


@pytest.fixture
def pane(qtbot: QtBot, pcase: Case) -> Iterator[ForensicsPane]:
    widget = ForensicsPane(pcase)
    qtbot.addWidget(widget)
    widget.resize(460, 900)
    yield widget
    widget.shutdown()


def signal_rows(model: SignalTreeModel) -> list[tuple[str, str]]:
    rows = []
    for group in model.group_indexes():
        for row in range(model.rowCount(group)):
            index = model.index(row, 0, group)
            rows.append((index.data(RecordRole).severity, index.data(RecordRole).code))
    return rows


def test_the_pane_shows_a_documents_signals_by_severity(pane: ForensicsPane) -> None:
    pane.set_document(MODIFIED)
    rows = signal_rows(pane.signals)
    assert rows[0] == ("warning", "pdf.modified_before_created")
    assert [s for s, _ in rows] == sorted((s for s, _ in rows), key=["warning", "notice", "info"].index)
    first_group = pane.signals.group_indexes()[0]
    assert first_group.data(KindRole) == GROUP
    assert first_group.data().startswith("Warnings")
    signal = pane.signals.index(0, 0, first_group)
    assert signal.data(KindRole) == SIGNAL
    detail = pane.signals.index(0, 0, signal)
    assert detail.data(KindRole) == DETAIL
    assert "Raw value:" in detail.data()
    assert "1 warning" in pane.summary.text()
    assert "never decide a verdict" in pane.summary.text()
    assert pane.revision_note.text() == "Saved once: no earlier revision in the file."


def test_add_to_rationale_is_one_click_and_changes_the_status_note(
    qtbot: QtBot, pane: ForensicsPane, pcase: Case
) -> None:
    pane.set_document(MODIFIED)
    [first, *_] = pane.signals.signal_indexes()
    button = pane.signal_view.indexWidget(first)
    assert isinstance(button, QPushButton)
    assert button.text() == "Add to rationale"
    with qtbot.waitSignal(pane.documentChanged) as changed:
        button.click()
    assert changed.args == [MODIFIED]
    note = queries.document_detail(pcase, MODIFIED).status_note
    assert note is not None
    assert note.startswith("Forensic signal, warning: ")


def test_an_earlier_revision_opens_as_a_file_outside_the_case(pane: ForensicsPane, pcase: Case) -> None:
    opened: list[Path] = []
    pane.open_file = opened.append
    pane.set_document(INCREMENTAL)
    assert pane.revisions.rowCount() == 2
    assert "Saved 2 times" in pane.revision_note.text()
    pane.revision_view.setCurrentIndex(pane.revisions.index(0))
    pane.open_revision.click()
    [path] = opened
    original = pcase.layout.original(queries.page_view(pcase, INCREMENTAL).sha256).read_bytes()
    assert original.startswith(path.read_bytes())
    assert not path.is_relative_to(pcase.root)
    pane.shutdown()
    assert not path.exists(), "extracted revisions are removed with the pane"


def test_the_error_level_overlay_is_asked_for_the_page_shown(qtbot: QtBot, pane: ForensicsPane) -> None:
    pane.set_document(A)
    pane.set_page(1)
    with qtbot.waitSignal(pane.overlayReady, timeout=60_000) as ready:
        pane.error_levels.setChecked(True)
    page, image = ready.args
    assert page == 1
    assert not image.isNull()
    assert image.height() / image.width() == pytest.approx(842 / 595, rel=0.01)
    with qtbot.waitSignal(pane.overlayReady) as cleared:
        pane.error_levels.setChecked(False)
    assert cleared.args[1].isNull()


def test_region_search_from_the_pane_then_annotate_and_compare(
    qtbot: QtBot, pane: ForensicsPane, pcase: Case
) -> None:
    pane.set_document(A)
    regions = pane.regions
    assert regions.choice.currentText() == "p. 1: Ministry stamp"
    with qtbot.waitSignal(pane.regionsFound, timeout=180_000) as found:
        regions.find_button.click()
    assert found.args == [1]
    hit = regions.hits.record(0)
    assert hit is not None
    assert (hit.document_id, hit.page) == (B, 1)
    assert "searched" not in regions.note.text()
    assert regions.note.text().startswith("Found in 1 other place")
    assert regions.chosen_hit() == hit  # the first place is chosen for the buttons under the list
    assert not regions.annotate_button.isHidden()
    with qtbot.waitSignal(pane.documentChanged) as changed:
        regions.annotate_button.click()
    assert changed.args == [B]
    assert not regions.annotate_button.isEnabled()
    assert regions.annotate_button.text() == "Annotated"
    assert regions.hits.index(0).data().endswith("· annotated")
    [added] = queries.document_detail(pcase, B).annotations
    assert added.note is not None
    assert added.note.startswith("Same as “Ministry stamp”")

    regions.compare_button.click()
    dialog = regions.compare_dialog
    assert dialog is not None
    with qtbot.waitSignal(dialog.ready, timeout=60_000):
        pass
    check_compare_modes(dialog, hit)
    dialog.close()


def check_compare_modes(dialog: CompareDialog, hit: RegionHit) -> None:
    assert dialog.left_pixels is not None
    assert dialog.right_pixels is not None
    assert dialog.left_pixels.dpi == dialog.right_pixels.dpi  # one scale for both sides
    per_point = dialog.left_pixels.dpi / 72
    assert dialog.left_image.width() == pytest.approx((STAMP.x1 - STAMP.x0) * per_point, abs=2)
    assert dialog.right_image.width() == pytest.approx((hit.rect[2] - hit.rect[0]) * per_point, abs=2)
    for mode in (SIDE_BY_SIDE, OVERLAY, DIFFERENCE):
        dialog.set_mode(mode)
        assert not dialog.composed.isNull(), mode
    dialog.set_mode(SIDE_BY_SIDE)
    assert dialog.composed.width() > dialog.left_image.width() + dialog.right_image.width()
    dialog.set_mode(OVERLAY)
    assert dialog.opacity.isEnabled()
    dialog.opacity.setValue(80)
    assert dialog.match.isChecked()  # overlaid at the template's size and turn
    dialog.set_mode(DIFFERENCE)
    assert not dialog.opacity.isEnabled()


def test_the_compare_dialog_alone(qtbot: QtBot, pcase: Case) -> None:
    left = RegionRef(A, 1, (STAMP.x0, STAMP.y0, STAMP.x1, STAMP.y1), "original")
    right = RegionRef(C, 1, (150, 590, 250, 690), "another stamp")
    dialog = CompareDialog(pcase, left, right)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=60_000):
        dialog.show()
    assert not dialog.match.isVisibleTo(dialog)  # nothing to undo for a region not found by search
    for mode in (SIDE_BY_SIDE, OVERLAY, DIFFERENCE):
        dialog.set_mode(mode)
        assert not dialog.composed.isNull()
    with qtbot.waitSignal(dialog.pageWanted) as wanted:
        dialog.open_right.click()
    assert wanted.args == [C, 1]
    dialog.close()


def test_a_document_without_signals_gets_them_in_the_background(
    qtbot: QtBot, pcase: Case, pane: ForensicsPane
) -> None:
    with raw_db(pcase.root) as conn:
        conn.execute("DELETE FROM forensic_signal WHERE document_id = ?", (MODIFIED,))
        conn.execute("DELETE FROM forensics_run WHERE document_id = ?", (MODIFIED,))
    pane.set_document(MODIFIED)
    assert pane.summary.text() == "Computing this document's signals…"
    qtbot.waitUntil(
        lambda: signal_rows(pane.signals)[:1] == [("warning", "pdf.modified_before_created")], timeout=60_000
    )


def test_the_panes_models(qtmodeltester: ModelTester, pcase: Case) -> None:
    report = forensics.forensics_of(pcase, INCREMENTAL)
    signals = SignalTreeModel()
    signals.set_records(report.signals)
    qtmodeltester.check(signals)
    revisions = RevisionModel()
    revisions.set_records(report.revisions)
    qtmodeltester.check(revisions)
    assert (
        revisions.index(1).data() == f"Revision 2: the file as it is now ({report.revisions[1].size:,} bytes)"
    )
    near = NearPageModel()
    near.set_records(forensics.forensics_of(pcase, MODIFIED).near_pages)
    qtmodeltester.check(near)
    hits = RegionHitModel()
    hits.set_records(
        [RegionHit("x", B, "b.pdf", 1, (10.0, 20.0, 110.0, 120.0), 0.81, 0.85, 4.0, annotated=False)]
    )
    qtmodeltester.check(hits)
    assert hits.index(0).data() == "4 · b.pdf, p. 1\n0.85× · turned 4° · weak match"
    assert "score 0.81" in hits.index(0).data(Qt.ItemDataRole.ToolTipRole)


def test_a_narrow_pane_gives_the_words_its_width_and_names_each_page_once(
    qtbot: QtBot, pane: ForensicsPane
) -> None:
    from reviewer.core.forensics.signals import Severity
    from reviewer.core.services.forensics import SignalRecord
    from reviewer.ui.panes.forensic_models import signal_title
    from reviewer.ui.panes.forensic_regions import short

    pane.resize(300, 760)  # the pane at 1366×768
    pane.show()
    pane.set_document(MODIFIED)
    qtbot.waitExposed(pane)
    assert pane.signals.columnCount() == 1  # no button column eating the titles' width
    [title, *_] = [pane.signals.parent(i) for i in pane.signals.signal_indexes()]
    view = pane.signal_view
    assert view.visualRect(title).width() >= view.viewport().width() - 2 * view.indentation() - 4
    assert not pane.regions.choice.isVisibleTo(pane)  # no annotation: a hint, not a dead choice
    assert pane.regions.hint.isVisibleTo(pane)
    copied = SignalRecord("image.copy_move", Severity.WARNING, "Page 2: two regions are copies", "", None, 2)
    dated = SignalRecord("pdf.x", Severity.NOTICE, "Dates differ", "", None, 3)
    assert signal_title(copied) == "Page 2: two regions are copies"
    assert signal_title(dated) == "Dates differ (page 3)"
    assert (
        short("Ministry seal, 40 mm, five-point star; the ink is violet")
        == "Ministry seal, 40 mm, five-point…"
    )
    assert short("Ministry stamp") == "Ministry stamp"
