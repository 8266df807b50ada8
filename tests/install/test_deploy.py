"""README's Deployment followed as written, command by command, on this machine (Debian 12 in
CI, run as root there): the service's user, the folders, a clone of this repository, `make
install` from PyPI, `puspaga setup` answered on stdin against the local Bot API server, `check`
as the service's user, then the systemd unit's own command line run as its User with its
EnvironmentFile (no systemd here): a client writes on the hotline, the admin answers in the
topic, the client gets the answer; SIGTERM stops it with «berhenti».

Paths are moved under one temporary folder (/opt, /etc and /var/lib of the README become
<base>/opt, …); every other word of each command is the README's. A command the test does not
know fails it, so README cannot change without this test following."""

from __future__ import annotations

import re
import shlex
import signal
import subprocess
from pathlib import Path

import pytest

from bot.config.writer import read_env
from bot.demo.local_api import ApiState, LocalBotApi
from bot.demo.terminal import Terminal
from tests.support.deploy import (
    SERVICE_USER,
    Log,
    Machine,
    client_agrees,
    group_id,
    shell_block,
    start_unit,
    unit,
    user_id,
)

pytestmark = [pytest.mark.long, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
GROUP, ADMIN, CLIENT = -1002024000001, 1001, 4242


def answer_setup(term: Terminal, state: ApiState, data_dir: str) -> None:
    term.expect("Token bot")
    term.type(state.token)
    term.expect("Menunggu /daftar_grup")
    state.user_writes(ADMIN, GROUP, "/daftar_grup")
    term.expect("sebagai grup staf?")
    term.type("y")
    term.expect("Tekan Enter bila semua petugas sudah muncul")
    state.user_writes(ADMIN, None, "/saya")
    term.expect("+ Wayan (ID 1001)")
    term.type("")
    term.expect("Peran Wayan")
    term.type("a")
    for question, said in (
        ("Nama kantor", "PUSPAGA Kabupaten Uji"),
        ("Zona waktu", "WITA"),
        ("Jam layanan Senin–Kamis", "00:00-23:59"),  # open whenever the test runs
        ("Jam layanan Jumat", "00:00-23:59"),
        ("Jam layanan Sabtu", "00:00-23:59"),
        ("Jam layanan Minggu", "00:00-23:59"),
        ("Nomor telepon kantor", ""),
        ("Alamat kantor", ""),
        ("Alamat email kantor", ""),
        ("Akun Instagram kantor", ""),
        ("Instagram lewat API resmi Meta", ""),
        ("Phone number ID", ""),  # WhatsApp: none
        ("ID Halaman", ""),  # Messenger: none
        ("Folder data", data_dir),
    ):
        term.expect(question)
        term.type(said)


# where each document gives the install: README's Deployment (English), the guide (Indonesian)
INSTALLS = {
    "README": ("README.md", "## Deployment", "Prerequisites:"),
    "panduan": ("docs/panduan-operator.md", "## 3. Memasang", "### Memasang program di server"),
}


@pytest.mark.parametrize("doc", sorted(INSTALLS))
def test_the_install_as_written_ends_with_a_first_message_answered(base, doc):
    clone = base / "source"  # the repository as it was committed, as a server would clone it
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    name, section, after = INSTALLS[doc]
    written = (clone / name).read_text()
    commands = shell_block(written[written.index(section) :], after)
    machine = Machine(base, clone)
    state = ApiState()
    state.add_user(ADMIN, "Wayan")
    state.add_user(CLIENT, "Rina")
    state.add_group(GROUP, "Staf PUSPAGA Uji", members={ADMIN: "creator"})
    service: subprocess.Popen | None = None
    units: dict[str, dict[str, str]] = {}
    handled = []
    with LocalBotApi(state) as api:
        for command in commands:
            if m := re.fullmatch(r"sudo apt install (.+)", command):
                missing = [p for p in m.group(1).split() if subprocess.run(
                    ["dpkg", "-s", p], capture_output=True).returncode != 0]  # fmt: skip
                if missing:
                    machine.sh("DEBIAN_FRONTEND=noninteractive apt-get install -y -qq " +
                               " ".join(missing), timeout=900)  # fmt: skip
            elif command.startswith("sudo useradd"):
                if subprocess.run(["id", SERVICE_USER], capture_output=True).returncode != 0:
                    machine.sh(command.removeprefix("sudo "))
            elif m := re.fullmatch(r"sudo (\S+/puspaga) setup (.+)", command):
                program = [str(machine.path(m.group(1)))]
                args = ["setup", *shlex.split(machine.moved(m.group(2))),
                        "--telegram-url", api.base_url]  # fmt: skip
                term = Terminal(args, machine.env, program=program)
                answer_setup(term, state, str(machine.path("/var/lib/puspaga-inbox")))
                term.expect("OK    telegram: bot @puspaga_local_bot di grup «Staf PUSPAGA Uji»")
                assert term.finish(120) == 0, term.out
                assert state.token not in term.out
            elif m := re.fullmatch(r"sudo -u (\w+) (.+)", command):
                assert m.group(1) == SERVICE_USER
                done = machine.sh(f"runuser -u {SERVICE_USER} -- {m.group(2)}")
                assert "OK    telegram" in done.stdout and "GAGAL" not in done.stdout
            elif m := re.fullmatch(r"sudo cp (.+) /etc/systemd/system/", command):
                for name in m.group(1).split():
                    units[Path(name).name] = unit(clone / name)
            elif "systemctl enable --now puspaga-inbox" in command:
                service = start_unit(machine, units["puspaga-inbox.service"])
            elif command == "sudo systemctl start puspaga-alarm.service":
                assert "puspaga-alarm.service" in units  # mails the head: [alarm] needs email
            elif command.startswith("journalctl"):
                pass  # the service's log is read below, from its stderr
            elif command.startswith(("sudo ", "cd ")):  # as root: sudo itself may be absent
                machine.sh(re.sub(r"(^|&& )sudo ", r"\1", command), 900)
            else:
                pytest.fail(f"README's Deployment has a command this test does not know: {command}")
            handled.append(command)
        assert service is not None, "README never starts the service"
        log = Log(service)
        try:
            log.wait_for("berjalan")
            first_message_answered(state)
        finally:
            service.send_signal(signal.SIGTERM)
            code = service.wait(30)
        log.wait_for("berhenti")
        assert code == 0, log.text
    assert len(handled) == len(commands)
    linked = machine.path("/usr/local/bin/puspaga")  # `puspaga` in any folder
    assert linked.is_symlink() and machine.sh(f"{linked} --version").stdout.startswith("puspaga ")
    config = machine.path("/etc/puspaga-inbox/config.toml")
    env = config.parent / "env"
    assert oct(env.stat().st_mode & 0o777) == "0o640" and env.stat().st_gid == group_id()
    assert read_env(env)["PUSPAGA_TELEGRAM_TOKEN"] == state.token
    data = machine.path("/var/lib/puspaga-inbox")
    database = data / "puspaga.sqlite3"
    assert database.stat().st_uid == user_id() and database.stat().st_mode & 0o077 == 0
    assert state.token not in log.text and "Rina" not in log.text  # no secret, no name logged


def first_message_answered(state: ApiState) -> None:
    client_agrees(state, CLIENT)
    state.user_writes(CLIENT, text="Halo, saya ingin konsultasi soal anak saya")

    def topic() -> int | None:
        for message in state.sent(GROUP):
            if message.get("message_thread_id") and "konsultasi" in message.get("text", ""):
                return message["message_thread_id"]
        return None

    assert state.wait_until(lambda: topic() is not None, 60), state.sent(GROUP)
    state.user_writes(ADMIN, GROUP, "Selamat siang Ibu, kami siap membantu.", thread_id=topic())
    answered = state.wait_until(
        lambda: any("kami siap membantu" in m.get("text", "") for m in state.sent(CLIENT)), 60
    )
    assert answered, state.sent(CLIENT)
