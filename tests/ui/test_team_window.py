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

from reviewer.core.domain.values import ChecklistItem, CheckState, VerificationStatus
from reviewer.core.ingest.reading import OcrMode
from reviewer.core.services import documents, queries
from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.importing import import_paths
from reviewer.core.services.reading import read_pages
from reviewer.core.services.team import grant_access
from reviewer.core.storage.live import ChangeListener
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
    # who and when in the person's words: the role's name and a local time, not the log's ISO stamp
    assert box.error.actor
    assert box.error.actor in box.informativeText()
    assert box.error.at
    assert box.error.at not in box.informativeText()
    assert queries.document_detail(window.case, 1).fields["issuer"] == "Ministry"  # nothing overwritten
    box.apply_button.click()
    assert queries.document_detail(window.case, 1).fields["issuer"] == "Embassy"
    changes = [
        e.after for e in queries.document_detail(window.case, 1).custody if e.action == "metadata_changed"
    ]
    assert changes == [{"issuer": "Ministry"}, {"issuer": "Embassy"}]


def test_take_theirs_shows_theirs(qtbot: QtBot, shared_window: MainWindow, other: Case) -> None:
    window = shared_window
    note = window.verification.rationale
    note.setFocus()
    QTest.keyClicks(note, "mine")
    documents.set_status(other, 1, VerificationStatus.IN_REVIEW, "theirs")  # another window's connection
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


@pytest.fixture
def other(shared_case: Case) -> Iterator[Case]:
    """Someone else with the same shared case open (their own connections)."""
    opened = open_case(shared_case.root)
    try:
        yield opened
    finally:
        opened.close()


def _box(window: MainWindow) -> ConflictBox:
    box = window.findChild(ConflictBox)
    assert box is not None
    return box


def test_the_status_combo_is_refused_when_someone_decided_meanwhile(
    qtbot: QtBot, shared_window: MainWindow, other: Case
) -> None:
    window = shared_window
    combo = window.verification.status
    documents.set_status(other, 1, VerificationStatus.DISPUTED, "the stamp differs")  # not heard yet
    combo.setCurrentIndex(list(VerificationStatus).index(VerificationStatus.IN_REVIEW))
    combo.activated.emit(combo.currentIndex())
    box = _box(window)
    assert box.error.current == {"status": "disputed", "note": "the stamp differs"}
    assert queries.document_detail(window.case, 1).summary.status is VerificationStatus.DISPUTED
    box.apply_button.click()  # knowingly, over theirs; both on the log
    assert queries.document_detail(window.case, 1).summary.status is VerificationStatus.IN_REVIEW
    changes = [
        e.after for e in queries.document_detail(window.case, 1).custody if e.action == "status_changed"
    ]
    assert [c["status"] for c in changes] == ["disputed", "in_review"]  # type: ignore[index]


def test_checklist_type_and_tags_are_refused_when_crossed(
    qtbot: QtBot, shared_window: MainWindow, other: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = shared_window
    # a checklist finding
    documents.set_check(other, 1, "stamp", CheckState.DOUBTFUL, "blurred")
    state = window.verification.states[ChecklistItem.STAMP]
    state.setCurrentIndex(state.findData(CheckState.CONSISTENT.value))
    state.activated.emit(state.currentIndex())
    box = _box(window)
    assert box.error.current == {"state": "doubtful", "note": "blurred"}
    box.theirs_button.click()
    assert queries.document_detail(window.case, 1).checklist["stamp"].state == "doubtful"
    qtbot.waitUntil(lambda: window.findChild(ConflictBox) is None, timeout=BOUND_MS)
    # the type
    documents.set_metadata(other, 1, {"type": "letter"})
    combo = window.metadata.type
    combo.setCurrentIndex(combo.findData("contract"))
    combo.activated.emit(combo.currentIndex())
    box = _box(window)
    assert box.error.current == "letter"
    box.theirs_button.click()
    assert queries.document_detail(window.case, 1).fields["type"] == "letter"
    qtbot.waitUntil(lambda: window.findChild(ConflictBox) is None, timeout=BOUND_MS)

    # tags: someone tags the document while the person types theirs in the dialog
    def typed(*_args: object) -> tuple[str, bool]:
        documents.tag_documents(other, [1], ["forged"])
        return "forged, stamp", True

    monkeypatch.setattr(QInputDialog, "getText", typed)
    window.tag_selected()
    box = _box(window)
    assert box.error.current == {"document": 1, "tags": ["forged"]}
    assert queries.document_detail(window.case, 1).summary.tags == ("forged",)  # nothing of theirs lost
    box.apply_button.click()
    assert queries.document_detail(window.case, 1).summary.tags == ("forged", "stamp")
    window.edits.undo_stack.undo()  # takes off only what this edit added
    assert queries.document_detail(window.case, 1).summary.tags == ("forged",)


def test_the_windows_own_changes_are_not_heard_again(
    qtbot: QtBot, shared_window: MainWindow, other: Case, tmp_path: Path
) -> None:
    window = shared_window
    heard: list[list[int]] = []
    window.team.documents_changed.connect(heard.append)
    window.edits.tag([1], ["mine"])  # this window's own: shown at once, not heard again
    filemaker.make_text_pdf(tmp_path / "second.pdf", title="Second")
    import_paths(other, [tmp_path / "second.pdf"])  # someone else's, after it
    qtbot.waitUntil(lambda: window.model.total() == 2, timeout=BOUND_MS)  # the list read again
    qtbot.waitUntil(lambda: heard != [], timeout=BOUND_MS)
    assert all(1 not in ids for ids in heard), heard
    assert window.current_document_id == 1  # still the one shown
    assert window.count.text().startswith("2 document")


def test_the_listener_reconnects_and_says_so(
    qtbot: QtBot,
    shared_window: MainWindow,
    other: Case,
    pg_cluster: PostgresCluster,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = shared_window
    live = window.live
    assert live is not None
    assert live.listener is not None
    said: list[str] = []
    live.reconnecting.connect(lambda _why: said.append(window.status.state.text()))
    backend = live.listener.backend
    with qtbot.waitSignal(live.reconnected, timeout=BOUND_MS):
        pg_cluster.psql(f"SELECT pg_terminate_backend({backend})", db=window.case.db.name)  # type: ignore[attr-defined]
    assert said
    assert said[0].startswith("Reconnecting to the case database")
    assert not window.status.state.isVisible()
    assert live.listener is not None
    assert live.listener.backend != backend
    _cli(window.case, "status", "1", "disputed", "--note", "after the break")  # heard on the new one
    qtbot.waitUntil(
        lambda: window.verification.status.currentData() == VerificationStatus.DISPUTED, timeout=BOUND_MS
    )


def test_who_else_is_here_is_shown(qtbot: QtBot, shared_window: MainWindow, other: Case) -> None:
    window = shared_window
    label = window.team.presence
    assert not label.isVisible()  # nobody else
    with ChangeListener.open(other.db):  # another window on the case
        window.team.look()
        qtbot.waitUntil(lambda: label.isVisible(), timeout=BOUND_MS)
        assert label.text().strip() == f"Also here: {other.actor}"
        assert other.actor in label.toolTip()
    window.team.look()
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=BOUND_MS)
