"""Webhook receivers are untrusted: refuse URLs that reach into our own network.

A subscriber could name ``http://127.0.0.1:5432`` or a cloud metadata address and make
the platform probe it (server-side request forgery). Every address the host resolves to
must be public unless private targets are allowed explicitly (tests, ``make run``). The
check runs when the subscription is made and again before each delivery (DNS can change).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


class UnsafeUrl(ValueError):
    """The URL may not be called."""


def check_shape(url: str) -> tuple[str, int]:
    """Host and port of an http(s) URL without credentials; raise :class:`UnsafeUrl`."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise UnsafeUrl("the URL must be http:// or https://")
    if not parts.hostname:
        raise UnsafeUrl("the URL has no host")
    if parts.username or parts.password:
        raise UnsafeUrl("the URL must not carry credentials")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeUrl("the URL's port is not a number") from None
    return parts.hostname, port


def is_public(address: str) -> bool:
    """True for a globally routable unicast address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def check_addresses(addresses: list[str], *, allow_private: bool) -> None:
    """Raise :class:`UnsafeUrl` unless every address may be called."""
    if not addresses:
        raise UnsafeUrl("the host does not resolve")
    if allow_private:
        return
    for address in addresses:
        if not is_public(address):
            raise UnsafeUrl(
                f"the host resolves to {address}, a loopback, private or reserved address"
            )


async def check_url(url: str, *, allow_private: bool) -> str:
    """Resolve ``url``'s host, refuse it if any address is not public; return one to use.

    The caller connects to the returned address (see :func:`pinned`), so a DNS answer
    that changes after the check (rebinding) cannot redirect the request.
    """
    host, port = check_shape(url)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise UnsafeUrl(f"the host does not resolve ({exc.strerror or exc})") from None
    addresses = [str(info[4][0]) for info in infos]
    check_addresses(addresses, allow_private=allow_private)
    ipv4 = [a for a in addresses if ":" not in a]
    return (ipv4 or addresses)[0]


def pinned(url: str, address: str) -> tuple[str, str, str]:
    """``url`` aimed at ``address``; also the Host header and the TLS server name to send."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = f"[{address}]" if ":" in address else address
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    host_header = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=netloc).geturl(), host_header, host
