"""A view's state lives in the URL: widgets read their start value from it and write it back.

The value is also remembered in the session, so that switching to another page and back restores it.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st


def _keep(key: str) -> str:
    return f"_keep_{key}"


def bind(key: str, options: Sequence[str], default: str) -> str:
    """Call before the widget with this `key`: sets its value from the URL, the session or `default`."""
    options = [str(o) for o in options]
    if default not in options and options:
        default = options[0]
    current = st.session_state.get(key)
    if current is None or str(current) not in options:
        wanted = st.query_params.get(key) or st.session_state.get(_keep(key))
        st.session_state[key] = wanted if wanted in options else default
    return str(st.session_state[key])


def publish(*keys: str) -> None:
    """Call after the widgets: the URL and the session remember the current values."""
    for key in keys:
        value = st.session_state.get(key)
        if value is None:
            continue
        st.session_state[_keep(key)] = value
        if st.query_params.get(key) != str(value):
            st.query_params[key] = str(value)
