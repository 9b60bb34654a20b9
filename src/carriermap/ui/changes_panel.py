"""The map page's short "recent changes" list: news from the history, each linking to its carrier."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pandas as pd
import streamlit as st

from carriermap.freshness.age import LOCAL, utc_now
from carriermap.i18n import label, t
from carriermap.safety import markdown_text
from carriermap.ui.context import PageContext, recent_changes

DAYS, SHOWN = 30, 8


def event_text(row: dict[str, Any], lang: str) -> str:
    """One event as plain text: "Level: provincial → national", "New incubator", …"""
    event = row["event"]
    if event == "new":
        return t("changes.event.new", lang, type=label("type", row["after"], lang))
    if event == "level":
        return t("changes.event.level", lang, before=label("level", row["before"], lang) or "—",
                 after=label("level", row["after"], lang))
    if event == "free_space":
        return t("changes.event.free_space", lang, area=f"{float(row['after']):,.0f}")
    return t("changes.event.delisted", lang)


def changes_html(frame: pd.DataFrame, city_adcode: str, lang: str) -> str:
    """The events as an HTML list; every text escaped for HTML and Markdown, links to ``?carrier=ID``."""
    items = []
    for row in frame.to_dict("records"):
        day = pd.Timestamp(row["at"]).tz_convert(LOCAL).strftime("%m-%d")
        href = f"?city={int(city_adcode)}&amp;carrier={int(row['carrier_id'])}&amp;lang={lang}"
        items.append(f'<li><span style="color:#666">{markdown_text(day)}</span> '
                     f'<a href="{href}" target="_self">{markdown_text(row["name"])}</a> · '
                     f'{markdown_text(event_text(row, lang))}</li>')
    return f'<ul class="cm-changes" style="margin:0;padding-left:1.1rem">{"".join(items)}</ul>'


def changes_panel(ctx: PageContext) -> None:
    """The last :data:`SHOWN` events of the last :data:`DAYS` days in the city."""
    since = (utc_now().astimezone(LOCAL) - timedelta(days=DAYS)).date()
    frame = recent_changes(ctx, since, SHOWN)  # cached per city, day and data version
    st.subheader(ctx.t("changes.header"))
    if frame.empty:
        st.caption(ctx.t("changes.none", days=DAYS))
        return
    st.markdown(changes_html(frame, ctx.city.adcode, ctx.lang), unsafe_allow_html=True)
    st.caption(ctx.t("changes.note", days=DAYS))
