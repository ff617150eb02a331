"""Sign-in in a real browser against a local OpenID Connect provider (oidc-provider-mock, in a thread of the
test): nothing before sign-in, what each role sees, refusals also by typed address, sign-out, and the audit log
with the right person for each action. And the default without sign-in: 127.0.0.1 only, "lokal användare"."""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import quote

import pytest

from dashboard.db import audit
from queries.db import engine
from tests.browser import CHROMIUM, TIMEOUT_MS, browser_page, dashboard_server, settle

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")]
SHOTS = Path("/tmp/signin-shots")
# The mock provider's own pages ask for one stylesheet from a CDN; the browser blocks it (and records it).
PROVIDER_CSS = "https://cdn.jsdelivr.net/npm/@picocss/"
PEOPLE = {
    "lasa@stockholm.se": {"name": "Lisa Läsare", "groups": ["AMN-Dashboard-Lasare"]},
    "forva@stockholm.se": {"name": "Folke Förvaltare", "groups": ["AMN-Dashboard-Lasare", "AMN-Dashboard-Forvaltare"]},
    "ingen@stockholm.se": {"name": "Ingrid Utan Roll", "groups": ["Någon-annan-grupp"]},
}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    settle(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, animations="disabled")


@pytest.fixture(scope="module")
def provider() -> str:
    import httpx
    import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread() as server:
        issuer = f"http://localhost:{server.server_port}"
        for email, claims in PEOPLE.items():
            response = httpx.put(f"{issuer}/users/{quote(email)}", json={"email": email, **claims}, timeout=30)
            assert response.status_code == 204
        yield issuer


def _secrets(tmp_path: Path, issuer: str) -> Path:
    path = tmp_path / "secrets.toml"
    path.write_text(f"""
[auth]
redirect_uri = "http://localhost:{{port}}/oauth2callback"
cookie_secret = "{secrets.token_urlsafe(32)}"
client_id = "arbetsmarknadsdashboard"
client_secret = "{secrets.token_urlsafe(16)}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"

[roller]
claim = "groups"
[roller.grupper]
"AMN-Dashboard-Lasare" = "läsare"
"AMN-Dashboard-Forvaltare" = "förvaltare"
""", encoding="utf-8")
    return path


