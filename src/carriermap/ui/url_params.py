"""Writing a page's state into the URL query: one helper for every page that keeps its state in the link."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import streamlit as st


def write_params(params: Mapping[str, str], names: Iterable[str]) -> None:
    """Set each of ``names`` to its value in ``params``, or drop it from the URL when absent (defaults).

    Only changed parameters are written, so an unchanged state does not touch the address bar.
    """
    for name in names:
        if name in params:
            if st.query_params.get(name) != params[name]:
                st.query_params[name] = params[name]
        elif name in st.query_params:
            del st.query_params[name]
