"""Test-only network guard: refuse any connection or name lookup that leaves this machine.

Loaded in the test process by ``tests/conftest.py`` and in every Python subprocess of the tests
(dbt, Dagster code servers) through ``PYTHONPATH``, so "hermetic" is checked, not assumed. An
attempt raises ``NetworkAccessBlocked`` *and* is appended to the file named by
``CRM_NETWORK_GUARD_LOG``: libraries that swallow the exception (tldextract does) are still
caught, because the test session fails when that file is not empty.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import traceback

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


class NetworkAccessBlocked(OSError):
    """Raised instead of opening a non-loopback connection during tests."""


def is_local_address(host: object) -> bool:
    """True for loopback addresses and names, Unix sockets and this machine's own name."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if not isinstance(host, str):
        return True
    name = host.strip("[]").split("%", 1)[0].lower()
    if name in _LOOPBACK_NAMES or name == socket.gethostname().lower():
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _record(what: str) -> None:
    log = os.environ.get("CRM_NETWORK_GUARD_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{what}\n{''.join(traceback.format_stack(limit=60))}\n---\n")


def _guarded_connect(original):  # type: ignore[no-untyped-def]
    def connect(self, address):  # type: ignore[no-untyped-def]
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0] if isinstance(address, tuple) else address
            if not is_local_address(host):
                _record(f"connect to {address!r}")
                raise NetworkAccessBlocked(f"network access blocked in tests: {address!r}")
        return original(self, address)

    return connect


def _guarded_getaddrinfo(original):  # type: ignore[no-untyped-def]
    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not is_local_address(host):
            _record(f"name lookup of {host!r}")
            raise NetworkAccessBlocked(f"name lookup blocked in tests: {host!r}")
        return original(host, *args, **kwargs)

    return getaddrinfo


def install() -> None:
    if getattr(socket, "_crm_network_guard", False):
        return
    socket.socket.connect = _guarded_connect(socket.socket.connect)  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect(socket.socket.connect_ex)  # type: ignore[method-assign]
    socket.getaddrinfo = _guarded_getaddrinfo(socket.getaddrinfo)
    socket._crm_network_guard = True  # type: ignore[attr-defined]


if os.environ.get("CRM_NETWORK_GUARD", "1") == "1":
    install()
