"""check-publication's worker job: every trace in one file of a bag (PyMuPDF and Pillow, in a worker).

The task and result records, and the text-file readers, are in :mod:`reviewer.core.forensics.traces_file`,
which the parent process imports; this module is imported by name in the worker
(``reviewer.core.workers.registry.INSPECT``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.core.forensics.traces_file import FileTask, FileTraces, sniff, text_file_traces
from reviewer.core.forensics.traces_image import image_traces
from reviewer.core.forensics.traces_pdf import pdf_traces

if TYPE_CHECKING:
    from collections.abc import Callable


def inspect_file(task: FileTask, beat: Callable[[], None]) -> FileTraces:
    """The worker's job: every trace in one file (module-level, so a worker process can run it)."""
    path = Path(task.path)
    with open(path, "rb") as handle:
        head = handle.read(1024)
    kind = sniff(head, task.name)
    names: list[str] = []
    pdf_id = None
    if kind == "pdf":
        found, names, pdf_id = pdf_traces(path, beat=beat)
    elif kind == "image":
        found, names = image_traces(path.read_bytes(), beat=beat)
    else:
        found, names = text_file_traces(path, kind, task.needles)
    unique = list(dict.fromkeys((t.kind, t.detail) for t in found))
    return FileTraces(
        tuple(unique), tuple(dict.fromkeys(n.strip() for n in names if n.strip())), pdf_id, kind
    )
