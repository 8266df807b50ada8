"""`puspaga impor-register`: the open cases of the office's Excel register book become cases, as
if an admin had registered each with /klien_baru and filled /identitas (the columns are read in
triage/domain/forms/register_book.py). Each case keeps its paper register number and the date
it came (so the monthly report counts it in its own month), gets its counselor when the row
names one, and a topic like any case. Importing the same book again adds nothing twice."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape

from bot.app import App
from bot.bootstrap import build
from bot.cli.common import DEFAULT_CONFIG, ConfigOpt, _settings, err, staff_actor
from bot.cli.english import said
from bot.config.triage import form_setup
from bot.telegram.duty import staff_named
from triage.domain.forms import register_book
from triage.domain.forms.register_book import BookRow
from triage.domain.intake import Intake
from triage.domain.model import Actor, Role, State
from triage.domain.rules.classify import CATEGORIES
from triage.effects.form_prompts import FormSetup
from triage.usecases import casework
from triage.usecases.assessment import set_assessment
from triage.usecases.identity import correct_fields, keep_register_no
from triage.usecases.ingest import register
from triage.usecases.replies import add_note, reply_to_client


def import_register(
    book: Annotated[Path, typer.Argument(help="Buku register kantor (.xlsx), lembar pertama.")],
    by: Annotated[int, typer.Option(help="telegram_id admin atau ketua yang mengimpor.")],
    coba: Annotated[
        bool, typer.Option("--coba", help="Hanya baca dan laporkan; tidak ada yang disimpan.")
    ] = False,
    config: ConfigOpt = DEFAULT_CONFIG,
) -> None:
    """Kasus yang masih berjalan di buku register Excel menjadi kasus di Puspaga Inbox: nomor
    register dan tanggalnya tetap, konselornya bila tertulis. Aman diulang."""
    settings = _settings(config)
    actor = staff_actor(settings, by)
    if actor.role is Role.COUNSELOR:
        err.print(said("Hanya admin atau ketua yang mengimpor buku register."))
        raise typer.Exit(2)
    zone = ZoneInfo(settings.office.timezone)
    setup = form_setup(settings)
    reading = read_book(book, setup, datetime.now(zone).date())
    if reading.too_long:
        err.print(said("Buku register lebih dari {rows} baris: pecah menjadi beberapa berkas.",
                       rows=register_book.MAX_ROWS))  # fmt: skip
        raise typer.Exit(2)
    if reading.missing:
        err.print(
            said(
                "Baris judul kolom tidak ditemukan: perlu kolom «Nama» (dan boleh «No. Register», "
                "«Tanggal», «Cara datang», «Status», «Konselor», «Kategori»)."
            )
        )
        raise typer.Exit(2)
    for row, key, value in reading.problems:
        err.print(escape(_problem(key, row, value)))
    if reading.unknown_headers:
        unknown = ", ".join(reading.unknown_headers)
        err.print(escape(said("Kolom yang tidak dibaca: {names}", names=unknown)))
    typer.echo(
        said(
            "{open} kasus berjalan, {closed} kasus selesai dibiarkan di kertas, {bad} baris "
            "bermasalah.",
            open=len(reading.rows),
            closed=len(reading.closed),
            bad=len(reading.problems),
        )  # fmt: skip
    )
    if coba:
        return
    app = build(settings)
    for row in reading.rows:
        typer.echo(escape(import_row(app, actor, row, zone, setup)))


def _problem(key: str, row: int, value: str) -> str:
    if key == "import.no_name":
        return said("baris {row}: tanpa nama, dilewati", row=row)
    if key == "import.way":
        return said("baris {row}: cara datang «{value}» tidak dikenal (langsung, telepon, surat, "
                    "rujukan), dilewati", row=row, value=value)  # fmt: skip
    if key == "import.date":
        return said("baris {row}: tanggal «{value}» tidak terbaca atau di masa depan, dilewati",
                    row=row, value=value)  # fmt: skip
    return said("baris {row}: nomor register «{value}» sudah dipakai baris lain, dilewati",
                row=row, value=value)  # fmt: skip


def read_book(book: Path, setup: FormSetup, today: date) -> register_book.Reading:
    return register_book.read(_sheet(book), register_book.form_labels(setup.form), today)


def _sheet(book: Path) -> list[tuple[object, ...]]:
    from openpyxl import load_workbook  # heavy: only for this command

    try:
        workbook = load_workbook(book, read_only=True, data_only=True)
    except FileNotFoundError:
        err.print(said("Berkas tidak ditemukan: {path}", path=book))
        raise typer.Exit(2) from None
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same answer
        err.print(said("{path} bukan berkas Excel (.xlsx) yang terbaca ({kind}).", path=book,
                       kind=type(exc).__name__))  # fmt: skip
        raise typer.Exit(2) from None
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # some programs write a wrong size: read every cell there is
    rows = list(sheet.iter_rows(values_only=True, max_row=register_book.MAX_ROWS + 21))
    workbook.close()
    return rows


def import_row(app: App, actor: Actor, row: BookRow, zone: ZoneInfo, setup: FormSetup) -> str:
    """One row, once: a row imported before (the same register number, or the same name, date
    and summary) is left as staff may have changed it since. The case and its form are dated
    as the book says (the monthly report counts it in its own month); its summary is a staff
    note (what staff wrote is not triaged as a new message); a case with its counselor named
    goes to them, one without waits in the queue from now (its timers run from the import)."""
    now = app.clock()
    when = min(datetime.combine(row.came, time(9), zone), now) if row.came else now
    common = {"actor": actor, "uow_factory": app.uows, "now": when}
    key = f"book:{row.register_no or _digest(row)}"
    done = register(Intake(row.channel, row.name, said("(diimpor dari buku register)")), key=key,
                    **common)  # fmt: skip
    conv = done.conversation_id
    said_of = [said("baris {row}: kasus #{conv}", row=row.line, conv=conv)]
    if done.duplicate:
        return "; ".join([*said_of, said("sudah diimpor sebelumnya")])
    if row.summary:
        add_note(conv, row.summary, actor=actor, idempotency_key=f"{key}:summary",
                 uow_factory=app.uows, now=when)  # fmt: skip
    if row.register_no:
        holder = keep_register_no(conv, row.register_no, **common)
        if holder not in (conv, None):
            said_of.append(said("nomor register sudah dipakai kasus #{other}", other=holder))
    fixed = correct_fields(conv, row.form_lines, setup=setup, **common)
    if fixed.problems:
        said_of.append(said("isian tidak terbaca: {names}",
                            names=", ".join(n for n, _ in fixed.problems)))  # fmt: skip
    if row.category in CATEGORIES:
        set_assessment(conv, category=row.category, **common)
    counselor = _counselor(app, row.counselor)
    if counselor is not None:
        _give(app, conv, actor, counselor, key, when)
        said_of.append(said("konselor {name}", name=counselor.name))
    else:
        casework.hand_off(conv, actor=actor, roster=app.roster, uow_factory=app.uows, now=now,
                          counselors=_counselors(app), key=f"{key}:handoff")  # fmt: skip
        if row.counselor:
            said_of.append(said("konselor «{name}» tidak dikenal atau nonaktif: ditawarkan ke "
                                "antrean", name=row.counselor))  # fmt: skip
        else:
            said_of.append(said("ditawarkan ke antrean konselor"))
    return "; ".join(said_of)


def _digest(row: BookRow) -> str:
    """A row without a register number, known again by what it says (never by its line: a row
    deleted above would shift every later one)."""
    came = row.came.isoformat() if row.came else ""
    words = "|".join([" ".join(row.name.casefold().split()), came, row.summary])
    return hashlib.sha256(words.encode()).hexdigest()[:16]


def _counselors(app: App) -> list[int]:
    with app.uows() as uow:
        away = uow.roster.inactive()
    return [s.telegram_id for s in app.settings.staff
            if s.role == "konselor" and s.telegram_id not in away]  # fmt: skip


def _counselor(app: App, name: str) -> Actor | None:
    active = set(_counselors(app))  # a deactivated counselor (/nonaktif) is given nothing
    counselors = {s.telegram_id: s.name for s in app.settings.staff if s.telegram_id in active}
    staff_id = staff_named(name, counselors) if name else None
    return Actor(staff_id, Role.COUNSELOR, counselors[staff_id]) if staff_id else None


def _give(app: App, conv: int, head: Actor, to: Actor, key: str, when: datetime) -> None:
    """As /tugaskan: handed off and claimed for the counselor, who has been talking with the
    client on paper (a note in their name, so no first-answer timer runs)."""
    with app.uows() as uow:
        current = uow.conversations.get(conv)
    if current is None or current.state is State.WITH_COUNSELOR:
        return
    common = {"uow_factory": app.uows, "now": when}
    if current.state is not State.HANDED_OFF:  # offered to them alone: theirs to take
        casework.hand_off(
            conv, actor=head, counselors=[to.staff_id], key=f"{key}:handoff", **common
        )
    casework.claim(conv, actor=to, key=f"{key}:claim", **common)
    note = said("Kasus ini diimpor dari buku register; percakapan sebelumnya tercatat di kertas.")
    # a client met offline: their counselor's words are a note, and count as the first answer
    reply_to_client(conv, note, actor=to, idempotency_key=f"{key}:note", **common)
