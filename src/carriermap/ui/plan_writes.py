"""Writing a previewed plan (an import, a notice) from the data page, refusals said in the page's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from carriermap.store import ConflictError
from carriermap.ui.context import PageContext
from carriermap.ui.refusals import WRITE_REFUSALS, refusal_text

FAILED = object()  # the write was refused (the reason is on the page)


def write_plan(ctx: PageContext, write: Callable[[], Any], plan_key: str) -> Any:
    """Run ``write``; on a conflict forget the plan (it is stale) and say so; on a refusal say why.

    Returns what ``write`` returned, or :data:`FAILED`. The plan kept under ``plan_key`` is
    dropped after a success too (it is written).
    """
    try:
        result = write()
    except ConflictError:
        st.session_state.pop(plan_key, None)
        st.warning(ctx.t("data.import.conflict"))
        return FAILED
    except WRITE_REFUSALS as error:
        st.error(refusal_text(ctx, error))
        return FAILED
    st.session_state.pop(plan_key, None)
    return result
