"""A worker that crashes under the window: one line, and the window stays alive and usable.

The crashing jobs are those of tests/core/test_worker_jobs.py and test_worker_jobs_on_demand.py,
registered by name through the registry's public API in place of the export's and the overlay's.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from reviewer.core.forensics.signals import Severity
from reviewer.core.services import export, forensics
from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.importing import import_paths
from reviewer.core.workers import registry
from reviewer.ui.export_dialog import ExportDialog
from reviewer.ui.panes.forensic_models import SeverityRole
from reviewer.ui.panes.forensics import ForensicsPane
from reviewer.ui.roles import RecordRole
from tests import filemaker
from tests.core.test_worker_jobs import hostile
from tests.core.test_worker_jobs_on_demand import LIMITS

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytestqt.qtbot import QtBot

pytestmark = pytest.mark.slow


@pytest.fixture
def crashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The export's annotated copy and the error-level overlay segfault on a file marked hostile."""
    registry.register(registry.PIECES, "tests.core.test_worker_jobs:pieces", beat=False)
    registry.register(registry.ELA, "tests.core.test_worker_jobs_on_demand:ela", beat=False)
    monkeypatch.setattr(export, "EXPORT_LIMITS", LIMITS)
    monkeypatch.setattr(forensics, "ON_DEMAND_LIMITS", LIMITS)
    try:
        yield
    finally:
        registry.restore(registry.PIECES)
        registry.restore(registry.ELA)


@pytest.fixture
def hostile_case(tmp_path: Path) -> tuple[Path, int, int]:
    """A case of a good and a bad PDF, the bad one's original marked hostile (worker mode: segv)."""
    (tmp_path / "worker-mode.txt").write_text("segv")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = filemaker.make_text_pdf(inbox / "good.pdf", seed=1)
    bad = filemaker.make_text_pdf(inbox / "bad.pdf", seed=2)
    with create_case(tmp_path / "case", title="t", actor="tester") as case:
        report = import_paths(case, [good, bad])
        ids = {i.path: i.id for i in report.imported}
        [stored] = [p for p in case.layout.iter_originals() if p.read_bytes() == bad.read_bytes()]
    os.chmod(stored, 0o644)  # read-only evidence; the test marks it as a hostile file would be
    hostile(stored)
    return tmp_path / "case", ids[str(good)], ids[str(bad)]


def test_an_export_from_the_window_whose_worker_crashes_says_one_line_and_the_window_goes_on(
    qtbot: QtBot,
    hostile_case: tuple[Path, int, int],
    crashing: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root, good, bad = hostile_case
    from reviewer.core.services import export_bag

    monkeypatch.setattr(export_bag, "check_fixity", lambda detail, digest: None)  # the mark changed it
    with open_case(root, actor="tester") as case:
        dialog = ExportDialog(case, [good, bad])
        qtbot.addWidget(dialog)
        dialog.show()
        for name in ("first", "second"):  # the second export: the window is still usable
            dialog.report = None
            dialog.path.setText(str(tmp_path / name))
            dialog.start()
            assert dialog.job is not None
            qtbot.waitUntil(
                lambda: dialog.report is not None or dialog.start_button.isEnabled(), timeout=300_000
            )
            dialog.job.wait()
            assert dialog.report is not None, dialog.label.text()
            assert dialog.report.documents == 2
            crashed = [line for line in dialog.label.text().splitlines() if "SIGSEGV" in line]
            assert len(crashed) == 1, dialog.label.text()
            assert "Traceback" not in dialog.label.text()
            assert Path(dialog.report.path).exists()
            dialog.start_button.setEnabled(True)
        assert dialog.isVisible()
        dialog.close()


def test_an_error_level_overlay_whose_worker_crashes_says_one_line_and_the_pane_goes_on(
    qtbot: QtBot, hostile_case: tuple[Path, int, int], crashing: None
) -> None:
    root, good, bad = hostile_case
    with open_case(root, actor="tester") as case:
        pane = ForensicsPane(case)
        qtbot.addWidget(pane)
        pane.show()
        try:
            pane.set_document(bad)
            pane.set_page(1)
            pane.error_levels.setChecked(True)
            qtbot.waitUntil(lambda: pane.message.isVisible(), timeout=120_000)
            said = pane.message.text()
            assert "SIGSEGV" in said
            assert "\n" not in said
            assert "Traceback" not in said
            pane.error_levels.setChecked(False)
            pane.set_document(good)
            with qtbot.waitSignal(pane.overlayReady, timeout=120_000) as ready:
                pane.error_levels.setChecked(True)
            assert not ready.args[1].isNull()
            # the signal tree hands the severity as the domain's enum (a QVariant makes a str of it)
            model = pane.signals
            assert model.group_indexes()
            for group in model.group_indexes():
                assert isinstance(model.data(group, SeverityRole), Severity)
                signal = model.index(0, 0, group)
                assert isinstance(signal.data(RecordRole).severity, Severity)
        finally:
            pane.shutdown()
