"""``python -m deskstack run``: the whole platform on this machine, stopped with Ctrl-C.

Resolves PostgreSQL and the broker, migrates every schema, creates the topics,
starts every service and the gateway under honcho, waits until all are ready,
then prints the URLs and the admin API key.

Only ``run`` needs the ``[local]`` extra (honcho, the mail catcher, the embedded servers);
its imports stay inside it, so ``init`` and ``replay`` work from the production image.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shlex
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from deskstack.infra import create_topics, resolve
from deskstack.services import (
    LISTENERS,
    OPTIONAL,
    ROOT,
    SERVICES,
    by_name,
    listener_env,
    listener_ports,
    migrate_all,
    replica_name,
    replica_ports,
    service_env,
)
from gateway.keys import generate_key
from shared.infra.net import free_port, listen_port, port_open
from shared.infra.postgres import ensure_database
from shared.settings import DEFAULT_DATABASE_URL

if TYPE_CHECKING:
    from shared.infra.mailcatcher import MailCatcher


def _all_ready(port_map: dict[str, list[int]]) -> bool:
    """Does every replica of every process answer ``/health/ready`` with 200?"""
    for listed in port_map.values():
        for port in listed:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=3).status_code != 200:
                    return False
            except httpx.HTTPError:
                return False
    return True


def _announce_when_ready(
    port_map: dict[str, list[int]],
    admin_key: str,
    generated: bool,
    stop: threading.Event,
    mail: str = "",
    smtp_in: list[int] | None = None,
    catcher: MailCatcher | None = None,
    after: threading.Event | None = None,
) -> None:
    if after is not None:  # nothing here while the processes are being forked
        after.wait()
    gateway = f"http://127.0.0.1:{port_map['gateway'][0]}"
    deadline = time.monotonic() + 120
    while not stop.is_set() and time.monotonic() < deadline:
        if _all_ready(port_map):
            break
        time.sleep(0.5)
    else:
        if not stop.is_set():
            print(
                "\n!! the platform did not become ready within 120 s; see the logs above\n",
                flush=True,
            )
        return
    lines = [
        "",
        "=" * 72,
        "Support desk is up.",
        "  Gateway:      "
        + ", ".join(f"http://127.0.0.1:{port}" for port in port_map["gateway"])
        + "  (API under /api/v1)",
        f"  API docs:     {gateway}/docs  (one document: {gateway}/openapi.json)",
        f"  Pages:        {gateway}/portal (contacts), {gateway}/desk and {gateway}/ops (staff)",
        f"  Public URL:   {os.environ.get('PUBLIC_BASE_URL') or gateway}  (links in mail; "
        "set PUBLIC_BASE_URL to change)",
        "  Services answer only the gateway (internal token); their ports serve /health/*.",
    ]
    if any(len(listed) > 1 for listed in port_map.values()):
        lines.append(f"  Replicas ({len(port_map['gateway'])} of each process):")
        for name, listed in port_map.items():
            urls = ", ".join(f"http://127.0.0.1:{port}" for port in listed)
            lines.append(f"    {name:<13} {urls}")
    lines.append(
        f"  Admin API key: {admin_key}"
        + ("  (generated; set ADMIN_API_KEY to choose)" if generated else "")
    )
    lines.append(
        f'  Try: curl -H "Authorization: Bearer {admin_key}" {gateway}/api/v1/customers -d \'{{"name":"Acme"}}\' '
        "-H 'content-type: application/json'"
    )
    lines += _mail_lines(gateway, admin_key, mail, smtp_in, catcher)
    lines += ["Stop with Ctrl-C.", "=" * 72, ""]
    print("\n".join(lines), flush=True)


def _mail_lines(
    gateway: str,
    admin_key: str,
    mail: str,
    smtp_in: list[int] | None,
    catcher: MailCatcher | None,
) -> list[str]:
    """Where mail goes, where it comes in, and the first admin's invitation."""
    lines = []
    if mail:
        lines.append(f"  Mail:         {mail}")
    if smtp_in:
        lines.append(
            "  SMTP in:      "
            + ", ".join(f"smtp://127.0.0.1:{port}" for port in smtp_in)
            + "  (mail to the support address becomes tickets; records: /api/v1/intake/mail)"
        )
    from deskstack.bootstrap import first_admin  # reads the catcher's mail: [local] extra

    try:
        lines += first_admin(gateway, admin_key, mail_dir=catcher.directory if catcher else None)
    except httpx.HTTPError as exc:
        lines.append(f"  Desk admin:   not invited ({exc}); see deploy/deskstack/bootstrap.py")
    return lines


