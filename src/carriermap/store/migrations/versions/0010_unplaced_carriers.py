"""carriers may be unplaced: ``lon``/``lat`` nullable

Revision ID: 0010
Revises: 0009

A carrier imported from a list that gives an address and no coordinates is kept as
**unplaced**: its district is parsed from the address, its point is empty until an editor
places it (see :mod:`carriermap.location`). On PostGIS the generated ``geog`` column is NULL
for such a row, so ``ST_DWithin`` never finds it (find space never offers an unplaced
carrier). SQLite rebuilds the table (keeping AUTOINCREMENT, ids and indexes).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Drop NOT NULL from ``carriers.lon`` and ``carriers.lat``."""
    with op.batch_alter_table("carriers", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.alter_column("lon", existing_type=sa.Float(), nullable=True)
        batch.alter_column("lat", existing_type=sa.Float(), nullable=True)


def downgrade() -> None:
    """Refused while unplaced carriers exist (their rows would not fit); otherwise NOT NULL again."""
    bind = op.get_bind()
    unplaced = bind.execute(sa.text("SELECT COUNT(*) FROM carriers WHERE lon IS NULL OR lat IS NULL")).scalar()
    if unplaced:
        raise RuntimeError(f"{unplaced} unplaced carriers have no point: place or remove them before downgrading")
    with op.batch_alter_table("carriers", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.alter_column("lon", existing_type=sa.Float(), nullable=False)
        batch.alter_column("lat", existing_type=sa.Float(), nullable=False)
