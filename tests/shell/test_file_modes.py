"""The office's data is readable by the service's user only, whatever the umask it runs under
(outside the systemd unit too): data_dir 0700, the database and the key 0600; the key can live
outside data_dir (`[security] key_file`), away from the backups of data_dir. The commands run
as subprocesses: the umask is the process's own."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

PUSPAGA = Path(sys.executable).parent / "puspaga"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(*args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PUSPAGA_SECRET_KEY"}  # the key file
    done = subprocess.run(
        [str(PUSPAGA), *args], capture_output=True, text=True, timeout=120, env=env,
        preexec_fn=lambda: os.umask(0o022),  # a permissive shell: files would be 0644
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_data_and_key_are_private_and_the_key_may_live_elsewhere(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)  # made by hand, readable by all
    (data / "catatan.txt").write_text("lama")
    os.chmod(data / "catatan.txt", 0o644)
    keys = tmp_path / "kunci"
    config = tmp_path / "config.toml"
    config.write_text(
        f'data_dir = "{data}"\n[office]\nname = "PUSPAGA Uji"\n'
        '[security]\nkey_file = "kunci/kantor.key"\n'  # relative: to the config file
    )
    run("migrate", "--config", str(config))
    run("rotate-key", "--config", str(config))
    assert mode(data) == 0o700
    assert mode(data / "puspaga.sqlite3") == 0o600
    assert mode(data / "catatan.txt") == 0o600  # an older file made private too
    assert not (data / "secret.key").exists()
    assert mode(keys / "kantor.key") == 0o600 and mode(keys) == 0o700


def test_a_key_file_set_on_an_office_with_its_key_in_data_dir_stops_with_the_move_to_make(
    tmp_path,
):
    data = tmp_path / "data"
    config = tmp_path / "config.toml"
    config.write_text(f'data_dir = "{data}"\n[office]\nname = "PUSPAGA Uji"\n')
    run("rotate-key", "--config", str(config))  # the key made in data_dir
    old = (data / "secret.key").read_bytes()
    config.write_text(config.read_text() + '[security]\nkey_file = "kunci/kantor.key"\n')
    env = {k: v for k, v in os.environ.items() if k != "PUSPAGA_SECRET_KEY"}
    done = subprocess.run([str(PUSPAGA), "migrate", "--config", str(config)], env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2 and "mv " in done.stderr and "kantor.key" in done.stderr
    assert not (tmp_path / "kunci" / "kantor.key").exists()  # no new key was made
    assert (data / "secret.key").read_bytes() == old
