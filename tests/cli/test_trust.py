"""``reviewer trust``: the case's trust roots, their custody entries, and signatures checked again."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import select

from reviewer.cli import main
from reviewer.core.services.case import open_case
from reviewer.core.storage.orm import CustodyEvent
from tests.core.forensics import pki as test_pki

if TYPE_CHECKING:
    from pathlib import Path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def signal_codes(capsys: pytest.CaptureFixture[str], case: Path, doc: str) -> dict[str, Any]:
    code, out, err = run(capsys, "forensics", case, doc, "--json")
    assert code == 0, err
    return {s["code"]: s for s in json.loads(out)["signals"]}


@pytest.fixture
def signed_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, test_pki.TestPki]:
    pki = test_pki.make_pki()
    inbox = tmp_path / "in"
    inbox.mkdir()
    test_pki.signed_pdf(pki, inbox)
    (inbox / "plain-signed.pdf").unlink()  # only the signed file is imported
    test_pki.c2pa_jpeg(pki, inbox / "photo.jpg")
    (inbox / "plain-photo.jpg").unlink()
    case = tmp_path / "case"
    assert run(capsys, "init", case)[0] == 0
    code, _, err = run(capsys, "import", case, inbox, "--ocr", "never")
    assert code == 0, err
    return case, pki


def test_trust_add_list_remove(
    signed_case: tuple[Path, test_pki.TestPki], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case, pki = signed_case
    code, out, _ = run(capsys, "trust", case, "list")
    assert code == 0
    assert "no trust roots" in out
    photo, pdf = "1", "2"  # imported in name order: photo.jpg, signed.pdf
    before = signal_codes(capsys, case, pdf)
    assert "pdf.signature_untrusted" in before
    assert "pdf.signature_valid" not in before
    assert "image.c2pa_untrusted" in signal_codes(capsys, case, photo)

    root = pki.write_root(tmp_path / "root.cer", der=True)
    code, out, err = run(capsys, "trust", case, "add", root, "--json")
    assert code == 0, err
    added = json.loads(out)
    fingerprint = added["added"]["fingerprint"]
    assert "Test Root CA" in added["added"]["subject"]
    assert sorted(added["rechecked"]) == [1, 2]
    assert (case / "trust" / f"{fingerprint}.pem").is_file()
    after = signal_codes(capsys, case, pdf)
    assert after["pdf.signature_valid"]["value"]["trusted"] is True
    assert "pdf.signature_untrusted" not in after
    assert "image.c2pa_valid" in signal_codes(capsys, case, photo)

    code, out, _ = run(capsys, "trust", case, "list", "--json")
    assert code == 0
    assert [r["fingerprint"] for r in json.loads(out)] == [fingerprint]
    code, out, _ = run(capsys, "trust", case, "list")
    assert fingerprint[:16] in out
    assert "Test Root CA" in out

    code, out, err = run(capsys, "trust", case, "remove", fingerprint[:12])
    assert code == 0, err
    assert "removed" in out
    assert not (case / "trust" / f"{fingerprint}.pem").exists()
    kept = list((case / "trust" / "removed").iterdir())  # moved aside, never deleted
    assert len(kept) == 1
    assert kept[0].name.startswith(fingerprint)
    assert "pdf.signature_untrusted" in signal_codes(capsys, case, pdf)

    with open_case(case) as opened, opened.db.reading() as session:
        events = session.scalars(
            select(CustodyEvent).where(CustodyEvent.action.startswith("trust_root")).order_by(CustodyEvent.id)
        ).all()
        assert [e.action for e in events] == ["trust_root_added", "trust_root_removed"]
        assert all(e.document_id is None for e in events)
        assert all(fingerprint[:16] in e.summary for e in events)
    code, _, err = run(capsys, "verify", case)
    assert code == 0, err


def test_trust_refuses_bad_input_in_one_line(
    signed_case: tuple[Path, test_pki.TestPki], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case, pki = signed_case
    not_a_cert = tmp_path / "letter.pem"
    not_a_cert.write_text("-----BEGIN CERTIFICATE-----\nnonsense\n-----END CERTIFICATE-----\n")
    garbage = tmp_path / "garbage.crt"
    garbage.write_bytes(b"\x00\x01\x02" * 100)
    two = tmp_path / "two.pem"
    two.write_bytes(pki.root_pem() + test_pki.make_pki().root_pem())
    cases = [
        (("add", not_a_cert), "not an X.509 certificate"),
        (("add", garbage), "not an X.509 certificate"),
        (("add", two), "holds 2 certificates"),
        (("add", tmp_path / "missing.pem"), "does not exist"),
        (("add", tmp_path), "is a folder"),
        (("add",), "needs CERT.pem"),
        (("remove", "ffff"), "no trust root of this case matches"),
        (("list", "extra"), "takes nothing more"),
    ]
    for args, words in cases:
        code, _, err = run(capsys, "trust", case, *args)
        assert code == 2, (args, err)
        assert words in err, err
        assert "Traceback" not in err
        assert len(err.strip().splitlines()) == 1, err
    root = pki.write_root(tmp_path / "root.pem")
    assert run(capsys, "trust", case, "add", root)[0] == 0
    code, _, err = run(capsys, "trust", case, "add", root)
    assert code == 2
    assert "already" in err
    assert [p.name for p in (case / "trust").iterdir()] == [next((case / "trust").glob("*.pem")).name]


def test_trust_on_a_missing_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "trust", tmp_path / "nowhere", "list")
    assert code in (1, 2)
    assert "Traceback" not in err
    assert err.startswith("reviewer:")


def test_a_file_imported_after_its_root_is_trusted_is_trusted_at_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pki = test_pki.make_pki()
    inbox = tmp_path / "in"
    inbox.mkdir()
    test_pki.signed_pdf(pki, inbox)
    (inbox / "plain-signed.pdf").unlink()
    case = tmp_path / "case"
    assert run(capsys, "init", case)[0] == 0
    assert run(capsys, "trust", case, "add", pki.write_root(tmp_path / "root.pem"))[0] == 0
    code, _, err = run(capsys, "import", case, inbox, "--ocr", "never")
    assert code == 0, err
    # the import's own checks used the case's roots: no second look needed
    signals = signal_codes(capsys, case, "1")
    assert signals["pdf.signature_valid"]["value"]["trusted"] is True
    assert "pdf.signature_untrusted" not in signals
