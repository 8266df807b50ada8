"""`puspaga`: the command line (contracts in README.md, Commands)."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape

from bot.bootstrap import build, database
from bot.cli import backups, book_import, health, help_words, practice, setup
from bot.cli.common import DEFAULT_CONFIG, ConfigOpt, _settings, err, staff_actor
from bot.cli.english import english_logs, said
from bot.cli.inbox import inbox_table
from bot.cli.triage import batch_jsonl, decide
from bot.config.rules_file import load_rules
from bot.config.settings import ConfigError, Settings
from bot.service import loops as service
from storage.migrate import current_revision, upgrade
from triage.domain.errors import AccessDenied, NotFound, OnLegalHold, TransitionNotAllowed
from triage.domain.rules.defaults import DEFAULT_RULES
from triage.texts.catalog import text
from triage.usecases import inbox
from triage.usecases.subject_access import export_client

app = typer.Typer(
    cls=help_words.Speaking,  # the help in the office's language
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # a traceback must not print a token or a password
)


def _version(asked: bool) -> None:
    if asked:
        typer.echo(f"puspaga {package_version('puspaga-inbox')}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Versi program."),
    ] = False,
) -> None:
    """Puspaga Inbox: kotak masuk terpadu dan triase untuk PUSPAGA dan PPKS."""


app.command(
    help=(
        "Periksa konfigurasi dan jangkau setiap layanan yang diatur (basis data, surel, "
        "Telegram, Instagram); katakan apa yang salah dan cara memperbaikinya."
    )
)(health.check)
app.command(
    help="Seluruh alur dari ujung ke ujung di komputer ini, tanpa akun dan tanpa internet."
)(practice.demo)
app.command(
    help=(
        "Telegram latihan di komputer ini: bot, grup admin, petugas dan klien rekaan; ketik apa "
        "yang ditulis setiap orang. Untuk latihan petugas dan mencoba setup."
    )
)(practice.latihan)
app.command(help="Pemasangan langkah demi langkah: token bot, grup staf, petugas, kantor, kanal.")(
    setup.setup
)
app.command(
    help=r"Kirim surel ke kepala (\[alarm] emails) bahwa layanan berhenti (dijalankan systemd)."
)(health.alarm)


# Libraries whose INFO lines carry secrets or personal data: httpx logs every request URL
# (the bot token is part of it), python-telegram-bot logs update contents at DEBUG.
QUIET_LOGGERS = (
    "httpx", "httpcore", "telegram", "apscheduler", "alembic",  # alembic: a line per migration
    "instagrapi", "private_request", "public_request",  # request URLs carry user and thread ids
)  # fmt: skip


def _logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger().level))
    if settings.language == "en":
        english_logs()


@app.command(
    help=(
        "Layanan: memperbarui basis data, lalu menarik pesan dari setiap kanal dan mengirim "
        "kotak keluar sampai dihentikan."
    )
)
def run(config: ConfigOpt = DEFAULT_CONFIG) -> None:
    """The service: migrate the database, then poll channels and send the outbox until stopped
    (alone, on SQLite); given a province file, every office's (bot/config/province.py)."""
    from bot.cli import province
    from bot.service import single

    if province.is_province(config):
        found = province.load(config)
        offices = [office.settings for office in found.offices]
        keys, heads = [office.key for office in found.offices], province.heads_of(found)
        districts = province.districts_of(found)
        says = {"log_level": found.config.log_level, "language": found.config.language}
        _logging(offices[0].model_copy(update=says))
    else:
        offices, keys, heads, districts = [_settings(config)], None, None, None
        _logging(offices[0])
    try:
        province.serve(offices, build, keys, heads, districts)
    except single.AlreadyRunning as running:
        err.print(said(
            "Layanan Puspaga Inbox sudah berjalan dengan basis data SQLite di {data_dir} (proses "
            "{pid}). Dua layanan pada satu SQLite akan menarik bot dan kotak surat yang sama: "
            "hentikan yang lain dulu (sudo systemctl stop puspaga-inbox), atau pakai PostgreSQL "
            "([database] url) untuk beberapa pekerja. puspaga report, inbox dan backup tetap "
            "bisa dipakai di sampingnya.", data_dir=running.data_dir, pid=running.pid,
        ))  # fmt: skip
        raise typer.Exit(1) from None


