"""A carrier's history (who changed what, when) with undo buttons, for the data page.

The table is written for people (:mod:`carriermap.history_view`). Undoing an import that
created the shown carrier removes it: the page then says so and moves on instead of failing.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from carriermap.editing import may_undo, undo_changeset, undo_conflict_lines
from carriermap.history_view import history_rows
from carriermap.permissions import User
from carriermap.safety import md_text
from carriermap.store import NotFoundError, StoreError, UndoConflict
from carriermap.store.errors import UndoError
from carriermap.ui.context import PageContext
from carriermap.ui.editor import BASE_KEY, CARRIER_KEY, flash
from carriermap.ui.refusals import WRITE_REFUSALS, refusal_text

UNDO_BUTTONS = 5


def _undo_error(ctx: PageContext, error: StoreError) -> str:
    """A refused undo in the page's language (the store's own text is for logs)."""
    if isinstance(error, UndoError) and "already undone" in str(error):
        return ctx.t("finish.undo.already")
    if isinstance(error, UndoError):
        return ctx.t("finish.undo.later_first")
    return ctx.t("finish.undo.gone")


def _undo(ctx: PageContext, user: User, changeset_id: int, carrier_id: int) -> None:
    try:
        result = undo_changeset(ctx.store, user, changeset_id)
    except UndoConflict as error:
        st.error("\n\n".join(md_text(line) for line in undo_conflict_lines(error, ctx.lang)))
        return
    except WRITE_REFUSALS as error:
        st.error(refusal_text(ctx, error))
        return
    except StoreError as error:
        st.error(_undo_error(ctx, error))
        return
    try:
        fresh = ctx.store.carrier(carrier_id)
    except NotFoundError:  # the undone import had created this carrier: it is gone now
        st.session_state.pop(CARRIER_KEY, None)
        st.session_state.pop(BASE_KEY, None)
        flash("success", ctx.t("finish.undo.removed", changeset=changeset_id, undo=result.changeset_id))
        st.rerun()
    st.session_state[BASE_KEY] = {"id": fresh["id"], "version": fresh["version"]}
    flash("success", ctx.t("finish.undo.done", changeset=changeset_id, undo=result.changeset_id))
    st.rerun()


def history_panel(ctx: PageContext, user: User, record: dict[str, Any]) -> None:
    """The carrier's changes, newest first, and undo for the latest change sets the user may undo."""
    history = ctx.store.history(int(record["id"]), limit=50)
    if history.empty:
        st.info(ctx.t("data.history.empty"))
        return
    st.caption(ctx.t("finish.history.time_zone"))
    st.dataframe(history_rows(history, ctx.lang), hide_index=True, width="stretch")
    open_sets = history[history["undone_by"].isna() & (history["kind"] != "seed")]["changeset_id"].drop_duplicates()
    for changeset_id in open_sets.head(UNDO_BUTTONS):
        if not may_undo(ctx.store, user, int(changeset_id)):
            continue
        if st.button(ctx.t("data.history.undo", changeset=int(changeset_id)), key=f"data.undo.{changeset_id}"):
            _undo(ctx, user, int(changeset_id), int(record["id"]))
