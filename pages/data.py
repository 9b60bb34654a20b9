"""Page: data — editors sign in, quick-edit carriers, see history and undo, freeze quarters,
download the quarterly report, and import spreadsheets.

UI only: the checks and writes live in ``carriermap.auth``, ``permissions``, ``editing``,
``snapshots`` and ``report``; the widgets in ``carriermap.ui``.
"""

import streamlit as st

from carriermap.ui import (
    confirm_panel,
    editor,
    history_panel,
    import_panel,
    location_queue,
    notice_panel,
    quarters_panel,
    review_panel,
    signin,
)
from carriermap.ui.context import carriers, current

ctx = current()
st.title(ctx.t("page.data"))
user = signin.current_user(ctx)
if user is None:
    signin.sign_in_form(ctx)
    st.stop()
signin.account_bar(ctx, user)
editor.show_flash()
record = editor.choose_carrier(ctx, user, carriers(ctx))
# keyed tabs: after a save, undo, delist, freeze or import the editor stays on the tab they were on
tab_edit, tab_history, tab_review, tab_quarters, tab_import, tab_queue, tab_notice = st.tabs(
    [ctx.t("data.tab.edit"), ctx.t("data.tab.history"), ctx.t("review.tab"), ctx.t("data.tab.quarters"),
     ctx.t("data.tab.import"), ctx.t("lists.queue.tab"), ctx.t("lists.notice.tab")],
    key=f"data.tab.{ctx.lang}", on_change="rerun")
with tab_edit:
    if record is not None:
        review_panel.pending_note(ctx, record)
        confirm_panel.confirm_button(ctx, user, record)
        editor.quick_edit_form(ctx, user, record)
        editor.status_controls(ctx, user, record)
with tab_review:
    review_panel.review_panel(ctx, user, carriers(ctx))
with tab_history:
    if record is not None:
        history_panel.history_panel(ctx, user, record)
with tab_quarters:
    quarters_panel.quarters_panel(ctx, user)
with tab_import:
    import_panel.import_panel(ctx, user)
with tab_queue:
    location_queue.location_queue(ctx, user, carriers(ctx))
with tab_notice:
    notice_panel.notice_panel(ctx, user)
