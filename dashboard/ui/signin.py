"""Sign-in, roles and the audit trail on the Streamlit side (the rules are in `dashboard.core.access`).

With `[auth]` in `.streamlit/secrets.toml` nothing is shown before sign-in through `st.login`; without it the app
runs as "lokal användare" with every role (and `scripts/start.sh` listens on 127.0.0.1 only).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard.core import access
from dashboard.db import audit, decks

log = logging.getLogger(__name__)
_SIGNED_IN = "_granskning_inloggning"  # session flag: this session's sign-in is in the log


@dataclass(frozen=True)
class Person:
    email: str  # or "lokal användare"
    name: str
    role: str | None
    local: bool = False
    signed_in_at: str = ""  # when the identity provider signed them in (the ID token's iat), Stockholm time


LOCAL = Person(access.LOCAL_USER, access.LOCAL_USER, access.FORVALTARE, local=True)


def _when(iat: object) -> str:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    try:
        moment = datetime.fromtimestamp(int(iat), UTC).astimezone(ZoneInfo("Europe/Stockholm"))
    except (TypeError, ValueError, OverflowError):
        return ""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _secrets_section(name: str) -> Mapping | None:
    try:
        section = st.secrets.get(name)
    except Exception:  # noqa: BLE001 - no or unreadable secrets file: nothing configured
        return None
    return section.to_dict() if hasattr(section, "to_dict") else section


def signin_configured() -> bool:
    return access.signin_configured(_secrets_section("auth"))


def _provider() -> str | None:
    """The named provider of `[auth.<name>]`, or None when the settings are in `[auth]` itself."""
    auth = _secrets_section("auth") or {}
    if "client_id" in auth:
        return None
    return next((name for name, value in auth.items() if isinstance(value, Mapping)), None)


def current_person() -> Person | None:
    """Who is using this session: the signed-in person, LOCAL without sign-in configured, None before sign-in."""
    if not signin_configured():
        return LOCAL
    if not st.user.is_logged_in:
        return None
    claims = st.user.to_dict()
    email = str(claims.get("email") or claims.get("preferred_username") or claims.get("sub") or "")
    name = str(claims.get("name") or email)
    try:
        role = access.role_for(claims, access.config_from(_secrets_section("roller")))
    except access.AccessConfigError as error:
        log.error("rollerna i secrets.toml går inte att använda: %s", error)
        role = None
    return Person(email, name, role, signed_in_at=_when(claims.get("iat")))


def person_name() -> str:
    """Who the import log and the audit log name for this session ("lokal användare" without sign-in)."""
    person = current_person()
    return person.email or person.name if person is not None and not person.local else access.LOCAL_USER


def record(action: str, view: str = "", detail: str = "", person: Person | None = None) -> None:
    """Write an entry for this session's person; a log that cannot be written is logged, never shown."""
    person = person or current_person() or Person("okänd", "okänd", None)
    try:
        audit.record(person.email, person.name, person.role or "ingen", action, view, detail)
    except Exception:  # noqa: BLE001 - the audit log must not take a page down; the server log has it
        log.exception("kunde inte skriva granskningsloggen (%s, %s)", action, view)


def audited(data: bytes | Callable[[], bytes], action: str, view: str, detail: str = "") -> Callable[[], bytes]:
    """A download's data, as the deferred callable of `st.download_button`, that writes `action` to the audit
    log each time someone downloads it. The person is taken now: the callable runs outside the script."""
    person = current_person()

    def produce() -> bytes:
        content = data() if callable(data) else data
        record(action, view, detail, person)
        return content

    return produce


def owner() -> str:
    """What a deck made now is owned by: the signed-in person's e-mail ("" for the local user)."""
    person = current_person()
    return "" if person is None or person.local else person.email


def may_change(deck: object) -> bool:
    """May this session's person change `deck` (a queries.decks.Deck)? Their own, or anyone's as analytiker."""
    person = current_person()
    return person is not None and access.may_change_deck(person.role, person.email, getattr(deck, "owner", ""))


