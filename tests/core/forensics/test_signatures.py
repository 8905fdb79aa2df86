"""PDF signatures validated with pyHanko, offline, against the trust roots given (the case's)."""

from __future__ import annotations

import socket
import sys
from typing import TYPE_CHECKING, Any

import pytest

from reviewer.core.forensics.pdf import pdf_signals
from reviewer.core.forensics.signals import Severity
from reviewer.core.forensics.signatures import check_signatures, signature_signals
from tests import filemaker
from tests.core.forensics import pki as test_pki

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.forensics.signals import Signal

#: Socket events seen while ``_WATCHING`` is on (an audit hook cannot be removed: it is added once).
_SOCKET_EVENTS: list[tuple[str, Any]] = []
_WATCHING: list[bool] = []


def _audit(event: str, args: Any) -> None:
    if not _WATCHING:
        return
    # asyncio's event loop makes a pair of local (AF_UNIX) sockets to wake itself: not a network
    if event == "socket.__new__" and args[1] not in (socket.AF_INET, socket.AF_INET6):
        return
    if event.startswith("socket."):
        _SOCKET_EVENTS.append((event, args))


sys.addaudithook(_audit)


@pytest.fixture(scope="module")
def pki() -> test_pki.TestPki:
    return test_pki.make_pki()


