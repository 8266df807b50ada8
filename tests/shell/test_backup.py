"""Backups (issue 17): `puspaga backup` while the office works, the database lost, `puspaga
restore` onto an empty one: every message, record and audit row is back, the files of data_dir
too, the backup reads as noise without the key, and a client erased after the backup was made
is erased again. On SQLite and on PostgreSQL (pg_dump / pg_restore)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app as cli
from tests.builders import ADMIN, COUNSELOR, T0, inbound
from tests.support.pg_cluster import fresh_pg_database
from triage.domain.model import Outcome
from triage.usecases import casework, records
from triage.usecases.ingest import ingest

runner = CliRunner()


def _config(folder: Path, database_url: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "config.toml"
    config.write_text(
        f'data_dir = "{folder / "data"}"\n[office]\nname = "PUSPAGA Uji"\n'
        f'[database]\nurl = "{database_url}"\n'
        '[[staff]]\ntelegram_id = 3001\nname = "Ketut"\nrole = "ketua"\n'
        '[[staff]]\ntelegram_id = 2001\nname = "Made"\nrole = "konselor"\n'
        '[[staff]]\ntelegram_id = 1001\nname = "Wayan"\nrole = "admin"\n',
        encoding="utf-8",
    )
    return config


def _invoke(*args: str):
    done = runner.invoke(cli, list(args))
    assert done.exit_code == 0, done.output
    return done


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def urls(request, tmp_path):
    """The office's database before the loss, and the empty one it is restored onto."""
    if request.param == "sqlite":
        return "", ""
    server = request.getfixturevalue("pg_server_url")
    return fresh_pg_database(server), fresh_pg_database(server)


def test_backup_lose_everything_restore_and_find_it_all(tmp_path, urls):
    from bot.bootstrap import build
    from bot.cli.main import _settings
    from storage.backup import row_counts

    first_url, second_url = urls
    office = tmp_path / "office"
    config = _config(office, first_url)
    app = build(_settings(config))
    kept = ingest(inbound(1, text="Anak saya sering tantrum"), uow_factory=app.uows, now=T0)
    gone = ingest(inbound(2, sender="client-2", text="Rahasia klien dua"), uow_factory=app.uows,
                  now=T0)  # fmt: skip
    conv = kept.conversation_id
    casework.hand_off(conv, actor=ADMIN, uow_factory=app.uows, now=T0)
    casework.claim(conv, actor=COUNSELOR, uow_factory=app.uows, now=T0)
    records.write(conv, "Asesmen: stres pengasuhan", actor=COUNSELOR, sealer=app.sealer,
                  uow_factory=app.uows, now=T0)  # fmt: skip
    casework.close(gone.conversation_id, Outcome.TUNTAS, actor=ADMIN, uow_factory=app.uows,
                   now=T0)  # fmt: skip
    attachment = office / "data" / "attachments" / "email" / "surat.txt"
    attachment.parent.mkdir(parents=True)
    attachment.write_bytes(b"lampiran klien")
    before = row_counts(app.engine)
    assert before["message"] == 2 and before["psych_record"] == 1 and before["audit_log"] >= 1
    with app.uows() as uow:
        client_2 = uow.conversations.get(gone.conversation_id).client_id

    made = _invoke("backup", "--config", str(config))
    (backup,) = (office / "data" / "backups").glob("puspaga-*.backup")
    assert str(backup) in made.output and oct(backup.stat().st_mode & 0o777) == "0o600"
    raw = backup.read_bytes()
    assert b"tantrum" not in raw and b"lampiran" not in raw and b"SQLite" not in raw

    # after the backup, the head erases client 2 (the erasure is noted beside the key)
    _invoke("forget", "--client", str(client_2), "--by", "3001", "--yes", "--config", str(config))
    app.engine.dispose()

    # the server is lost: a new one, with the office key and the list of erased clients copied
    # from where they are kept apart, and the backup file from the USB disk
    new = tmp_path / "new"
    new_config = _config(new, second_url)
    (new / "data").mkdir(mode=0o700)
    for kept_apart in ("secret.key", "erased-clients.txt"):
        shutil.copy2(office / "data" / kept_apart, new / "data" / kept_apart)
    usb = tmp_path / "usb"
    usb.mkdir()
    backup = Path(shutil.copy2(backup, usb))
    shutil.rmtree(office)
    restored = _invoke("restore", str(backup), "--config", str(new_config))
    assert "Dihapus lagi" in restored.output and "1 klien" in restored.output

    app = build(_settings(new_config))
    after = row_counts(app.engine)
    for table in ("message", "psych_record", "conversation", "step_log", "client"):
        assert after[table] == before[table], table
    assert after["audit_log"] == before["audit_log"] + 1  # the erasure applied again
    with app.uows() as uow:
        texts = [m.text for m in uow.messages.for_conversation(conv)]
        erased = [m.text for m in uow.messages.for_conversation(gone.conversation_id)]
        assert [e.action for e in uow.audit.entries()][-1] == "client.erased_again"
    assert texts == ["Anak saya sering tantrum"]
    assert "Rahasia klien dua" not in erased
    record = records.read(conv, actor=COUNSELOR, sealer=app.sealer, uow_factory=app.uows, now=T0)
    assert "stres pengasuhan" in str(record)
    restored_file = new / "data" / "attachments" / "email" / "surat.txt"
    assert restored_file.read_bytes() == b"lampiran klien"
    assert oct(restored_file.stat().st_mode & 0o777) == "0o600"

    # restoring again onto a database that holds data is refused unless asked
    again = runner.invoke(cli, ["restore", str(backup), "--config", str(new_config)])
    assert again.exit_code == 2 and "--timpa" in again.output
    app.engine.dispose()


