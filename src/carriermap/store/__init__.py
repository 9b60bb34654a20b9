"""The database: SQLAlchemy over an embedded SQLite file, or PostgreSQL via a URL.

``Store.open()`` is the entry point; see :mod:`carriermap.store.repository`.
"""

from carriermap.store.errors import (
    ConflictError,
    InvalidRecordError,
    NotFoundError,
    StoreBusy,
    StoreError,
    UndoConflict,
    UndoError,
)
from carriermap.store.repository import Store

__all__ = ["ConflictError", "InvalidRecordError", "NotFoundError", "Store", "StoreBusy", "StoreError", "UndoConflict",
           "UndoError"]
