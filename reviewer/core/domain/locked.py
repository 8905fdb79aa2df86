"""Locked documents: encrypted files kept as evidence although their password is not known.

A locked document is hashed and stored like any original, with no pages, text or thumbnails until
``reviewer unlock`` (or the window's Unlock…) opens it. It is recognised by its record alone: encrypted,
no password kept, no pages (a document imported with its password always has pages). The password is
never part of what leaves the case.
"""

from __future__ import annotations

from reviewer.core.domain.errors import CaseError

#: What an import or a merge says of a document it kept locked (custody log, import output).
LOCKED_REASON = "encrypted, password not known"
#: What a bundle says of a locked document in place of its annotated copy.
NOT_IN_BUNDLE = "locked: not readable without its password, which is not in this bundle"


class DocumentLocked(CaseError):
    """Something that needs a document's pages was asked of a document that is still locked."""

    def __init__(self, document_id: int) -> None:
        super().__init__(
            f"document {document_id} is locked; "
            f"unlock it with: reviewer unlock CASE {document_id} --password PW"
        )
        self.document_id = document_id


def is_locked(encrypted: bool, password: str | None, page_count: int) -> bool:
    """Whether a document's record is that of a locked document (see the module's docstring)."""
    return bool(encrypted) and password is None and page_count == 0


def refuse_if_locked(document_id: int, encrypted: bool, password: str | None, page_count: int) -> None:
    """Raise :class:`DocumentLocked` for a locked document: its pages cannot be read yet."""
    if is_locked(encrypted, password, page_count):
        raise DocumentLocked(document_id)
