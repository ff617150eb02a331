"""Loaded at start by a test server (tests/browser.py puts this folder on PYTHONPATH): every connection or
name lookup the server process makes to anything but this machine is written to `$NETGUARD_LOG`."""

from __future__ import annotations

import os
import sys

_LOG = os.environ.get("NETGUARD_LOG")
_LOCAL_NAMES = {"localhost", "127.0.0.1", "::1", "", None}


def _is_local(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    return host in _LOCAL_NAMES or (isinstance(host, str) and host.startswith("127."))


def _guard(event: str, args: tuple) -> None:
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and not _is_local(address[0]):
            _record(f"connect {address[0]}:{address[1]}")
    elif event == "socket.getaddrinfo" and not _is_local(args[0]):
        _record(f"getaddrinfo {args[0]}:{args[1]}")


def _record(line: str) -> None:
    with open(_LOG, "a", encoding="utf-8") as out:  # noqa: PTH123 - no imports beyond os and sys here
        out.write(line + "\n")


if _LOG:
    sys.addaudithook(_guard)
