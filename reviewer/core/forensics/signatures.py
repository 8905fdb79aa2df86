"""PDF signatures checked with pyHanko: are the signed bytes intact, who signed, what changed after.

Validation is offline: the certificate chain is built only from the certificates inside the file and
the trust roots the person added to the case (``reviewer trust CASE add``); revocation data is never
fetched (pyHanko's fetchers are off), so no socket is opened. A chain that cannot be built is reported
as "not trusted", never as broken: trust is the person's decision, the bytes are the file's.

pyHanko is an optional dependency (the ``forensics`` extra): without it one info signal says so.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewer.core.forensics.signals import Severity, Signal

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path

#: The optional dependencies' extra, named in every "not installed" message.
EXTRA = "reviewer[forensics]"
#: More signatures than this are counted, not each validated (a file can carry thousands of fields).
MAX_SIGNATURES = 20

_CHANGES = {
    "NONE": None,
    "LTA_UPDATES": None,  # validation data and document timestamps: not a change to the content
    "FORM_FILLING": ("form filling", Severity.NOTICE),
    "ANNOTATIONS": ("annotations", Severity.NOTICE),
    "OTHER": ("other changes", Severity.WARNING),
}


@dataclass(frozen=True, slots=True)
class CertificateFacts:
    """What a certificate says of itself, dates as ISO 8601 text."""

    subject: str
    issuer: str
    serial: str
    not_before: str
    not_after: str
    key_usage: tuple[str, ...]
    extended_key_usage: tuple[str, ...]
    #: who the subject names in a few words: its common name, else its organisation ("" if neither)
    name: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "name": self.name,
            "subject": self.subject,
            "issuer": self.issuer,
            "serial": self.serial,
            "not_before": self.not_before,
            "not_after": self.not_after,
            "key_usage": list(self.key_usage),
            "extended_key_usage": list(self.extended_key_usage),
        }


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    """One signature's validation. Revisions are 1-based, as the Forensics pane numbers them."""

    field: str
    revision: int
    revisions: int
    intact: bool
    valid: bool
    trusted: bool
    trust_problem: str | None
    coverage: str
    modification: str | None  # pyHanko's level: NONE, LTA_UPDATES, FORM_FILLING, ANNOTATIONS, OTHER
    changes: str | None  # what the difference analysis could not explain, in its words (first lines)
    signed_at: str | None
    signer: CertificateFacts | None
    chain: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data, the raw value of the signals."""
        return {
            "field": self.field,
            "revision": self.revision,
            "revisions": self.revisions,
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "trust_problem": self.trust_problem,
            "coverage": self.coverage,
            "modification": self.modification,
            "changes": self.changes,
            "signed_at": self.signed_at,
            "signer": self.signer.as_dict() if self.signer else None,
            "chain": list(self.chain),
        }


class MissingDependency(RuntimeError):
    """An optional library is not installed; the message names the extra that brings it."""


def available() -> bool:
    """Whether pyHanko can be imported."""
    try:
        _pyhanko()
    except MissingDependency:
        return False
    return True


def check_signatures(
    path: Path | str, *, trust_roots: Sequence[bytes] = (), password: str | None = None
) -> list[SignatureCheck]:
    """Validate every signature of the PDF at ``path`` offline against ``trust_roots`` (PEM or DER).

    Raises :class:`MissingDependency` without pyHanko, and whatever pyHanko raises for a file it cannot
    parse (the caller, :func:`signature_signals`, turns that into an info signal).
    """
    modules = _pyhanko()
    roots = _roots(modules, trust_roots)
    checks: list[SignatureCheck] = []
    with _quiet(), open(path, "rb") as handle:
        reader = modules["PdfFileReader"](handle, strict=False)
        if reader.encrypted:
            reader.decrypt(password or "")
        total = int(reader.total_revisions)
        for embedded in list(reader.embedded_signatures)[:MAX_SIGNATURES]:
            context = modules["ValidationContext"](
                trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
            )
            status = modules["validate_pdf_signature"](embedded, context)
            checks.append(_check(embedded, status, total))
    return checks


def signature_signals(
    path: Path | str, *, trust_roots: Sequence[bytes] = (), password: str | None = None
) -> list[Signal]:
    """Signals from validating each signature; a file pyHanko cannot read gives one info signal."""
    try:
        checks = check_signatures(path, trust_roots=trust_roots, password=password)
    except MissingDependency as exc:
        return [
            Signal(
                "pdf.signatures_not_validated",
                Severity.INFO,
                "Its signatures were not validated",
                f"{exc}. Until then the signatures are only listed.",
                {"missing": EXTRA},
            )
        ]
    except Exception as exc:  # noqa: BLE001  (a third-party parser on hostile input raises any kind)
        reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        return [
            Signal(
                "pdf.signatures_not_validated",
                Severity.INFO,
                "Its signatures could not be validated",
                "The signature validator could not read the file's signatures; they are only listed. "
                "A damaged or unusual file does this.",
                reason,
            )
        ]
    found: list[Signal] = []
    for check in checks:
        found += _signals(check)
    return found


def _signals(check: SignatureCheck) -> list[Signal]:
    # the signer by name in titles and words (the field's name, "Signature1", tells a reader nothing);
    # the whole subject and the field are in the raw value
    who = (check.signer.name or check.signer.subject) if check.signer else "an unknown signer"
    value = check.as_dict()
    covers = f"revision {check.revision} of {check.revisions}"
    if not (check.intact and check.valid):
        what = (
            "the signed bytes were changed after signing"
            if not check.intact
            else "the signature does not match the signer's certificate"
        )
        return [
            Signal(
                "pdf.signature_broken",
                Severity.WARNING,
                f"Broken signature by {who}",
                f"The signature by {who} covers {covers}, but {what}. The content it vouches for is "
                "not the content in the file.",
                value,
            )
        ]
    found: list[Signal] = []
    if check.trusted:
        found.append(
            Signal(
                "pdf.signature_valid",
                Severity.INFO,
                f"Valid signature by {who}",
                f"The signed bytes ({covers}) are intact and the signer's certificate chains to a "
                "trust root added to this case. It proves who signed that revision, not that what "
                "it says is true.",
                value,
            )
        )
    else:
        found.append(
            Signal(
                "pdf.signature_untrusted",
                Severity.NOTICE,
                f"{'Signed as ' + who if check.signer else 'Signed'}: intact, but the signer is not trusted",
                f"The signed bytes ({covers}) are intact, but the certificate of {who} "
                f"{_why_untrusted(check)}. Anyone can make a certificate with any name: add the "
                "issuer's root certificate to the case (reviewer trust CASE add) once you have it "
                "from a source you trust.",
                value,
            )
        )
    change = _CHANGES.get(check.modification or "", ("changes reviewer cannot classify", Severity.NOTICE))
    if change is not None:
        words, severity = change
        found.append(
            Signal(
                "pdf.changed_after_signing",
                severity,
                f"Changed after {who} signed: {words}",
                _CHANGE_WORDS.get(check.modification or "", _CHANGE_WORDS["OTHER"])
                + f" The signature covers {covers}; compare that revision with the final one.",
                value,
            )
        )
    return found


_CHANGE_WORDS = {
    "FORM_FILLING": "After it was signed, form fields were filled in or further signatures added: "
    "allowed by most signing policies, but the field values are not what was signed.",
    "ANNOTATIONS": "After it was signed, annotations (notes, highlights, stamps drawn on top) were "
    "added or changed: they are not part of what was signed.",
    "OTHER": "After it was signed, the file was changed in ways that are neither form filling nor "
    "annotations: the pages shown may not be the pages that were signed.",
}


def _why_untrusted(check: SignatureCheck) -> str:
    problem = check.trust_problem or ""
    if problem == "EXPIRED" and check.signer:
        return f"has expired (valid until {check.signer.not_after})"
    if problem == "NOT_YET_VALID" and check.signer:
        return f"is not valid yet (valid from {check.signer.not_before})"
    if "REVOKED" in problem:
        return "was revoked"
    return "does not chain to a trust root added to this case"


def _check(embedded: Any, status: Any, total: int) -> SignatureCheck:
    diff = status.diff_result
    changes = None
    if diff is not None and not hasattr(diff, "modification_level"):  # a SuspiciousModification
        changes = "\n".join(str(diff).splitlines()[:6])[:1000]
    level = status.modification_level
    problem = status.trust_problem_indic
    path = status.validation_path
    chain: tuple[str, ...] = ()
    if path is not None:
        with contextlib.suppress(Exception):
            chain = tuple(c.subject.human_friendly for c in path.iter_certs(include_root=True))
    signed_at = status.signer_reported_dt
    return SignatureCheck(
        field=str(embedded.field_name),
        revision=int(embedded.signed_revision) + 1,
        revisions=total,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        trust_problem=problem.name if problem is not None else None,
        coverage=status.coverage.name if status.coverage is not None else "UNCLEAR",
        modification=level.name if level is not None else None,
        changes=changes,
        signed_at=signed_at.isoformat() if signed_at is not None else None,
        signer=_facts(status.signing_cert),
        chain=chain,
    )


def _facts(cert: Any) -> CertificateFacts | None:
    if cert is None:
        return None
    usage = cert.key_usage_value.native if cert.key_usage_value is not None else ()
    extended = cert.extended_key_usage_value.native if cert.extended_key_usage_value is not None else ()
    named = cert.subject.native if isinstance(cert.subject.native, dict) else {}
    name = named.get("common_name") or named.get("organization_name") or ""
    return CertificateFacts(
        name=name if isinstance(name, str) else ", ".join(str(n) for n in name),
        subject=cert.subject.human_friendly,
        issuer=cert.issuer.human_friendly,
        serial=format(cert.serial_number, "x"),
        not_before=cert.not_valid_before.isoformat(),
        not_after=cert.not_valid_after.isoformat(),
        key_usage=tuple(sorted(usage)),
        extended_key_usage=tuple(sorted(str(e) for e in extended)),
    )


def _roots(modules: dict[str, Any], trust_roots: Sequence[bytes]) -> list[Any]:
    roots: list[Any] = []
    for data in trust_roots:
        with contextlib.suppress(ValueError, TypeError):  # the trust service checked them when added
            roots.extend(modules["load_certs_from_pemder_data"](data))
    return roots


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """pyHanko logs every chain it cannot build, with a traceback, to stderr: the signals say it."""
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _pyhanko() -> dict[str, Any]:
    try:
        with warnings.catch_warnings():
            # cryptography's deprecation of DSA, raised as pyHanko imports its signers
            warnings.simplefilter("ignore")
            from pyhanko.keys import load_certs_from_pemder_data
            from pyhanko.pdf_utils.reader import PdfFileReader
            from pyhanko.sign.validation import validate_pdf_signature
            from pyhanko_certvalidator import ValidationContext
    except ImportError:
        raise MissingDependency(f"pyHanko is not installed: install {EXTRA}") from None
    return {
        "PdfFileReader": PdfFileReader,
        "ValidationContext": ValidationContext,
        "validate_pdf_signature": validate_pdf_signature,
        "load_certs_from_pemder_data": load_certs_from_pemder_data,
    }


def validated_signatures(
    found: list[Signal], path: Path | str, *, trust_roots: Sequence[bytes] = (), password: str | None = None
) -> list[Signal]:
    """``found`` (a PDF's structure signals) with each signature it lists validated.

    Once pyHanko has looked, its difference analysis replaces the structure check's byte-count guess
    at ``pdf.changed_after_signing``. A file that lists no signature is not read again.
    """
    if not any(s.code == "pdf.signatures" for s in found):
        return found
    checked = signature_signals(path, trust_roots=trust_roots, password=password)
    if any(s.code != "pdf.signatures_not_validated" for s in checked):
        found = [s for s in found if s.code != "pdf.changed_after_signing"]
    return found + checked
