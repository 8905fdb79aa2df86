"""Creating and opening cases."""

from __future__ import annotations

import getpass
import logging
import os
import shutil
import socket
from pathlib import Path

from sqlalchemy import select

from reviewer import __version__
from reviewer.core.domain.clock import utc_now
from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.values import checked_text
from reviewer.core.storage import anchor, custody, search_index
from reviewer.core.storage.database import CaseDatabase, open_database
from reviewer.core.storage.orm import CaseInfo, Document
from reviewer.core.storage.store import (
    CaseLayout,
    check_database_url,
    clear_claim,
    dead_claims,
    exclusive_staging,
    is_case_folder,
    quarantine,
)


def current_user() -> str:
    """The OS user, as recorded on the custody log."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


def current_host() -> str:
    """This machine's name, as recorded with each sighting."""
    return socket.gethostname() or "unknown"


class Case:
    """An open case: its folder layout, its database, and who is working on it."""

    def __init__(self, layout: CaseLayout, db: CaseDatabase, actor: str) -> None:
        self.layout = layout
        self.db = db
        self.actor = actor

    @property
    def root(self) -> Path:
        """The case folder."""
        return self.layout.root

    @property
    def title(self) -> str:
        """The case's title."""
        with self.db.reading() as session:
            info = session.get(CaseInfo, 1)
            return info.title if info else self.root.name

    @property
    def read_only(self) -> str | None:
        """Why this case was opened read-only (one line), or None when it can be changed."""
        return self.db.read_only

    def close(self) -> None:
        """Release the database."""
        self.db.close()

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_case(root: Path) -> bool:
    """Whether a case, local or shared, lives in the folder ``root`` (the window and commands ask this)."""
    return is_case_folder(root)


def create_case(
    root: Path, *, title: str | None = None, actor: str | None = None, database: str | None = None
) -> Case:
    """Make a new, empty case folder at ``root`` (which must not exist or be an empty folder).

    With ``database`` (``postgresql://HOST[:PORT]/DB``, an empty database) the case is shared: its
    database is there, and the folder holds the originals and a case file naming it.
    """
    layout = CaseLayout(Path(os.path.abspath(root)))
    if title is not None and title.strip():
        checked_text("the case's title", title)  # before anything is made
    else:
        checked_text("the case's title (the folder's name; give a title)", layout.root.name)
    if database is not None:
        check_database_url(database)  # before anything is made
    if layout.root.exists() and (not layout.root.is_dir() or any(layout.root.iterdir())):
        if layout.is_case():
            raise UsageError(f"there is already a case at {layout.root}")
        raise UsageError(f"{layout.root} exists and is not empty; choose a new folder for the case")
    who = actor or current_user()
    made_root = not layout.root.exists()
    layout.root.mkdir(parents=True, exist_ok=True)
    try:
        layout.create_folders()
        if database is None:
            db = open_database(layout, new=True)
        else:
            db = _new_shared_database(layout, database)
            who = db.session_user() or who
        db.upgrade(layout.backups)
        if database is not None:
            layout.write_case_file(database)
        with db.unit_of_work() as uow:
            name = (title or layout.root.name).strip() or layout.root.name
            uow.session.add(
                CaseInfo(id=1, title=name, created_at=utc_now(), created_by=who, created_with=__version__)
            )
            custody.append(
                uow.session,
                document_id=None,
                actor=who,
                action="case_created",
                summary=f"case {name!r} created",
                after={"title": name, "reviewer": __version__, "host": current_host()},
            )
            search_index.rebuild(uow.session)
            uow.commit()
    except BaseException:
        # Take back what this call made: the folder if it made it, else only what it put in the
        # person's empty folder (which stays).
        if made_root:
            shutil.rmtree(layout.root, ignore_errors=True)
        else:
            for made in layout.root.iterdir():
                if made.is_dir() and not made.is_symlink():
                    shutil.rmtree(made, ignore_errors=True)
                else:
                    made.unlink(missing_ok=True)
        raise
    return Case(layout, db, who)


def _new_shared_database(layout: CaseLayout, url: str) -> CaseDatabase:
    from reviewer.core.storage.postgres_db import PostgresDatabase  # only for a shared case

    db = PostgresDatabase(url, layout.root)
    try:
        if db.current_revision() is not None:
            raise UsageError(f"the database {db.where} already holds a case; give an empty database")
    except BaseException:
        db.close()
        raise
    return db