@pytest.fixture(scope="module")
def signed(pki: test_pki.TestPki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return test_pki.signed_pdf(pki, tmp_path_factory.mktemp("signed"))


def codes(found: list[Signal]) -> dict[str, Signal]:
    return {s.code: s for s in found}


def test_signed_pdf_is_valid_but_untrusted_without_roots(signed: Path) -> None:
    found = codes(pdf_signals(signed))
    assert "pdf.signatures" in found
    untrusted = found["pdf.signature_untrusted"]
    assert untrusted.severity is Severity.NOTICE
    assert untrusted.title == "Signed as Ivan Petrov: intact, but the signer is not trusted"
    value = untrusted.value
    assert value["intact"] is True
    assert value["valid"] is True
    assert value["trusted"] is False
    assert value["trust_problem"] == "NO_CERTIFICATE_CHAIN_FOUND"
    assert value["revision"] == 2
    assert value["revisions"] == 2  # the signing update is revision 2 of 2
    assert value["modification"] == "NONE"
    assert value["coverage"] == "ENTIRE_FILE"
    signer = value["signer"]
    assert "Ivan Petrov" in signer["subject"]
    assert signer["name"] == "Ivan Petrov"  # the common name alone
    # the title names the signer as a person would, not by the whole subject (country, organisation…)
    assert "Ivan Petrov" in untrusted.title
    assert signer["subject"] not in untrusted.title
    assert "Test Root CA" in signer["issuer"]
    assert set(signer["key_usage"]) == {"digital_signature", "non_repudiation"}
    assert signer["not_before"] < signer["not_after"]
    assert "pdf.signature_valid" not in found
    assert "pdf.signature_broken" not in found
    assert "pdf.changed_after_signing" not in found


def test_signed_pdf_is_trusted_with_its_root(signed: Path, pki: test_pki.TestPki) -> None:
    found = codes(pdf_signals(signed, trust_roots=[pki.root_pem()]))
    valid = found["pdf.signature_valid"]
    assert valid.severity is Severity.INFO
    assert valid.value["trusted"] is True
    assert any("Test Root CA" in c for c in valid.value["chain"])
    assert "pdf.signature_untrusted" not in found


def test_a_root_in_der_form_is_trusted_too(signed: Path, pki: test_pki.TestPki) -> None:
    from cryptography.hazmat.primitives import serialization

    der = pki.root.public_bytes(serialization.Encoding.DER)
    assert check_signatures(signed, trust_roots=[der])[0].trusted


def test_another_root_does_not_make_it_trusted(signed: Path) -> None:
    stranger = test_pki.make_pki("Someone Else")
    found = codes(signature_signals(signed, trust_roots=[stranger.root_pem()]))
    assert "pdf.signature_untrusted" in found


def test_page_changed_after_signing_is_reported(signed: Path, pki: test_pki.TestPki, tmp_path: Path) -> None:
    changed = test_pki.changed_after_signing(signed, tmp_path / "changed.pdf")
    found = codes(pdf_signals(changed, trust_roots=[pki.root_pem()]))
    after = found["pdf.changed_after_signing"]
    assert after.severity is Severity.WARNING
    assert after.value["modification"] == "OTHER"
    assert after.value["revision"] == 2
    assert after.value["revisions"] == 3
    assert after.value["changes"]  # pyHanko's words for what it could not explain
    assert "revision 2 of 3" in after.explanation
    # the signed revision itself is intact: the signature still holds for what it covers
    assert found["pdf.signature_valid"].value["intact"] is True
    # one changed_after_signing only: pyHanko's replaces the structure check's byte-count guess
    assert [s.code for s in pdf_signals(changed)].count("pdf.changed_after_signing") == 1


def test_bytes_flipped_inside_the_signed_range_break_it(
    signed: Path, pki: test_pki.TestPki, tmp_path: Path
) -> None:
    broken = test_pki.flipped_in_signed_range(signed, tmp_path / "broken.pdf")
    found = codes(pdf_signals(broken, trust_roots=[pki.root_pem()]))
    signal = found["pdf.signature_broken"]
    assert signal.severity is Severity.WARNING
    assert signal.value["intact"] is False
    assert "changed after signing" in signal.explanation
    assert "pdf.signature_valid" not in found


def test_unsigned_pdfs_raise_nothing(tmp_path: Path) -> None:
    for pdf in (
        filemaker.make_text_pdf(tmp_path / "plain.pdf", pages=2),
        filemaker.make_form_pdf(tmp_path / "form.pdf") if hasattr(filemaker, "make_form_pdf") else None,
    ):
        if pdf is None:
            continue
        found = pdf_signals(pdf)
        assert not [s for s in found if "signature" in s.code or "c2pa" in s.code], found
        assert signature_signals(pdf) == []


def test_a_fake_signature_dictionary_is_not_validated_but_said(tmp_path: Path) -> None:
    # a /ByteRange and /Contents with no real signature in it: listed, and said not to validate
    import pymupdf

    path = tmp_path / "fake.pdf"
    with pymupdf.open() as doc:
        doc.new_page()
        xref = doc.get_new_xref()
        doc.update_object(xref, "<< /Type /Sig /ByteRange [0 10 20 30] /Contents <00> >>")
        doc.save(path)
    found = codes(pdf_signals(path))
    assert "pdf.signatures" in found
    assert "pdf.signature_valid" not in found
    assert "pdf.signature_untrusted" not in found


def test_validation_opens_no_socket(signed: Path, pki: test_pki.TestPki, tmp_path: Path) -> None:
    changed = test_pki.changed_after_signing(signed, tmp_path / "changed.pdf")
    _SOCKET_EVENTS.clear()
    _WATCHING.append(True)
    try:
        for roots in ([], [pki.root_pem()]):
            signature_signals(signed, trust_roots=roots)
            signature_signals(changed, trust_roots=roots)
    finally:
        _WATCHING.clear()
    assert _SOCKET_EVENTS == []


def test_revocation_is_not_fetched_even_when_the_certificate_names_where(tmp_path: Path) -> None:
    # a signer whose certificate points at an OCSP responder and a CRL: nothing is fetched from them
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import AuthorityInformationAccessOID

    base = test_pki.make_pki()
    root_key = test_pki.ec.generate_private_key(test_pki.ec.SECP256R1())
    root = (
        x509.CertificateBuilder()
        .subject_name(base.root.subject)
        .issuer_name(base.root.subject)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(base.root.not_valid_before_utc)
        .not_valid_after(base.root.not_valid_after_utc)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    signer = (
        x509.CertificateBuilder()
        .subject_name(base.signer.subject)
        .issuer_name(root.subject)
        .public_key(base.key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(base.signer.not_valid_before_utc)
        .not_valid_after(base.signer.not_valid_after_utc)
        .add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier("http://ocsp.invalid/"),
                    )
                ]
            ),
            critical=False,
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier("http://crl.invalid/root.crl")], None, None, None
                    )
                ]
            ),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )
    pki = test_pki.TestPki(root, signer, base.key)
    signed = test_pki.signed_pdf(pki, tmp_path)
    _SOCKET_EVENTS.clear()
    _WATCHING.append(True)
    try:
        found = codes(signature_signals(signed, trust_roots=[pki.root_pem()]))
    finally:
        _WATCHING.clear()
    assert _SOCKET_EVENTS == []
    assert "pdf.signature_broken" not in found


def test_without_the_forensics_extra_one_line_says_what_to_install(
    signed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("pyhanko", "pyhanko.keys", "pyhanko.pdf_utils.reader", "pyhanko.sign.validation"):
        monkeypatch.setitem(sys.modules, name, None)  # an import of it now fails as if not installed
    found = codes(pdf_signals(signed))
    signal = found["pdf.signatures_not_validated"]
    assert signal.severity is Severity.INFO
    assert "reviewer[forensics]" in signal.explanation
    assert "pdf.signatures" in found  # still listed
