"""A throwaway PostgreSQL server that accepts only TLS, with a CA the test made.

Tests of ``sslmode``/``sslrootcert`` need a server whose certificate they control:
this one is initialised in a temporary directory from the PostgreSQL binaries on the
machine (``PG_BINDIR``, else ``pg_config --bindir``, else Debian's
``/usr/lib/postgresql/<version>/bin``), listens on 127.0.0.1 and 127.0.0.2 (loopback
both: the second name is not in the certificate), and its ``pg_hba.conf`` has only
``hostssl`` lines, so a plain-text connection is refused. Certificates come from the
``openssl`` command. ``initdb`` refuses to run as root, so as root the server runs as
the ``postgres`` user.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from shared.infra.net import free_port

SERVER_NAMES = "IP:127.0.0.1,DNS:localhost"  # what the server's certificate names
OTHER_HOST = "127.0.0.2"  # reaches the same server under a name the certificate lacks


@dataclass(frozen=True)
class TlsServer:
    """A running TLS-only server and the files a client needs."""

    port: int
    ca_file: Path  # signed the server's certificate
    other_ca_file: Path  # signed nothing this server presents
    data_dir: Path
    log_file: Path

    def url(self, database: str = "postgres", *, host: str = "127.0.0.1", query: str = "") -> str:
        """``postgresql+asyncpg://postgres@host:port/database?query``."""
        tail = f"?{query}" if query else ""
        return f"postgresql+asyncpg://postgres@{host}:{self.port}/{database}{tail}"

    def verify_full(self, database: str = "postgres", *, host: str = "127.0.0.1") -> str:
        """The URL with ``sslmode=verify-full`` against the right CA."""
        return self.url(
            database, host=host, query=f"sslmode=verify-full&sslrootcert={self.ca_file}"
        )


def bindir() -> Path:
    """Where ``initdb`` and ``pg_ctl`` are."""
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    if shutil.which("pg_config"):
        out = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if out and (Path(out) / "initdb").exists():
            return Path(out)
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
    )
    if not versions:
        raise RuntimeError("no PostgreSQL server binaries: install postgresql or set PG_BINDIR")
    return versions[-1].parent


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_certificates(folder: Path) -> None:
    """ca.crt, other-ca.crt, and server.crt/server.key signed by ca for ``SERVER_NAMES``."""
    for ca in ("ca", "other-ca"):
        _openssl(
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", f"{ca}.key", "-out", f"{ca}.crt", "-subj", f"/CN=test {ca}",
            cwd=folder,
        )  # fmt: skip
    _openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=127.0.0.1",
        cwd=folder,
    )  # fmt: skip
    (folder / "san.ext").write_text(f"subjectAltName={SERVER_NAMES}\n")
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.crt",
        cwd=folder,
    )  # fmt: skip


def _as_server_user() -> tuple[int, int] | None:
    """The (uid, gid) to run the server as when this is root (initdb and postgres refuse it)."""
    if os.geteuid() != 0:
        return None
    user = pwd.getpwnam("postgres")
    return user.pw_uid, user.pw_gid


def _run(args: list[str | Path], *, drop: tuple[int, int] | None, check: bool = True) -> None:
    user, group = drop or (None, None)
    subprocess.run(args, check=check, capture_output=True, user=user, group=group)


def _configure(data: Path, *, port: int, max_connections: int) -> None:
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(
            f"port = {port}\n"
            f"listen_addresses = '127.0.0.1,{OTHER_HOST}'\n"
            f"unix_socket_directories = '{data}'\n"
            f"max_connections = {max_connections}\n"
            "shared_buffers = 16MB\n"
            "fsync = off\n"
            "ssl = on\n"
            "ssl_cert_file = 'server.crt'\n"
            "ssl_key_file = 'server.key'\n"
        )
    (data / "pg_hba.conf").write_text(
        "local all all trust\n"
        "hostssl all all 127.0.0.1/32 trust\n"
        f"hostssl all all {OTHER_HOST}/32 trust\n"
    )


@contextlib.contextmanager
def tls_postgres(*, max_connections: int = 40) -> Iterator[TlsServer]:
    """Start the server; stop it and remove its directory afterwards."""
    bins = bindir()
    root = Path(tempfile.mkdtemp(prefix="support-tlspg-"))
    data, certs = root / "data", root / "certs"
    certs.mkdir()
    drop = _as_server_user()
    try:
        make_certificates(certs)
        if drop:
            os.chown(root, *drop)
        _run(
            [bins / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "--no-sync"], drop=drop
        )
        for name in ("server.crt", "server.key"):
            shutil.copy(certs / name, data / name)
            os.chmod(data / name, 0o600)
            if drop:
                os.chown(data / name, *drop)
        port = free_port()
        _configure(data, port=port, max_connections=max_connections)
        log = root / "server.log"
        _run([bins / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "start"], drop=drop)
        try:
            yield TlsServer(port, certs / "ca.crt", certs / "other-ca.crt", data, log)
        finally:
            _run(
                [bins / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
                drop=drop,
                check=False,
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)
