"""A view's state lives in the URL: widgets read their start value from it and write it back.

The value is also remembered in the session, so that switching to another page and back restores it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st


def _keep(key: str) -> str:
    return f"_keep_{key}"


def chosen_value(current: object, from_url: object, kept: object, options: Sequence[str],
                 default: str) -> tuple[str, str | None]:
    """The value to show, and the asked-for value that does not exist (None when nothing was replaced).

    A current (session) value among the options wins, "" included; else the URL, else the value kept from
    an earlier visit, else `default`.
    """
    if current is not None and str(current) in options:
        return str(current), None
    asked = [str(v) for v in (current, from_url, kept) if v not in (None, "")]
    value = next((v for v in asked if v in options), default)
    return value, (asked[0] if asked and value not in asked else None)


def bind(key: str, options: Sequence[str], default: str, *, label: str | None = None,
         format_func: Callable[[str], object] | None = None) -> str:
    """Call before the widget with this `key`: sets its value from the session, the URL or `default`.

    The value is always written to the session, so the widget shows it even when the widget is new on this
    page (a page switch) and the URL value is what the page draws. A value asked for that does not exist here
    is replaced by `default`, and one line says so (`label` names the control, `format_func` its options).
    """
    options = [str(o) for o in options]
    if default not in options and options:
        default = options[0]
    value, missing = chosen_value(st.session_state.get(key), st.query_params.get(key),
                                  st.session_state.get(_keep(key)), options, default)
    if missing is not None and options:
        shown = format_func(value) if format_func else value
        st.caption(f":material/info: {label or key}: ”{missing}” finns inte här; visar ”{shown}” i stället.")
    if options:
        st.session_state[key] = value
    return value


def publish(*keys: str) -> None:
    """Call after the widgets: the URL and the session remember the current values."""
    for key in keys:
        value = st.session_state.get(key)
        if value is None:
            continue
        st.session_state[_keep(key)] = value
        if st.query_params.get(key) != str(value):
            st.query_params[key] = str(value)
