"""Roles and rights without Streamlit: claims → role, role → pages and actions, and the address start.sh binds."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

import pytest

from dashboard.core import access
from dashboard.core.access import ANALYTIKER, FORVALTARE, LASARE
from tests.seeds import REPO

CONFIG = access.config_from({
    "claim": "groups",
    "grupper": {"amn-lasare": "läsare", "amn-analytiker": "Analytiker", "amn-forvaltare": "förvaltare"},
    "epost": {"Chef@Stockholm.se": "förvaltare", "ana@stockholm.se": "analytiker"},
})


def test_each_role_may_do_what_the_lower_ones_may_and_more() -> None:
    rights = {role: {a for a in access.ACTIONS if access.allowed(role, a)} for role in access.ROLES}
    assert rights[LASARE] == {"visa", "presentationer", "exportera"}
    assert rights[ANALYTIKER] == rights[LASARE] | {"importera", "kolumnmappningar", "demodata",
                                                   "andras_presentationer"}
    assert rights[FORVALTARE] == rights[ANALYTIKER] | {"ta_bort_dataset", "granskningslogg"}


def test_unknown_roles_and_actions_are_refused() -> None:
    assert not access.allowed(None, "visa")
    assert not access.allowed("admin", "visa")
    assert not access.allowed(FORVALTARE, "radera_allt")  # a typo allows nothing


def test_pages_by_role() -> None:
    for role in access.ROLES:
        assert access.page_allowed(role, "karta") and access.page_allowed(role, "data")
    assert not access.page_allowed(LASARE, "importera")
    assert access.page_allowed(ANALYTIKER, "importera") and access.page_allowed(FORVALTARE, "importera")
    assert not access.page_allowed(None, "oversikt")


@pytest.mark.parametrize(("claims", "role"), [
    ({"email": "x@stockholm.se", "groups": ["amn-lasare"]}, LASARE),
    ({"email": "x@stockholm.se", "groups": ["annat", "amn-lasare", "amn-forvaltare"]}, FORVALTARE),  # highest
    ({"email": "x@stockholm.se", "groups": "amn-lasare, amn-analytiker"}, ANALYTIKER),  # a string claim
    ({"email": "chef@STOCKHOLM.se", "groups": ["amn-lasare"]}, FORVALTARE),  # e-mail wins, any case
    ({"email": "ana@stockholm.se", "groups": ["amn-forvaltare"]}, FORVALTARE),  # the higher of the two
    ({"email": "x@stockholm.se", "groups": ["annat"]}, None),  # in no group: no role
    ({"email": "x@stockholm.se"}, None),
    ({}, None),
])
def test_role_from_claims(claims: dict, role: str | None) -> None:
    assert access.role_for(claims, CONFIG) == role


def test_claim_name_and_default_role_are_configurable() -> None:
    config = access.config_from({"claim": "roles", "grupper": {"A": "analytiker"}, "standardroll": "läsare"})
    assert access.role_for({"roles": ["A"], "groups": ["amn-forvaltare"]}, config) == ANALYTIKER
    assert access.role_for({"groups": ["A"]}, config) == LASARE  # the default, not the other claim
    assert access.role_for({}, access.config_from(None)) is None


def test_a_misspelt_role_is_an_error_in_swedish() -> None:
    with pytest.raises(access.AccessConfigError, match="Okänd roll ”admin”.*läsare, analytiker, förvaltare"):
        access.config_from({"grupper": {"g": "admin"}})
    with pytest.raises(access.AccessConfigError, match="standardroll"):
        access.config_from({"standardroll": "alla"})


def test_signin_is_configured_only_with_every_setting() -> None:
    full = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s", "client_id": "c",
            "client_secret": "s", "server_metadata_url": "http://idp/.well-known/openid-configuration"}
    assert access.signin_configured(full)
    assert not access.signin_configured(None) and not access.signin_configured({})
    assert not access.signin_configured({k: v for k, v in full.items() if k != "client_secret"})
    named = {"redirect_uri": full["redirect_uri"], "cookie_secret": "s",
             "stad": {k: full[k] for k in ("client_id", "client_secret", "server_metadata_url")}}
    assert access.signin_configured(named)


def test_the_example_secrets_file_is_a_complete_configuration() -> None:
    example = tomllib.loads((REPO / ".streamlit" / "secrets.example.toml").read_text(encoding="utf-8"))
    assert access.signin_configured(example["auth"])
    config = access.config_from(example["roller"])
    assert set(config.groups.values()) == set(access.ROLES)


def test_without_signin_only_localhost() -> None:
    assert access.bind_address({}, signin=False) == ("127.0.0.1", None)
    assert access.bind_address({"DASHBOARD_ADDRESS": "::1"}, signin=False) == ("::1", None)
    with pytest.raises(access.AccessConfigError, match="DASHBOARD_ALLOW_REMOTE=1"):
        access.bind_address({"DASHBOARD_ADDRESS": "0.0.0.0"}, signin=False)
    address, warning = access.bind_address({"DASHBOARD_ADDRESS": "0.0.0.0", "DASHBOARD_ALLOW_REMOTE": "1"},
                                           signin=False)
    assert address == "0.0.0.0" and "UTAN inloggning" in warning
    assert access.bind_address({"DASHBOARD_ADDRESS": "0.0.0.0"}, signin=True) == ("0.0.0.0", None)


def _bind(env: dict[str, str], secrets: str) -> subprocess.CompletedProcess:
    """What scripts/start.sh runs to choose the address."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DASHBOARD_")}
    return subprocess.run([sys.executable, "-m", "dashboard.core.access", "bind-address", secrets], cwd=REPO,
                          env={**clean, **env}, capture_output=True, text=True, timeout=60)


