"""The demo's email act: the real email adapter against a mail server on this machine (Dovecot
for IMAP, an SMTP sink). Two clients write (one in HTML only, quoting an older mail), an
out-of-office robot writes too; everything is taken in once, the admin's reply goes out threaded,
and the client's answer joins her conversation. The robot gets no answer. Then the mail server
stops for twenty minutes, and the head hears of it by mail, and of its return.

Needs the `dovecot` binary (Debian: dovecot-imapd); without it the act says how to get it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from imapclient import IMAPClient
from rich.console import Console
from rich.markup import escape

from bot.app import App
from bot.bootstrap import build
from bot.config.settings import from_mapping
from bot.demo.local_api.scripted import DemoFailed
from bot.demo.local_mail.dovecot import find_dovecot, start_dovecot
from bot.demo.local_mail.smtp_sink import SmtpSink
from bot.service import alarm
from bot.service import loops as service
from triage.domain.model import Actor, Role
from triage.texts.catalog import Lang, text
from triage.usecases import inbox
from triage.usecases.replies import reply_to_client

OFFICE = "puspaga@kabupaten.example"
HEAD_MAIL = "kepala@kabupaten.example"


def _mail(sender: str, name: str, subject: str, msgid: str, at: datetime, **extra: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{name} <{sender}>"
    msg["To"] = OFFICE
    msg["Subject"] = subject
    msg["Message-ID"] = msgid
    msg["Date"] = format_datetime(at)
    for key in ("In-Reply-To", "Auto-Submitted"):
        if key in extra:
            msg[key] = extra[key]
    if "html" in extra:
        msg.set_content(extra["html"], subtype="html")
    else:
        msg.set_content(extra["text"])
    return msg.as_bytes()


def run_email_act(data_dir: Path, lang: Lang, console: Console, now: datetime) -> bool:
    say = console.print
    say(f"\n[bold]{escape(text('demo.mail.title', lang))}[/bold]")
    if find_dovecot() is None:
        say(escape(text("demo.mail.missing", lang)))
        return False
    dovecot, sink = start_dovecot(), SmtpSink().start()
    try:
        say(escape(text("demo.mail.servers", lang, imap=dovecot.port, smtp=sink.port)))
        settings = from_mapping(
            {
                "language": lang,
                "data_dir": str(data_dir),
                "office": {"name": "PUSPAGA Kabupaten Contoh"},
                "email": {
                    "imap_host": dovecot.host,
                    "imap_port": dovecot.port,
                    "username": "puspaga",
                    "password": dovecot.password,
                    "use_ssl": False,
                    "smtp_host": sink.host,
                    "smtp_port": sink.port,
                    "smtp_security": "plain",
                    "from_address": OFFICE,
                },
                "alarm": {"emails": [HEAD_MAIL], "after_minutes": 15},
            },
            environ={},
        )
        clock = Clock(now)
        app = build(settings, clock=clock)
        mails = [
            _mail(
                "lestari@mail.example",
                "Lestari",
                "Anak sulit diatur",
                "<l1@mail.example>",
                now,
                html="<style>p{color:red}</style><p>Selamat siang,</p><p>anak saya (9 th) "
                "sering tantrum &amp; memukul adiknya. Bisa konsultasi?</p>"
                "<p>Pada Sen, 23 Nov 2026 pukul 10.15 PUSPAGA menulis:</p>"
                "<blockquote>&gt; Jam layanan kami 08.00–16.00.</blockquote>",
            ),  # fmt: skip
            _mail(
                "hadi@mail.example",
                "Hadi",
                "Jadwal konseling pranikah",
                "<h1@mail.example>",
                now,
                text="Mohon info jadwal konseling pranikah bulan depan.",
            ),  # fmt: skip
            _mail(
                "cuti@instansi.example",
                "Sekretariat",
                "Balasan otomatis",
                "<r1@mail.example>",
                now,
                text="Saya sedang cuti sampai 1 Desember.",
                **{"Auto-Submitted": "auto-replied"},
            ),  # fmt: skip
        ]
        _append(dovecot, mails)
        taken = sum(service.poll_all(app).values())
        again = sum(service.poll_all(app).values())
        say(escape(text("demo.mail.taken", lang, count=taken, again=again)))
        for view in inbox.snapshot(app.uows):
            for m in view.messages:
                robot = text("demo.mail.robot", lang) if m.auto_generated else ""
                first = m.text.splitlines()[-1] if m.auto_generated else " ".join(m.text.split())
                say(escape(f"  ✉ {view.client_name}: {first[:90]}{robot}"))
        lestari = next(v for v in inbox.snapshot(app.uows) if v.client_name == "Lestari")
        reply_to_client(
            lestari.conversation.id,
            "Selamat siang Ibu Lestari, terima kasih sudah menulis. Kami siap membantu; "
            "konseling gratis dan rahasia.",
            actor=Actor(1001, Role.ADMIN, "Wayan"),
            idempotency_key="demo-mail:1",
            uow_factory=app.uows,
            now=now,
        )
        service.dispatch(app)
        (sent,) = sink.received
        say(
            escape(
                text(
                    "demo.mail.sent",
                    lang,
                    to=sent["To"],
                    subject=sent["Subject"],
                    in_reply_to=sent["In-Reply-To"],
                )
            )
        )
        _append(
            dovecot,
            [
                _mail(
                    "lestari@mail.example",
                    "Lestari",
                    "Re: Anak sulit diatur",
                    "<l2@mail.example>",
                    now,
                    text="Terima kasih, saya bisa datang Kamis pagi.",
                    **{"In-Reply-To": str(sent["Message-ID"])},
                )  # fmt: skip
            ],
        )
        service.poll_all(app)
        joined = next(v for v in inbox.snapshot(app.uows) if v.client_name == "Lestari")
        say(escape(text("demo.mail.joined", lang, count=len(joined.messages))))
        say(escape(text("demo.mail.robot_unanswered", lang, sent=len(sink.received))))
        _outage(app, dovecot, sink, clock, lang, say)
        return True
    finally:
        sink.stop()
        dovecot.stop()


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


def _outage(app: App, dovecot, sink, clock: Clock, lang: Lang, say) -> None:  # noqa: ANN001
    """The mail server stops for 20 minutes: after 15 the head hears by mail, and again when it
    is back (bot/service/alarm.py)."""
    dovecot.kill()
    service.poll_all(app)
    clock.now += timedelta(minutes=20)
    service.poll_all(app)
    told = alarm.sound(app)
    dovecot.start()
    service.poll_all(app)
    told += alarm.sound(app)
    subjects = [str(m["Subject"]) for m in sink.received if m["To"] == HEAD_MAIL]
    if told != 2 or len(subjects) != 2:
        raise DemoFailed("the outage alarm did not reach the head twice")
    say(escape(text("demo.mail.alarm", lang, to=HEAD_MAIL, down=subjects[0], back=subjects[1])))


def _append(dovecot, mails: list[bytes]) -> None:  # noqa: ANN001
    client = IMAPClient(dovecot.host, port=dovecot.port, ssl=False, timeout=10)
    client.login("puspaga", dovecot.password)
    try:
        for raw in mails:
            client.append("INBOX", raw)
    finally:
        client.logout()
