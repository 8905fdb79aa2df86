"""The export dialog checks a publication bundle before it is published (issue 11, point 5).

Exported "for publication", the finished bag is checked in the same background job: the dialog
lists the findings, one a line, and offers to keep the bundle or remove it (only it); a clean bag
says so. The tracking-dot checkbox is for a publication bundle only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from reviewer.core.ingest.reading import OcrMode
from reviewer.core.services.case import create_case
from reviewer.core.services.importing import import_paths
from reviewer.core.services.reading import read_pages
from reviewer.core.storage.orm import CustodyEvent
from reviewer.ui.export_dialog import ExportDialog
from tests import filemaker

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case

SIZE = (2.5, 3.0)  # inches of a 600-dpi colour scan: enough of the printer's code to find


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("scans")
    return {
        "dotted": filemaker.make_colour_scan(folder / "1.png", size_inches=SIZE, tracking_dots=True, seed=7),
        "plain": filemaker.make_text_pdf(folder / "2.pdf", author=""),
    }


def _case(tmp_path: Path, files: list[Path]) -> Iterator[Case]:
    with create_case(tmp_path / "case", title="Export check", actor="tester") as case:
        import_paths(case, files)
        read_pages(case, mode=OcrMode.NEVER)
        yield case


@pytest.fixture
def dotted_case(tmp_path: Path, scans: dict[str, Path]) -> Iterator[Case]:
    yield from _case(tmp_path, [scans["dotted"]])


@pytest.fixture
def plain_case(tmp_path: Path, scans: dict[str, Path]) -> Iterator[Case]:
    yield from _case(tmp_path, [scans["plain"]])


def _export(qtbot: QtBot, case: Case, out: Path, *, redact: bool = True) -> ExportDialog:
    dialog = ExportDialog(case, [])
    qtbot.addWidget(dialog)
    dialog.as_zip.setChecked(out.suffix == ".zip")
    dialog.redact.setChecked(redact)
    dialog.path.setText(str(out))
    dialog.start()
    assert dialog.job is not None
    qtbot.waitUntil(lambda: dialog.report is not None or dialog.start_button.isEnabled(), timeout=300_000)
    dialog.job.wait()
    assert dialog.report is not None, dialog.label.text()
    return dialog


def _shown(dialog: ExportDialog) -> list[str]:
    return [dialog.findings.item(i).text() for i in range(dialog.findings.count())]


def _removals(case: Case) -> list[str]:
    with case.db.reading() as session:
        return list(
            session.scalars(select(CustodyEvent.summary).where(CustodyEvent.action == "bundle_removed"))
        )


def test_the_tracking_dots_checkbox_goes_with_redact(plain_case: Case, qtbot: QtBot) -> None:
    dialog = ExportDialog(plain_case, [])
    qtbot.addWidget(dialog)
    assert not dialog.redact.isChecked()
    assert not dialog.remove_dots.isEnabled()
    dialog.redact.setChecked(True)
    assert dialog.remove_dots.isEnabled()
    dialog.remove_dots.setChecked(True)
    dialog.redact.setChecked(False)
    assert not dialog.remove_dots.isEnabled()
    assert not dialog.remove_dots.isChecked()


@pytest.mark.slow  # a colour scan searched for dots, in the cleaned and the annotated copy
def test_findings_are_listed_and_remove_removes_only_the_bundle(
    dotted_case: Case, qtbot: QtBot, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "bundle.zip"
    out.parent.mkdir()
    neighbour = out.parent / "notes.txt"
    neighbour.write_text("mine")
    dialog = _export(qtbot, dotted_case, out)
    lines = _shown(dialog)
    assert dialog.findings.isVisibleTo(dialog)
    assert any("tracking dots" in line for line in lines), lines
    assert len(lines) == len(dialog.report.findings or ())
    assert dialog.keep_button.isVisibleTo(dialog)
    assert dialog.remove_button.isVisibleTo(dialog)
    assert "identify a source" in dialog.label.text()
    assert out.is_file()
    dialog.remove_button.click()
    assert not out.exists()
    assert dialog.removed
    assert neighbour.read_text() == "mine"  # nothing else is touched
    assert sorted(p.name for p in out.parent.iterdir()) == ["notes.txt"]
    assert _removals(dotted_case) == ["evidence bundle bundle.zip removed after the publication check"]
    assert "removed" in dialog.label.text()
    dialog.close()


@pytest.mark.slow  # a colour scan searched for dots, in the cleaned and the annotated copy
def test_keep_keeps_the_bundle(dotted_case: Case, qtbot: QtBot, tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    dialog = _export(qtbot, dotted_case, out)
    assert dialog.findings.count() > 0
    dialog.keep_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (out / "bagit.txt").is_file()
    assert not dialog.removed
    assert _removals(dotted_case) == []


@pytest.mark.slow  # an export with its worker processes
def test_a_clean_bundle_says_so(plain_case: Case, qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _export(qtbot, plain_case, tmp_path / "bundle")
    assert dialog.report is not None
    assert dialog.report.findings == (), dialog.report.findings
    assert "checked: nothing found that could identify a source" in dialog.label.text()
    assert not dialog.findings.isVisibleTo(dialog)
    assert not dialog.remove_button.isVisibleTo(dialog)
    dialog.close()


@pytest.mark.slow  # an export with its worker processes
def test_an_evidence_bundle_is_not_checked(plain_case: Case, qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _export(qtbot, plain_case, tmp_path / "bundle", redact=False)
    assert dialog.report is not None
    assert dialog.report.findings is None
    assert "checked:" not in dialog.label.text()
    dialog.close()
