"""The database: SQLAlchemy over an embedded SQLite file, or PostgreSQL via a URL.

``Store.open()`` is the entry point; see :mod:`carriermap.store.repository`.
"""

from carriermap.store.errors import ConflictError, InvalidRecordError, NotFoundError, StoreError, UndoError
from carriermap.store.repository import Store

__all__ = ["ConflictError", "InvalidRecordError", "NotFoundError", "Store", "StoreError", "UndoError"]