def test_start_sh_binds_to_localhost_by_default(tmp_path) -> None:
    start = (REPO / "scripts" / "start.sh").read_text()
    assert "python -m dashboard.core.access bind-address .streamlit/secrets.toml" in start
    assert '--server.address "$address"' in start
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"  # `streamlit run` without start.sh, too

    missing = str(tmp_path / "secrets.toml")
    done = _bind({}, missing)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "127.0.0.1", "")
    refused = _bind({"DASHBOARD_ADDRESS": "0.0.0.0"}, missing)
    assert refused.returncode == 1 and refused.stdout == "" and "DASHBOARD_ALLOW_REMOTE=1" in refused.stderr
    warned = _bind({"DASHBOARD_ADDRESS": "0.0.0.0", "DASHBOARD_ALLOW_REMOTE": "1"}, missing)
    assert warned.stdout.strip() == "0.0.0.0" and "VARNING" in warned.stderr
    secrets = tmp_path / "med_inloggning.toml"
    secrets.write_text((REPO / ".streamlit" / "secrets.example.toml").read_text(encoding="utf-8"), encoding="utf-8")
    signed = _bind({"DASHBOARD_ADDRESS": "0.0.0.0"}, str(secrets))
    assert (signed.returncode, signed.stdout.strip(), signed.stderr) == (0, "0.0.0.0", "")


def test_a_lasare_changes_only_their_own_decks() -> None:
    assert access.may_change_deck(LASARE, "Lisa@stockholm.se", "lisa@stockholm.se")
    assert not access.may_change_deck(LASARE, "lisa@stockholm.se", "folke@stockholm.se")
    assert not access.may_change_deck(LASARE, "lisa@stockholm.se", "")  # made without sign-in: nobody's own
    assert access.may_change_deck(ANALYTIKER, "ana@stockholm.se", "folke@stockholm.se")
    assert access.may_change_deck(FORVALTARE, "chef@stockholm.se", "")
    assert not access.may_change_deck(None, "lisa@stockholm.se", "lisa@stockholm.se")
