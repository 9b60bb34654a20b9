"""What a data-page panel says when the store refuses a write.

Every write (edit, undo, placement, freeze, import, notice) can be refused for the same
reasons: a rule of the product (:class:`~carriermap.messages.KeyedError`: out of the editor's
scope, a frozen quarter, a bad point, …) or a database busy with another writer. Panels catch
:data:`WRITE_REFUSALS` after their own specific cases and show :func:`refusal_text`, so no
panel shows a traceback for a refusal another panel handles.
"""

from __future__ import annotations

from carriermap.messages import KeyedError
from carriermap.store import StoreBusy
from carriermap.ui.context import PageContext

WRITE_REFUSALS: tuple[type[Exception], ...] = (KeyedError, StoreBusy)


def refusal_text(ctx: PageContext, error: Exception) -> str:
    """The catalogue message for a refused write (one of :data:`WRITE_REFUSALS`)."""
    if isinstance(error, StoreBusy):
        return ctx.t("store.error.busy")
    return ctx.t(error.key, **error.params)
