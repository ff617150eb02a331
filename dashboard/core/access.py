"""Who may do what: the roles, what each may see and do, and a signed-in person's role from the identity
provider's claims or the configuration. No Streamlit here (that side is `dashboard.ui.signin`).

Configuration, in `.streamlit/secrets.toml` beside the `[auth]` section of `st.login`:

    [roller]
    claim = "groups"                  # the ID-token claim that lists the person's groups
    standardroll = ""                 # role of a signed-in person in none of the groups; "" = no access
    [roller.grupper]                  # group in the claim → role
    "AMN-Dashboard-Lasare" = "läsare"
    [roller.epost]                    # e-mail address → role (wins over a lower role from the groups)
    "anna.andersson@stockholm.se" = "förvaltare"
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

LASARE, ANALYTIKER, FORVALTARE = "läsare", "analytiker", "förvaltare"
ROLES = (LASARE, ANALYTIKER, FORVALTARE)  # each role may do everything the ones before it may
LOCAL_USER = "lokal användare"

# Action → the lowest role that may do it.
ACTIONS: dict[str, str] = {
    "visa": LASARE,  # the views of published and imported statistics, the protected follow-up, Begrepp, Data
    "presentationer": LASARE,  # make and show one's own decks, export them
    "exportera": LASARE,  # CSV, Excel, PNG, SVG, PPTX, PDF
    "importera": ANALYTIKER,  # the Importera page and its column mappings
    "kolumnmappningar": ANALYTIKER,
    "demodata": ANALYTIKER,
    "andras_presentationer": ANALYTIKER,  # change decks made by others
    "ta_bort_dataset": FORVALTARE,
    "granskningslogg": FORVALTARE,  # see and download the audit log
}
# A page (its url_path) that needs more than "visa".
PAGE_ACTIONS: dict[str, str] = {"importera": "importera"}


class AccessConfigError(ValueError):
    """The role configuration cannot be used, told in Swedish."""


def allowed(role: str | None, action: str) -> bool:
    """May someone with `role` do `action`? An unknown action is refused (nothing is allowed by a typo)."""
    if role not in ROLES or action not in ACTIONS:
        return False
    return ROLES.index(role) >= ROLES.index(ACTIONS[action])


def page_allowed(role: str | None, url_path: str) -> bool:
    """May someone with `role` open the page at `url_path`?"""
    return allowed(role, PAGE_ACTIONS.get(url_path, "visa"))


def may_change_deck(role: str | None, person: str, owner: str) -> bool:
    """May `person` (an e-mail) with `role` change a deck made by `owner`? Their own, or anyone's as analytiker
    and up. A deck made without sign-in (no owner) is nobody's own."""
    if allowed(role, "andras_presentationer"):
        return True
    return allowed(role, "presentationer") and bool(owner) and owner.strip().lower() == person.strip().lower()


@dataclass(frozen=True)
class AccessConfig:
    claim: str = "groups"
    groups: Mapping[str, str] = field(default_factory=dict)
    emails: Mapping[str, str] = field(default_factory=dict)  # keys in lower case
    default_role: str | None = None


def _role(value: object, where: str) -> str:
    role = str(value).strip().lower()
    if role not in ROLES:
        raise AccessConfigError(f"Okänd roll ”{value}” i {where}; rollerna är {', '.join(ROLES)}.")
    return role


def config_from(section: Mapping | None) -> AccessConfig:
    """The `[roller]` section of the secrets as an AccessConfig (missing section: no one has a role)."""
    section = dict(section or {})
    groups = {str(g): _role(r, f"[roller.grupper] ”{g}”") for g, r in dict(section.get("grupper") or {}).items()}
    emails = {str(e).strip().lower(): _role(r, f"[roller.epost] ”{e}”")
              for e, r in dict(section.get("epost") or {}).items()}
    default = str(section.get("standardroll") or "").strip()
    return AccessConfig(claim=str(section.get("claim") or "groups"), groups=groups, emails=emails,
                        default_role=_role(default, "standardroll") if default else None)


