"""The custody log becomes append-only in the database itself: triggers refuse UPDATE and DELETE.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 01:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgresql()
        return
    # The custody log is append-only: the database itself refuses to change or remove an entry.
    op.execute(
        "CREATE TRIGGER custody_event_no_update BEFORE UPDATE ON custody_event "
        "BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER custody_event_no_delete BEFORE DELETE ON custody_event "
        "BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END"
    )


def _upgrade_postgresql() -> None:
    # The same refusal in PL/pgSQL, TRUNCATE included; and on a shared case the entry's actor is
    # the role that is connected, set by the database whatever the client sent (so nobody writes in
    # someone else's name; an entry sent under another name no longer matches its own hash).
    op.execute(
        "CREATE FUNCTION custody_event_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'the custody log is append-only'; END $$"
    )
    for event, scope in (("UPDATE", "ROW"), ("DELETE", "ROW"), ("TRUNCATE", "STATEMENT")):
        op.execute(
            f"CREATE TRIGGER custody_event_no_{event.lower()} BEFORE {event} ON custody_event "
            f"FOR EACH {scope} EXECUTE FUNCTION custody_event_append_only()"
        )
    op.execute(
        "CREATE FUNCTION custody_event_actor() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN NEW.actor := session_user; RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER custody_event_actor BEFORE INSERT ON custody_event "
        "FOR EACH ROW EXECUTE FUNCTION custody_event_actor()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trigger in ("actor", "no_truncate", "no_delete", "no_update"):
            op.execute(f"DROP TRIGGER IF EXISTS custody_event_{trigger} ON custody_event")
        op.execute("DROP FUNCTION IF EXISTS custody_event_actor()")
        op.execute("DROP FUNCTION IF EXISTS custody_event_append_only()")
        return
    op.execute("DROP TRIGGER IF EXISTS custody_event_no_delete")
    op.execute("DROP TRIGGER IF EXISTS custody_event_no_update")
