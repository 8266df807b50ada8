"""The demo's province act: two districts' offices in one install (bot/config/province.py), each
with its own config.toml and its own data; a client of one is not seen from the other; the
provincial head's report adds their figures up and holds no case; a third office that would
share Badung's data folder is refused with the fix."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from rich.markup import escape

from bot.app import App
from bot.bootstrap import build
from bot.config.province import load_province
from bot.config.settings import ConfigError
from bot.demo.local_api.scripted import DemoFailed
from bot.files import province_report
from bot.files import report as report_files
from bot.service import loops, switchboard
from bot.service.offices import Offices, ProvinceHeads
from bot.service.switchboard import Districts
from triage.domain.forms.dialogue import FormState
from triage.domain.model import Actor, Channel, InboundMessage, Outcome, Role
from triage.texts.catalog import Lang, text
from triage.usecases import casework, inbox
from triage.usecases.ingest import ingest
from triage.usecases.offices import transfer as transfer_cases

OFFICES = {  # key: (office name, clients who write, the first one urgent)
    "badung": ("PUSPAGA Kabupaten Badung", ["Ayu", "Komang", "Gede"]),
    "gianyar": ("PUSPAGA Kabupaten Gianyar", ["Putu", "Sari"]),
}
ADMIN = Actor(4001, Role.ADMIN, "Admin kabupaten")
HEADS = {"badung": Actor(4101, Role.HEAD, "Ketua Badung"),
         "gianyar": Actor(4102, Role.HEAD, "Ketua Gianyar")}  # fmt: skip


def _office(folder: Path, name: str, lang: Lang) -> Path:
    folder.mkdir(parents=True)
    path = folder / "config.toml"
    head = HEADS.get(folder.name)
    path.write_text(
        f'language = "{lang}"\ndata_dir = "data"\n[office]\nname = "{name}"\n'
        'timezone = "Asia/Makassar"\nphone = "+62 361 000000"\n'
        f'[[staff]]\ntelegram_id = {ADMIN.staff_id}\nname = "{ADMIN.name}"\nrole = "admin"\n'
        + (f'[[staff]]\ntelegram_id = {head.staff_id}\nname = "{head.name}"\nrole = "ketua"\n'
           if head else ""),
        encoding="utf-8",
    )  # fmt: skip
    return path


def run_province_act(folder: Path, lang: Lang, say: Callable[..., None], now: datetime) -> None:
    say(f"\n[bold]{escape(text('demo.province.title', lang))}[/bold]")
    for key, (name, _) in OFFICES.items():
        _office(folder / key, name, lang)
    province_path = folder / "provinsi.toml"
    named = ", ".join(f'"{key}/config.toml"' for key in OFFICES)
    province_path.write_text(
        f'language = "{lang}"\nname = "DP3A Provinsi Bali"\noffices = [{named}]\n'
        '[[staff]]\ntelegram_id = 5550001\nname = "Kabid PPA Provinsi"\nrole = "provinsi"\n',
        encoding="utf-8",
    )
    province = load_province(province_path, {})
    names = {office.key: office.settings.office.name for office in province.offices}
    districts = Districts.of("badung", names, {"badung": ["kuta"], "gianyar": ["ubud"]})
    heads = ProvinceHeads(province.config.name, lang, {5550001: "Kabid PPA Provinsi"}, "badung")
    directory = Offices({office.key: office.settings for office in province.offices}, heads,
                        districts)  # fmt: skip
    reports, apps = [], {}
    for office in province.offices:
        app = build(office.settings, clock=lambda: now, offices=directory)
        key = office.path.parent.name
        directory.add(key, app)
        apps[key] = app
        for n, who in enumerate(OFFICES[key][1]):
            message = InboundMessage(Channel.HOTLINE, f"{key}-{n}", str(600 + n), who,
                                     "Selamat pagi, saya ingin konsultasi.", now)  # fmt: skip
            got = ingest(message, uow_factory=app.uows, now=now)
            if n == 0:
                casework.mark_urgent(got.conversation_id, actor=ADMIN, uow_factory=app.uows,
                                     now=now)  # fmt: skip
        seen = [view.client_name for view in inbox.snapshot(app.uows)]
        say(escape(text("demo.province.office", lang, office=office.settings.office.name,
                        clients=", ".join(sorted(seen)))))  # fmt: skip
        if sorted(seen) != sorted(OFFICES[key][1]):
            raise DemoFailed(f"{key} sees other clients than its own: {seen}")
        with app.uows() as uow:  # Gianyar's staff asking for Badung's third case by number
            if key == "gianyar" and uow.conversations.get(3) is not None:
                raise DemoFailed("Gianyar reached Badung's case #3")
        reports.append(
            (office.settings.office.name, report_files.build(app, now.strftime("%Y-%m")))
        )
    say(escape(text("demo.province.apart", lang)))
    try:
        month = now.strftime("%Y-%m")
        if not province_report.send_to_heads(directory, month, f"demo-province:{month}"):
            raise DemoFailed("the provincial head was sent no report")
        say(escape(text("demo.province.head", lang, month=month)))
        _transfer(apps, lang, say, now)
        _shared_hotline(apps, lang, say, now)
    finally:
        for app in apps.values():
            app.engine.dispose()
    made = province_report.write(reports, folder / "laporan", province.config.name,
                                 now.strftime("%Y-%m"), lang)  # fmt: skip
    table = made[1].read_text(encoding="utf-8-sig")
    if any(who in table for _, clients in OFFICES.values() for who in clients):
        raise DemoFailed("a client's name reached the province's report")
    say(escape(text("demo.province.report", lang, path=made[0])))
    for line in table.splitlines():
        say(escape("  " + line.replace(",", " | ")))
    third = _office(folder / "karangasem", "PUSPAGA Kabupaten Karangasem", lang)
    third.write_text(third.read_text().replace('data_dir = "data"', 'data_dir = "../badung/data"'))
    province_path.write_text(province_path.read_text().replace(
        "offices = [", 'offices = ["karangasem/config.toml", '))  # fmt: skip
    try:
        load_province(province_path, {})
    except ConfigError as refused:
        say(escape(text("demo.province.refused", lang, why=refused.problems[0])))
    else:
        raise DemoFailed("two offices sharing one data folder were accepted")


def _transfer(apps: dict[str, App], lang: Lang, say: Callable[..., None], now: datetime) -> None:
    """Badung's third client moved to Gianyar: Badung's head asks, Gianyar's accepts, the case
    goes over with its form and history (bot/service/offices.py carries each message)."""
    badung, gianyar = apps["badung"], apps["gianyar"]
    (conv,) = [v.conversation.id for v in inbox.snapshot(badung.uows) if v.client_name == "Gede"]
    with badung.uows() as uow:
        uow.forms.save(FormState(conv, None, {"nama": "Gede", "alamat": "Ubud, Gianyar"}, "staff"))
        uow.commit()
    ref = transfer_cases.offer_transfer(
        conv, "gianyar", office_name=gianyar.settings.office.name,
        reason=text("demo.province.transfer_reason", lang), origin="badung",
        origin_name=badung.settings.office.name, actor=HEADS["badung"], uow_factory=badung.uows,
        now=now, key="demo-transfer",
    )  # fmt: skip
    loops.dispatch(badung, max_passes=3)
    say(escape(text("demo.province.transfer_asked", lang, conv=conv, ref=ref)))
    transfer_cases.answer_transfer(
        ref, True, reason="", office="gianyar", office_name=gianyar.settings.office.name,
        phone=gianyar.settings.office.phone, heads=[HEADS["gianyar"].staff_id],
        actor=HEADS["gianyar"], uow_factory=gianyar.uows, now=now,
    )  # fmt: skip
    for app in (gianyar, badung):  # the answer to Badung, then the case to Gianyar
        loops.dispatch(app, max_passes=3)
    moved = [v.conversation.id for v in inbox.snapshot(gianyar.uows) if v.client_name == "Gede"]
    with badung.uows() as uow:
        closed = uow.conversations.get(conv)
        audit = [e.action for e in uow.audit.entries(conv) if e.action.startswith("transfer")]
    with gianyar.uows() as uow:
        audit += [e.action for e in uow.audit.entries() if e.action.startswith("transfer")]
    if len(moved) != 1 or closed is None or closed.outcome is not Outcome.RUJUKAN:
        raise DemoFailed(f"the transfer did not move the case: {moved}, {closed}")
    say(escape(text("demo.province.transfer_done", lang, conv=conv, moved=moved[0],
                    audit=", ".join(audit))))  # fmt: skip


def _shared_hotline(apps: dict[str, App], lang: Lang, say: Callable[..., None],
                    now: datetime) -> None:  # fmt: skip
    """Badung's bot as the hotline of both (bot/service/switchboard.py): a client who names no
    district is asked, and their answer sends them to Gianyar; one who names Kuta goes straight
    to Badung."""
    hub, gianyar = apps["badung"], apps["gianyar"]

    def writes(n: int, who: str, words: str) -> switchboard.Delivered:
        sender = {"Wayan": "9001", "Made": "9002"}[who]  # a client's Telegram id
        message = InboundMessage(Channel.HOTLINE, f"shared-{n}", sender, who, words, now)
        return switchboard.deliver(hub, message, urgent=False)

    first = writes(1, "Wayan", text("demo.province.hotline_first", lang))
    second = writes(2, "Wayan", "2")
    named = writes(3, "Made", text("demo.province.hotline_named", lang))
    seen = [v.client_name for v in inbox.snapshot(gianyar.uows)]
    if not first.ask or second.office != "gianyar" or named.office != "badung" or (
            "Wayan" not in seen):  # fmt: skip
        raise DemoFailed(f"the shared hotline sent clients astray: {first}, {second}, {named}")
    say(escape(text("demo.province.hotline", lang, first=text("demo.province.hotline_first",
                                                               lang))))  # fmt: skip
