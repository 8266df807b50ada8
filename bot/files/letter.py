"""The referral letter as a Word document (python-docx), from triage.domain.referral's Letter: the
office's letterhead (`[referral] template_file`, a .docx the office edits in Word, or a plain
heading from `[office]`), the client's identity, why and where they are referred, the
chronology of the handling and the record's summary (the Kaltim standard: the receiving body needs
them).

The file is sealed with the office key before it touches the disk and opened only to be sent
to the counselor's private chat (bot.telegram.sender); erasure removes it with the record.
"""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from docx.enum.text import WD_ALIGN_PARAGRAPH

from bot.app import App
from bot.config.calendar import MONTHS
from bot.config.settings import Settings
from bot.files.cells import plain
from bot.files.letterhead import letterhead
from triage.domain import notices
from triage.domain.model import Actor
from triage.domain.records import RECORD_FORM, Sealer
from triage.domain.referral import Letter, Referral
from triage.effects import notify
from triage.texts.catalog import Lang, text
from triage.usecases import referral

IDENTITY = ("nama", "usia", "jenis_kelamin", "domisili", "nik", "nomor_hp")
SEALED = ".sealed"


def _t(key: str, lang: Lang, **values: object) -> str:
    return text(f"letter.{key}", lang, **values)


def _day(at: datetime, settings: Settings) -> str:
    local = at.astimezone(ZoneInfo(settings.office.timezone))
    return f"{local.day} {MONTHS[settings.language][local.month - 1]} {local.year}"  # type: ignore[index]


def number(letter: Letter, settings: Settings) -> str:
    local = letter.referral.at.astimezone(ZoneInfo(settings.office.timezone))
    made = letter.referral
    return f"RUJ/{local.year}/{local.month:02d}/{made.conversation_id}.{made.round}"


def render(letter: Letter, settings: Settings, staff: dict[int, str]) -> bytes:
    """The .docx bytes of the letter, in the office's language."""
    lang: Lang = settings.language  # type: ignore[assignment]
    office, made = settings.office, letter.referral
    doc = letterhead(settings)
    place = place_of(made, settings)
    facts = doc.add_table(rows=0, cols=2)
    for label, value in (
        (_t("number", lang), number(letter, settings)),
        (_t("about", lang), _t("about_value", lang)),
        (_t("attachment", lang), _t("attachment_value", lang)),
    ):
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = label, value
    doc.add_paragraph(_t("to", lang, place=place))
    doc.add_paragraph(_t("opening", lang, office=office.name))
    identity = doc.add_table(rows=0, cols=2)
    identity.style = "Table Grid"
    for name in IDENTITY:
        if letter.client.get(name):
            cells = identity.add_row().cells
            cells[0].text = _t(f"field.{name}", lang)
            cells[1].text = plain(str(letter.client[name]))
    if letter.register_no:
        cells = identity.add_row().cells
        cells[0].text, cells[1].text = _t("field.register", lang), plain(letter.register_no)
    doc.add_paragraph()
    reason = doc.add_paragraph()
    reason.add_run(_t("reason", lang)).bold = True
    reason.add_run(plain(made.reason) or "-")
    doc.add_paragraph().add_run(_t("chronology", lang)).bold = True
    steps = doc.add_table(rows=1, cols=2)
    steps.style = "Table Grid"
    steps.rows[0].cells[0].text, steps.rows[0].cells[1].text = _t("when", lang), _t("what", lang)
    counselor = staff.get(letter.counselor_id or 0, "")
    zone = ZoneInfo(office.timezone)
    for at, step in letter.chronology:
        cells = steps.add_row().cells
        cells[0].text = at.astimezone(zone).strftime("%d-%m-%Y %H.%M")
        cells[1].text = _t(f"step.{step}", lang, office=office.name, counselor=counselor,
                           place=place)  # fmt: skip
    if letter.record:
        doc.add_paragraph()
        doc.add_paragraph().add_run(_t("record", lang)).bold = True
        for spec in RECORD_FORM.fields:
            if letter.record.get(spec.name):
                part = doc.add_paragraph()
                part.add_run(f"{spec.prompt[lang]} ").bold = True
                part.add_run(plain(letter.record[spec.name]))
    doc.add_paragraph(_t("closing", lang))
    signature = doc.add_paragraph(
        _t("signature", lang, day=_day(made.at, settings), counselor=counselor or "-")
    )
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph().add_run(_t("confidential", lang)).italic = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def filename(made: Referral) -> str:
    """The name the letter is sent under (no personal data in it)."""
    return f"surat-rujukan-{made.conversation_id}-{made.round}.docx"


def keep_sealed(content: bytes, letter: Letter, settings: Settings, sealer: Sealer,
                key: str, staff_id: int) -> Path:  # fmt: skip
    """Seal the letter into data_dir/rujukan/<case>/, one file per letter made (a letter
    without the record for an admin never shares a file with one holding it); the names hold
    no personal data, and erasure removes the case's folder whole (orphans of a crash too)."""
    folder = letter_folder(settings, letter.referral.conversation_id)
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(key.encode()).hexdigest()[:10]
    stem = filename(letter.referral).removesuffix(".docx")
    path = folder / f"{stem}-{staff_id}-{digest}.docx{SEALED}"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(sealer.seal(content), encoding="ascii")
    tmp.replace(path)
    return path


def letter_folder(settings: Settings, conv_id: int) -> Path:
    return settings.data_dir / "rujukan" / str(conv_id)


def queue_letter(app: App, actor: Actor, conv_id: int, round_: int, key: str) -> Path:
    """Make the letter, keep it sealed, and queue it to the staff member's private chat."""

    settings = app.settings
    staff = {s.telegram_id: s.name for s in settings.staff}
    letter = referral.letter(conv_id, actor=actor, sealer=app.sealer, uow_factory=app.uows,
                             now=app.clock(), round_=round_)  # fmt: skip
    content = render(letter, settings, staff)
    path = keep_sealed(content, letter, settings, app.sealer, key, actor.staff_id)
    lang: Lang = settings.language  # type: ignore[assignment]
    with app.uows() as uow:
        uow.referrals.set_letter(conv_id, round_, str(path.parent))
        notify.queue(
            uow,
            key=f"letter:{conv_id}:{round_}:{key}",
            recipient=notices.staff(actor.staff_id),
            kind=notices.Kind.DOCUMENT,
            now=app.clock(),
            text=text(
                "letter.caption", lang, conv=conv_id, place=place_of(letter.referral, settings)
            ),  # fmt: skip
            path=str(path),
            sealed="1",
            filename=filename(letter.referral),
        )
        uow.commit()
    app.wake.set()
    return path


def place_of(made: Referral, settings: Settings) -> str:
    """Where the letter goes, as it is addressed: the body named with the command, else the
    office's name for the target ([referral] places), else the target's label."""
    return (
        made.addressee
        or settings.referral.places.get(made.target)
        or text(f"referral.target.{made.target}", settings.language)  # type: ignore[arg-type]
    )
