"""snapshots: a quarter may be frozen again (revision, reason kept) and says the instant it stands for

Revision ID: 0006
Revises: '0005'

A quarter frozen from the history as of its last instant may need freezing again (a
correction recorded late). The earlier snapshot is kept: ``revision`` counts the freezes of
a quarter (1 for existing rows), ``reason`` says why it was frozen again, ``as_of`` the
instant the copy stands for (None for rows made before: those copied the live data). The
unique key becomes (city, quarter, revision).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``revision``, ``reason``, ``as_of``; unique on (city, quarter, revision). Skips what is there."""
    inspector = sa.inspect(op.get_bind())
    columns = {column["name"] for column in inspector.get_columns("snapshots")}
    uniques = {unique["name"] for unique in inspector.get_unique_constraints("snapshots")}
    with op.batch_alter_table("snapshots") as batch:
        if "revision" not in columns:
            batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))
        if "reason" not in columns:
            batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
        if "as_of" not in columns:
            batch.add_column(sa.Column("as_of", sa.String(length=32), nullable=True))
        if "uq_snapshot_city_quarter" in uniques:
            batch.drop_constraint("uq_snapshot_city_quarter", type_="unique")
        if "uq_snapshot_city_quarter_revision" not in uniques:
            batch.create_unique_constraint("uq_snapshot_city_quarter_revision", ["city_adcode", "quarter", "revision"])


def downgrade() -> None:
    """Keep only the newest revision of each quarter, then the old columns and key."""
    op.execute("DELETE FROM snapshots WHERE EXISTS (SELECT 1 FROM snapshots AS newer WHERE "
               "newer.city_adcode = snapshots.city_adcode AND newer.quarter = snapshots.quarter "
               "AND newer.revision > snapshots.revision)")
    with op.batch_alter_table("snapshots") as batch:
        batch.drop_constraint("uq_snapshot_city_quarter_revision", type_="unique")
        batch.create_unique_constraint("uq_snapshot_city_quarter", ["city_adcode", "quarter"])
        batch.drop_column("as_of")
        batch.drop_column("reason")
        batch.drop_column("revision")
