"""The guide's upgrade (docs/panduan-operator.md, *Memperbarui program*) followed as written:
the last release installed and serving, a client's conversation in its database, then each
command of the guide with `<versi baru>` being this checkout; the upgraded service answers in
the conversation the old one opened. Without a release tag in the checkout (a clone without
tags), the upgrade runs from this same commit: the procedure is still walked."""

from __future__ import annotations

import re
import signal
import subprocess
from pathlib import Path

import pytest

from bot.demo.local_api import ApiState, LocalBotApi
from tests.support.deploy import (
    SERVICE_USER,
    Log,
    Machine,
    client_agrees,
    shell_block,
    start_unit,
    unit,
)

pytestmark = [pytest.mark.long, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
GROUP, ADMIN, CLIENT = -1002024000002, 1001, 4242
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def git(*args: str, cwd: Path = ROOT) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def last_release() -> str | None:
    tags = git("tag", "--list", "v*", "--sort=-v:refname").split()
    return tags[0] if tags else None


def topic_of(state: ApiState, words: str) -> int | None:
    for message in state.sent(GROUP):
        if message.get("message_thread_id") and words in message.get("text", ""):
            return message["message_thread_id"]
    return None


def test_the_guides_upgrade_keeps_the_office_serving(base):
    release = last_release()
    machine = Machine(base, ROOT)
    opt, etc = machine.path("/opt/puspaga-inbox"), machine.path("/etc/puspaga-inbox")
    data = machine.path("/var/lib/puspaga-inbox")
    if subprocess.run(["id", SERVICE_USER], capture_output=True).returncode != 0:
        machine.sh(f"useradd --system --home {data} {SERVICE_USER}")
    machine.sh(f"mkdir -p {data} && chown {SERVICE_USER}: {data}")
    machine.sh(f"install -d -m 750 -g {SERVICE_USER} {etc}")
    machine.sh(f"git clone -q {ROOT} {opt}")
    if release is not None:
        machine.sh(f"cd {opt} && git -c advice.detachedHead=false checkout -q {release}")
    machine.sh(f"cd {opt} && make install", timeout=900)
    old_version = machine.sh(f"{opt}/.venv/bin/puspaga --version").stdout.strip()
    state = ApiState()
    state.add_user(ADMIN, "Wayan")
    state.add_user(CLIENT, "Rina")
    state.add_group(GROUP, "Staf PUSPAGA Uji", members={ADMIN: "creator"})
    with LocalBotApi(state) as api:
        hours = [f"--hours={day}=00:00-23:59" for day in DAYS]  # open whenever the test runs
        machine.env["PUSPAGA_TELEGRAM_TOKEN"] = state.token
        machine.sh(
            f"{opt}/.venv/bin/puspaga setup --yes --config {etc}/config.toml "
            f"--telegram-url {api.base_url} --group {GROUP} --staff {ADMIN}:admin:Wayan "
            f"--office 'PUSPAGA Uji' --timezone WITA --data-dir {data} --no-check "
            + " ".join(hours)
        )
        del machine.env["PUSPAGA_TELEGRAM_TOKEN"]
        keys = unit(opt / "docs/deploy/puspaga-inbox.service")
        service = start_unit(machine, keys)
        log = Log(service)
        log.wait_for("berjalan")
        client_agrees(state, CLIENT)  # else this checkout shows staff a placeholder, no words
        state.user_writes(CLIENT, text="Halo, saya ingin bertanya tentang konseling remaja")
        assert state.wait_until(lambda: topic_of(state, "konseling remaja") is not None, 60)
        service.send_signal(signal.SIGTERM)
        assert service.wait(30) == 0, log.text

        guide = (ROOT / "docs/panduan-operator.md").read_text()
        new = git("rev-parse", "HEAD")
        upgraded = None
        for command in shell_block(guide, "### Memperbarui program"):
            command = command.replace("<versi baru>", new)
            if command == "sudo systemctl stop puspaga-inbox":
                assert service.poll() is not None  # stopped above, as systemd would
            elif command == "sudo systemctl start puspaga-inbox":
                upgraded = start_unit(machine, keys)
            elif m := re.fullmatch(r"sudo -u (\w+) (.+)", command):
                assert m.group(1) == SERVICE_USER
                done = machine.sh(f"runuser -u {SERVICE_USER} -- {m.group(2)}")
                assert "GAGAL" not in done.stdout, done.stdout
            elif command.startswith(("sudo ", "cd ")):
                machine.sh(re.sub(r"(^|&& )sudo ", r"\1", command), 900)
            else:
                pytest.fail(f"the guide's upgrade has a command this test does not know: {command}")
        assert upgraded is not None, "the guide never starts the service again"
        log = Log(upgraded)
        try:
            log.wait_for("berjalan")
            # the conversation the old release opened is answered by the new one
            thread = topic_of(state, "konseling remaja")
            state.user_writes(ADMIN, GROUP, "Boleh Ibu, silakan ceritakan.", thread_id=thread)
            answered = state.wait_until(
                lambda: any("silakan ceritakan" in m.get("text", "") for m in state.sent(CLIENT)),
                60,
            )
            assert answered, state.sent(CLIENT)
        finally:
            upgraded.send_signal(signal.SIGTERM)
            assert upgraded.wait(30) == 0, log.text
    assert git("rev-parse", "HEAD", cwd=opt) == new
    assert list((data / "backups").glob("puspaga-*.backup")), "the guide's backup was made"
    new_version = machine.sh(f"{opt}/.venv/bin/puspaga --version").stdout.strip()
    if release is not None and git("rev-parse", f"{release}^{{commit}}") != new:
        assert new_version != old_version  # the version says which release runs
