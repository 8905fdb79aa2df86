"""The demo case builds offline and shows what the tool is for."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

import pytest

from reviewer.cli import main
from reviewer.core.domain.values import AnnotationKind, VerificationStatus
from reviewer.core.services import entities, links, queries
from reviewer.core.services.case import open_case
from reviewer.core.services.demo import build_demo_case, demo_files_location
from reviewer.core.services.fixity import verify_case

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo case, built once for this module."""
    root = tmp_path_factory.mktemp("demo") / "case"
    build_demo_case(root, actor="tester").close()
    return root


def test_the_demo_case(demo_root: Path) -> None:
    root = demo_root
    with open_case(root, actor="tester") as case:
        rows = queries.list_documents(case)
        assert len(rows) >= 8
        statuses = Counter(r.status for r in rows)
        assert len(statuses) >= 4, "a mix of statuses"
        types = {r.doc_type for r in rows}
        assert {"diplomatic_note", "export_passport", "letter", "bill_of_sale", "invoice"} <= types
        details = [queries.document_detail(case, r.id) for r in rows]
        assert all(d.sightings and d.sightings[0].source for d in details), "every document has provenance"
        assert any(len(d.sightings) > 1 for d in details), "one document was received twice"
        annotations = [a for d in details for a in d.annotations]
        assert len(annotations) >= 4
        assert any(a.kind is AnnotationKind.REDACTION for a in annotations)
        decided = [d for d in details if d.summary.status is not VerificationStatus.UNVERIFIED]
        assert decided
        assert all(d.status_note for d in decided), "every verdict has its rationale"
        scans = [
            d
            for d in details
            if d.summary.media_type == "application/pdf" and all(p.text_length == 0 for p in d.pages)
        ]
        assert scans, "scanned notes are image-only"
        assert any(d.summary.media_type == "image/jpeg" and "GPS" in str(d.file_metadata) for d in details)
        assert verify_case(case).ok
        for sighting in (s for d in details for s in d.sightings):
            assert sighting.original_path.startswith(str(demo_files_location(root)))
        links_made = [link for r in rows for link in links.links_of(case, r.id) if link.outgoing]
        assert {link.relation.value for link in links_made} >= {"replies_to", "contradicts", "references"}
        assert len(entities.watch_terms(case)) >= 3


def test_the_demo_from_the_command_line_is_read_and_searchable(
    demo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = demo_root
    assert main(["demo", str(root), "--no-window"]) == 0
    out = capsys.readouterr().out
    assert "by OCR" in out
    assert main(["search", str(root), "12-05/1174", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert {h["kind"] for h in hits} >= {"ocr", "meta"}  # the scanned notes are searchable by their words


@pytest.mark.slow
def test_a_folder_already_named_like_the_demos_files_is_left_alone(tmp_path: Path) -> None:
    root = tmp_path / "case"
    theirs = demo_files_location(root)
    theirs.mkdir()
    (theirs / "notes.txt").write_text("someone's own file")
    with build_demo_case(root, actor="tester") as case:
        paths = [
            s.original_path
            for r in queries.list_documents(case)
            for s in queries.document_detail(case, r.id).sightings
        ]
    assert (theirs / "notes.txt").read_text() == "someone's own file"
    assert sorted(p.name for p in theirs.iterdir()) == ["notes.txt"]
    assert all(p.startswith(f"{theirs}-2") for p in paths)
