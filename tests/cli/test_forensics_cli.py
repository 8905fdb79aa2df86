"""``reviewer forensics``: signals, revisions, near-identical pages and region matches, as text and JSON."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from reviewer.cli import main
from reviewer.core.domain.values import Rect
from reviewer.core.services import documents
from reviewer.core.services.case import create_case
from reviewer.core.services.importing import import_paths
from tests import filemaker
from tests import forensics_files as ff

if TYPE_CHECKING:
    from pathlib import Path

ORIGIN = (420.0, 640.0)
HALF = 470 / 300 * 72 / 2 + 2


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def case_root(tmp_path: Path) -> tuple[Path, str]:
    """A case with an incrementally updated PDF (1) and two stamped scans (2, 3); the stamp annotated on 2."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    stamp = ff.ministry_stamp()
    files = [
        filemaker.make_incremental_pdf(inbox / "inc.pdf"),
        ff.make_stamped_scan(inbox / "a.pdf", [ff.Placement(stamp, ORIGIN)], seed=1),
        ff.make_stamped_scan(inbox / "b.pdf", [ff.Placement(stamp, (160, 300), 0.85, 4.0)], seed=2),
    ]
    root = tmp_path / "case"
    with create_case(root, actor="tester") as case:
        for path in files:
            import_paths(case, [path])
        rect = Rect(ORIGIN[0] - HALF, ORIGIN[1] - HALF, ORIGIN[0] + HALF, ORIGIN[1] + HALF)
        annotation = documents.add_annotation(case, 2, page=1, rect=rect, note="stamp")
    return root, annotation.id


def test_signals_and_revisions_as_text(
    capsys: pytest.CaptureFixture[str], case_root: tuple[Path, str]
) -> None:
    root, _ = case_root
    code, out, err = run(capsys, "forensics", root, "1")
    assert code == 0, err
    assert "do not decide a verdict" in out
    assert "notice" in out
    assert "[pdf.incremental_updates]" in out
    assert "2 revisions" in out
    assert "revision 2: first" in out


def test_json_with_region_matches(capsys: pytest.CaptureFixture[str], case_root: tuple[Path, str]) -> None:
    root, annotation = case_root
    code, out, err = run(capsys, "forensics", root, "2", "--json", "--region", annotation)
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {
        "doc",
        "computed_at",
        "worst",
        "signals",
        "revisions",
        "near_identical_pages",
        "region_matches",
        "annotated_regions",
    }
    assert data["doc"] == 2
    assert all(r["phash"] for r in data["annotated_regions"])  # every annotated region is hashed
    assert data["worst"] == "info"
    assert {"code", "severity", "title", "explanation", "value", "page"} <= set(data["signals"][0])
    [match] = data["region_matches"]
    assert (match["document_id"], match["page"]) == (3, 1)
    assert match["scale"] == pytest.approx(0.85, abs=0.06)
    assert match["annotation_id"] == annotation
    code, out, _ = run(capsys, "forensics", root, "1", "--json")
    assert "region_matches" not in json.loads(out)
    assert [r["number"] for r in json.loads(out)["revisions"]] == [1, 2]


def test_revision_and_error_levels_written_to_files(
    capsys: pytest.CaptureFixture[str], case_root: tuple[Path, str], tmp_path: Path
) -> None:
    root, _ = case_root
    out_pdf = tmp_path / "rev1.pdf"
    code, out, err = run(capsys, "forensics", root, "1", "--revision", "1", "--out", out_pdf)
    assert code == 0, err
    assert out_pdf.read_bytes().startswith(b"%PDF")
    assert "revision 1 written" in out
    png = tmp_path / "ela.png"
    code, out, err = run(capsys, "forensics", root, "2", "--ela", "1", "--out", png)
    assert code == 0, err
    with Image.open(io.BytesIO(png.read_bytes())) as image:
        assert image.format == "PNG"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--revision", "1"], "give --out FILE"),
        (["--out", "x.pdf"], "--out goes with"),
        (["--revision", "9", "--out", "{tmp}/r.pdf"], "revision 9 does not exist"),
        (["--region", "no-such-annotation"], "no annotation"),
    ],
)
def test_bad_requests_are_one_line_errors(
    capsys: pytest.CaptureFixture[str],
    case_root: tuple[Path, str],
    tmp_path: Path,
    extra: list[str],
    message: str,
) -> None:
    root, _ = case_root
    code, _, err = run(capsys, "forensics", root, "1", *[e.format(tmp=tmp_path) for e in extra])
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