@app.command(
    help=(
        "Sekali tarik pesan dari setiap kanal ke kotak masuk dan kirim yang sudah waktunya "
        "(kode keluar 1 bila ada kanal yang tidak terbaca)."
    )
)
def poll(
    once: Annotated[bool, typer.Option("--once", help="Sekali tarik, lalu selesai.")] = False,
    config: ConfigOpt = DEFAULT_CONFIG,
) -> None:
    """Poll every configured channel into the inbox and send what is due."""
    if not once:
        err.print(said("Pakai `puspaga poll --once` (sekali tarik) atau `puspaga run` (layanan)."))
        raise typer.Exit(2)
    settings = _settings(config)
    _logging(settings)
    application = build(settings)
    counts = service.poll_all(application)
    service.relay(application)
    report = service.dispatch(application)
    for channel, why in application.unavailable.items():
        err.print(f"{channel}: {why}", markup=False)
    typer.echo(
        json.dumps(
            {
                "polled": counts,
                "sent": report.sent,
                "retrying": report.retrying,
                "failed": report.failed,
            }
        )
    )
    paused = {s.cursor_key for s in application.sources if getattr(s, "trouble", lambda: None)()}
    broken = sorted({key.split(":")[0] for key, n in counts.items() if n < 0 or key in paused})
    if broken:  # a script or a timer must see that a channel was not read
        err.print(text("cli.poll_failed", settings.language, channels=", ".join(broken)))
        raise typer.Exit(1)


@app.command("triage", help="Tingkat risiko dan kategori pesan, dengan aturan yang memutuskannya.")
def triage_cmd(
    as_json: Annotated[
        bool, typer.Option("--json", help="Baca satu pesan dari stdin, tulis satu jawaban.")
    ] = False,
    as_jsonl: Annotated[
        bool,
        typer.Option(
            "--jsonl", help='Baca satu {"text": ...} per baris, jawab satu baris untuk tiap baris.'
        ),
    ] = False,
    rules: Annotated[
        Path | None, typer.Option(help="Berkas aturan kantor, ditambahkan ke aturan bawaan.")
    ] = None,
) -> None:
    """Urgency and category of messages, with the rules that decided (docs/architecture.md,
    Triage)."""
    from bot.config.triage import stemmer

    if as_json == as_jsonl:
        err.print(
            said("Pakai tepat satu: --json (satu pesan) atau --jsonl (satu objek per baris).")
        )
        raise typer.Exit(2)
    try:
        ruleset = load_rules(rules, DEFAULT_RULES) if rules else DEFAULT_RULES
    except ConfigError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(2) from None
    stem = stemmer()
    if as_json:
        answer = decide(sys.stdin.read(), stem, ruleset).as_json()
        typer.echo(json.dumps(answer, ensure_ascii=False))
        return
    for line in batch_jsonl(sys.stdin, stem, ruleset):
        typer.echo(line)


