"""A throwaway Dovecot IMAP server on a loopback port, from the installed binary (Debian's
dovecot-imapd), with a temporary configuration: any user name, password "secret".

Dovecot's login process refuses to run as root, so as root the server runs as `nobody` and the
directory is handed to it. It runs in the foreground (-F) so the fixture owns and reaps it;
`kill()` ends it with SIGKILL and `start()` brings it back on the same port and mail store."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.demo.local_mail import free_port

PASSWORD = "secret"  # noqa: S105 - a throwaway local server for tests and the demo

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {dir}/run
state_dir = {dir}/state
instance_name = dovecot-test-{port}
log_path = {dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {user}
default_internal_user = {user}
default_internal_group = {group}
first_valid_uid = 1
first_valid_gid = 1
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
service auth-worker {{
  user = {user}
}}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={dir}/home/%u
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
}}
"""


def find_dovecot() -> str | None:
    return shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
    )


@dataclass
class Dovecot:
    binary: str
    root: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    host = "127.0.0.1"
    password = PASSWORD

    def _identity(self) -> tuple[str, str, int, int]:
        if os.geteuid() == 0:
            user = pwd.getpwnam("nobody")
            return user.pw_name, grp.getgrgid(user.pw_gid).gr_name, user.pw_uid, user.pw_gid
        user = pwd.getpwuid(os.geteuid())
        return user.pw_name, grp.getgrgid(os.getegid()).gr_name, os.geteuid(), os.getegid()

    def start(self) -> Dovecot:
        name, group, uid, gid = self._identity()
        shutil.rmtree(self.root / "run", ignore_errors=True)  # sockets left by a kill
        for sub in ("run", "state", "home"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        conf = self.root / "dovecot.conf"
        conf.write_text(
            CONFIG.format(
                dir=self.root,
                port=self.port,
                user=name,
                group=group,
                uid=uid,
                gid=gid,
                password=PASSWORD,
            )  # fmt: skip
        )
        if os.geteuid() == 0:
            for path in [self.root, *self.root.rglob("*")]:
                os.chown(path, uid, gid)
        extra = {"user": uid, "group": gid, "extra_groups": []} if os.geteuid() == 0 else {}
        self.process = subprocess.Popen(
            [self.binary, "-F", "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **extra,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as s:
                    if s.recv(200).startswith(b"* OK"):
                        return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = (self.root / "dovecot.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"Dovecot did not start: {log}")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL the master and its children (a crash, not a shutdown)."""
        if self.process is None:
            return
        subprocess.run(["pkill", "-KILL", "-f", f"dovecot-test-{self.port}"], check=False)
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        subprocess.run(["pkill", "-KILL", "-f", str(self.root)], check=False)
        (self.root / "run" / "master.pid").unlink(missing_ok=True)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None


def start_dovecot() -> Dovecot:
    binary = find_dovecot()
    if binary is None:
        raise RuntimeError("dovecot is not installed (Debian: apt-get install dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="puspaga-dovecot-"))
    return Dovecot(binary, root).start()
