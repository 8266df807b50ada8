"""Following README's Deployment and the guide's upgrade on this machine, as root: the
commands with their paths moved under one folder, the systemd unit's command line run as its
User, the service's log. Used by tests/install/."""

from __future__ import annotations

import grp
import pwd
import shlex
import subprocess
import threading
from pathlib import Path

from bot.config.writer import read_env
from bot.demo.local_api import ApiState

SERVICE_USER = "puspaga"
# README's paths, moved under the test's folder; /usr/local/bin/puspaga: the link to the program
MOVED = ("/opt/puspaga-inbox", "/etc/puspaga-inbox", "/var/lib/puspaga-inbox", "/usr/local/bin")
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # sudo's


def shell_block(doc: str, after: str) -> list[str]:
    """The commands of the first ```sh block after `after`, comments and blank lines left out."""
    block = doc[doc.index("```sh", doc.index(after)) + 5 :]
    block = block[: block.index("```")]
    commands = []
    for line in block.replace("\\\n", " ").splitlines():
        line = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            commands.append(line)
    return commands


class Machine:
    """Runs README's commands with its paths moved under `base`, as root with an admin's umask."""

    def __init__(self, base: Path, clone_from: Path) -> None:
        self.base = base
        self.clone_from = clone_from
        self.env = {"PATH": SYSTEM_PATH, "LANG": "C.UTF-8", "HOME": "/root"}
        (base / "usr/local/bin").mkdir(parents=True, exist_ok=True)

    def moved(self, command: str) -> str:
        for path in MOVED:
            moved = f"{self.base}{path}"  # a path moved already stays as it is
            command = command.replace(moved, "\0").replace(path, moved).replace("\0", moved)
        for placeholder in ("<this repository>", "<alamat repositori>"):  # README, the guide
            command = command.replace(placeholder, str(self.clone_from))
        return command

    def path(self, readme_path: str) -> Path:
        return Path(self.moved(readme_path))

    def sh(self, command: str, timeout: float = 600) -> subprocess.CompletedProcess:
        done = subprocess.run(
            ["bash", "-c", f"umask 022; {self.moved(command)}"],
            env=self.env,
            cwd=self.base,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        return done


def unit(path: Path) -> dict[str, str]:
    keys = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            keys[key.strip()] = value.strip()
    return keys


def group_id() -> int:
    return grp.getgrnam(SERVICE_USER).gr_gid


def user_id() -> int:
    return pwd.getpwnam(SERVICE_USER).pw_uid


def start_unit(machine: Machine, keys: dict[str, str]) -> subprocess.Popen:
    """What systemd does with the unit: its User and Group, its EnvironmentFile, its
    WorkingDirectory and UMask, its ExecStart."""
    user = pwd.getpwnam(keys["User"])
    env = {"PATH": SYSTEM_PATH, "LANG": "C.UTF-8"}
    env_file = machine.path(keys["EnvironmentFile"].lstrip("-"))
    if env_file.exists():
        env.update(read_env(env_file))
    umask = int(keys.get("UMask", "0022"), 8)
    return subprocess.Popen(
        shlex.split(machine.moved(keys["ExecStart"])),
        cwd=machine.path(keys["WorkingDirectory"]),
        env=env,
        user=user.pw_uid,
        group=user.pw_gid,
        extra_groups=[],
        umask=umask,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


class Log:
    def __init__(self, process: subprocess.Popen) -> None:
        self.text = ""
        self.changed = threading.Condition()
        self.process = process
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self.changed:
                self.text += line
                self.changed.notify_all()

    def wait_for(self, words: str, timeout: float = 60) -> None:
        with self.changed:
            found = self.changed.wait_for(lambda: words in self.text, timeout)
        assert found, f"the service never logged {words!r}:\n{self.text}"


def client_agrees(state: ApiState, client: int) -> None:
    """The client starts the bot and taps Setuju under the data notice: before the answer staff
    see placeholders, so a test that follows the client's words into the group needs it."""
    state.user_writes(client, text="/start")

    def greeting() -> dict | None:
        for message in state.sent(client):
            rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
            if any(b.get("callback_data") == "consent:yes" for row in rows for b in row):
                return message
        return None

    assert state.wait_until(lambda: greeting() is not None, 60), state.sent(client)
    state.user_presses(client, greeting(), "consent:yes")