def sign_in(page, base: str, email: str, heading: str = "Översikt") -> None:
    page.goto(base)
    page.get_by_role("button", name="Logga in med stadens konto").click()
    page.locator("input[name=sub]").fill(email)  # the provider's form: who signs in
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base}/**", timeout=TIMEOUT_MS)
    settle(page, heading)


def sign_out(page, base: str) -> None:
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Logga ut").click()
    page.wait_for_url(lambda url: not url.startswith(base), timeout=TIMEOUT_MS)  # the provider's end-session form
    page.locator("form button[type=submit]").first.click()
    page.get_by_role("button", name="Logga in med stadens konto").wait_for(timeout=TIMEOUT_MS)
    settle(page)


def nav_titles(page) -> list[str]:
    return [t.strip().splitlines()[-1] for t in page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()]


def test_sign_in_roles_refusals_sign_out_and_the_audit_log(database_url: str, provider: str, tmp_path: Path) -> None:
    from dashboard.db import decks
    from queries.decks import list_decks

    db = engine(database_url)
    deck_name = f"Förvaltarens {secrets.token_hex(3)}"
    others = decks.create_deck(deck_name, db, owner="forva@stockholm.se")
    others_slide = decks.add_slide(others, "kaa", {"jmf": "ar", "kon": "totalt"}, "KAA-tratten", db)
    own_deck = f"Lisas {secrets.token_hex(3)}"
    before = len(audit.entries(db))
    with dashboard_server(database_url, secrets=_secrets(tmp_path, provider)) as base, \
            browser_page() as (page, outside):
        # Before sign-in: only the sign-in screen, whatever page is asked for, and no navigation.
        for path in ["", "karta", "data", "presentation"]:
            page.goto(f"{base}/{path}")
            page.get_by_role("button", name="Logga in med stadens konto").wait_for(timeout=TIMEOUT_MS)
            settle(page)
            body = page.inner_text("body")
            assert "Karta" not in body and "Data och källor" not in body and "Granskningslogg" not in body, path
            assert page.locator("[data-testid='stSidebarNav']").count() == 0
            assert page.locator("[data-testid='stDownloadButton']").count() == 0
        shot(page, "1-inloggning")

        # Läsare: every view, the badge with name and role, no audit log; a download is logged.
        sign_in(page, base, "lasa@stockholm.se")
        sidebar = page.locator("[data-testid='stSidebar']")
        assert "Lisa Läsare" in sidebar.inner_text() and "läsare" in sidebar.inner_text()
        assert {"Översikt", "Karta", "Feriejobb", "Presentation", "Data och källor"} <= set(nav_titles(page))
        assert "Importera" not in nav_titles(page)
        shot(page, "2-lasare-oversikt")
        page.goto(f"{base}/data")
        settle(page, "Data och källor")
        assert "Granskningslogg" not in page.inner_text("body")
        page.goto(f"{base}/feriejobb")
        settle(page, "Feriejobb")
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            page.get_by_role("button", name="CSV (Excel, semikolon)").first.click()
        csv_name = download.value.suggested_filename
        assert csv_name.startswith("feriejobb_") and csv_name.endswith(".csv")
        # Presentations: the förvaltare's can be seen, not changed; the läsare's own can.
        page.goto(f"{base}/presentation?deck={others}")
        settle(page, "Presentation")
        assert "Presentationen är gjord av forva@stockholm.se" in page.inner_text("body")
        assert page.locator(f".st-key-rad_{others_slide}").count() == 1
        assert page.locator(f".st-key-bort_{others_slide}, .st-key-upp_{others_slide}").count() == 0
        assert page.get_by_text("Ta bort presentationen").count() == 0
        pptx = page.get_by_role("button", name="PowerPoint (.pptx)")
        pptx.wait_for(timeout=TIMEOUT_MS)  # a lazily loaded widget: there once the browser has drawn it
        shot(page, "3-lasare-annans-presentation")
        settle(page)
        with page.expect_download(timeout=TIMEOUT_MS) as download:  # seeing and exporting is for every läsare
            pptx.click()
        assert download.value.suggested_filename.endswith(".pptx")
        page.get_by_text("Ny presentation").first.click()
        page.get_by_label("Namn").fill(own_deck)
        page.get_by_role("button", name="Skapa presentation").click()
        page.get_by_text("Presentationen är tom").wait_for(timeout=TIMEOUT_MS)
        settle(page, "Presentation")
        assert "Presentationen är gjord av" not in page.inner_text("body")
        assert page.get_by_text("Ta bort presentationen").count() == 1
        page.goto(f"{base}/importera")  # the Importera page is not for a läsare, also by its address
        settle(page)
        assert "Du har inte behörighet till sidan" in page.inner_text("body")
        shot(page, "3-lasare-importera-nekad")
        sign_out(page, base)
        shot(page, "4-utloggad")
        page.goto(f"{base}/karta")  # signed out: the address alone opens nothing
        page.get_by_role("button", name="Logga in med stadens konto").wait_for(timeout=TIMEOUT_MS)
        settle(page)
        assert "Lisa Läsare" not in page.inner_text("body")

        # Someone the identity provider knows but in none of the dashboard's groups: refused, also by address.
        sign_in(page, base, "ingen@stockholm.se", heading="Ingen behörighet")
        for path in ["karta", "data"]:
            page.goto(f"{base}/{path}")
            settle(page, "Ingen behörighet")
            assert "ingen roll i dashboarden" in page.inner_text("body")
            assert page.locator("[data-testid='stSidebarNav']").count() == 0
        shot(page, "5-utan-roll-nekad")
        page.get_by_role("button", name="Logga ut").click()
        page.wait_for_url(lambda url: not url.startswith(base), timeout=TIMEOUT_MS)
        page.locator("form button[type=submit]").first.click()
        page.get_by_role("button", name="Logga in med stadens konto").wait_for(timeout=TIMEOUT_MS)

        # Förvaltare: the audit log on the Data page, with the läsare's actions by the läsare.
        sign_in(page, base, "forva@stockholm.se")
        assert "förvaltare" in page.locator("[data-testid='stSidebar']").inner_text()
        page.goto(f"{base}/data#granskningslogg")
        settle(page, "Data och källor")
        page.locator("h2", has_text="Granskningslogg").wait_for(timeout=TIMEOUT_MS)
        table = page.locator("[data-testid='stDataFrame']").last
        table.scroll_into_view_if_needed()
        table.locator("canvas").first.wait_for(state="attached", timeout=TIMEOUT_MS)  # the grid is drawn
        settle(page)
        shot(page, "6-forvaltare-granskningslogg")
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            page.get_by_role("button", name="Hela loggen som CSV (Excel, semikolon)").click()
        log_csv = Path(download.value.path()).read_bytes().decode("utf-8-sig")
        assert "lasa@stockholm.se" in log_csv and "Export CSV" in log_csv and csv_name in log_csv
        sign_out(page, base)
    assert [u for u in outside if not u.startswith(PROVIDER_CSS)] == []

    log = audit.entries(db)
    ours = log.iloc[: len(log) - before].iloc[::-1]  # this test's entries, oldest first
    done = [(r.Person, r.Roll, r.Händelse, r.Vy) for r in ours.itertuples()]
    assert done[:6] == [("lasa@stockholm.se", "läsare", "Inloggning", ""),
                        ("lasa@stockholm.se", "läsare", "Export CSV", "feriejobb"),
                        ("lasa@stockholm.se", "läsare", "Export PowerPoint", "presentation"),
                        ("lasa@stockholm.se", "läsare", "Presentation skapad", "presentation"),
                        ("lasa@stockholm.se", "läsare", "Nekad åtkomst", "importera"),
                        ("lasa@stockholm.se", "läsare", "Utloggning", "")]
    assert next(d.owner for d in list_decks(db) if d.name == own_deck) == "lasa@stockholm.se"
    assert ours["Detaljer"].iloc[2] == f"presentation {others} ”{deck_name}”"
    assert f"”{own_deck}”" in ours["Detaljer"].iloc[3]
    assert ours["Detaljer"].iloc[1] == csv_name
    assert ("ingen@stockholm.se", "ingen", "Inloggning", "") in done
    assert [d for d in done if d[0] == "forva@stockholm.se"] == [
        ("forva@stockholm.se", "förvaltare", "Inloggning", ""),
        ("forva@stockholm.se", "förvaltare", "Granskningslogg nedladdad", "data"),
        ("forva@stockholm.se", "förvaltare", "Utloggning", "")]
    assert set(ours["Namn"]) == {"Lisa Läsare", "Ingrid Utan Roll", "Folke Förvaltare"}


def test_two_people_at_once_each_see_their_own(database_url: str, provider: str, tmp_path: Path) -> None:
    with dashboard_server(database_url, secrets=_secrets(tmp_path, provider)) as base, \
            browser_page() as (lisa, outside):
        other = lisa.context.browser.new_context(viewport={"width": 1400, "height": 1100}, locale="sv-SE")
        other.route("**/*", lambda route: route.abort() if not route.request.url.startswith(
            ("http://localhost", "ws://localhost", "data:", "blob:")) else route.continue_())
        folke = other.new_page()
        folke.set_default_timeout(TIMEOUT_MS)
        sign_in(lisa, base, "lasa@stockholm.se")
        sign_in(folke, base, "forva@stockholm.se")
        for page in (lisa, folke):  # both sessions open at once, each on the Data page
            page.goto(f"{base}/data")
        for page, name, role, log in ((lisa, "Lisa Läsare", "läsare", 0), (folke, "Folke Förvaltare", "förvaltare", 1)):
            settle(page, "Data och källor")
            sidebar = page.locator("[data-testid='stSidebar']").inner_text()
            assert name in sidebar and role in sidebar
            assert page.locator("h2", has_text="Granskningslogg").count() == log
        lisa.reload()  # after the other has signed in, the first is still herself
        settle(lisa, "Data och källor")
        assert "Lisa Läsare" in lisa.locator("[data-testid='stSidebar']").inner_text()
        assert "Folke" not in lisa.inner_text("body")
        shot(folke, "8-tva-samtidigt-forvaltare")
        other.close()
    assert [u for u in outside if not u.startswith(PROVIDER_CSS)] == []


