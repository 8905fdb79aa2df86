"""Text annotations: an annotation may quote words of its page and keep their boxes.

``annotation.quote`` is the words quoted (joined by single spaces), ``quote_prefix`` and
``quote_suffix`` a little of the page's text before and after them, ``word_boxes`` the words' boxes as
JSON ``[[x0, y0, x1, y1], ...]`` in points on the unrotated page. The annotation's rectangle stays the
boxes' union, so whatever reads rectangles reads a text annotation too. All NULL on a region.

Plain ``ALTER TABLE ... ADD COLUMN`` (no table rebuild): existing rows are not rewritten, and the state
anchors of 0006 read these columns as a part of their own that only documents with a text annotation
have, so anchors written before this revision keep verifying.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ("quote", "quote_prefix", "quote_suffix", "word_boxes")


def upgrade() -> None:
    for column in _COLUMNS:
        op.execute(f"ALTER TABLE annotation ADD COLUMN {column} TEXT")


def downgrade() -> None:
    # SQLite >= 3.35 drops a column in place; no trigger or index references these columns.
    for column in reversed(_COLUMNS):
        op.execute(f"ALTER TABLE annotation DROP COLUMN {column}")