def _deck_changed(action: str, detail: str) -> None:
    """Deck changes made in a page (not by scripts or tests outside Streamlit) go to the audit log."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is not None:
        record(action, current_view() or "presentation", detail)


if _deck_changed not in decks.observers:
    decks.observers.append(_deck_changed)


def current_view() -> str:
    """The url_path of the page being shown (for the audit log)."""
    try:
        return st.context.url.rstrip("/").rsplit("/", 1)[-1].split("?")[0] if st.context.url else ""
    except Exception:  # noqa: BLE001 - no context (AppTest): no view
        return ""


def _sign_in_screen() -> None:
    st.title("Arbetsmarknadsnämndens analysdashboard")
    st.write("Dashboarden är bara för stadens medarbetare och förtroendevalda. Logga in med ditt konto i "
             "Stockholms stad för att se den.")
    provider = _provider()
    st.button("Logga in med stadens konto", type="primary", icon=":material/login:", key="logga_in",
              on_click=st.login, args=(provider,) if provider else ())


def _sign_out() -> None:
    record("utloggning")
    st.session_state.pop(_SIGNED_IN, None)
    st.logout()


def _badge(person: Person) -> None:
    with st.sidebar.container(key="vem"):
        if person.local and access.remote_allowed():
            st.caption(":material/warning: **Lokal användare** – ingen inloggning, alla roller, och nås från "
                       "andra datorer (DASHBOARD_ALLOW_REMOTE=1).")
        elif person.local:
            st.caption(":material/computer: **Lokal användare** – ingen inloggning, alla roller. "
                       "Nås bara från den här datorn.")
        else:
            st.caption(f":material/person: **{person.name}** · {person.role}")
            st.button("Logga ut", key="logga_ut", icon=":material/logout:", on_click=_sign_out)


def gate() -> Person:
    """The person using the session, with the badge in the sidebar; stops the script (after a sign-in screen or a
    refusal) when nobody is signed in or the signed-in person has no role."""
    person = current_person()
    if person is None:
        _sign_in_screen()
        st.stop()
    if person.local and not access.is_loopback(str(st.get_option("server.address") or "")) \
            and not access.remote_allowed():
        # Started by hand on another address (or on all of them) without sign-in and without asking for it.
        st.title("Dashboarden är inte inloggningsskyddad")
        st.error("Utan inloggning får dashboarden bara nås från datorn den körs på. Starta den med "
                 "`bash scripts/start.sh`, eller ställ in inloggning i .streamlit/secrets.toml (se README). "
                 "Att ändå visa den för andra utan inloggning kräver DASHBOARD_ALLOW_REMOTE=1.",
                 icon=":material/lock:")
        st.stop()
    if not person.local and not st.session_state.get(_SIGNED_IN):
        st.session_state[_SIGNED_IN] = True  # once per sign-in, however many sessions (tabs, typed addresses) see it
        try:
            audit.record_once(person.email, person.name, person.role or "ingen", "inloggning",
                              detail=f"inloggad {person.signed_in_at}" if person.signed_in_at else "")
        except Exception:  # noqa: BLE001 - as in record(): the log must not take the page down
            log.exception("kunde inte skriva inloggningen i granskningsloggen")
    if person.role is None:
        st.title("Ingen behörighet")
        st.error(f"Du är inloggad som {person.email}, men ditt konto har ingen roll i dashboarden. Be den som "
                 "förvaltar dashboarden om behörighet (läsare, analytiker eller förvaltare).",
                 icon=":material/block:")
        st.button("Logga ut", key="logga_ut", icon=":material/logout:", on_click=_sign_out)
        st.stop()
    _badge(person)
    return person


def _refusal(title: str, url_path: str) -> Callable[[], None]:
    def refused() -> None:
        person = current_person()
        record("nekad", view=url_path, person=person)
        st.title(title)
        st.error(f"Du har inte behörighet till sidan ”{title}”. Din roll är {person.role if person else 'ingen'}. "
                 "Be den som förvaltar dashboarden om du behöver den.", icon=":material/block:")

    refused.__name__ = f"nekad_{url_path}"
    return refused


def page(person: Person, file: Path, spec: dict, default: bool = False) -> st.Page:
    """The page, or, outside the person's role, a hidden page at the same address that refuses in Swedish."""
    if access.page_allowed(person.role, spec["url_path"]):
        return st.Page(file, default=default, **spec)
    return st.Page(_refusal(spec["title"], spec["url_path"]), title=spec["title"], url_path=spec["url_path"],
                   visibility="hidden")


def audit_log_section(limit: int = 500) -> None:
    """The audit log for the förvaltare (on the Data page): the latest entries and the whole log as CSV.
    Nothing is shown to other roles."""
    person = current_person()
    if person is None or not access.allowed(person.role, "granskningslogg"):
        return
    from dashboard import ui
    from dashboard.export.downloads import csv_bytes

    st.header("Granskningslogg", anchor="granskningslogg")
    st.caption("Vem som gjorde vad och när: inloggningar, varje export (med vyn den kom från), ändringar i "
               "presentationer, importer och borttagna data set. Bara förvaltare ser loggen.")
    latest = audit.entries(limit=limit)
    if latest.empty:
        st.info("Loggen är tom.")
        return
    ui.table(latest, is_demo=False, key="granskningslogg_tabell")  # the log holds no statistics
    st.download_button("Hela loggen som CSV (Excel, semikolon)",
                       audited(lambda: csv_bytes(audit.entries()), "logg_nedladdad", "data", "granskningslogg.csv"),
                       file_name="granskningslogg.csv", mime="text/csv", key="granskningslogg_csv",
                       icon=":material/download:", on_click="ignore")