@app.command("inbox", help="Percakapan dengan pesan, pengatur waktu, dan statusnya.")
def inbox_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Tulis JSON, bukan tabel.")] = False,
    config: ConfigOpt = DEFAULT_CONFIG,
) -> None:
    """Conversations with their messages, timers and state."""
    settings = _settings(config)
    application = build(settings)
    views = inbox.snapshot(application.uows)
    if as_json:
        json.dump([inbox.as_json(v) for v in views], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    console = Console()
    console.print(
        inbox_table(views, zone=ZoneInfo(settings.office.timezone), lang=settings.language)
    )
    with application.uows() as uow:
        failed = uow.outbox.failed()
    if failed:  # never silently: staff see what did not reach a client
        console.print(f"[bold red]{escape(text('outbox.failed_title', settings.language))}[/]")
        for item in failed:
            line = f"  #{item.id} → {item.target.value} ({item.attempts}×): {item.last_error or ''}"
            console.print(line, markup=False)


@app.command(
    "dead-letters",
    help=(
        "Pesan yang tidak bisa disimpan atau diproses dan disisihkan agar pesan lain tetap "
        "masuk; simpan ulang satu per satu."
    ),
)
def dead_letters(
    retry: Annotated[
        int | None, typer.Option("--retry", help="Simpan sekarang pesan sisihan bernomor ini.")
    ] = None,
    config: ConfigOpt = DEFAULT_CONFIG,
) -> None:
    """What could not be stored or handled, set aside so the rest came in; retry one by id."""
    from bot.service import setaside

    settings = _settings(config)
    application, lang = build(settings), settings.language
    if retry is not None:
        try:
            conv = setaside.retry(application, retry)
        except LookupError:
            err.print(text("cli.dead_letter_unknown", lang, id=retry), markup=False)
            raise typer.Exit(1) from None
        except setaside.NotAMessage:
            err.print(text("cli.dead_letter_telegram", lang, id=retry), markup=False)
            raise typer.Exit(1) from None
        except Exception as exc:  # noqa: BLE001 - the kind only: a driver's text quotes rows
            err.print(text("cli.dead_letter_failed", lang, id=retry, error=type(exc).__name__),
                      markup=False)  # fmt: skip
            raise typer.Exit(1) from None
        typer.echo(text("cli.dead_letter_stored", lang, id=retry, conv=conv))
        return
    letters = application.dead_letters.all()
    if not letters:
        typer.echo(text("cli.dead_letters_none", lang))
        return
    typer.echo(text("cli.dead_letters_title", lang, n=len(letters)))
    for letter in letters:
        when = letter.created_at.astimezone(ZoneInfo(settings.office.timezone))
        typer.echo(f"  #{letter.id}  {when:%d-%m-%Y %H.%M}  {letter.source}  {letter.error}")


@app.command(help="Perbarui skema basis data (juga dilakukan oleh `run`).")
def migrate(config: ConfigOpt = DEFAULT_CONFIG) -> None:
    """Bring the database schema up to date (also done by `run`)."""
    engine = database(_settings(config))
    upgrade(engine)
    typer.echo(said("basis data pada revisi {revision}", revision=current_revision(engine)))


@app.command(
    help="Laporan bulanan: laporan klien, buku register, ketepatan waktu, grafik (XLSX, CSV, PNG)."
)
def report(
    month: Annotated[str, typer.Option(help="Bulannya, TTTT-BB (misalnya 2026-11).")],
    out: Annotated[Path, typer.Option(help="Folder tujuan berkas.")] = Path("laporan"),
    config: ConfigOpt = DEFAULT_CONFIG,
) -> None:
    """The monthly report: client report, register book, SLA compliance (XLSX, CSV, PNG);
    given a province file, the offices' figures side by side and added up."""
    from bot.cli import province
    from bot.files import report as report_files

    if province.is_province(config):
        for path in province.report(config, month, out, build):
            typer.echo(str(path))
        return
    settings = _settings(config)
    lang = settings.language
    if not report_files.MONTH.fullmatch(month):
        err.print(text("report.month_form", lang))
        raise typer.Exit(2)
    today = datetime.now(ZoneInfo(settings.office.timezone)).date()
    if report_files.not_yet(month, today):
        err.print(text("report.not_yet", lang, month=report_files.month_label(month, lang)))
        raise typer.Exit(2)
    application = build(settings)
    staff = {s.telegram_id: s.name for s in settings.staff}
    made = report_files.write(report_files.build(application, month), out, settings, staff, today)
    for path in made:
        typer.echo(str(path))


@app.command(
    help=(
        "Semua data tentang satu klien, sebagai JSON dan berkas yang bisa dibaca (permintaan "
        "subjek data; jawab dalam 3x24 jam). Hanya ketua; tercatat di log audit."
    )
)
def export(
    client: Annotated[int, typer.Option(help="Nomor klien (lihat `puspaga inbox --json`).")],
    by: Annotated[int, typer.Option(help="telegram_id ketua yang meminta.")],
    out: Annotated[Path, typer.Option(help="Folder tujuan berkas.")] = Path("ekspor"),
    config: ConfigOpt = DEFAULT_CONFIG,
) -> None:
    """Everything held about one client, as JSON and a readable file (a data subject's request;
    answer within 3x24 hours). Only a head may; the export is in the audit log."""
    from bot.files import export as export_files

    settings = _settings(config)
    actor = staff_actor(settings, by)
    application = build(settings)
    try:
        data = export_client(client, actor=actor, sealer=application.sealer,
                             uow_factory=application.uows, now=application.clock())  # fmt: skip
    except AccessDenied:
        err.print(said("Hanya ketua (role ketua) yang boleh mengekspor data klien."))
        raise typer.Exit(2) from None
    except NotFound:
        err.print(said("Tidak ada klien #{n}.", n=client))
        raise typer.Exit(2) from None
    for path in export_files.write(data, out):
        typer.echo(str(path))


@app.command(
    help=(
        "Hapus data pribadi klien atas permintaannya (jawab dalam 3x24 jam). Angka laporan "
        "tetap. Hanya ketua; tercatat di log audit."
    )
)
def forget(
    client: Annotated[int, typer.Option(help="Nomor klien (lihat `puspaga inbox --json`).")],
    by: Annotated[int, typer.Option(help="telegram_id ketua yang meminta.")],
    yes: Annotated[bool, typer.Option("--yes", help="Hapus tanpa bertanya lagi.")] = False,
    config: ConfigOpt = DEFAULT_CONFIG,
) -> None:
    """Erase a client's personal data on their request (answer within 3x24 hours): names,
    addresses, messages, attachments, forms except age and gender, case files, records and
    referral letters. Report figures stay. Only a head may; it is in the audit log."""
    from bot.config import erasure as erasure_setup

    settings = _settings(config)
    actor = staff_actor(settings, by)
    if not yes and not typer.confirm(said("Hapus semua data pribadi klien #{n}?", n=client)):
        raise typer.Exit(1)
    application = build(settings)
    try:
        erased = erasure_setup.forget(application, client, actor)
    except AccessDenied:
        err.print(said("Hanya ketua (role ketua) yang boleh menghapus data klien."))
        raise typer.Exit(2) from None
    except NotFound:
        err.print(said("Tidak ada klien #{n}.", n=client))
        raise typer.Exit(2) from None
    except TransitionNotAllowed:
        err.print(
            said("Klien #{n} masih punya kasus terbuka: tutup dulu (/tutup), lalu hapus.", n=client)
        )
        raise typer.Exit(2) from None
    except OnLegalHold as held:
        cases = ", ".join(f"#{n}" for n in held.conv_ids)
        err.print(
            said(
                "Klien #{n} tidak dihapus: kasus {cases} ditahan untuk proses hukum (/lepas_tahan).",  # noqa: E501
                n=client,
                cases=cases,
            )
        )
        raise typer.Exit(2) from None
    typer.echo(said("Klien #{n} dihapus: {count} percakapan.", n=client, count=len(erased)))


@app.command(
    help=(
        "Hapus sekarang data yang disimpan lebih lama dari batas \\[retention] (layanan "
        "melakukannya tiap malam pada \\[retention] purge_at)."
    )
)
def purge(config: ConfigOpt = DEFAULT_CONFIG) -> None:
    """Erase now what has been kept longer than [retention] allows (the service does this
    every night at [retention] purge_at)."""
    from bot.config import erasure as erasure_setup

    done = erasure_setup.purge(build(_settings(config)))
    for kind, count in done.items():
        typer.echo(f"{kind}: {count}")


app.command(
    help="Cadangan: basis data dan berkas data_dir, disegel dengan kunci kantor; boleh saat "
    "layanan berjalan. Simpan kunci terpisah dari cadangan."
)(backups.backup)
app.command(
    help="Pulihkan cadangan (hentikan layanan dulu). Klien yang dihapus sesudah cadangan dibuat "
    "dihapus lagi."
)(backups.restore)
app.command(
    "impor-register",
    help="Impor kasus yang masih berjalan dari buku register Excel kantor (pindah dari kertas).",
)(book_import.import_register)


@app.command(
    "rotate-key",
    help=(
        "Segel rekam psikologis dan sesi Instagram dengan kunci baru; kunci lama tidak berlaku "
        "lagi. Hentikan layanan dulu."
    ),
)
def rotate_key(
    config: ConfigOpt = DEFAULT_CONFIG,
    new_key: Annotated[
        bool, typer.Option("--new-key", help="Hanya tulis kunci baru (untuk PUSPAGA_SECRET_KEY).")
    ] = False,
) -> None:
    """Seal the psychological records and the Instagram session with a new key; the old key
    stops working. Stop the service first (one process at a time changes the key file)."""
    from bot.cli.rotate_key import rotate
    from bot.service.secret_box import SecretBox

    if new_key:
        typer.echo(SecretBox.new_key())
        return
    from bot.service.secret_box import ENV

    settings = _settings(config)
    count = rotate(build(settings))
    typer.echo(said("{n} nilai tersegel disegel ulang dengan kunci pertama.", n=count))
    if os.environ.get(ENV):
        typer.echo(
            said(
                "Sekarang simpan hanya kunci pertama di {env}: kunci lama tak diperlukan.", env=ENV
            )
        )
    else:
        typer.echo(
            said("Berkas kunci kini hanya berisi kunci baru: kunci lama tak membuka apa pun.")
        )
