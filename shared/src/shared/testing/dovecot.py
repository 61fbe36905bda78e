"""A real IMAP server for tests: Debian's dovecot, configured in a temporary directory.

The configuration is the least dovecot serves IMAP with: one listener on 127.0.0.1 and a
free port, no TLS, plain-text logins from a passwd-file, maildirs under the directory,
run in the foreground (``dovecot -F -c <conf>``). As root, dovecot's own processes run
as ``dovenull`` and the mail belongs to ``nobody``; otherwise everything is the current
user's. ``make test`` installs dovecot-imapd when it is missing (the ``imap`` target).
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from shared.infra.net import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


@dataclass(frozen=True)
class ImapServer:
    """Where the test server listens and the one account it serves."""

    host: str
    port: int
    user: str
    password: str
    directory: Path


def _conf(directory: Path, *, port: int, internal: str, mail_uid: int, mail_gid: int) -> str:
    return f"""
base_dir = {directory}/run
state_dir = {directory}/state
log_path = {directory}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name}
default_login_user = {internal}
first_valid_uid = 1
mail_location = maildir:{directory}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {directory}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={directory}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def _wait_until_listening(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"dovecot exited with {process.returncode}: {text[-2000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"dovecot did not listen on 127.0.0.1:{port} within 20 s")


@contextlib.contextmanager
def running_dovecot(
    user: str = "support", password: str = "imap-test-pass"
) -> Iterator[ImapServer]:
    """Start dovecot for one account; stop it and remove its directory afterwards."""
    if not Path(DOVECOT).exists():
        raise RuntimeError(
            "dovecot is not installed; run `make imap` (apt-get install dovecot-imapd)"
        )
    root = os.geteuid() == 0
    internal = "dovenull" if root else pwd.getpwuid(os.geteuid()).pw_name
    mail_owner = pwd.getpwnam("nobody") if root else pwd.getpwuid(os.geteuid())
    directory = Path(tempfile.mkdtemp(prefix="dovecot-"))
    directory.chmod(0o755)  # the mail user and dovecot's own users reach their parts
    for part in ("mail", "home"):
        (directory / part).mkdir()
        os.chown(directory / part, mail_owner.pw_uid, mail_owner.pw_gid)
    (directory / "passwd").write_text(f"{user}:{{PLAIN}}{password}\n")
    port = free_port()
    conf = directory / "dovecot.conf"
    conf.write_text(
        _conf(
            directory,
            port=port,
            internal=internal,
            mail_uid=mail_owner.pw_uid,
            mail_gid=mail_owner.pw_gid,
        )
    )
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        _wait_until_listening(port, process, directory / "dovecot.log")
        yield ImapServer("127.0.0.1", port, user, password, directory)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        shutil.rmtree(directory, ignore_errors=True)
