"""Text no case keeps: a NUL character (U+0000, which SQLite stores and PostgreSQL's text refuses), a
lone surrogate (what a byte of an argument that is not UTF-8 becomes), a control other than tab and line
break. Every text a person gives goes through ``values.checked_text``: refused in one line naming the
field, alike on a local and a shared case, nothing written (a bundle never brings one either: case.json
refuses it on both, see test_merge_hostile). A change reaching PostgreSQL with a NUL anyway is still
refused in one line by the server's side (postgres_db NUL_REFUSED)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from reviewer.core.domain.errors import CaseError, UsageError
from reviewer.core.domain.values import Rect, checked_text
from reviewer.core.services import documents, entities, links, provenance, queries
from reviewer.core.services.case import create_case
from reviewer.core.services.importing import ImportOptions, import_paths
from reviewer.core.storage.orm import Document
from tests.filemaker import make_jpeg_with_exif, make_text_pdf
from tests.pg_cases import dump

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from reviewer.core.services.case import Case
    from tests.pg_cluster import PostgresCluster

NUL = "stamp\x00hidden"

# Every entry point that writes what a person typed into a text column, given a NUL.
CHANGES: dict[str, Callable[[Case, str], object]] = {
    "the annotation's note": lambda case, note: documents.add_annotation(
        case, 1, page=1, rect=Rect(10, 10, 60, 60), note=NUL
    ),
    "the transcription": lambda case, note: documents.add_annotation(
        case, 1, page=1, rect=Rect(10, 10, 60, 60), transcription=NUL
    ),
    "the translation": lambda case, note: documents.update_annotation(case, note, translation=NUL),
    "the annotation's note ": lambda case, note: documents.update_annotation(case, note, note=NUL),
    "a tag": lambda case, note: documents.tag_documents(case, [1], [NUL]),
    "a tag ": lambda case, note: documents.update_annotation(case, note, tags=["ok", NUL]),
    "a tag  ": lambda case, note: documents.add_annotation(
        case, 1, page=1, rect=Rect(10, 10, 60, 60), note="fine", tags=[NUL]
    ),
    "field vessel": lambda case, note: documents.set_metadata(case, 1, {"issuer": "MFA", "vessel": NUL}),
    "field issuer": lambda case, note: documents.set_metadata(case, 1, {"issuer": NUL}),
    "a field name": lambda case, note: documents.set_metadata(case, 1, {NUL: "x"}),
    "the status rationale": lambda case, note: documents.set_status(case, 1, "disputed", NUL),
    "the checklist note": lambda case, note: documents.set_check(case, 1, "stamp", "doubtful", NUL),
    "the link's note": lambda case, note: links.link_documents(case, 1, 2, "references", note=NUL),
    "the source": lambda case, note: provenance.set_sighting_provenance(case, 1, source=NUL),
    "the watch-list term": lambda case, note: entities.add_watch_term(case, NUL),
    "an alias": lambda case, note: entities.add_watch_term(case, "Aurora", aliases=["ok", NUL]),
}


@pytest.fixture
def worked(any_case: Case, inbox: Path) -> tuple[Case, str]:
    """A case with two documents (1: a letter, 2: a photo) and a note on the letter's first page."""
    make_text_pdf(inbox / "note.pdf")
    make_jpeg_with_exif(inbox / "photo.jpg")
    import_paths(any_case, [inbox / "note.pdf"])
    import_paths(any_case, [inbox / "photo.jpg"])
    note = documents.add_annotation(any_case, 1, page=1, rect=Rect(5, 5, 50, 50), note="seal")
    return any_case, note.id


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_nul_is_refused_alike_on_both_backends_in_one_line_nothing_written(
    worked: tuple[Case, str], change: str
) -> None:
    case, note = worked
    before = dump(case.root)
    with pytest.raises(UsageError) as refused:
        CHANGES[change](case, note)
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith(change.strip() + " holds a NUL character (U+0000) at character 6"), message
    assert "nothing was changed" in message
    assert dump(case.root) == before, "nothing of it was written"


def test_an_import_source_with_a_nul_is_refused_before_anything_is_imported(worked: tuple[Case, str]) -> None:
    # the window's import dialog calls the service directly: the check is there, not only in the CLI
    case, _ = worked
    make_text_pdf(case.root.parent / "more.pdf")
    before = dump(case.root)
    with pytest.raises(UsageError, match="the source holds a NUL") as refused:
        import_paths(case, [case.root.parent / "more.pdf"], ImportOptions(source="tip\x00line"))
    assert "\n" not in str(refused.value)
    assert dump(case.root) == before


def test_a_case_title_with_a_nul_makes_no_case(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"^the case's title holds a NUL character"):
        create_case(tmp_path / "case", title=NUL, actor="tester")
    assert not (tmp_path / "case").exists()


def test_tabs_and_line_breaks_are_text_other_controls_and_surrogates_are_not() -> None:
    kept = "line one\r\nline two\twith a tab — и кириллица 🙂"
    assert checked_text("the note", kept) == kept
    for value, said in [
        ("a\x1b[2Jb", "a control character (U+001B) at character 2; only tabs and line breaks are kept"),
        ("ab\x7f", "a control character (U+007F) at character 3"),
        ("ab\x85", "a control character (U+0085)"),
        ("ab\x0c", "a control character (U+000C)"),
        ("caf\udce9", "the byte 0xE9 at character 4, which is not UTF-8 text"),
        ("\ud800", "a lone surrogate (U+D800) at character 1, which is not text"),
    ]:
        with pytest.raises(UsageError) as refused:
            checked_text("the note", value)
        assert str(refused.value).startswith(f"the note holds {said}"), str(refused.value)
    # text reviewer read from a file (a page's words) may hold controls, never a NUL or a surrogate
    assert checked_text("the quoted words", "a\x0cb", controls=True) == "a\x0cb"
    with pytest.raises(UsageError, match="NUL"):
        checked_text("the quoted words", "a\x00b", controls=True)


def test_a_nul_reaching_the_server_anyway_is_refused_in_one_line(
    tmp_path: Path, inbox: Path, pg_cluster: PostgresCluster, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server's own refusal stays behind the domain's: a write past ``checked_text``."""
    monkeypatch.setenv("PGUSER", pg_cluster.superuser)
    with create_case(tmp_path / "shared", title="Shared", actor="tester", database=pg_url) as case:
        import_paths(case, [make_text_pdf(inbox / "note.pdf")])
        before = (dump(case.root), queries.document_detail(case, 1))
        with pytest.raises(CaseError) as refused:
            _write_past_the_check(case)
        message = str(refused.value)
        assert "\n" not in message
        assert "cannot keep a NUL character" in message
        assert "psycopg" not in message, "no driver text"
        assert "UPDATE" not in message, "no SQL"
        assert (dump(case.root), queries.document_detail(case, 1)) == before, "nothing of it was written"


def _write_past_the_check(case: Case) -> None:
    with case.db.unit_of_work() as uow:
        uow.session.get_one(Document, 1).issuer = NUL
        uow.commit()
