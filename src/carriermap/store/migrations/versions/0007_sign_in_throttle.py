"""sign-in throttle: a sliding window of verified passwords per name and per source address

Revision ID: 0007
Revises: '0006'

Replaces ``login_attempts`` (a failure counter read in one statement and written in another,
which parallel guesses raced past). ``sign_in_throttle`` keeps, per ``(kind, key)`` — kind
``name`` (the name typed) or ``address`` (the client address) — the times of the passwords
verified in the last 15 minutes and the end of a lock. :mod:`carriermap.auth` reserves a slot
in one locked transaction before it verifies a hash.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``sign_in_throttle``; drop ``login_attempts`` (its counts are short-lived anyway)."""
    op.create_table(
        "sign_in_throttle",
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("recent", sa.Text(), nullable=False),
        sa.Column("locked_until", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("kind", "key"),
    )
    op.drop_table("login_attempts")


def downgrade() -> None:
    """Back to ``login_attempts`` (empty)."""
    op.create_table(
        "login_attempts",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.String(length=32), nullable=True),
        sa.Column("locked_until", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("name"),
    )
    op.drop_table("sign_in_throttle")