def open_case(root: Path, *, actor: str | None = None, password: str | None = None) -> Case:
    """Open an existing case: upgrade its schema if it is older (after a backup), sweep debris.

    On a shared case the actor is always the database's name for who is connected (the custody
    log's trigger records that name whatever a client sends), never ``actor``. ``password``: for
    the server of a shared case that asks one libpq found nowhere (the window prompts for it).
    """
    layout = CaseLayout(Path(os.path.abspath(root)))
    if not is_case_folder(layout.root):
        raise UsageError(f"no reviewer case at {layout.root} (create one with: reviewer init {root})")
    who = actor or current_user()
    # Damaged or unwritable: opened read-only, so nothing (not even an upgrade or a sweep) writes.
    db = open_database(layout, password=password)
    try:
        who = db.session_user() or who
        upgraded = db.upgrade(layout.backups)
        db.check_access()
        case = Case(layout, db, who)
        if db.read_only is not None:
            logging.getLogger(__name__).warning("reviewer: %s", db.read_only)
            return case
        if upgraded is not None:
            note = f" ({db.upgrade_note})" if db.upgrade_note else ""
            _log_case_event(
                case,
                "schema_upgraded",
                f"case upgraded to this version of reviewer{note}",
                before={"schema": upgraded[0]},
                after={"schema": upgraded[1]},
                # a case made before chain heads were kept gets its first one with this entry
                start_head=_predates_chain_heads(upgraded[0]) and anchor.read_head(layout.database) is None,
            )
        _sweep(case)
        _index(case)
    except BaseException:
        db.close()
        raise
    return case


def _index(case: Case) -> None:
    """Build the search index if this case has none yet, or one made by older rules.

    Then a local case's Tantivy index is brought up to date with it (what a crash or another
    process left unabsorbed; all of it when missing): see ``reviewer.core.storage.search_tantivy``.
    """
    from reviewer.core.services.search import update_index  # imports Tantivy: only once a case opens

    with case.db.reading() as session:
        current = search_index.index_is_current(session)
    if not current:
        with case.db.unit_of_work() as uow:
            search_index.rebuild(uow.session)
            uow.commit()
    update_index(case)


def _log_case_event(
    case: Case,
    action: str,
    summary: str,
    *,
    before: object = None,
    after: object = None,
    start_head: bool = False,
) -> None:
    with case.db.unit_of_work() as uow:
        custody.append(
            uow.session,
            document_id=None,
            actor=case.actor,
            action=action,
            summary=summary,
            before=before,
            after=after,
        )
        if start_head:
            custody.accept_head(uow.session)
        uow.commit()


def _predates_chain_heads(revision: str | None) -> bool:
    """Whether a schema revision is older than 0006, which began keeping the chain's head in a file."""
    return revision is not None and revision.isdigit() and int(revision) < 6


def _sweep(case: Case) -> None:
    """Clear what operations that died left in staging, exactly as their journals name it.

    Runs only when no operation on this case is live (it holds the staging lock exclusively
    throughout). Copies in staging and scratch folders the dead operation recorded are removed; an
    original it had moved into the store but never recorded is moved to quarantine, never removed.
    """
    layout = case.layout
    with exclusive_staging(layout) as alone:
        if not alone:
            return
        dead = dead_claims(layout)
        if not dead:
            return
        admitted = {sha for claim in dead for sha in claim.admitted}
        with case.db.reading() as session:
            recorded = (
                set(session.scalars(select(Document.sha256).where(Document.sha256.in_(admitted))))
                if admitted
                else set()
            )
        batch = f"{utc_now().replace(':', '')}-interrupted"
        quarantined: list[str] = []
        for sha in sorted(admitted - recorded):
            path = layout.original(sha)
            if path.is_file():
                quarantined.append(str(quarantine(layout, path, batch).relative_to(layout.root)))
        cleared = [{"operation": claim.folder.name, "removed": clear_claim(claim)} for claim in dead]
    summary = f"cleared what {len(dead)} interrupted operation(s) left in staging"
    if quarantined:
        summary += (
            f"; {len(quarantined)} original(s) they had copied into the store but never recorded "
            "moved to quarantine/ (the files they came from are untouched)"
        )
    _log_case_event(case, "staging_swept", summary, after={"cleared": cleared, "quarantined": quarantined})
