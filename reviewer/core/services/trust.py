"""The case's trust roots: the certificates a person decided to trust for signatures and credentials.

reviewer never downloads a trust list: a PDF signature or a C2PA manifest is "trusted" only when its
signer's certificate chains to a root added here (``reviewer trust CASE add ROOT.pem``). Each root is
kept as ``trust/<SHA-256 of its DER>.pem`` in the case folder; adding and removing one is on the
case's custody log, and the signals of every document that carries a signature or content credentials
are checked again afterwards. A removed root is moved to ``trust/removed/``, never deleted: reviewer
does not delete a file it did not create in the same run.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from reviewer.core.domain.errors import CaseError, UsageError
from reviewer.core.storage import custody
from reviewer.core.storage.orm import ForensicSignal

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case

#: A certificate file larger than this is not a certificate.
MAX_CERTIFICATE_BYTES = 1 << 20
EXTRA = "reviewer[forensics]"
#: Signals that depend on the trust roots: their documents are checked again when the roots change.
_TRUST_CODES = ("pdf.signature", "pdf.changed_after_signing", "pdf.signatures")
_CREDENTIAL_MARK = ".c2pa_"


@dataclass(frozen=True, slots=True)
class TrustRoot:
    """A trusted certificate: its SHA-256 fingerprint (of the DER), subject, issuer and validity."""

    fingerprint: str
    subject: str
    issuer: str
    not_before: str
    not_after: str
    is_ca: bool

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "fingerprint": self.fingerprint,
            "subject": self.subject,
            "issuer": self.issuer,
            "not_before": self.not_before,
            "not_after": self.not_after,
            "is_ca": self.is_ca,
        }


@dataclass(frozen=True, slots=True)
class TrustChange:
    """What adding or removing a root did: the root, and the documents checked again."""

    root: TrustRoot
    rechecked: tuple[int, ...]
    failed: tuple[str, ...]  # documents that could not be checked again, one line each


def trust_folder(case: Case) -> Path:
    """Where the case keeps its trust roots."""
    return case.layout.root / "trust"


def trust_roots(case: Case) -> tuple[bytes, ...]:
    """The PEM text of every trust root of the case, for the checks in the workers."""
    folder = trust_folder(case)
    if not folder.is_dir():
        return ()
    found: list[bytes] = []
    for path in sorted(folder.glob("*.pem")):
        with contextlib.suppress(OSError):
            if path.is_file() and path.stat().st_size <= MAX_CERTIFICATE_BYTES:
                found.append(path.read_bytes())
    return tuple(found)


def list_roots(case: Case) -> list[TrustRoot]:
    """The case's trust roots, by subject."""
    roots = []
    for data in trust_roots(case):
        with contextlib.suppress(UsageError):
            roots.append(_describe(_load(data, "a trust root of the case")))
    return sorted(roots, key=lambda r: (r.subject.casefold(), r.fingerprint))


def add_root(case: Case, certificate: Path) -> TrustChange:
    """Copy the certificate at ``certificate`` (PEM or DER) into the case as a trust root.

    Refused with one line for a file that is not a single X.509 certificate, or a root already added.
    On the custody log; the documents with signatures or content credentials are checked again.
    """
    try:
        if certificate.stat().st_size > MAX_CERTIFICATE_BYTES:
            raise UsageError(f"{certificate.name} is too large to be a certificate")
        data = certificate.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{certificate} does not exist") from None
    except IsADirectoryError:
        raise UsageError(f"{certificate} is a folder, not a certificate file") from None
    except OSError as exc:
        raise UsageError(f"{certificate} cannot be read ({exc.strerror or exc})") from None
    cert = _load(data, certificate.name)
    root = _describe(cert)
    pem = _pem_of(cert)
    folder = trust_folder(case)
    target = folder / f"{root.fingerprint}.pem"
    if target.exists():
        raise UsageError(f"{root.subject} is a trust root of this case already")
    with case.db.unit_of_work() as uow:  # refused first if the case is read-only
        folder.mkdir(exist_ok=True)
        _write_new(target, pem)
        try:
            custody.append(
                uow.session,
                document_id=None,
                actor=case.actor,
                action="trust_root_added",
                summary=f"trust root added: {root.subject} (SHA-256 {root.fingerprint[:16]}…)",
                after=root.as_dict(),
            )
            uow.commit()
        except BaseException:
            target.unlink(missing_ok=True)  # made in this run, by this call
            raise
    rechecked, failed = recheck(case)
    return TrustChange(root, rechecked, failed)


