"""The map page's recent changes are read from the history once per data version, not on every rerun."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from carriermap import changes
from carriermap.ui import changes_panel
from carriermap.versions import delist

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def history_reads(monkeypatch):
    """How many times the history was read for the recent-changes list."""
    calls = []
    real = changes.recent_changes

    def counted(*args, **kwargs):
        calls.append(args[1:])
        return real(*args, **kwargs)

    monkeypatch.setattr(changes, "recent_changes", counted)
    if getattr(changes_panel, "recent_changes", None) is real:  # the panel reading the history itself
        monkeypatch.setattr(changes_panel, "recent_changes", counted)
    st.cache_data.clear()
    return calls


def test_recent_changes_are_read_once_per_data_version(store, db_url, monkeypatch, history_reads):
    monkeypatch.setenv("CARRIERMAP_DATABASE_URL", db_url)
    app = AppTest.from_file(str(ROOT / "pages" / "map.py"), default_timeout=60)
    app.query_params["city"] = "440100"
    app.run()
    assert not app.exception and len(history_reads) == 1
    app.run()
    app.run()
    assert len(history_reads) == 1  # reruns (a click, a filter) reuse the list
    victim = store.carriers("440100").query("status == 'operating'").iloc[0]
    delist(store, int(victim["id"]), actor="official")
    app.run()
    assert len(history_reads) == 2  # a write makes a new data version: the list is read again
    shown = " ".join(m.value for m in app.markdown)
    assert "cm-changes" in shown and str(victim["name"])[:4] in shown
