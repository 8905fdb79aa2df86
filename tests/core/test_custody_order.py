"""A merged document's custody log reads in time order, each entry once, however often it is merged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewer.core.services import documents, queries
from reviewer.core.services.case import create_case
from reviewer.core.services.exchange import import_bundle
from reviewer.core.services.export import ExportOptions, export_bundle
from reviewer.core.services.fixity import verify_case
from reviewer.core.services.importing import import_paths
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path


def test_merged_entries_appear_once_in_time_order(tmp_path: Path) -> None:
    note = filemaker.make_text_pdf(tmp_path / "note.pdf")
    with create_case(tmp_path / "theirs", actor="colleague") as theirs:
        [doc] = import_paths(theirs, [note]).imported
        documents.set_status(theirs, doc.id, "disputed", "the stamp is a different ministry's")
        export_bundle(theirs, tmp_path / "bundle", ExportOptions())
    with create_case(tmp_path / "ours", actor="me") as ours:
        [mine] = import_paths(ours, [note]).imported  # later than every entry of theirs
        documents.tag_documents(ours, [mine.id], ["transit"])
        import_bundle(ours, tmp_path / "bundle")
        first = queries.document_detail(ours, mine.id).custody
        import_bundle(ours, tmp_path / "bundle")
        again = queries.document_detail(ours, mine.id).custody
        assert verify_case(ours).ok
    times = [entry.at for entry in first]
    assert times == sorted(times), "the log is shown in time order"
    merged = [e for e in first if e.actor == "colleague"]
    assert merged, "their entries travelled with the bundle"
    assert len({(e.at, e.action, e.summary) for e in merged}) == len(merged), "each entry once"
    assert [(e.at, e.action, e.summary) for e in again] == [(e.at, e.action, e.summary) for e in first]
    assert first.index(merged[0]) < next(i for i, e in enumerate(first) if e.actor == "me")
