"""carrier ids are never reused on SQLite (AUTOINCREMENT)

Without AUTOINCREMENT, SQLite hands the id of a carrier removed by an undone import to the
next new carrier, and the two carriers' histories would mix. PostgreSQL sequences never
reuse ids, so this is a no-op there.

Revision ID: 0004
Revises: '0003'
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Rebuild ``carriers`` with AUTOINCREMENT on SQLite (data, ids and indexes kept)."""
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("carriers", recreate="always", table_kwargs={"sqlite_autoincrement": True}):
        pass


def downgrade() -> None:
    """Nothing to undo that matters: AUTOINCREMENT only stops ids being reused."""
