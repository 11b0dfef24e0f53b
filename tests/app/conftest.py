from __future__ import annotations

import pytest
import streamlit as st


@pytest.fixture
def app_env(sqlite_sample, monkeypatch):
    """Pages read the sample kommun through LOFTE_DATABASE_URL, with fresh caches."""
    monkeypatch.setenv("LOFTE_DATABASE_URL", str(sqlite_sample.url))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield sqlite_sample
    st.cache_data.clear()
    st.cache_resource.clear()
