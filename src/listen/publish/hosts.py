"""Which `Host` names `listen serve` answers for: a guard against DNS rebinding.

A web page on any site can make the browser send requests to 127.0.0.1 or a LAN address under
the page's own name: the attacker's name first resolves to the attacker's server, then to this
machine, and the browser, seeing one origin, lets the page read the answers (the library, the
texts, the audio). Such a request still carries the attacker's name in its `Host` header, so the
server answers only requests whose host is

- an IP address (IPv4, or IPv6 in brackets): a browser sends one only when the URL names that
  address, so no name was resolved, and nothing rebound, on the way;
- `localhost` or a name under `.localhost` (browsers resolve those to loopback themselves,
  RFC 6761);
- this machine's own name (`socket.gethostname()`, and `<name>.local` for mDNS on a LAN);
- the name given to `--host`, and the names given to `--allow-host` (`.example.org` allows
  example.org and every name under it; `*` turns the guard off, e.g. behind a proxy that checks
  names itself).

Any other well-formed host gets 421 Misdirected Request; a missing (HTTP/1.1), repeated or
malformed `Host` gets 400 (RFC 9112, section 3.2). An absolute request target
(`GET http://name/ HTTP/1.1`) is judged by its own authority, which takes the place of `Host`.
The same policy as Vite's `server.allowedHosts` and webpack-dev-server's `allowedHosts: "auto"`.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from typing import Iterable

__all__ = ["ANY", "HostPolicy", "Verdict", "check_pattern", "split_host"]

ANY = "*"
_NAME = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$")
_PATTERN = re.compile(r"^\.?[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?$")


def split_host(value: str) -> tuple[str, str | None] | None:
    """(host, port) of a `Host` value (host lowercased, brackets and a final dot removed), or None
    when it is not a host[:port] at all."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        host, rest = value[1:end], value[end + 1:]
        if rest and not rest.startswith(":"):
            return None
        port = rest[1:] if rest else None
        try:
            if ipaddress.ip_address(host).version != 6:
                return None
        except ValueError:
            return None
    else:
        host, colon, port = value.rpartition(":") if ":" in value else (value, "", None)
        if colon and ":" in host:
            return None  # an IPv6 address must be in brackets
        host = host[:-1] if host.endswith(".") else host
        if not _NAME.match(host) or len(host) > 253:
            return None
    if port is not None and not (port.isdigit() and len(port) <= 5 and int(port) <= 65535):
        return None
    return host, port


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def check_pattern(pattern: str) -> str | None:
    """`pattern` as an allow-list entry (lowercase), or None when it is not a host name, a
    `.domain` pattern, an IP address or `*`."""
    value = pattern.strip().lower()
    if value == ANY or _is_ip(value.strip("[]")):
        return value.strip("[]")
    value = value[:-1] if value.endswith(".") else value
    return value if _PATTERN.match(value) and ".." not in value else None


@dataclass(frozen=True)
class Verdict:
    status: int  # 200: answer; 400: no usable Host; 421: a host this server does not answer for
    host: str | None = None  # the host judged (for the refusal's message)


class HostPolicy:
    """The host names one server answers for."""

    def __init__(self, allow: Iterable[str] = (), *, bound: str | None = None, own_names: bool = True):
        self.any = False
        self.names: set[str] = {"localhost"}
        self.domains: set[str] = set()
        entries = list(allow)
        if bound and not _is_ip(bound.strip("[]")) and bound not in ("", "0.0.0.0", "::"):
            entries.append(bound)
        if own_names:
            entries += _own_names()
        for entry in entries:
            value = check_pattern(entry)
            if value is None:
                raise ValueError(f"not a host name: {entry!r}")
            if value == ANY:
                self.any = True
            elif value.startswith("."):
                self.domains.add(value[1:])
            else:
                self.names.add(value)

    def allows(self, host: str) -> bool:
        """`host` (as `split_host` gives it) is one this server answers for."""
        if self.any or _is_ip(host) or host in self.names or host.endswith(".localhost"):
            return True
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def judge(self, host_values: list[str], target: str, version: str) -> Verdict:
        """Whether to answer a request with these `Host` header values and request target."""
        if target.lower().startswith(("http://", "https://")):
            authority = target.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0]
            host_values = [authority.rpartition("@")[2]]  # absolute form: its authority wins
        if not host_values:
            # Every browser sends Host; only an HTTP/1.0 client may leave it out.
            return Verdict(200) if version == "HTTP/1.0" else Verdict(400)
        if len(host_values) > 1:
            return Verdict(400)
        parsed = split_host(host_values[0])
        if parsed is None:
            return Verdict(400)
        host = parsed[0]
        return Verdict(200 if self.allows(host) else 421, host)


def _own_names() -> list[str]:
    """This machine's name, and its mDNS form, as a phone on the LAN may reach it."""
    try:
        name = socket.gethostname().strip().lower()
    except OSError:
        return []
    if not name or check_pattern(name) is None or name.startswith("."):
        return []
    return [name] if "." in name else [name, f"{name}.local"]
