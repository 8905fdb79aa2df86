"""Incremental updates: counted from the bytes, each earlier revision extractable as it was."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pymupdf
import pytest

from reviewer.core.domain.errors import UsageError
from reviewer.core.forensics.pdf import pdf_signals
from reviewer.core.forensics.revisions import read_revisions, revision_bytes
from tests import filemaker
from tests.conftest import CORPUS

if TYPE_CHECKING:
    from pathlib import Path


def test_each_revision_opens_as_it_was_saved(tmp_path: Path) -> None:
    path = filemaker.make_incremental_pdf(tmp_path / "inc.pdf")
    history = read_revisions(path)
    assert history.count == 2
    assert history.incremental_updates == 1
    assert history.revisions[-1].end == path.stat().st_size
    first = revision_bytes(path, 1)
    with pymupdf.open(stream=first, filetype="pdf") as draft:
        assert draft.metadata["title"] == "Нота 12-05/1174 (draft)"
        assert "Addendum" not in draft[0].get_text()
        assert not draft.is_repaired
    with pymupdf.open(stream=revision_bytes(path, 2), filetype="pdf") as final:
        assert final.metadata["title"] == "Нота 12-05/1174 (final)"
        assert "Addendum" in final[0].get_text()


def test_a_file_saved_once_has_one_revision(tmp_path: Path) -> None:
    path = filemaker.make_text_pdf(tmp_path / "t.pdf")
    history = read_revisions(path)
    assert (history.count, history.trailing_bytes) == (1, 0)
    assert revision_bytes(path, 1) == path.read_bytes()


def test_asking_for_a_revision_that_does_not_exist(tmp_path: Path) -> None:
    path = filemaker.make_text_pdf(tmp_path / "t.pdf")
    with pytest.raises(UsageError, match="revision 3 does not exist; the file has 1"):
        revision_bytes(path, 3)


def test_data_after_the_end(tmp_path: Path) -> None:
    path = filemaker.make_text_pdf(tmp_path / "t.pdf")
    with open(path, "ab") as handle:
        handle.write(b"hidden words after the end\n")
    assert read_revisions(path).trailing_bytes == len(b"hidden words after the end")
    notices = [s for s in pdf_signals(path) if s.code == "pdf.data_after_end"]
    assert len(notices) == 1


def test_a_linearized_file_is_not_counted_as_updated() -> None:
    # ZapfDingbats.pdf is linearized and was never updated: two %%EOF sections, one revision
    path = CORPUS / "ZapfDingbats.pdf"
    history = read_revisions(path)
    assert history.linearized
    assert history.count == 1
    with pymupdf.open(str(path)) as doc:
        assert doc.version_count == 1


def test_an_empty_file_has_no_revision(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert read_revisions(path).count == 0
