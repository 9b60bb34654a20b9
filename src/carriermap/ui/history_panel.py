"""A carrier's history (who changed what, when) with undo buttons, for the data page."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from carriermap.editing import may_undo, undo_changeset, undo_conflict_lines
from carriermap.permissions import PermissionDenied, User
from carriermap.safety import md_text
from carriermap.snapshots import QuarterError
from carriermap.store import StoreBusy, StoreError, UndoConflict
from carriermap.ui.context import PageContext
from carriermap.ui.editor import BASE_KEY, flash

UNDO_BUTTONS = 5


def history_panel(ctx: PageContext, user: User, record: dict[str, Any]) -> None:
    """The carrier's changes, newest first, and undo for the latest change sets the user may undo."""
    history = ctx.store.history(int(record["id"]), limit=50)
    if history.empty:
        st.info(ctx.t("data.history.empty"))
        return
    table = pd.DataFrame({
        ctx.t("data.history.changeset"): history["changeset_id"],
        ctx.t("data.history.when"): history["created_at"],
        ctx.t("data.history.who"): history["actor"],
        ctx.t("data.history.kind"): history["kind"].map(lambda k: ctx.t(f"data.kind.{k}")),
        ctx.t("data.history.fields"): history["fields"].map(", ".join),
        ctx.t("data.history.undone_by"): history["undone_by"].map(lambda v: "" if pd.isna(v) else f"#{int(v)}"),
    })
    st.dataframe(table, hide_index=True, width="stretch")
    open_sets = history[history["undone_by"].isna() & (history["kind"] != "seed")]["changeset_id"].drop_duplicates()
    for changeset_id in open_sets.head(UNDO_BUTTONS):
        if not may_undo(ctx.store, user, int(changeset_id)):
            continue
        if st.button(ctx.t("data.history.undo", changeset=int(changeset_id)), key=f"data.undo.{changeset_id}"):
            try:
                undo_changeset(ctx.store, user, int(changeset_id))
            except (PermissionDenied, QuarterError) as error:
                st.error(ctx.t(error.key, **error.params))
                return
            except UndoConflict as error:
                st.error("\n\n".join(md_text(line) for line in undo_conflict_lines(error, ctx.lang)))
                return
            except StoreBusy:
                st.error(ctx.t("store.error.busy"))
                return
            except StoreError as error:
                st.error(ctx.t("data.history.undo_refused", reason=str(error)))
                return
            fresh = ctx.store.carrier(int(record["id"]))
            st.session_state[BASE_KEY] = {"id": fresh["id"], "version": fresh["version"]}
            flash("success", ctx.t("data.history.undone", changeset=int(changeset_id)))
            st.rerun()