def _listening(port: int) -> set[str]:
    """The addresses (hex, as in /proc/net/tcp*) that listen on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_without_signin_only_localhost_and_a_local_user(database_url: str) -> None:
    from tests.browser import _free_port

    port = _free_port()
    with dashboard_server(database_url, port=port) as base, browser_page() as (page, outside):
        assert _listening(port) == {"0100007F"}, "lyssnar inte bara på 127.0.0.1"
        page.goto(f"{base}/data")
        settle(page, "Data och källor")
        badge = page.locator(".st-key-vem").inner_text()
        assert "Lokal användare" in badge and "alla roller" in badge
        assert "Logga in" not in page.inner_text("body")
        assert page.locator("h2", has_text="Granskningslogg").count() == 1  # every role: the förvaltare's too
        shot(page, "7-lokal-anvandare")
    assert outside == []


@pytest.mark.parametrize("allow", ["", "1"], ids=["utan-tillstand", "DASHBOARD_ALLOW_REMOTE"])
def test_started_by_hand_on_every_address_without_signin(database_url: str, allow: str) -> None:
    """`streamlit run --server.address 0.0.0.0` without sign-in shows nothing, unless asked for (then it says so)."""
    with dashboard_server(database_url, args=("--server.address", "0.0.0.0"),
                          env={"DASHBOARD_ALLOW_REMOTE": allow}) as base, browser_page() as (page, outside):
        page.goto(f"{base}/karta")
        if allow:
            settle(page, "Karta")
            assert "nås från andra datorer" in page.locator(".st-key-vem").inner_text()
        else:
            settle(page, "Dashboarden är inte inloggningsskyddad")
            assert page.locator("[data-testid='stSidebarNav']").count() == 0
            assert "DASHBOARD_ALLOW_REMOTE=1" in page.inner_text("body")
        shot(page, f"9-alla-adresser-{'tillatet' if allow else 'nekat'}")
    assert outside == []