def test_a_backup_opened_with_another_key_says_so_and_old_backups_go(tmp_path):
    office = tmp_path / "office"
    config = _config(office, "")
    folder = office / "data" / "backups"
    folder.mkdir(parents=True)
    for day in range(1, 16):  # fifteen older nights
        (folder / f"puspaga-202611{day:02d}-013000.backup").write_bytes(b"old")
    _invoke("backup", "--config", str(config))
    kept = sorted(p.name for p in folder.glob("puspaga-*.backup"))
    assert len(kept) == 14 and kept[0] == "puspaga-20261103-013000.backup"
    (backup,) = [p for p in folder.glob("puspaga-*.backup") if p.read_bytes() != b"old"]
    other = tmp_path / "other"
    other_config = _config(other, "")
    (other / "data").mkdir(mode=0o700)
    (other / "data" / "secret.key").write_text(
        "cDZo1qkDQ6dQfQ8tBnO0m3yXl0bq0b0n6Jc1m2l3k4s=\n", encoding="ascii"
    )
    refused = runner.invoke(cli, ["restore", str(backup), "--config", str(other_config)])
    assert refused.exit_code == 2 and "kunci" in refused.output
    no_key = tmp_path / "nokey"
    no_key_config = _config(no_key, "")
    missing = runner.invoke(cli, ["restore", str(backup), "--config", str(no_key_config)])
    assert missing.exit_code == 2 and "Kunci kantor tidak ada" in missing.output


def test_the_list_of_erased_clients_names_each_by_id_and_first_opening():
    """A second reading: bare ids made a restore erase a later client given a reused id."""
    from bot.config.erasure import client_mark, erased_clients
    from tests.fakes import FakeUnitOfWorkFactory
    from triage.usecases.erasure import erase_again

    assert erased_clients("3 A\n4 B\n-4 B\n5 C\nrubbish\n") == {3: "A", 5: "C"}  # 4 refused
    uows = FakeUnitOfWorkFactory()
    conv = ingest(inbound(1, text="Halo"), uow_factory=uows, now=T0).conversation_id
    with uows() as uow:
        client = uow.conversations.get(conv).client_id
        mark = client_mark(uow, client)
    kwargs = dict(uow_factory=uows, now=T0, remove=lambda paths: None, fingerprint=client_mark)
    texts = lambda: [m.text for m in uows.db.messages.values()]  # noqa: E731
    assert erase_again({client: "20250101T000000000000"}, **kwargs) == []  # another client
    assert texts() == ["Halo"]
    assert erase_again({client: mark}, **kwargs) == [client]
    assert "Halo" not in texts()
    assert erase_again({client: mark}, **kwargs) == []  # erased already: not counted again
