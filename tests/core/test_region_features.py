"""Region features built ahead (issue 14, "region features … are jobs"): the keypoints region search
reads, kept in derived/ before anyone searches, on a local and a shared case.

Real scans with a stamp (tests/region_files.py), real worker processes, real files in derived/.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

import numpy as np
import pytest
from sqlalchemy import func, select

from reviewer.cli import main
from reviewer.core.domain.values import Rect
from reviewer.core.forensics import region_match
from reviewer.core.ingest.forensic_work import features_current, load_features
from reviewer.core.services import documents
from reviewer.core.services.importing import import_paths
from reviewer.core.services.region_features import build_region_features, ensure_region_features
from reviewer.core.services.region_search import find_region_elsewhere
from reviewer.core.storage.orm import CustodyEvent, Document
from tests import region_files as rf

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case


def kept_files(case: Case, document_id: int) -> dict[int, tuple[int, int]]:
    """Each page's kept features file: (inode, mtime in ns), by page."""
    with case.db.reading() as session:
        sha256, count = session.execute(
            select(Document.sha256, Document.page_count).where(Document.id == document_id)
        ).one()
    found = {}
    for n in range(1, count + 1):
        path = case.layout.region_features(sha256, n)
        if path.exists():
            found[n] = (path.stat().st_ino, path.stat().st_mtime_ns)
    return found


def custody_count(case: Case) -> int:
    with case.db.reading() as session:
        return int(session.execute(select(func.count()).select_from(CustodyEvent)).scalar_one())


def import_one(case: Case, path: Path) -> int:
    report = import_paths(case, [path])
    assert len(report.imported) == 1, report
    return report.imported[0].id


@pytest.mark.slow
def test_features_built_ahead_then_a_region_search_only_matches(any_case: Case, tmp_path: Path) -> None:
    scan = rf.write_scan_pdf(tmp_path / "scan.pdf", rf.stamped_scan(1))
    other = rf.write_scan_pdf(tmp_path / "other.pdf", rf.stamped_scan(2, at=(200.0, 300.0)))
    first, second = import_one(any_case, scan), import_one(any_case, other)
    entries = custody_count(any_case)

    reports = build_region_features(any_case, processes=2)
    assert [(r.document_id, r.built, r.current, r.failed) for r in reports] == [
        (first, 1, 0, ()),
        (second, 1, 0, ()),
    ]
    kept = {d: kept_files(any_case, d) for d in (first, second)}
    assert all(len(pages) == 1 for pages in kept.values())
    assert custody_count(any_case) == entries  # derived data: nothing on the log

    # asked again: every page current, no file written again
    again = ensure_region_features(any_case, second)
    assert (again.built, again.current) == (0, 1)
    assert {d: kept_files(any_case, d) for d in (first, second)} == kept

    x0, y0, x1, y1 = (v * 72 / rf.SCAN_DPI for v in rf.stamp_box())
    stamp = documents.add_annotation(any_case, first, page=1, rect=Rect(x0, y0, x1, y1), note="stamp")
    [hit] = find_region_elsewhere(any_case, stamp.id, processes=1)
    assert hit.document_id == second
    # the search read the kept keypoints: none of them was built (written) again
    assert {d: kept_files(any_case, d) for d in (first, second)} == kept


def test_outdated_or_damaged_features_are_built_again(any_case: Case, tmp_path: Path) -> None:
    scan = rf.write_scan_pdf(tmp_path / "scan.pdf", rf.scan(3))
    document = import_one(any_case, scan)
    assert ensure_region_features(any_case, document).built == 1
    with any_case.db.reading() as session:
        sha256 = session.execute(select(Document.sha256).where(Document.id == document)).scalar_one()
    path = any_case.layout.region_features(sha256, 1)
    good = path.read_bytes()
    assert features_current(path)

    # another version's keypoints (what a FEATURES_VERSION bump leaves behind)
    with np.load(path) as kept:
        members = {name: kept[name] for name in kept.files}
    members["version"] = np.array(region_match.FEATURES_VERSION - 1)
    buffer = io.BytesIO()
    np.savez(buffer, **members)
    path.write_bytes(buffer.getvalue())
    assert not features_current(path)
    assert load_features(path) is None
    assert ensure_region_features(any_case, document).built == 1
    assert features_current(path)

    # a file cut short (a disk gone full on the shared storage): read as none, not a crashed search
    path.write_bytes(good[: len(good) // 3])
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(path)
    assert load_features(path) is None  # was an uncaught BadZipFile: the search's batch failed
    assert not features_current(path)
    report = ensure_region_features(any_case, document)
    assert (report.built, report.failed) == (1, ())
    assert load_features(path) is not None


def test_the_features_command_on_a_local_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "case"
    assert main(["init", str(root), "--title", "Stamps"]) == 0
    rf.write_scan_pdf(tmp_path / "scan.pdf", rf.scan(4))
    assert main(["import", str(root), str(tmp_path / "scan.pdf")]) == 0
    capsys.readouterr()

    # --workers queue on a local case: one usage line, nothing built
    assert main(["features", str(root), "--workers", "queue"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "is a local case" in err
    assert not list((root / "derived").rglob("features-*.npz"))

    assert main(["features", str(root), "1"]) == 0
    out = capsys.readouterr().out
    assert "region features of 1 document(s): 1 page(s) built, 0 current already" in out
    assert main(["features", str(root), "--workers", "here"]) == 0
    assert "0 page(s) built, 1 current already" in capsys.readouterr().out
    assert main(["features", str(root), "99"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
