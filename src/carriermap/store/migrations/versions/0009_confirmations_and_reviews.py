"""confirmations on carriers, reviews before publishing, per-city settings

Adds ``carriers.confirmed_at``/``confirmed_by`` (filled from ``updated_at`` for existing rows:
the last write is the last time someone stated those facts), the ``reviews`` table of changes
waiting for a reviewer, and ``city_settings`` (review on or off per city).

Revision ID: 0009
Revises: '0007' (0005 on main; the lead re-chains)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the confirmation columns, back-fill them, create ``reviews`` and ``city_settings``.

    A database whose tables were made from the current metadata before Alembic (stamped at the
    baseline) may have the columns already: only missing ones are added.
    """
    present = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("carriers")}
    for name, length in (("confirmed_at", 32), ("confirmed_by", 128)):
        if name not in present:
            op.add_column("carriers", sa.Column(name, sa.String(length=length), nullable=True))
    op.execute("UPDATE carriers SET confirmed_at = updated_at WHERE confirmed_at IS NULL")
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("city_adcode", sa.String(length=12), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("values", sa.Text(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("decided_by", sa.String(length=128), nullable=True),
        sa.Column("decided_at", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("submitted_changeset", sa.Integer(), nullable=True),
        sa.Column("decided_changeset", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["submitted_changeset"], ["changesets.id"]),
        sa.ForeignKeyConstraint(["decided_changeset"], ["changesets.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_reviews_city_state", "reviews", ["city_adcode", "state"])
    op.create_index("ix_reviews_carrier", "reviews", ["carrier_id"])
    op.create_table(
        "city_settings",
        sa.Column("city_adcode", sa.String(length=12), nullable=False),
        sa.Column("review_required", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("updated_by", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("city_adcode"),
    )


def downgrade() -> None:
    """Drop the new tables and columns (pending reviews are lost: export them first)."""
    op.drop_table("city_settings")
    op.drop_index("ix_reviews_carrier", table_name="reviews")
    op.drop_index("ix_reviews_city_state", table_name="reviews")
    op.drop_table("reviews")
    with op.batch_alter_table("carriers", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("confirmed_by")
        batch_op.drop_column("confirmed_at")