def _replicas() -> int:
    """How many of each process ``make run`` starts (``REPLICAS``, default 1)."""
    value = os.environ.get("REPLICAS", "1")
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"REPLICAS must be a whole number of at least 1, not {value!r}")
    return int(value)


def start_mail(var_dir: Path) -> tuple[str, MailCatcher | None]:
    """SMTP_URL if set; else an embedded catcher keeping each message under var/mail/."""
    from shared.infra.mailcatcher import MailCatcher  # [local] extra

    if os.environ.get("SMTP_URL"):
        print(f"  mail:     {os.environ['SMTP_URL']} (SMTP_URL)", flush=True)
        return os.environ["SMTP_URL"], None
    port = 1025 if not port_open("127.0.0.1", 1025) else free_port()
    catcher = MailCatcher(var_dir / "mail", port=port).start()
    print(
        f"  mail:     caught on {catcher.smtp_url}; each message lands as an .eml file in "
        f"{catcher.directory} (set SMTP_URL to use a real server)",
        flush=True,
    )
    return catcher.smtp_url, catcher


def _add_optional(manager: Any, **env: Any) -> None:
    """Add the processes that run only when configured (intake's IMAP poller, when
    ``INTAKE_IMAP__HOST`` is set): one each, whatever the replicas.

    ``env`` is what ``service_env`` takes (database, broker, ports).
    """
    for optional in OPTIONAL:
        if optional.enabled(os.environ):
            manager.add_process(
                optional.name,
                shlex.join(optional.command()),
                env=service_env(by_name(optional.service), **env),
                cwd=str(ROOT),
            )


def _add_listeners(manager: Any, **env: Any) -> dict[str, list[int]]:
    """Add each listener process (intake's SMTP listener), per replica; return their ports.

    ``env`` is what ``listener_env`` takes besides the port (database, broker, ports).
    """
    listeners = listener_ports(_replicas(), free=listen_port)
    for listener in LISTENERS:
        for index, port in enumerate(listeners[listener.name]):
            manager.add_process(
                replica_name(listener.name, index),
                shlex.join(listener.command()),
                env=listener_env(listener, port=port, **env),
                cwd=str(ROOT),
            )
    return listeners


def _manager() -> tuple[Any, threading.Event]:
    """honcho's manager, and an event set once every process has been started.

    One copy of the libraries for every process (deskstack.forked), unless
    ``DESKSTACK_FORK=0`` asks for separate interpreters.
    """
    from honcho.manager import Manager  # [local] extra, like everything `run` starts
    from honcho.printer import Printer

    from deskstack import forked  # builds on honcho: the [local] extra as well

    if not forked.enabled(os.environ):
        started = threading.Event()
        started.set()
        return Manager(Printer(sys.stdout)), started
    forked.preload()
    manager = forked.ForkingManager(Printer(sys.stdout))
    return manager, manager.forked


