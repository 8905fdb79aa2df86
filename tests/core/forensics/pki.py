"""Test certificates made at test time (a root CA and a signer), and files signed with them.

Nothing here is committed as a key: every run makes its own. PDFs are signed with pyHanko's signer,
JPEGs with c2pa-python's builder, as a newsroom's sources would have signed them.
"""

from __future__ import annotations

import datetime
import io
import shutil
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image

from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path

PEM = serialization.Encoding.PEM
DER = serialization.Encoding.DER


@dataclass(frozen=True)
class TestPki:
    """A root CA and a signer it issued, with the signer's key."""

    root: x509.Certificate
    signer: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    def root_pem(self) -> bytes:
        return self.root.public_bytes(PEM)

    def write_root(self, path: Path, *, der: bool = False) -> Path:
        path.write_bytes(self.root.public_bytes(DER if der else PEM))
        return path


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Ministry"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def make_pki(signer_name: str = "Ivan Petrov") -> TestPki:
    """A fresh root CA and a signer certificate (signing and C2PA's e-mail protection usage)."""
    now = datetime.datetime.now(datetime.UTC)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = (
        x509.CertificateBuilder()
        .subject_name(_name("Test Root CA"))
        .issuer_name(_name("Test Root CA"))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=2))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    signer = (
        x509.CertificateBuilder()
        .subject_name(_name(signer_name))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False
        )
        .sign(root_key, hashes.SHA256())
    )
    return TestPki(root, signer, key)


def sign_pdf(pki: TestPki, source: Path, target: Path) -> Path:
    """``source`` signed by the test signer with pyHanko (an incremental update), as ``target``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cryptography's DSA deprecation, as pyHanko imports its signers
        from asn1crypto import keys as asn1_keys
        from asn1crypto import x509 as asn1_x509
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = pki.key.private_bytes(DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(pki.signer.public_bytes(DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key),
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(pki.root.public_bytes(DER))]
        ),
    )
    out = io.BytesIO()
    with open(source, "rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        meta = signers.PdfSignatureMetadata(field_name="Signature1")
        signers.sign_pdf(writer, meta, signer=signer, output=out)
    target.write_bytes(out.getvalue())
    return target


def signed_pdf(pki: TestPki, folder: Path, name: str = "signed.pdf") -> Path:
    """A two-page text PDF signed by the test signer."""
    plain = filemaker.make_text_pdf(folder / f"plain-{name}", pages=2)
    return sign_pdf(pki, plain, folder / name)


def changed_after_signing(signed: Path, target: Path) -> Path:
    """``signed`` with text added to its first page in an incremental update (the signature kept)."""
    import pymupdf

    shutil.copyfile(signed, target)
    with pymupdf.open(target) as doc:
        doc[0].insert_text((72, 400), "PAID IN FULL", fontsize=24)
        doc.save(target, incremental=True, encryption=pymupdf.PDF_ENCRYPT_KEEP)
    return target


def flipped_in_signed_range(signed: Path, target: Path) -> Path:
    """``signed`` with one byte of a content stream (inside the signed range) changed."""
    data = bytearray(signed.read_bytes())
    at = data.index(b"stream", 200) + 12
    data[at] ^= 0x01
    target.write_bytes(bytes(data))
    return target


def plain_jpeg(path: Path, size: tuple[int, int] = (320, 240)) -> Path:
    """A plain JPEG of a few coloured bands, without any metadata."""
    image = Image.new("RGB", size, (210, 190, 120))
    for band in range(0, size[1], 40):
        image.paste((40 + band % 200, 80, 160), (0, band, size[0], band + 12))
    image.save(path, "JPEG", quality=90)
    return path


def c2pa_jpeg(pki: TestPki, target: Path, *, source_type: str = "digitalCapture") -> Path:
    """A JPEG with a C2PA manifest (created by a camera) signed by the test signer."""
    import c2pa

    plain = plain_jpeg(target.with_name(f"plain-{target.name}"))
    chain = pki.signer.public_bytes(PEM) + pki.root.public_bytes(PEM)
    key = pki.key.private_bytes(PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    manifest = {
        "claim_generator_info": [{"name": "Test Camera", "version": "2.1"}],
        "title": "photo.jpg",
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": f"http://cv.iptc.org/newscodes/digitalsourcetype/{source_type}",
                        }
                    ]
                },
            }
        ],
    }
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain, key, None))
    with signer, c2pa.Builder(manifest) as builder, open(plain, "rb") as source:
        out = io.BytesIO()
        builder.sign(signer, "image/jpeg", source, out)
    target.write_bytes(out.getvalue())
    return target


def edited_after_signing(signed: Path, target: Path) -> Path:
    """``signed`` with its picture changed (a byte of the image data), its manifest kept as it was."""
    data = bytearray(signed.read_bytes())
    data[-200] ^= 0x55  # inside the entropy-coded picture, after the manifest's APP11 segments
    target.write_bytes(bytes(data))
    return target
