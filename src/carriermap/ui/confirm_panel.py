"""Confirmations in the pages: the editor's "still accurate" button and find space's stale-listing switch."""

from __future__ import annotations

from typing import Any

import streamlit as st

from carriermap.freshness.age import confirmed_text, record_days, utc_now
from carriermap.freshness.confirm import confirm
from carriermap.freshness.settings import city_settings
from carriermap.permissions import User
from carriermap.ui.context import PageContext
from carriermap.ui.editor import BASE_KEY, settle

STALE_PARAM, STALE_KEY = "stale", "fs_stale"


def include_stale_checkbox(ctx: PageContext) -> bool:
    """Find space: "include listings unconfirmed for more than N days", kept in the URL (``?stale=1``)."""
    if STALE_KEY not in st.session_state:
        st.session_state[STALE_KEY] = st.query_params.get(STALE_PARAM) == "1"
    days = city_settings(ctx.city.adcode).hide_after_days
    include = st.checkbox(ctx.t("fresh.include_stale", days=days), key=STALE_KEY)
    if include:
        st.query_params[STALE_PARAM] = "1"
    elif STALE_PARAM in st.query_params:
        del st.query_params[STALE_PARAM]
    return bool(include)


def freshness_note(ctx: PageContext, hidden: int) -> None:
    """Under the results: how ranking works, and how many stale listings were left out."""
    settings = city_settings(ctx.city.adcode)
    st.caption(ctx.t("fresh.ranking_note", fresh=settings.fresh_days))
    if hidden > 0:
        st.caption(ctx.t("fresh.hidden_note", count=hidden, days=settings.hide_after_days))


def confirm_button(ctx: PageContext, user: User, record: dict[str, Any]) -> None:
    """When the facts were last confirmed, and the one-click "still accurate" confirmation."""
    days = record_days(record, utc_now())
    from carriermap.history_view import actor_name

    who = actor_name(record.get("confirmed_by"), ctx.lang) or "—"  # the initial load by name, not "system"
    st.caption(ctx.t("fresh.editor.status", text=confirmed_text(days, ctx.lang), who=who))
    version = st.session_state[BASE_KEY]["version"]
    if st.button(ctx.t("fresh.editor.confirm"), key=f"data.confirm.{record['id']}.{version}",
                 icon=":material/verified:"):
        settle(ctx, lambda: confirm(ctx.store, user, record["id"], version), record)
