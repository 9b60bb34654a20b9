"""Tables. Carriers keep WGS-84 ``lon``/``lat``; every change is a row of ``changes``.

Column types come from :data:`carriermap.model.CARRIER_FIELDS`, so the model is declared once.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from carriermap.model import CARRIER_FIELDS

metadata = MetaData()

_SQL_TYPES = {"text": Text, "code": String(32), "int": Integer, "year": Integer, "float": Float,
              "bool": Boolean, "list": Text, "date": Text, "json": Text}


def _carrier_columns() -> list[Column]:
    columns = []
    for spec in CARRIER_FIELDS:
        sql_type = String(12) if spec.name.endswith("adcode") else _SQL_TYPES[spec.kind]
        columns.append(Column(spec.name, sql_type, nullable=not spec.required))
    return columns


carriers = Table(
    "carriers", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *_carrier_columns(),
    Column("updated_at", String(32), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    # When the changeable facts (free space, rent, contact, status) were last confirmed, and by whom
    # (carriermap.freshness): a one-click confirmation or any edit of those facts sets them.
    Column("confirmed_at", String(32)),
    Column("confirmed_by", String(128)),
    Index("ix_carriers_city", "city_adcode"),
    Index("ix_carriers_city_name", "city_adcode", "name"),
    # Never reuse the id of a removed carrier (an undone import): its history stays its own.
    sqlite_autoincrement=True,
)

changesets = Table(
    "changesets", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("actor", String(128), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("kind", String(16), nullable=False),  # seed | import | edit | delist | relist | undo | confirm
    # | submit | approve | reject (review before publishing, carriermap.review)
    Column("summary", Text, nullable=False, default=""),
    Column("city_adcode", String(12)),
    Column("undoes", Integer, ForeignKey("changesets.id")),
    Column("undone_by", Integer, ForeignKey("changesets.id")),
)

changes = Table(
    "changes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("changeset_id", Integer, ForeignKey("changesets.id"), nullable=False),
    Column("carrier_id", Integer, nullable=False),
    Column("action", String(8), nullable=False),  # insert | update | delete
    Column("before", Text),  # JSON of the whole record, None for insert
    Column("after", Text),  # JSON of the whole record, None for delete
    Index("ix_changes_carrier", "carrier_id"),
    Index("ix_changes_changeset", "changeset_id"),
)

features = Table(
    "features", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("city_adcode", String(12), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("members", Text, nullable=False, default="[]"),
    Column("schematic", Boolean, nullable=False, default=False),
    Column("source", Text),
    Column("location_source", Text),  # what locates the geometry; None: unsourced (the texts do not)
    Column("is_sample", Boolean, nullable=False, default=False),
    Column("geometry", Text, nullable=False),  # GeoJSON, WGS-84
)

targets = Table(
    "targets", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("city_adcode", String(12), nullable=False, index=True),
    Column("unit", Text),  # None: the whole city; else a district adcode or a reporting unit name
    Column("metric", String(32), nullable=False),
    Column("value", Float, nullable=False),
    Column("year", Integer, nullable=False),
    Column("source", Text),
    Column("is_sample", Boolean, nullable=False, default=False),
)

snapshots = Table(
    "snapshots", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("city_adcode", String(12), nullable=False),
    Column("quarter", String(8), nullable=False),  # e.g. 2026Q3
    Column("frozen_at", String(32), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("carriers", Text, nullable=False),  # JSON list of carrier records as frozen
    # A quarter frozen again (admins, with a reason) gets the next revision; earlier ones are kept.
    Column("revision", Integer, nullable=False, default=1, server_default="1"),
    Column("reason", Text),  # why it was frozen again (None for the first freeze)
    Column("as_of", String(32)),  # the instant the copy stands for (UTC); None: a copy of the live data at frozen_at
    UniqueConstraint("city_adcode", "quarter", "revision", name="uq_snapshot_city_quarter_revision"),
)

# ---- editors' accounts (carriermap.auth) -----------------------------------------------
users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),  # Argon2id PHC string, never the password
    Column("role", String(24), nullable=False),  # admin | city_official | district_official | operator
    Column("scope", Text),  # city adcode, district adcode or reporting unit, or carrier ids "1,2"
    Column("created_at", String(32), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
)

sessions = Table(
    "sessions", metadata,
    Column("token_hash", String(64), primary_key=True),  # SHA-256 of the token; the token itself is not kept
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
    Column("revoked_at", String(32)),
)

sign_in_throttle = Table(
    "sign_in_throttle", metadata,
    Column("kind", String(8), primary_key=True),  # "name" (the name typed, known or not) | "address"
    Column("key", String(128), primary_key=True),
    Column("recent", Text, nullable=False, default="[]"),  # JSON list: when each password was verified (15 min)
    Column("locked_until", String(32)),
)

# ---- review before publishing (carriermap.review) -------------------------------------
reviews = Table(
    "reviews", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("city_adcode", String(12), nullable=False),
    Column("carrier_id", Integer, nullable=False),
    Column("kind", String(16), nullable=False),  # the edit's kind: edit | delist | relist
    Column("level", String(16), nullable=False),  # who reviews: district | city
    Column("values", Text, nullable=False),  # JSON of the proposed field values
    Column("base_version", Integer),  # the carrier's version the proposer saw
    Column("actor", String(128), nullable=False),  # who proposed
    Column("created_at", String(32), nullable=False),
    Column("state", String(12), nullable=False),  # pending | approved | rejected | withdrawn
    Column("decided_by", String(128)),
    Column("decided_at", String(32)),
    Column("reason", Text),
    Column("submitted_changeset", Integer, ForeignKey("changesets.id")),
    Column("decided_changeset", Integer, ForeignKey("changesets.id")),
    Index("ix_reviews_city_state", "city_adcode", "state"),
    Index("ix_reviews_carrier", "carrier_id"),
)

city_settings = Table(
    "city_settings", metadata,
    Column("city_adcode", String(12), primary_key=True),
    Column("review_required", Boolean, nullable=False, default=False),
    Column("updated_at", String(32), nullable=False),
    Column("updated_by", String(128), nullable=False),
)
