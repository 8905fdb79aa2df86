"""`reviewer import` keeps an encrypted file locked, `reviewer unlock` opens it, in real processes."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path

PASSWORD = "Ключ-42-secret"


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The command line in a real process, as a script drives it."""
    done = subprocess.run(
        [sys.executable, "-m", "reviewer", *[str(a) for a in args]],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in done.stderr
    assert "unexpected error" not in done.stderr
    return done


@pytest.mark.slow
def test_import_locked_then_unlock(tmp_path: Path) -> None:
    locked = filemaker.make_encrypted_pdf(tmp_path / "locked.pdf", user_password=PASSWORD)
    plain = filemaker.make_text_pdf(tmp_path / "plain.pdf")
    root = tmp_path / "case"
    assert cli("init", root).returncode == 0

    done = cli("import", root, locked, plain, "--ocr", "never")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    [line] = [x for x in lines if x.startswith("locked ")]
    assert line.split()[1] == "1"
    assert line.endswith(str(locked))
    assert "2 imported (1 locked), 0 already in the case, 0 refused" in lines
    assert cli("verify", root).returncode == 0

    listed = json.loads(cli("list", root, "--json").stdout)
    assert [row["locked"] for row in listed] == [True, False]

    for args in (
        ("show", root, "1"),
        ("annotate", root, "1", "--page", "1", "--rect", "1,1,20,20"),
        ("ocr", root, "1"),
        ("forensics", root, "1"),
    ):
        done = cli(*args)
        assert done.returncode == 1, args
        assert done.stderr.strip().splitlines() == [
            "reviewer: error: document 1 is locked; unlock it with: reviewer unlock CASE 1 --password PW"
        ], args
    shown = cli("show", root, "1")
    assert "imported locked: encrypted, password not known" in shown.stdout  # what is known is shown

    db = (root / "reviewer.sqlite").read_bytes()
    done = cli("unlock", root, "1", "--password", "wrong")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "reviewer: error: the password does not open document 1; nothing was changed"
    ]
    assert (root / "reviewer.sqlite").read_bytes() == db, "a wrong password changes nothing"
    assert cli("unlock", root, "1").returncode == 2, "--password is required"

    done = cli("unlock", root, "1", "--password", PASSWORD, "--ocr", "never", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["unlocked"]["pages"] == 2
    assert result["reading"]["pages"] == 2
    assert PASSWORD not in done.stdout
    assert cli("verify", root).returncode == 0
    found = json.loads(cli("search", root, "Encrypted", "--json").stdout)
    assert {hit["doc"] for hit in found} == {1}
    detail = json.loads(cli("show", root, "1", "--json").stdout)
    assert detail["summary"]["page_count"] == 2
    [entry] = [e for e in detail["custody"] if e["action"] == "unlocked"]
    assert PASSWORD not in json.dumps(entry, ensure_ascii=False)
    assert cli("annotate", root, "1", "--page", "1", "--rect", "10,10,90,50").returncode == 0
    again = cli("unlock", root, "1", "--password", PASSWORD)
    assert again.returncode == 0
    assert "not locked" in again.stdout


def test_import_json_flags_the_locked_item(tmp_path: Path) -> None:
    locked = filemaker.make_encrypted_pdf(tmp_path / "locked.pdf", user_password=PASSWORD)
    root = tmp_path / "case"
    assert cli("init", root).returncode == 0
    done = cli("import", root, locked, "--password", "guess", "--json")
    assert done.returncode == 0, done.stderr
    [item] = json.loads(done.stdout)["imported"]
    assert item["locked"] is True
    assert item["pages"] == 0
