"""Where a webhook may be sent: public addresses only, unless `WEBHOOK_ALLOW_PRIVATE`.

A callback URL is chosen by the drafting system, so without a rule the worker
would POST wherever it is told: to Redis on localhost, PostgreSQL, a cloud
metadata service, anything on the private network. The rule is applied twice:

1. `url_problem()` when the draft is submitted, on the URL as written: IP
   literals in a refused range and `localhost` names are a 400 (no DNS lookup
   in the request);
2. `resolve()` when a delivery is made: the host is resolved once, every
   address checked (one refused address refuses the URL), and the caller
   connects to an address from that same answer, so a second lookup cannot
   rebind the name to an internal address.

Refused: loopback, private, link-local, reserved, multicast, unspecified and
shared (100.64/10) addresses, i.e. anything `ipaddress` does not call global,
including IPv4 addresses embedded in IPv6 (mapped, 6to4, Teredo).
`WEBHOOK_ALLOW_PRIVATE=1` lifts the rule (development, tests with a local receiver).
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """The URL points at an address webhooks may not reach."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    addresses: list[tuple[int, tuple]]  # (family, sockaddr) to connect to, all checked


def _embedded(ip: IPAddress) -> list[IPAddress]:
    """The address itself and any IPv4 address an IPv6 one carries."""
    found: list[IPAddress] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            found.append(ip.ipv4_mapped)
        if ip.sixtofour is not None:
            found.append(ip.sixtofour)
        if ip.teredo is not None:
            found.extend(ip.teredo)
    return found


def is_refused(ip: IPAddress) -> bool:
    """True for any address a webhook may not reach (ignores the setting)."""
    return any(
        a.is_loopback
        or a.is_private
        or a.is_link_local
        or a.is_reserved
        or a.is_multicast
        or a.is_unspecified
        or not a.is_global
        for a in _embedded(ip)
    )


def _allow_private() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_PRIVATE", False))


def _literal(host: str) -> IPAddress | None:
    """An IP written as the host, including IPv4 shorthands (127.1, 0x7f.0.0.1, 2130706433)."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefx." for c in host.lower()):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _is_localhost_name(host: str) -> bool:
    host = host.rstrip(".").lower()
    return host in ("localhost", "localhost.localdomain") or host.endswith(".localhost")


def url_problem(url: str) -> str | None:
    """Why a callback URL is refused as written (None: acceptable for now; delivery checks again)."""
    if _allow_private():
        return None
    host = urlsplit(url).hostname or ""
    ip = _literal(host)
    if _is_localhost_name(host) or (ip is not None and is_refused(ip)):
        return "Callback URLs may not point at loopback, private, link-local or reserved addresses."
    return None


def resolve(url: str) -> Target:
    """Parse and resolve a callback URL once; Refused if it may not be reached."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise Refused("Not an http(s) URL.")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise Refused("The URL's port is invalid.") from None
    host = parts.hostname
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise OSError(f"Cannot resolve {host}: {exc}") from None
    addresses = [(family, sockaddr) for family, _, _, _, sockaddr in infos]
    if not _allow_private():
        if _is_localhost_name(host):
            raise Refused(f"{host} is a local name; refused (WEBHOOK_ALLOW_PRIVATE is off).")
        for _, sockaddr in addresses:
            if is_refused(ipaddress.ip_address(sockaddr[0].split("%", 1)[0])):
                raise Refused(
                    f"{host} resolves to {sockaddr[0]}, a private or reserved address; "
                    "refused (WEBHOOK_ALLOW_PRIVATE is off)."
                )
    return Target(scheme=scheme, host=host, port=port, path=path, addresses=addresses)
