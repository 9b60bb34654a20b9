"""carriers.provenance: where each value comes from (JSON field → entry); features.location_source

Revision ID: 0011
Revises: '0010'

A new nullable text column. Carriers already stored as samples (``is_sample``) get the
entry ``{"*": invented}`` (every value illustrative, as the flag said); the others stay
without an entry ("unsourced": written before provenance was kept), rather than be given a
source nobody recorded. See :mod:`carriermap.provenance`.

``features.location_source`` says what locates a corridor's or zone's geometry; null means
unsourced (the texts name the feature but do not locate it), which the map says.
"""

import warnings
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A migration keeps its own copy of the text (later library edits must not change it).
ALL_INVENTED = '{"*":{"kind":"invented","ref":"is_sample (before provenance was kept)"}}'


def _has_column(table: str, column: str) -> bool:
    """True when ``table`` already has ``column`` (a database created from the newest tables
    before Alembic was stamped at the baseline and still runs every revision)."""
    with warnings.catch_warnings():  # PostGIS's geography type is unknown to the reflection: not ours
        warnings.simplefilter("ignore", sa.exc.SAWarning)
        return column in {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    """Add ``carriers.provenance``; mark the values of existing sample carriers invented."""
    if not _has_column("carriers", "provenance"):
        with op.batch_alter_table("carriers") as batch:
            batch.add_column(sa.Column("provenance", sa.Text(), nullable=True))
    carriers = sa.table("carriers", sa.column("provenance", sa.Text()), sa.column("is_sample", sa.Boolean()))
    op.execute(carriers.update().where(carriers.c.is_sample.is_(True), carriers.c.provenance.is_(None))
               .values(provenance=ALL_INVENTED))
    if not _has_column("features", "location_source"):
        with op.batch_alter_table("features") as batch:
            batch.add_column(sa.Column("location_source", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop ``carriers.provenance`` and ``features.location_source``."""
    with op.batch_alter_table("features") as batch:
        batch.drop_column("location_source")
    with op.batch_alter_table("carriers") as batch:
        batch.drop_column("provenance")