def _listed(value: object) -> list[str]:
    """A groups claim as a list: providers send a list, some a string separated by commas or spaces."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in value.replace(",", " ").split() if part]
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    return [str(value)]


def highest(roles: Iterable[str]) -> str | None:
    ranked = [r for r in roles if r in ROLES]
    return max(ranked, key=ROLES.index) if ranked else None


def role_for(claims: Mapping[str, object], config: AccessConfig) -> str | None:
    """The role of a signed-in person: the highest of their e-mail's and their groups' roles, else the
    configured default; None when they have none (they are then refused everything)."""
    email = str(claims.get("email") or "").strip().lower()
    found = [config.groups[g] for g in _listed(claims.get(config.claim)) if g in config.groups]
    if email and email in config.emails:
        found.append(config.emails[email])
    return highest(found) or config.default_role


def signin_configured(auth: Mapping | None) -> bool:
    """Is sign-in (the `[auth]` section of `st.login`) configured? It needs these four settings, either directly
    or for a named provider (`[auth.stad]`)."""
    auth = dict(auth or {})
    shared = {"redirect_uri", "cookie_secret"} <= auth.keys()
    needed = {"client_id", "client_secret", "server_metadata_url"}
    providers = [v for v in auth.values() if isinstance(v, Mapping)]
    return shared and (needed <= auth.keys() or any(needed <= dict(p).keys() for p in providers))


def is_loopback(address: str) -> bool:
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def bind_address(env: Mapping[str, str], signin: bool) -> tuple[str, str | None]:
    """The address `scripts/start.sh` lets Streamlit listen on, and a warning to print (or None).

    Default 127.0.0.1. `DASHBOARD_ADDRESS` asks for another; without sign-in that also needs
    `DASHBOARD_ALLOW_REMOTE=1` and gives a warning. Raises AccessConfigError when refused."""
    address = env.get("DASHBOARD_ADDRESS", "").strip() or "127.0.0.1"
    if is_loopback(address) or signin:
        return address, None
    if env.get("DASHBOARD_ALLOW_REMOTE", "") != "1":
        raise AccessConfigError(
            f"Inloggning är inte inställd, så dashboarden lyssnar bara på 127.0.0.1. För att ändå lyssna på "
            f"{address} utan inloggning: sätt DASHBOARD_ALLOW_REMOTE=1. Bättre: ställ in inloggning i "
            ".streamlit/secrets.toml (se README).")
    return address, (f"VARNING: dashboarden lyssnar på {address} UTAN inloggning. Alla som når datorn över "
                     "nätet kan se och ändra allt, som lokal användare med alla roller.")


def remote_allowed(env: Mapping[str, str] | None = None) -> bool:
    """Has the person who started the server asked for other machines to reach it without sign-in?"""
    return (os.environ if env is None else env).get("DASHBOARD_ALLOW_REMOTE", "") == "1"


def _main(argv: list[str]) -> int:
    """`python -m dashboard.core.access bind-address [SECRETS]`: print the address to listen on (for start.sh)."""
    import sys
    import tomllib
    from pathlib import Path

    if argv[:1] != ["bind-address"]:
        print("användning: python -m dashboard.core.access bind-address [secrets.toml]", file=sys.stderr)
        return 2
    secrets = Path(argv[1]) if len(argv) > 1 else Path(".streamlit/secrets.toml")
    auth = tomllib.loads(secrets.read_text(encoding="utf-8")).get("auth") if secrets.is_file() else None
    try:
        address, warning = bind_address(os.environ, signin_configured(auth))
    except AccessConfigError as error:
        print(error, file=sys.stderr)
        return 1
    if warning:
        print(warning, file=sys.stderr)
    print(address)
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(_main(sys.argv[1:]))