def remove_root(case: Case, which: str) -> TrustChange:
    """Stop trusting the root whose fingerprint starts with ``which`` (or whose subject is ``which``).

    Its file is moved to ``trust/removed/``, not deleted. On the custody log; the documents with
    signatures or content credentials are checked again.
    """
    folder = trust_folder(case)
    matches = [
        (path, root)
        for path, root in _roots_with_paths(folder)
        if root.fingerprint.startswith(which.lower().replace(":", "")) or root.subject == which
    ]
    if not which.strip() or not matches:
        raise UsageError(f"no trust root of this case matches {which!r} (see reviewer trust CASE list)")
    if len(matches) > 1:
        raise UsageError(f"{len(matches)} trust roots match {which!r}: give more of the fingerprint")
    path, root = matches[0]
    removed = folder / "removed"
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = removed / f"{root.fingerprint}-{stamp}.pem"
    with case.db.unit_of_work() as uow:
        removed.mkdir(exist_ok=True)
        os.rename(path, target)  # target is new (stamped): nothing is overwritten
        try:
            custody.append(
                uow.session,
                document_id=None,
                actor=case.actor,
                action="trust_root_removed",
                summary=f"trust root removed: {root.subject} (SHA-256 {root.fingerprint[:16]}…)",
                before=root.as_dict(),
            )
            uow.commit()
        except BaseException:
            os.rename(target, path)
            raise
    rechecked, failed = recheck(case)
    return TrustChange(root, rechecked, failed)


def recheck(case: Case) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Check again the signals of every document with signatures or content credentials.

    Returns the documents checked and, one line each, those that could not be (locked, or a worker
    that failed); the rest are still checked.
    """
    # services.forensics reads the trust roots from here: imported late to keep the two apart
    from reviewer.core.services.forensics import ensure_forensics
    from reviewer.core.workers.jobs import JobFailed

    with case.db.reading() as session:
        codes = [ForensicSignal.code.startswith(code) for code in _TRUST_CODES]
        ids = sorted(
            set(
                session.scalars(
                    select(ForensicSignal.document_id).where(
                        or_(*codes, ForensicSignal.code.contains(_CREDENTIAL_MARK))
                    )
                )
            )
        )
    done: list[int] = []
    failed: list[str] = []
    for document_id in ids:
        try:
            ensure_forensics(case, document_id, force=True)
        except (UsageError, CaseError, JobFailed) as exc:
            failed.append(f"document {document_id}: {exc}")
            continue
        done.append(document_id)
    return tuple(done), tuple(failed)


def _roots_with_paths(folder: Path) -> list[tuple[Path, TrustRoot]]:
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.pem")):
        with contextlib.suppress(OSError, UsageError):
            found.append((path, _describe(_load(path.read_bytes(), path.name))))
    return found


def _write_new(target: Path, data: bytes) -> None:
    """Write a new file, refusing to replace one (``x`` mode), flushed to disk."""
    with open(target, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _x509() -> Any:
    try:
        from cryptography import x509
    except ImportError:
        raise CaseError(f"trust roots need the cryptography library: install {EXTRA}") from None
    return x509


def _load(data: bytes, name: str) -> Any:
    x509 = _x509()
    try:
        if b"-----BEGIN" in data:
            certs = x509.load_pem_x509_certificates(data)
        else:
            certs = [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise UsageError(f"{name} is not an X.509 certificate (PEM, .cer or .crt)") from None
    if len(certs) != 1:
        raise UsageError(f"{name} holds {len(certs)} certificates: give one root per file")
    return certs[0]


def _pem_of(cert: Any) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding

    return bytes(cert.public_bytes(Encoding.PEM))


def _describe(cert: Any) -> TrustRoot:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    try:
        is_ca = bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except (x509.ExtensionNotFound, ValueError):
        is_ca = False
    return TrustRoot(
        fingerprint=hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest(),
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        not_before=cert.not_valid_before_utc.isoformat(),
        not_after=cert.not_valid_after_utc.isoformat(),
        is_ca=is_ca,
    )
