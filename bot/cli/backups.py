"""`puspaga backup` and `puspaga restore`: the sealed copy of the database and the data folder
(bot/service/backup.py makes and reads it); their help is in bot/cli/main.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from bot.bootstrap import build
from bot.cli.common import DEFAULT_CONFIG, ConfigOpt, _settings, err
from bot.cli.english import said


def backup(
    to: Annotated[
        Path | None, typer.Option("--ke", help="Folder cadangan (bawaan: data_dir/backups).")
    ] = None,
    config: ConfigOpt = DEFAULT_CONFIG,
) -> None:
    """Cadangan: basis data dan berkas data_dir, disegel dengan kunci kantor; boleh saat layanan
    berjalan. Simpan kunci terpisah dari cadangan."""
    from bot.service.backup import make

    try:
        path, counts = make(build(_settings(config)), to)
    except Exception as exc:  # noqa: BLE001 - said in Indonesian, with a failing exit for systemd
        err.print(
            escape(said("Cadangan GAGAL dibuat ({kind}: {why})", kind=type(exc).__name__, why=exc))
        )
        raise typer.Exit(1) from None
    typer.echo(said("Cadangan dibuat: {path}", path=path) + f"\n{_counted(counts)}")


def restore(
    backup_file: Annotated[Path, typer.Argument(help="Berkas .backup dari `puspaga backup`.")],
    timpa: Annotated[
        bool, typer.Option("--timpa", help="Timpa basis data yang sudah berisi data.")
    ] = False,
    config: ConfigOpt = DEFAULT_CONFIG,
) -> None:
    """Pulihkan cadangan (hentikan layanan dulu). Klien yang dihapus sesudah cadangan dibuat
    dihapus lagi."""
    from bot.service.backup import BackupError
    from bot.service.backup import restore as put_back
    from storage.backup import BackupToolError

    try:  # not migrated first: the backup's own schema goes in, then the migrations
        done = put_back(build(_settings(config), migrate=False), backup_file, replace_data=timpa)
    except (BackupError, BackupToolError) as exc:
        err.print(escape(str(exc)))
        raise typer.Exit(2) from None
    typer.echo(
        said("Cadangan {made} dipulihkan.", made=done.made_at) + f"\n{_counted(done.counts)}"
    )
    if not done.ledger_found:
        typer.echo(said("Perhatian: daftar klien yang dihapus (erased-clients.txt) tidak ada di "
                        "samping kunci; dipakai daftar di dalam cadangan saja."))  # fmt: skip
    if done.erased_again:
        again = len(done.erased_again)
        typer.echo(said("Dihapus lagi (dihapus sesudah cadangan dibuat): {n} klien.", n=again))


def _counted(counts: dict[str, int]) -> str:
    shown = {"message": said("pesan"), "client": said("klien"),
             "psych_record": said("rekam psikologis"), "audit_log": said("catatan audit"),
             "outbox": said("kiriman")}  # fmt: skip
    return ", ".join(f"{counts.get(table, 0)} {label}" for table, label in shown.items())
