"""Changes announced: on a shared case every custody entry sends a NOTIFY when its transaction commits.

Every change to what is known about a document lands on the custody log in the same transaction as
the change itself, so a trigger on the log's inserts announces all of them without any Python: the
channel ``reviewer_changes`` (LISTEN/NOTIFY is scoped to one database, so it is the case's own
channel), the payload a small JSON object ``{"entry": id, "document": id or null, "action": "...",
"actor": "..."}``. PostgreSQL delivers a notification only when its transaction commits, and never one
of a transaction rolled back. Nothing changes in a local (SQLite) case.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "reviewer_changes"


def _on_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _on_postgres():
        return
    op.execute(
        "CREATE FUNCTION custody_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"PERFORM pg_notify('{CHANNEL}', json_build_object("
        "'entry', NEW.id, 'document', NEW.document_id, 'action', NEW.action, 'actor', NEW.actor"
        ")::text); RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER custody_event_notify AFTER INSERT ON custody_event "
        "FOR EACH ROW EXECUTE FUNCTION custody_event_notify()"
    )


def downgrade() -> None:
    if _on_postgres():
        op.execute("DROP TRIGGER IF EXISTS custody_event_notify ON custody_event")
        op.execute("DROP FUNCTION IF EXISTS custody_event_notify()")
