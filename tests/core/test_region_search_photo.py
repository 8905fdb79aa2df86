"""Region search through the service: a stamp annotated on a 200-dpi scan, found on a phone photo of
another letter imported as a JPEG whose header claims 72 dpi (its page is huge in points: sizes are
measured in pixels), tilted and recompressed; Compare's un-warped copy lies over the annotated stamp."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pytest

from reviewer.core.domain.values import Rect
from reviewer.core.services import documents
from reviewer.core.services.case import create_case
from reviewer.core.services.forensics import region_pixels
from reviewer.core.services.importing import import_paths
from reviewer.core.services.region_search import MatchQuality, find_region_elsewhere, unwarped_region
from tests import region_files as rf

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.slow
def test_a_stamp_on_a_scan_is_found_on_a_tilted_photo_of_another_letter(tmp_path: Path) -> None:
    scan = rf.write_scan_pdf(tmp_path / "scan.pdf", rf.stamped_scan(1))
    photo = rf.Photo(scale=0.4, angle=12, tilt=25, quality=60, dpi=72)
    truth = rf.write_photo(tmp_path / "photo.jpg", 11, photo)
    plain = rf.write_scan_pdf(tmp_path / "plain.pdf", rf.scan(6))
    with create_case(tmp_path / "case", title="Stamps", actor="tester") as case:
        ids = []
        for path in (scan, tmp_path / "photo.jpg", plain):
            report = import_paths(case, [path])
            assert len(report.imported) == 1, report
            ids.append(report.imported[0].id)
        x0, y0, x1, y1 = (v * 72 / rf.SCAN_DPI for v in rf.stamp_box())
        stamp = documents.add_annotation(
            case, ids[0], page=1, rect=Rect(x0, y0, x1, y1), note="Ministry stamp"
        )

        failed: list[str] = []
        [hit] = find_region_elsewhere(case, stamp.id, failed=failed)
        assert failed == []
        assert hit.document_id == ids[1]
        # the photo's page is in points of a 72-dpi header: one point a pixel
        cx, cy = (hit.rect[0] + hit.rect[2]) / 2, (hit.rect[1] + hit.rect[3]) / 2
        assert abs(cx - truth.centre[0]) < 0.1 * rf.STAMP_PX * truth.scale
        assert abs(cy - truth.centre[1]) < 0.1 * rf.STAMP_PX * truth.scale
        assert hit.scale == pytest.approx(truth.scale, rel=0.06)  # pixels against pixels, not points
        assert hit.angle == pytest.approx(12, abs=1.5)
        assert hit.slant > 1.05
        assert hit.quality in (MatchQuality.STRONG, MatchQuality.GOOD)

        # the same search again gives the same hit, from the keypoints kept in derived/
        assert find_region_elsewhere(case, stamp.id) == [hit]

        box = (x0, y0, x1, y1)
        left = region_pixels(case, ids[0], 1, box, 150.0, grey=False).array().astype(np.float64)
        back = unwarped_region(case, hit.document_id, hit.page, hit.homography, box, 150.0).array()
        assert back.shape == left.shape
        a, b = left.mean(axis=2).ravel(), back.astype(np.float64).mean(axis=2).ravel()
        assert np.corrcoef(a, b)[0, 1] > 0.6
