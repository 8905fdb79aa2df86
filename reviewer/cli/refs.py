"""A person's reference to a document (``12``, or 8+ hex digits of its SHA-256) turned into its id.

The services take ids; the command line is where text references are read, through this one helper.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reviewer.core.services.case import Case


def doc_id(case: Case, ref: str) -> int:
    """The id of the document ``ref`` names; a one-line usage error when none or several match."""
    from reviewer.core.services.queries import document_id

    return document_id(case, ref)
