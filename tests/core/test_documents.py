"""Changing what is known about a document: every change lands on its custody log, before and after."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.values import AnnotationKind, Rect, VerificationStatus
from reviewer.core.services import documents, queries
from reviewer.core.services.importing import import_paths
from reviewer.core.storage.orm import Annotation
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.domain.records import CustodyRecord
    from reviewer.core.services.case import Case


@pytest.fixture
def case(any_case: Case) -> Case:
    """Every test here runs on a local (SQLite) and a shared (PostgreSQL) case."""
    return any_case


@pytest.fixture
def doc(case: Case, inbox: Path) -> int:
    """The id of an imported 2-page text PDF."""
    report = import_paths(case, [filemaker.make_text_pdf(inbox / "note.pdf", pages=2)])
    return report.imported[0].id


def _log(case: Case, doc: int) -> list[CustodyRecord]:
    return list(queries.document_detail(case, doc).custody)


def test_tags_are_added_and_removed_on_the_record(case: Case, doc: int) -> None:
    documents.tag_documents(case, [doc], ["МИД", "stamp"])
    documents.tag_documents(case, [doc], ["stamp"])  # already there: no change, no entry
    documents.tag_documents(case, [doc], ["МИД"], remove=True)
    assert queries.document_detail(case, doc).summary.tags == ("stamp",)
    entries = [e for e in _log(case, doc) if e.action.startswith("tag_")]
    assert [(e.action, e.before, e.after) for e in entries] == [
        ("tag_added", [], ["stamp", "МИД"]),
        ("tag_removed", ["stamp", "МИД"], ["stamp"]),
    ]
    assert all(e.actor == case.actor for e in entries)


def test_status_with_rationale(case: Case, doc: int) -> None:
    documents.set_status(case, doc, "in review", "letterhead matches the 2019 series")
    summary = documents.set_status(case, doc, VerificationStatus.DISPUTED, "stamp differs from reference")
    assert summary.status is VerificationStatus.DISPUTED
    detail = queries.document_detail(case, doc)
    assert detail.status_note == "stamp differs from reference"
    [first, second] = [e for e in detail.custody if e.action == "status_changed"]
    assert first.before == {"status": "unverified", "note": None}
    assert first.after == {"status": "in_review", "note": "letterhead matches the 2019 series"}
    assert second.before == first.after
    with pytest.raises(UsageError, match="use one of"):
        documents.set_status(case, doc, "genuine", "x")


def test_metadata_fields_and_free_fields(case: Case, doc: int) -> None:
    stored = documents.set_metadata(
        case,
        doc,
        {
            "title": "Note verbale 12-05/1174",
            "type": "diplomatic note",
            "date": "2019-03-12",
            "ref": "12-05/1174",
            "issuer": "МИД",
            "recipient": "Embassy",
            "language": "ru",
            "vessel": "Ocean Star",
        },
    )
    assert stored["type"] == "diplomatic_note"
    assert stored["document_date"] == "2019-03-12"
    detail = queries.document_detail(case, doc)
    assert detail.fields["reference_number"] == "12-05/1174"
    assert detail.free_fields == {"vessel": "Ocean Star"}
    assert detail.summary.display_name == "Note verbale 12-05/1174"

    documents.set_metadata(case, doc, {"vessel": "", "title": "Note verbale"})
    detail = queries.document_detail(case, doc)
    assert detail.free_fields == {}
    changes = [(e.before, e.after) for e in detail.custody if e.action == "metadata_changed"]
    assert ({"vessel": "Ocean Star"}, {"vessel": None}) in changes
    assert ({"title": "Note verbale 12-05/1174"}, {"title": "Note verbale"}) in changes
    assert len(changes) == 10

    for bad in ({"type": "memo"}, {"date": "12.03.2019"}, {}):
        with pytest.raises(UsageError):
            documents.set_metadata(case, doc, bad)
    assert len([e for e in _log(case, doc) if e.action == "metadata_changed"]) == 10, (
        "refused edits change nothing"
    )


def test_annotations_in_page_coordinates(case: Case, doc: int) -> None:
    record = documents.add_annotation(
        case, doc, page=2, rect=Rect(400, 700, 550, 800), kind="redaction", note="source's name", tags=["pii"]
    )
    assert (record.page, record.x0, record.y0, record.x1, record.y1) == (2, 400, 700, 550, 800)
    assert record.kind is AnnotationKind.REDACTION
    changed = documents.update_annotation(
        case,
        record.id,
        note="informant",
        transcription="Иванов И.И.",
        translation="Ivanov I.I.",
        tags=["pii", "name"],
    )
    assert changed.tags == ("name", "pii")
    assert changed.transcription == "Иванов И.И."
    documents.delete_annotation(case, record.id)
    assert queries.document_detail(case, doc).annotations == ()
    with case.db.reading() as session:
        assert session.get_one(Annotation, record.id).deleted, "a deleted annotation stays on record"
    actions = [e.action for e in _log(case, doc) if e.action.startswith("annotation_")]
    assert actions == ["annotation_added", "annotation_changed", "annotation_deleted"]
    with pytest.raises(UsageError, match="no annotation"):
        documents.update_annotation(case, record.id, note="again")


def test_annotation_bounds_are_checked(case: Case, doc: int) -> None:
    with pytest.raises(UsageError, match="pages 1 to 2"):
        documents.add_annotation(case, doc, page=3, rect=Rect(0, 0, 10, 10))
    with pytest.raises(UsageError, match="not within the page"):
        documents.add_annotation(case, doc, page=1, rect=Rect(0, 0, 900, 10))


def test_annotation_on_a_rotated_page_and_on_an_image(case: Case, inbox: Path) -> None:
    rotated = filemaker.make_rotated_pdf(inbox / "r.pdf", rotation=90)
    photo = filemaker.make_png(inbox / "p.png", width=800, height=1000)
    ids = {i.path: i.id for i in import_paths(case, [rotated, photo]).imported}
    # unrotated page coordinates: the A4 portrait page is 595 wide even though it is shown landscape
    documents.add_annotation(case, ids[str(rotated)], page=1, rect=Rect(500, 800, 590, 840))
    with pytest.raises(UsageError):
        documents.add_annotation(case, ids[str(rotated)], page=1, rect=Rect(700, 10, 800, 20))
    [page] = queries.document_detail(case, ids[str(photo)]).pages
    documents.add_annotation(case, ids[str(photo)], page=1, rect=Rect(0, 0, page.width, page.height))


def test_documents_are_found_by_id_or_hash_prefix(case: Case, inbox: Path) -> None:
    report = import_paths(case, [filemaker.make_text_pdf(inbox / f"{i}.pdf", seed=i) for i in range(3)])
    first = report.imported[0]
    with case.db.reading() as session:
        assert queries.resolve(session, str(first.id)).sha256 == first.sha256
        assert queries.resolve(session, first.sha256[:8]).id == first.id
        assert queries.resolve(session, first.sha256.upper()).id == first.id
        with pytest.raises(UsageError, match="at least 8 hex digits"):
            queries.resolve(session, first.sha256[:6] if not first.sha256[:6].isdigit() else "abcdef")
        with pytest.raises(UsageError, match="no document"):
            queries.resolve(session, "999")
        with pytest.raises(UsageError, match="no document"):
            queries.resolve(session, "0" * 64)


def test_nothing_changes_without_an_entry(case: Case, doc: int) -> None:
    """Each service call that changes a document adds exactly one custody entry per change."""
    before = len(_log(case, doc))
    documents.tag_documents(case, [doc], ["a"])
    documents.set_status(case, doc, "verified", "confirmed by the ministry")
    documents.set_metadata(case, doc, {"issuer": "X"})
    documents.add_annotation(case, doc, page=1, rect=Rect(1, 1, 50, 50))
    assert len(_log(case, doc)) == before + 4
    with case.db.reading() as session:
        count = len(session.scalars(select(Annotation)).all())
    assert count == 1


def test_custody_summaries_say_what_changed(case: Case, doc: int) -> None:
    documents.set_status(case, doc, "in review", "letterhead matches")
    documents.set_status(case, doc, "in review", "letterhead matches the 2019 series")
    documents.set_status(case, doc, "disputed", "letterhead matches the 2019 series")
    long_title = "Note verbale " + "very long title " * 10
    documents.set_metadata(case, doc, {"title": long_title})
    documents.set_metadata(case, doc, {"title": "Note\nverbale", "vessel": "Ocean Star"})
    documents.set_metadata(case, doc, {"vessel": ""})
    record = documents.add_annotation(case, doc, page=1, rect=Rect(10, 10, 100, 60), note="stamp")
    documents.update_annotation(case, record.id, rect=Rect(20, 20, 110, 70), note="round stamp")
    entries = [
        e for e in _log(case, doc) if e.action in ("status_changed", "metadata_changed", "annotation_changed")
    ]
    cut = " ".join(long_title.split())[:59] + "…"
    assert [e.summary for e in entries] == [
        'status unverified → in_review, rationale changed: (empty) → "letterhead matches"',
        'rationale changed: "letterhead matches" → "letterhead matches the 2019 series"',
        "status in_review → disputed",
        f'field title changed: (empty) → "{cut}"',
        f'field title changed: "{cut}" → "Note verbale"',
        'free field vessel changed: (empty) → "Ocean Star"',
        'free field vessel changed: "Ocean Star" → (empty)',
        "note on page 1 changed: position, note",
    ]
    titles = [e for e in entries if e.action == "metadata_changed" and "title" in (e.after or {})]
    assert titles[0].after == {"title": long_title.strip()}  # the entry keeps the whole value
    assert titles[1].before == {"title": long_title.strip()}
