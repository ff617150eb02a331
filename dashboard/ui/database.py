"""When the database cannot be read: one Swedish banner on every page, the details in the log, a retry.

`run_page` runs the chosen page only if the database answers and is built; otherwise, or if it fails while
the page runs, the page shows the banner and tries again by itself every few seconds. Nothing is cached on
the way, so the page is back as soon as the database is. The browser never sees a traceback.
"""

from __future__ import annotations

import logging
from datetime import datetime

import streamlit as st

from dashboard.core import config
from queries import db

LOG = logging.getLogger(__name__)
RETRY_SECONDS = 5
WHO = "den som förvaltar dashboarden"


def _log_to_stderr() -> None:
    """Our warnings reach the server's log with a time (Streamlit configures only its own loggers)."""
    if not LOG.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        LOG.addHandler(handler)
        LOG.setLevel(logging.INFO)


def banner_text(problem: db.Problem) -> str:
    """What is wrong, that the figures cannot be shown now, and whom to tell; no addresses, no paths."""
    name = "PostgreSQL-databasen" if problem.backend == "postgresql" else "Databasen"
    if problem.kind == "unbuilt":
        return (f"**{name} är inte byggd.** Siffrorna kan inte visas förrän databasen har byggts från "
                f"de bifogade data. Be {WHO} att bygga den med kommandot `{db.BUILD_COMMAND}` "
                f"(eller starta dashboarden med `{db.START_COMMAND}`, som bygger och startar). "
                "Sidan visas av sig själv när databasen finns.")
    return (f"**{name} går inte att nå just nu.** Därför kan siffrorna inte visas. Sidan försöker igen av "
            f"sig själv var {RETRY_SECONDS}:e sekund. Går det inte över, kontakta {WHO} och berätta att "
            "databasen inte svarar och när det hände.")


@st.fragment(run_every=RETRY_SECONDS)
def _retry(url: str) -> None:
    """Asks the database again (and on the button); the whole page reruns once it answers."""
    st.button("Försök igen", key="database_retry")
    if db.problem(url) is None:
        LOG.info("Databasen svarar igen")
        st.rerun(scope="app")
    st.caption(f"Senast provat {datetime.now():%H:%M:%S}.")


def show_banner(problem: db.Problem, title: str | None, url: str) -> None:
    if title:
        st.title(title)
    st.error(banner_text(problem), icon=":material/database:")
    _retry(url)


def run_page(navigation) -> None:
    """Run the page from `st.navigation`, or the banner instead when the database cannot be read."""
    _log_to_stderr()
    url = config.database_url()
    found = db.problem(url)
    if found is None:
        top = st.empty()  # where the banner goes if the database fails while the page runs
        try:
            navigation.run()
            return
        except db.DATABASE_ERRORS as error:  # Streamlit's stop/rerun are BaseExceptions and pass through
            found = db.problem(url)
            if found is None:
                raise  # not the database being away: a bug, shown as one
            LOG.error("Databasen föll bort medan sidan %s visades (%s): %s", navigation.title, found.kind,
                      found.detail, exc_info=error)
        with top.container():  # above what the page drew before it failed (its heading included)
            show_banner(found, None, url)
        return
    LOG.warning("Databasen kan inte läsas (%s, %s): %s", found.kind, found.backend, found.detail)
    show_banner(found, navigation.title, url)