def run(var_dir: Path) -> int:
    print("Resolving PostgreSQL and Kafka ...", flush=True)
    infra = resolve(var_dir=var_dir)
    catcher: MailCatcher | None = None
    try:
        smtp_url, catcher = start_mail(var_dir)
        mail_note = (
            f"every email lands as an .eml file in {catcher.directory}"
            if catcher
            else f"sent to {smtp_url}"
        )
        for line in infra.started:
            print(f"  started {line}", flush=True)
        print(f"  database: {infra.database_url}\n  brokers:  {infra.bootstrap}", flush=True)
        print("Migrating schemas ...", flush=True)
        migrate_all(infra.database_url)
        print("Creating topics ...", flush=True)
        create_topics(infra.bootstrap)
        admin_key = os.environ.get("ADMIN_API_KEY") or generate_key()
        generated = "ADMIN_API_KEY" not in os.environ
        # The gateway's proof on the internal hop; services refuse API calls without it.
        internal_token = os.environ.get("INTERNAL_TOKEN") or secrets.token_urlsafe(32)
        # REPLICAS=2: two of every process, the second gateway on 8081 (deskstack.services).
        port_map = replica_ports(_replicas(), free=listen_port)
        manager, all_forked = _manager()
        common: dict[str, Any] = {
            "database_url": infra.database_url,
            "bootstrap": infra.bootstrap,
            "idempotence": infra.idempotence,
            "port_map": port_map,
            "internal_token": internal_token,
        }
        for spec in SERVICES:
            for index, port in enumerate(port_map[spec.name]):
                env = service_env(spec, port=port, admin_key=admin_key, smtp_url=smtp_url, **common)
                manager.add_process(
                    replica_name(spec.name, index),
                    shlex.join(spec.command()),
                    env=env,
                    cwd=str(ROOT),
                )
        listeners = _add_listeners(manager, **common)
        _add_optional(manager, **common)
        stop = threading.Event()
        threading.Thread(
            target=_announce_when_ready,
            args=(port_map, admin_key, generated, stop, mail_note),
            kwargs={"smtp_in": listeners["intake-smtp"], "catcher": catcher, "after": all_forked},
            daemon=True,
        ).start()
        manager.loop()
        stop.set()
        return int(manager.returncode or 0)
    finally:
        if catcher is not None:
            catcher.stop()
        infra.stop()


def init() -> int:
    """Migrate every schema and create the topics on the servers the environment names.

    docker-compose runs this once before the services start.
    """
    database_url = os.environ["DATABASE_URL"]
    bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    asyncio.run(ensure_database(database_url))
    migrate_all(database_url)
    create_topics(bootstrap)
    print(
        f"migrated {database_url.rpartition('@')[2]} and created topics on {bootstrap}", flush=True
    )
    return 0


def replay_since(since: datetime) -> int:
    """Republish every retained event committed since ``since`` (DATABASE_URL names the database)."""
    from deskstack.replay import replay

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    counts = asyncio.run(replay(database_url, since))
    for schema, count in counts.items():
        print(f"{schema}: {count} events marked for republishing", flush=True)
    print("Running relays publish them within a second, in their original order.", flush=True)
    return 0


def _instant(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time zone, e.g. 2026-11-30T09:00:00+03:00")
    return moment


def _default_var_dir() -> Path:
    """The checkout's ``var/`` (editable install), else ``var/`` under the working directory."""
    return ROOT / "var" if (ROOT / "pyproject.toml").is_file() else Path.cwd() / "var"


def main() -> None:
    parser = argparse.ArgumentParser(prog="deskstack")
    parser.add_argument(
        "command",
        choices=["run", "init", "replay"],
        help="run: the whole platform; init: migrate + topics; replay: republish retained events",
    )
    parser.add_argument(
        "--var-dir", type=Path, default=_default_var_dir(), help="where local data and logs go"
    )
    parser.add_argument(
        "--since", type=_instant, help="replay: events committed at or after this ISO instant"
    )
    args = parser.parse_args()
    if args.command == "replay":
        if args.since is None:
            parser.error("replay needs --since <ISO instant with time zone>")
        sys.exit(replay_since(args.since))
    sys.exit(run(args.var_dir) if args.command == "run" else init())


if __name__ == "__main__":
    main()
