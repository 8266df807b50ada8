"""Two offices of a province (bot/config/province.py) on the local Bot API server, served by one
`puspaga run`: Badung and Gianyar, each with its own bot, admin group and data."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.demo.local_api import LocalBotApi
from tests.support.office import ADMIN, GROUP, HEAD
from tests.support.service_process import config, service
from tests.support.telegram_office import office_state
from tests.support.waiting import wait_for

PUSPAGA = str(Path(sys.executable).parent / "puspaga")
CLIENT = 72_001
GIANYAR_GROUP = GROUP - 1
PROVINCIAL_HEAD = 5550001


def province_file(tmp_path: Path, offices: list[Path], extra: str = "") -> Path:
    """`extra`: more top-level lines of the province file."""
    named = ", ".join(f'"{office.relative_to(tmp_path)}"' for office in offices)
    path = tmp_path / "provinsi.toml"
    path.write_text(
        f'name = "DP3A Provinsi Uji"\noffices = [{named}]\n{extra}'
        '[[staff]]\ntelegram_id = 5550001\nname = "Kabid PPA Provinsi"\nrole = "provinsi"\n'
    )
    return path


def puspaga(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PUSPAGA, *args], capture_output=True, text=True, timeout=120)


@contextmanager
def two_offices(tmp_path: Path, url: str, extra: str = "") -> Iterator[tuple[list, Path]]:
    """Badung and Gianyar, each with its own bot and admin group, served by one `puspaga run`
    (stopped by SIGTERM at the end, which must end it cleanly)."""
    states = [office_state(), office_state()]
    states[1].token = "7000000002:LOCAL-TEST-TOKEN"
    states[1].add_group(GIANYAR_GROUP, "Admin PUSPAGA Gianyar",
                        members={ADMIN: "member", HEAD: "member"})  # fmt: skip
    for state in states:
        state.add_user(CLIENT, "Klien")
    states[0].add_user(PROVINCIAL_HEAD, "Kabid")  # Badung's bot tells the province
    with LocalBotApi(states[0]) as badung_api, LocalBotApi(states[1]) as gianyar_api:
        offices = []
        for key, api, group in (("badung", badung_api, GROUP),
                                ("gianyar", gianyar_api, GIANYAR_GROUP)):  # fmt: skip
            folder = tmp_path / key
            folder.mkdir()
            database = f'url = "{url}"\nschema_name = "kab_{key}"' if url else ""
            offices.append(config(folder, api, database, f"PUSPAGA Kabupaten {key}", group))
        path = province_file(tmp_path, offices, extra)
        running = service(path)
        try:
            for state in states:
                wait_for(lambda s=state: running.poll() is not None or any(
                    c.method == "getUpdates" for c in list(s.calls)), 60,
                    "each office's bot polled")  # fmt: skip
            if running.poll() is not None:  # refused to start: say why, at once
                raise AssertionError(running.communicate(timeout=10)[1])
            yield states, path
        finally:
            running.send_signal(signal.SIGTERM)
            _, err = running.communicate(timeout=60)
        assert running.returncode == 0, err


def texts(state, chat: int, thread: int | None = None) -> str:  # noqa: ANN001
    return "\n".join(m.get("text", "") for m in state.sent(chat, thread_id=thread))
