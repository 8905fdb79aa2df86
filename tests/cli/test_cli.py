"""The command line, as a script would drive it: output, JSON shapes and exit codes."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from reviewer.cli import main
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# Flows whose code is the same on both backends (argument checks, the progress bar) stay local.
SQLITE_ONLY = pytest.mark.parametrize("any_case_root", ["sqlite"], indirect=True)


@pytest.fixture
def case_dir(capsys: pytest.CaptureFixture[str], any_case_root: Path) -> Path:
    """A case made by ``reviewer init``: local (SQLite) or shared (PostgreSQL), but SQLITE_ONLY tests."""
    assert "Leak 42" in capsys.readouterr().out
    return any_case_root


def test_import_json_and_exit_codes(case_dir: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    pdf = filemaker.make_text_pdf(inbox / "note.pdf", pages=2)
    (inbox / "copy.pdf").write_bytes(pdf.read_bytes())
    (inbox / "empty.pdf").write_bytes(b"")
    command = [
        sys.executable,
        "-m",
        "reviewer",
        "import",
        str(case_dir),
        str(inbox),
        "--json",
        "--source",
        "Telegram",
        "--received",
        "2026-11-01",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    result = json.loads(done.stdout)
    assert set(result) == {"imported", "duplicates", "failed", "reading"}
    assert result["reading"]["pages"] == 2  # the new document's pages were read (and OCR'd if needed)
    [imported] = result["imported"]
    assert set(imported) == {"id", "sha256", "path", "pages", "warnings", "locked"}
    assert imported["pages"] == 2
    assert imported["warnings"] == []
    assert imported["locked"] is False
    [duplicate] = result["duplicates"]
    assert set(duplicate) == {"id", "sha256", "path"}
    assert duplicate["sha256"] == imported["sha256"]
    assert result["failed"] == [{"path": str(inbox / "empty.pdf"), "error": "the file is empty (0 bytes)"}]

    again = subprocess.run(
        [sys.executable, "-m", "reviewer", "import", str(case_dir), str(pdf), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert again.returncode == 0
    assert json.loads(again.stdout)["duplicates"][0]["id"] == imported["id"]


def test_a_whole_session(case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = filemaker.make_text_pdf(tmp_path / "note.pdf", pages=2)
    assert run(capsys, "import", case_dir, pdf)[0] == 0

    code, out, _ = run(capsys, "list", case_dir, "--json")
    [row] = json.loads(out)
    doc = str(row["id"])
    prefix = row["sha256"][:8]
    assert row["status"] == "unverified"

    assert run(capsys, "tag", case_dir, doc, "МИД", "stamp")[0] == 0
    assert run(capsys, "tag", case_dir, prefix, "stamp", "--remove")[0] == 0
    code, out, _ = run(capsys, "status", case_dir, doc, "in_review", "--note", "letterhead checked")
    assert (code, out.strip()) == (0, f"document {doc} is now in_review")
    code, out, _ = run(
        capsys,
        "annotate",
        case_dir,
        doc,
        "--page",
        "2",
        "--rect",
        "10,20,110,60",
        "--note",
        "stamp",
        "--kind",
        "note",
        "--tag",
        "seal",
        "--json",
    )
    annotation = json.loads(out)
    assert (annotation["page"], annotation["x0"], annotation["y1"], annotation["tags"]) == (
        2,
        10,
        60,
        ["seal"],
    )
    code, out, _ = run(
        capsys, "meta", case_dir, doc, "type=diplomatic note", "date=2019-03-12", "vessel=Ocean Star"
    )
    assert code == 0
    assert "type = diplomatic_note" in out

    code, out, _ = run(capsys, "show", case_dir, prefix, "--json")
    detail = json.loads(out)
    assert detail["summary"]["tags"] == ["МИД"]
    assert detail["summary"]["status"] == "in_review"
    assert detail["status_note"] == "letterhead checked"
    assert detail["fields"]["type"] == "diplomatic_note"
    assert detail["free_fields"] == {"vessel": "Ocean Star"}
    assert [p["text_length"] > 0 for p in detail["pages"]] == [True, True]
    assert len(detail["sightings"]) == 1
    assert [e["action"] for e in detail["custody"]] == [
        "imported",
        "tag_added",
        "tag_removed",
        "status_changed",
        "annotation_added",
        "metadata_changed",
        "metadata_changed",
        "metadata_changed",
    ]
    code, out, _ = run(capsys, "show", case_dir, doc)
    assert "status            in_review: letterhead checked" in out
    assert "custody log:" in out

    code, out, _ = run(capsys, "verify", case_dir)
    assert code == 0
    assert "all as recorded" in out


USAGE_ERRORS = [
    (["status", "{case}", "1", "genuine", "--note", "x"], "use one of: unverified, in_review"),
    (["status", "{case}", "99", "verified", "--note", "x"], "no document '99'"),
    (["annotate", "{case}", "1", "--page", "1", "--rect", "1,2,3"], "four numbers"),
    (["annotate", "{case}", "1", "--page", "9", "--rect", "1,2,3,4"], "pages 1 to 1"),
    (["annotate", "{case}", "1", "--page", "1", "--rect", "1,2,3,4", "--kind", "x"], "note or redaction"),
    (["meta", "{case}", "1", "title"], "FIELD=VALUE"),
    (["meta", "{case}", "1", "date=yesterday"], "YYYY-MM-DD"),
    (["import", "{case}", "x.pdf", "--received", "1.11.2026"], "YYYY-MM-DD"),
    (["list", "{missing}"], "no reviewer case"),
    (["init", "{case}"], "already a case"),
    (["show", "{case}", "abc"], "at least 8 hex digits"),
    (["show", "{case}", "deadbeef00"], "no document"),
]
# The refusals that look in the case's database (a document, its pages, a SHA-256 prefix, the case
# itself) also run on a shared case; the rest are argument checks, the same code whatever the case.
ON_A_SERVER_TOO = {"no document '99'", "pages 1 to 1", "no document", "already a case"}


@pytest.mark.parametrize(
    ("args", "message", "any_case_root"),
    [(*error, "sqlite") for error in USAGE_ERRORS]
    + [(*error, "postgres") for error in USAGE_ERRORS if error[1] in ON_A_SERVER_TOO],
    indirect=["any_case_root"],
)
def test_usage_errors_are_one_line_and_exit_2(
    case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert run(capsys, "import", case_dir, filemaker.make_text_pdf(tmp_path / "a.pdf"))[0] == 0
    argv = [a.format(case=case_dir, missing=tmp_path / "nowhere") for a in args]
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert out == ""


def test_argparse_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["status", "case", "1", "verified"])  # --note is required
    assert exit_info.value.code == 2
    assert "--note" in capsys.readouterr().err


def test_verify_fails_on_an_altered_original(
    case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "import", case_dir, filemaker.make_text_pdf(tmp_path / "a.pdf"))
    [stored] = [p for p in (case_dir / "originals").rglob("*") if p.is_file()]
    stored.chmod(0o644)
    stored.write_bytes(stored.read_bytes() + b"%")
    stored.chmod(0o444)
    code, out, _ = run(capsys, "verify", case_dir)
    assert code == 1
    assert "was altered" in out
    code, out, _ = run(capsys, "verify", case_dir, "--json")
    assert code == 1
    assert json.loads(out)["problems"][0]["document_id"] == 1


@SQLITE_ONLY
def test_no_progress_bar_when_not_on_a_terminal(
    case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "import", case_dir, filemaker.make_text_pdf(tmp_path / "a.pdf"))
    assert code == 0
    assert err == ""


@SQLITE_ONLY
def test_progress_bar_on_a_terminal(case_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    for i in range(3):
        filemaker.make_text_pdf(tmp_path / "in" / f"{i}.pdf", seed=i)
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "reviewer", "import", str(case_dir), str(tmp_path / "in")],
            stderr=terminal,
            stdout=subprocess.PIPE,
            text=True,
            timeout=300,
            check=False,
        )
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
    assert done.returncode == 0
    text = shown.decode()
    assert "\r[" in text
    assert "3/3" in text
    assert "new 3" in text


def test_export_to_a_name_ending_in_zip_writes_a_zip(
    case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import zipfile

    pdf = filemaker.make_text_pdf(tmp_path / "note.pdf")
    assert run(capsys, "import", case_dir, pdf, "--ocr", "never")[0] == 0
    out = tmp_path / "bundles" / "Bundle.ZIP"
    code, _out, err = run(capsys, "export", case_dir, out)  # no --zip
    assert code == 0, err
    assert out.is_file()
    assert zipfile.is_zipfile(out)
    assert run(capsys, "verify", out)[0] == 0
    named = tmp_path / "bundles" / "bundle.bag"
    assert run(capsys, "export", case_dir, named, "--zip")[0] == 0
    assert named.is_file()  # --zip with another name: the zip is written under the name given
    assert zipfile.is_zipfile(named)
    assert sorted(p.name for p in out.parent.iterdir()) == ["Bundle.ZIP", "bundle.bag"]


def test_a_command_run_as_a_program_collects_rarely_and_leaves_the_rest_to_its_end(tmp_path: Path) -> None:
    """``reviewer`` and ``python -m reviewer`` run ``run``: Python's collector, made for long lives, cost
    a command ~0.15 s of its start and its exit. What is left when it returns is frozen (skipped by
    the interpreter's last collections); collections are rarer meanwhile."""
    script = (
        "import gc, sys\n"
        "from reviewer.cli import COMMAND_GC_THRESHOLD, run\n"
        "sys.argv = ['reviewer', 'init', sys.argv[1]]\n"
        "status = run()\n"
        "print(status, gc.get_threshold()[0] == COMMAND_GC_THRESHOLD, gc.get_freeze_count() > 1000)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "case")], capture_output=True, text=True, check=True
    )
    assert done.stdout.split()[-3:] == ["0", "True", "True"]
    assert (tmp_path / "case").is_dir()


def test_the_window_gets_pythons_collector_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """The window is a long life: small, frequent collections, as Python has them by default."""
    import gc

    from reviewer.cli import COMMAND_GC_THRESHOLD
    from reviewer.cli import case as case_commands

    python_default = subprocess.run(
        [sys.executable, "-c", "import gc; print(gc.get_threshold()[0])"], capture_output=True, text=True
    ).stdout.strip()
    seen: list[int] = []
    monkeypatch.setattr(case_commands, "open_window", lambda **_: seen.append(gc.get_threshold()[0]) or 0)
    before = gc.get_threshold()
    gc.set_threshold(COMMAND_GC_THRESHOLD)
    try:
        assert main([]) == 0
    finally:
        gc.set_threshold(*before)
    assert seen == [int(python_default)] != [COMMAND_GC_THRESHOLD]
