"""An import that keeps pace: a few files a transaction, each with its custody entry, all or none."""

from __future__ import annotations

import hashlib
import os
import stat
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from reviewer.core.services import importing
from reviewer.core.services.fixity import verify_case
from reviewer.core.services.importing import import_paths
from reviewer.core.storage.orm import CustodyEvent, Document, Page
from tests import filemaker

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from reviewer.core.services.case import Case


def _notes(inbox: Path, count: int) -> list[Path]:
    return [
        filemaker.make_text_pdf(inbox / f"note-{i:02d}.pdf", pages=2, title=f"Note {i}") for i in range(count)
    ]


@pytest.fixture
def commits() -> Iterator[list[int]]:
    """How many transactions were committed (every session's, while the test runs)."""
    seen: list[int] = []

    def count(session: Session) -> None:
        seen.append(1)

    event.listen(Session, "after_commit", count)
    try:
        yield seen
    finally:
        event.remove(Session, "after_commit", count)


def test_files_are_recorded_a_few_to_a_transaction_each_with_its_custody_entry(
    case: Case, inbox: Path, commits: list[int]
) -> None:
    files = _notes(inbox, 12)
    report = import_paths(case, files)
    assert report.ok
    assert [item.path for item in report.imported] == [str(f) for f in files]
    # one transaction opens the import's batch and one closes it; the 12 files took fewer than 12
    # (a transaction a file, as before, is 14 in all)
    assert len(commits) - 2 < len(files)
    with case.db.reading() as session:
        entries = session.execute(
            select(CustodyEvent.document_id, CustodyEvent.state_hash).where(CustodyEvent.action == "imported")
        ).all()
        ids = session.scalars(select(Document.id).order_by(Document.id)).all()
    assert sorted(document for document, _ in entries) == list(ids) == [i.id for i in report.imported]
    assert all(state for _, state in entries)  # each anchors its own document's state
    assert verify_case(case).ok  # chain, head and every document's state as recorded


def _failing_documents(monkeypatch: pytest.MonkeyPatch, failing: Callable[[int], bool]) -> list[int]:
    """All files in one transaction, and recording the n-th document (from 1) raising when
    ``failing(n)``; returns the list that counts the calls."""
    monkeypatch.setattr(importing, "BATCH_SECONDS", 3600.0)
    real = importing._new_document
    calls: list[int] = []

    def new_document(*args: Any, **kwargs: Any) -> int:
        calls.append(1)
        if failing(len(calls)):
            raise RuntimeError("the database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "_new_document", new_document)
    return calls


def test_a_batch_that_fails_leaves_none_of_its_files_behind(
    case: Case, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database gone from the fourth document on: the batch's transaction leaves nothing, nor do
    the files tried one by one after it; the import stops with the error."""
    files = _notes(inbox, 5)
    _failing_documents(monkeypatch, lambda n: n >= 4)
    with pytest.raises(RuntimeError, match="went away"):
        import_paths(case, files)
    with case.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
        assert session.scalar(select(func.count()).select_from(Page)) == 0
    assert list(case.layout.iter_originals()) == []  # the three admitted before the failure went back
    assert list(case.layout.staging.iterdir()) == []
    assert not case.layout.derived.exists() or list(case.layout.derived.rglob("*.png")) == []


def test_a_batch_that_fails_once_is_recorded_file_by_file(
    case: Case, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One failure inside a batch of five (the fourth document): nothing of that transaction is kept,
    its originals go back to staging, and the five are then recorded one by one, every one kept."""
    files = _notes(inbox, 5)
    calls = _failing_documents(monkeypatch, lambda n: n == 4)
    report = import_paths(case, files)
    assert report.ok
    assert [item.path for item in report.imported] == [str(f) for f in files]
    assert len(calls) == 4 + 5
    assert len(list(case.layout.iter_originals())) == 5
    assert list(case.layout.staging.iterdir()) == []
    assert verify_case(case).ok


def test_bytes_in_the_store_but_not_in_the_database_are_read_again_in_order(case: Case, inbox: Path) -> None:
    files = _notes(inbox, 4)
    # as a crash between admitting an original and committing its document would leave it
    data = files[1].read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    stray = case.layout.original(digest)
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(data)
    os.chmod(stray, stat.S_IRUSR)
    report = import_paths(case, files)
    assert report.ok
    assert [item.path for item in report.imported] == [str(f) for f in files]
    ids = [item.id for item in report.imported]
    assert ids == sorted(ids)  # recorded in the order given, the re-read one in its place
    assert [item.pages for item in report.imported] == [2, 2, 2, 2]
    assert case.layout.thumbnail(digest, 2).is_file()
