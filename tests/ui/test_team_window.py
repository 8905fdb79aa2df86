"""The window on a shared case (issue 14, "Live together"): others' changes shown as committed, edits
that crossed refused and offered, and the prompt for a server that asks a password."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog

from reviewer.core.domain.values import VerificationStatus
from reviewer.core.ingest.reading import OcrMode
from reviewer.core.services import documents, queries
from reviewer.core.services.case import create_case
from reviewer.core.services.importing import import_paths
from reviewer.core.services.reading import read_pages
from reviewer.core.services.team import grant_access
from reviewer.ui.app import Launcher
from reviewer.ui.live import ConflictBox
from reviewer.ui.main_window import MainWindow
from reviewer.ui.roles import RecordRole
from reviewer.ui.thumbnails import ThumbnailCache
from tests import filemaker

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case
    from reviewer.ui.render_bridge import RenderBridge
    from tests.pg_cluster import PostgresCluster

pytestmark = pytest.mark.slow
BOUND_MS = 30_000  # a bound on waits that end in well under a second, never a timing assertion


@pytest.fixture
def shared_case(
    tmp_path: Path, pg_cluster: PostgresCluster, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Case]:
    monkeypatch.setenv("PGUSER", pg_cluster.superuser)
    filemaker.make_text_pdf(tmp_path / "note.pdf", pages=1)
    with create_case(tmp_path / "case", title="Shared", database=pg_url) as case:
        import_paths(case, [tmp_path / "note.pdf"])
        read_pages(case, mode=OcrMode.NEVER)
        yield case


@pytest.fixture
def shared_window(
    qtbot: QtBot, shared_case: Case, bridge: RenderBridge, tmp_path: Path
) -> Iterator[MainWindow]:
    thumbnails = ThumbnailCache()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(shared_case, bridge, thumbnails, settings)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    qtbot.waitUntil(lambda: main.current_document_id == 1, timeout=BOUND_MS)
    yield main
    main.close()
    thumbnails.wait()


def _cli(case: Case, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reviewer.cli", *args[:1], str(case.root), *args[1:]],
        capture_output=True, text=True, timeout=120, check=False, env=dict(os.environ),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_a_status_changed_by_another_process_is_shown(qtbot: QtBot, shared_window: MainWindow) -> None:
    window = shared_window
    assert window.live is not None
    _cli(window.case, "status", "1", "disputed", "--note", "the stamp differs")
    qtbot.waitUntil(
        lambda: window.verification.status.currentData() == VerificationStatus.DISPUTED, timeout=BOUND_MS
    )
    assert window.verification.rationale.toPlainText() == "the stamp differs"
    row = window.model.row_of(1)
    assert row is not None
    record = window.model.index(row, 0).data(RecordRole)
    assert record.status is VerificationStatus.DISPUTED  # the list's row too


def test_typing_survives_and_the_crossed_edit_is_offered(qtbot: QtBot, shared_window: MainWindow) -> None:
    window = shared_window
    edit = window.metadata.edits["issuer"]
    edit.setFocus()
    QTest.keyClicks(edit, "Embassy")
    _cli(window.case, "meta", "1", "issuer=Ministry")  # someone else, while this person types
    qtbot.waitUntil(
        lambda: queries.document_detail(window.case, 1).fields.get("issuer") == "Ministry", timeout=BOUND_MS
    )
    qtbot.wait(300)  # let the notification arrive and the panes be shown again (not a timing check)
    assert edit.text() == "Embassy"  # the refresh did not take what was typed
    edit.commit()
    box = window.findChild(ConflictBox)
    assert box is not None
    assert box.error.current == "Ministry"
    assert "Ministry" in box.informativeText()
    assert queries.document_detail(window.case, 1).fields["issuer"] == "Ministry"  # nothing overwritten
    box.apply_button.click()
    assert queries.document_detail(window.case, 1).fields["issuer"] == "Embassy"
    changes = [
        e.after for e in queries.document_detail(window.case, 1).custody if e.action == "metadata_changed"
    ]
    assert changes == [{"issuer": "Ministry"}, {"issuer": "Embassy"}]


def test_take_theirs_shows_theirs(qtbot: QtBot, shared_window: MainWindow) -> None:
    window = shared_window
    note = window.verification.rationale
    note.setFocus()
    QTest.keyClicks(note, "mine")
    documents.set_status(window.case, 1, VerificationStatus.IN_REVIEW, "theirs")
    qtbot.waitUntil(
        lambda: window.verification.status.currentData() == VerificationStatus.IN_REVIEW, timeout=BOUND_MS
    )
    assert note.toPlainText() == "mine"
    note.commit()
    box = window.findChild(ConflictBox)
    assert box is not None
    box.theirs_button.click()
    assert queries.document_detail(window.case, 1).status_note == "theirs"
    assert note.toPlainText() == "theirs"


def test_a_local_case_has_no_listener(window: MainWindow) -> None:
    assert window.live is None


def test_the_password_prompt(
    qtbot: QtBot,
    shared_case: Case,
    pg_cluster: PostgresCluster,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    pg_cluster.create_password_role("win_pia", "right")
    grant_access(shared_case, "win_pia", "editor")
    monkeypatch.setenv("PGUSER", "win_pia")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    prompts: list[str] = []
    answers = ["wrong", "right"]

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, answer)
            return
        prompts.append(dialog.labelText())
        dialog.setTextValue(answers[len(prompts) - 1])
        dialog.accept()
        if len(prompts) < len(answers):
            QTimer.singleShot(20, answer)

    launcher = Launcher(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    try:
        QTimer.singleShot(20, answer)
        window = launcher.open_folder(shared_case.root)
        assert window is not None
        assert window.case.actor == "win_pia"
        assert len(prompts) == 2
        assert "asks for win_pia's password" in prompts[0]
        assert prompts[1].startswith("wrong password for win_pia")
        assert "right" not in (shared_case.root / "reviewer-case.json").read_text()
    finally:
        launcher.close()
        if launcher.window is not None:
            launcher.window.deleteLater()
