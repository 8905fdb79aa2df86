"""The command line with file names that are not UTF-8 or that try to forge the terminal's output."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from reviewer.cli import main
from reviewer.core.domain.names import path_bytes, path_text, shown
from reviewer.core.services import documents, importing
from reviewer.core.services.case import open_case
from tests import filemaker
from tests.core.test_names import CP1251, HOSTILE_NAMES, RAW_CONTROL, make_hostile_folder

if TYPE_CHECKING:
    from pathlib import Path

FORGED = ("\x1b", "\r", "\u202e", "\udccf")


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([os.fspath(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_nothing_forged(text: str) -> None:
    """Only whole lines: no control character (but the newlines between lines), no bidi override."""
    for line in text.splitlines():
        assert not RAW_CONTROL.search(line), repr(line)
    assert not any(line.startswith(("break.pdf", "b.pdf")) for line in text.splitlines())


@pytest.mark.slow
def test_every_command_takes_and_shows_hostile_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case_dir = tmp_path / "case"
    folder = tmp_path / "leak"
    paths = make_hostile_folder(folder)
    assert run(capsys, "init", case_dir)[0] == 0

    # a real process, as a fact-checker runs it: its standard output is strict UTF-8
    done = subprocess.run(
        [sys.executable, "-m", "reviewer", "import", case_dir, folder, "--json", "--ocr-later"],
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    result = json.loads(done.stdout)
    assert len(result["imported"]) == 6
    assert result["failed"] == []
    assert sorted(path_bytes(i["path"]) for i in result["imported"]) == sorted(paths)

    code, out, err = run(capsys, "list", case_dir)
    assert (code, err) == (0, "")
    assert_nothing_forged(out)
    assert len(out.splitlines()) == 7
    assert '"\\xcf\\xe8\\xf1\\xfc\\xec\\xee.pdf"' in out
    assert '"line\\u000abreak.pdf"' in out
    assert '"\\u001b[2J\\u001b[31mOK.pdf"' in out
    assert '"\\u202efdp.exe"' in out

    code, out, _ = run(capsys, "list", case_dir, "--json")
    rows = json.loads(out)
    assert sorted(path_bytes(r["display_name"]) for r in rows) == sorted(HOSTILE_NAMES)
    ids = {path_bytes(r["display_name"]): r["id"] for r in rows}

    for name in (CP1251, b"line\nbreak.pdf", "\u202efdp.exe".encode()):
        code, out, err = run(capsys, "show", case_dir, str(ids[name]))
        assert (code, err) == (0, "")
        assert_nothing_forged(out)
        assert f"document {ids[name]}: {shown(path_text(name))}\n" in out
        code, out, _ = run(capsys, "show", case_dir, str(ids[name]), "--json")
        detail = json.loads(out)
        [sighting] = detail["sightings"]
        assert path_bytes(sighting["original_path"]) == os.path.join(os.fsencode(folder), name)
        assert path_bytes(detail["custody"][0]["after"]["path"]) == os.path.join(os.fsencode(folder), name)

    code, out, err = run(capsys, "verify", case_dir)
    assert (code, err) == (0, "")
    assert "6 original(s)" in out

    bundle = tmp_path / "bundle"
    code, out, err = run(capsys, "export", case_dir, bundle)
    assert (code, err) == (0, ""), err
    assert_nothing_forged(out)
    for member in (bundle / "data").rglob("*"):
        assert not RAW_CONTROL.search(member.name), member.name
    code, out, err = run(capsys, "verify", bundle)
    assert (code, err) == (0, ""), out

    other = tmp_path / "other"
    run(capsys, "init", other)
    code, out, err = run(capsys, "import-bundle", other, bundle)
    assert (code, err) == (0, ""), out
    assert_nothing_forged(out)
    code, out, _ = run(capsys, "list", other, "--json")
    carried = set()
    for row in json.loads(out):
        code, out, _ = run(capsys, "show", other, str(row["id"]), "--json")
        carried |= {path_bytes(s["original_path"]) for s in json.loads(out)["sightings"]}
    assert set(paths) <= carried  # the sightings travel with the bundle, exact bytes and all


def test_import_lines_and_refusals_show_escaped_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case_dir = tmp_path / "case"
    run(capsys, "init", case_dir)
    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    made = filemaker.make_text_pdf(tmp_path / "in" / "made.pdf")
    os.rename(made, os.path.join(folder, b"\xcf\xe8 a\nb.pdf"))
    with open(os.path.join(folder, "\x1b[31mempty\u202e.pdf".encode()), "wb"):
        pass
    missing = os.fsdecode(os.path.join(folder, b"\xff\rgone.pdf"))
    code, out, err = run(capsys, "import", case_dir, os.fsdecode(folder), missing, "--ocr-later")
    assert code == 1
    assert err == ""
    assert_nothing_forged(out)
    assert 'p.  "/' in out
    assert '\\xcf\\xe8 a\\u000ab.pdf"' in out
    assert '\\u001b[31mempty\\u202e.pdf": the file is empty (0 bytes)' in out
    assert '\\xff\\u000dgone.pdf": no such file or folder' in out

    code, out, err = run(capsys, "import", case_dir, missing, "--json", "--ocr-later")
    assert code == 1
    [failed] = json.loads(out)["failed"]
    assert path_bytes(failed["path"]) == os.fsencode(missing)


def _closed_reader(command: list[str | Path]) -> subprocess.CompletedProcess[bytes]:
    """Run ``command`` with its standard output a pipe nobody reads any more (``| head`` gone)."""
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        process.stdout.close()
        _, err = process.communicate(timeout=300)
    return subprocess.CompletedProcess(command, process.returncode, b"", err)


@pytest.mark.slow
def test_output_piped_into_a_reader_that_stops_ends_quietly(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for seed in range(40):
        filemaker.make_text_pdf(folder / f"{seed:03d}.pdf", seed=seed, title=f"doc {seed}")
    case_dir = tmp_path / "case"
    assert main(["init", str(case_dir)]) == 0
    with open_case(case_dir) as case:
        report = importing.import_paths(case, [folder])
        assert len(report.imported) == 40
        for item in report.imported:  # more than a pipe holds (64 KiB), so `head` leaves mid-way
            documents.set_metadata(case, item.id, {"title": f"letter {item.id} " + "x" * 2000})
    cli = [sys.executable, "-m", "reviewer"]

    done = _closed_reader([*cli, "list", case_dir])
    assert done.stderr == b""
    assert done.returncode in (0, 141)
    done = _closed_reader([*cli, "list", case_dir, "--json"])
    assert done.stderr == b""

    listing = shlex.join([*cli, "list", str(case_dir)])
    shell = subprocess.run(
        f"{listing} | head -1; {listing} | grep -q letter",
        shell=True,
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert shell.stderr == b""
    assert shell.stdout.startswith(b"   id  sha256")
    assert shell.returncode == 0
