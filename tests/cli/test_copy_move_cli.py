"""``reviewer forensics DOC --copy-move [--page N]`` and the error levels of the real JPEG, end to end.

Through the service and a real worker process; the findings are stored as signals beside the others.
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from reviewer.cli import main
from reviewer.core.services import forensics
from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.importing import import_paths
from tests import filemaker
from tests.copy_move_files import cloned, scan_pdf, signed_scan

if TYPE_CHECKING:
    from pathlib import Path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def case_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case with a scan whose signature was cloned (1), the same scan untouched (2), a typed letter (3)."""
    folder = tmp_path_factory.mktemp("copies")
    files = [
        scan_pdf(folder / "cloned.pdf", cloned(signed_scan())),
        scan_pdf(folder / "signed.pdf", signed_scan()),
        filemaker.make_text_pdf(folder / "typed.pdf", pages=2),
    ]
    root = folder / "case"
    with create_case(root, actor="tester") as case:
        for path in files:
            import_paths(case, [path])
    return root


@pytest.mark.slow
def test_a_cloned_signature_is_found_stored_and_kept(
    capsys: pytest.CaptureFixture[str], case_root: Path
) -> None:
    code, out, err = run(capsys, "forensics", case_root, "1", "--copy-move", "--page", "1")
    assert code == 0, err
    assert "warning" in out
    assert "Page 1: two regions are copies of each other  [image.copy_move]" in out
    code, out, err = run(capsys, "forensics", case_root, "1", "--copy-move", "--json")
    assert code == 0, err
    data = json.loads(out)
    [found] = data["copy_move"]
    assert data["pages"] == [1]
    assert found["page"] == 1
    first, second = sorted([found["value"]["source"], found["value"]["copy"]])
    # the signature at 200 dpi: (200, 1500)-(560, 1640) pixels, pasted 820 pixels to the right
    assert first[0] == pytest.approx(200 * 0.36, abs=10)
    assert second[0] == pytest.approx(1020 * 0.36, abs=10)
    with open_case(case_root) as case:
        stored = [s for s in forensics.forensics_of(case, 1).signals if s.code == "image.copy_move"]
        assert len(stored) == 1  # looked at twice, kept once
        assert stored[0].page == 1
        # the import-time checks run again keep what was looked for on demand
        assert forensics.ensure_forensics(case, 1, force=True)
        assert [s.code for s in forensics.forensics_of(case, 1).signals].count("image.copy_move") == 1


@pytest.mark.slow
def test_clean_pages_have_no_copies(capsys: pytest.CaptureFixture[str], case_root: Path) -> None:
    code, out, err = run(capsys, "forensics", case_root, "2", "--copy-move")
    assert code == 0, err
    assert "no copied regions found on page 1" in out
    code, out, err = run(capsys, "forensics", case_root, "3", "--copy-move")
    assert code == 0, err
    assert "no copied regions found on 2 pages" in out
    with open_case(case_root) as case:
        assert not [s for s in forensics.forensics_of(case, 2).signals if s.code == "image.copy_move"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--copy-move", "--page", "9"], "the document has pages 1 to 1, not 9"),
        (["--page", "1"], "--page goes with --copy-move"),
        (["--copy-move", "--ela", "1", "--out", "x.png"], "--copy-move goes alone"),
    ],
)
def test_bad_requests_are_one_line(
    capsys: pytest.CaptureFixture[str], case_root: Path, extra: list[str], message: str
) -> None:
    code, _, err = run(capsys, "forensics", case_root, "2", *extra)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_error_levels_say_they_are_the_jpegs_own(
    capsys: pytest.CaptureFixture[str], case_root: Path, tmp_path: Path
) -> None:
    target = tmp_path / "levels.png"
    code, out, err = run(capsys, "forensics", case_root, "2", "--ela", "1", "--out", target)
    assert code == 0, err
    assert "error levels of the JPEG(s) on page 1 (1653×2339 px)" in out
    with Image.open(io.BytesIO(target.read_bytes())) as image:
        assert image.size == (1653, 2339)  # the page at the scan's own 200 dpi
    code, out, err = run(capsys, "forensics", case_root, "3", "--ela", "1", "--out", tmp_path / "typed.png")
    assert code == 0, err
    assert "as drawn (it has no JPEG)" in out
    code, _, err = run(capsys, "forensics", case_root, "2", "--ela", "1", "--out", target)
    assert code == 2
    assert "already exists" in err
