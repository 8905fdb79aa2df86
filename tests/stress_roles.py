"""The roles of the stress test's processes: ``python -m tests.stress_roles ROLE CASE LOG [FOLDER...]``.

Each role works on one case in a loop until it is killed, and appends to LOG one line per change
*after* the service call that made it returned (so everything logged is committed; a change
committed just before a kill may be missing from the log, never the other way round).
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

from reviewer.core.domain.values import Rect
from reviewer.core.services import documents, queries
from reviewer.core.services.case import open_case
from reviewer.core.services.fixity import verify_case
from reviewer.core.services.importing import ImportOptions, import_paths


def _log(log: Path, line: str) -> None:
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def importer(case_root: Path, log: Path, folders: list[Path]) -> None:
    """Import the given folders (a messy mix), then new variants of their files, batch after batch."""
    rng = random.Random(os.getpid())
    with open_case(case_root, actor="importer") as case:
        batches = iter(folders)
        round_no = 0
        while True:
            folder = next(batches, None)
            if folder is None:
                # More new documents: a PDF with a comment after its end is a different file to hash.
                round_no += 1
                folder = log.parent / f"round-{os.getpid()}-{round_no}"
                folder.mkdir()
                for i, pdf in enumerate(sorted(folders[0].glob("*.pdf"))[:4]):
                    tail = f"\n% variant {rng.random()}\n".encode()
                    (folder / f"v{i}.pdf").write_bytes(pdf.read_bytes() + tail)
            report = import_paths(case, [folder], ImportOptions(source="stress", processes=1))
            for item in report.imported:
                _log(log, f"imported {item.sha256}")
            for dup in report.duplicates:
                _log(log, f"known {dup.sha256}")
            for failed in report.failed:
                _log(log, f"refused {Path(failed.path).name}")


def annotator(case_root: Path, log: Path) -> None:
    """Annotate, tag and set statuses on whatever documents there are."""
    rng = random.Random(os.getpid())
    with open_case(case_root, actor="annotator") as case:
        while True:
            rows = [row for row in queries.list_documents(case) if not row.locked]  # no pages to mark
            row = rng.choice(rows)
            x, y = rng.uniform(20, 300), rng.uniform(20, 500)
            record = documents.add_annotation(
                case, row.id, page=1, rect=Rect(x, y, x + 80, y + 30), note=f"stamp {rng.random():.6f}"
            )
            _log(log, f"annotation {record.id}")
            documents.tag_documents(case, [row.id], [f"t{rng.randrange(5)}"])
            documents.set_status(case, row.id, "in_review", f"looked at by {os.getpid()}")
            time.sleep(rng.uniform(0, 0.1))  # a busy person, not a tight loop that starves the others


def verifier(case_root: Path, log: Path) -> None:
    """Verify the case over and over; every report must be clean."""
    with open_case(case_root, actor="verifier") as case:
        while True:
            report = verify_case(case)
            _log(
                log,
                "verify ok"
                if report.ok
                else "verify PROBLEM " + " | ".join(p.problem for p in report.problems),
            )


def main(argv: list[str]) -> int:
    role, case_root, log, *rest = argv
    if role == "importer":
        importer(Path(case_root), Path(log), [Path(f) for f in rest])
    elif role == "annotator":
        annotator(Path(case_root), Path(log))
    elif role == "verifier":
        verifier(Path(case_root), Path(log))
    else:
        raise SystemExit(f"unknown role {role}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
