"""Test certificates (made with the ``openssl`` CLI) and a TLS-terminating TCP proxy.

Tansu, the local broker, has no TLS listener (its ``--cert`` flag does not turn one on
in 0.6.0), so the tests put this proxy in front of it: TLS towards the client, plain
TCP towards Tansu, with Tansu advertising the proxy's address so that every
connection a client opens after bootstrap goes through TLS as well.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Pki:
    """A CA, a server certificate for 127.0.0.1/localhost, and a client certificate."""

    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _issue(directory: Path, name: str, *, ext: str) -> tuple[Path, Path]:
    """A key and a certificate for ``name`` signed by the directory's CA."""
    _openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}",
        "-keyout", f"{name}.key", "-out", f"{name}.csr",
        cwd=directory,
    )  # fmt: skip
    (directory / f"{name}.ext").write_text(ext + "\n")
    _openssl(
        "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-out", f"{name}.pem", "-extfile", f"{name}.ext",
        cwd=directory,
    )  # fmt: skip
    return directory / f"{name}.pem", directory / f"{name}.key"


def make_pki(directory: Path) -> Pki:
    """Create a fresh CA and the two certificates it signs, in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", f"/CN=test-ca-{directory.name}", "-keyout", "ca.key", "-out", "ca.pem",
        cwd=directory,
    )  # fmt: skip
    server_cert, server_key = _issue(
        directory,
        "server",
        ext="subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth",
    )
    client_cert, client_key = _issue(directory, "client", ext="extendedKeyUsage=clientAuth")
    return Pki(directory / "ca.pem", server_cert, server_key, client_cert, client_key)


class TlsProxy:
    """Accepts TLS on ``port`` and relays each connection in plain TCP to ``upstream_port``."""

    def __init__(
        self, pki: Pki, *, port: int, upstream_port: int, require_client_cert: bool = False
    ) -> None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(pki.server_cert, pki.server_key)
        if require_client_cert:  # mutual TLS: only clients with a certificate from our CA
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(pki.ca)
        self._context = context
        self.port = port
        self._upstream = upstream_port
        self._server: asyncio.Server | None = None
        self._pumps: set[asyncio.Task[None]] = set()
        self.handshakes = 0  # connections whose TLS handshake succeeded

    async def __aenter__(self) -> TlsProxy:
        self._server = await asyncio.start_server(
            self._relay, "127.0.0.1", self.port, ssl=self._context
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._pumps):
            task.cancel()
        await asyncio.gather(*self._pumps, return_exceptions=True)
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 5)

    async def _relay(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        self.handshakes += 1
        try:
            up_r, up_w = await asyncio.open_connection("127.0.0.1", self._upstream)
        except OSError:
            client_w.close()
            return
        pumps = [
            asyncio.create_task(self._pump(client_r, up_w)),
            asyncio.create_task(self._pump(up_r, client_w)),
        ]
        self._pumps.update(pumps)
        await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        for task in pumps:
            task.cancel()
            self._pumps.discard(task)
        for writer in (up_w, client_w):
            with contextlib.suppress(Exception):
                writer.close()

    @staticmethod
    async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
