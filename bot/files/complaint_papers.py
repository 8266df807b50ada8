"""The complaint's two documents (the complaint standard's steps 6 and 15) as Word files in the
office's letterhead: the disposition sheet the admin sends the head with the complaint, and the
handling report with the 16 steps, who did each and when, for the office's file and the parties
it is copied to (tembusan). Made from the database each time (blank lines where the head has not
decided yet), sealed with the office key on disk (data_dir/ekspor, removed on erasure and after a
month, like the other files made for Telegram) and opened only to be sent to staff's private
chats."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from docx.document import Document as Doc
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bot.app import App
from bot.config.settings import Settings
from bot.files import sealed
from bot.files.cells import plain
from bot.files.letterhead import letterhead
from triage.domain import complaint
from triage.domain.complaint import COMPLAINT_FORM, Paper
from triage.domain.model import Actor
from triage.texts.catalog import Lang, text
from triage.usecases import complaint as complaint_cases

BLANK = "…………………………"


def _t(key: str, lang: Lang, **values: object) -> str:
    return text(f"paper.{key}", lang, **values)


def number(paper: Paper, settings: Settings) -> str:
    local = paper.file.opened_at.astimezone(ZoneInfo(settings.office.timezone))
    return f"PGD/{local.year}/{local.month:02d}/{paper.file.conversation_id}"


def _at(at: datetime | str | None, settings: Settings) -> str:
    if not at:
        return BLANK
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    return moment.astimezone(ZoneInfo(settings.office.timezone)).strftime("%d-%m-%Y %H.%M")


def _title(doc: Doc, words: str) -> None:
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(words)
    run.bold, run.font.size = True, Pt(13)


def _rows(doc: Doc, rows: Iterable[tuple[str, str]]) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, plain(value) or "-"


def _complainant(paper: Paper, lang: Lang) -> str:
    if complaint.anonymous(paper.file):
        return _t("anonymous", lang)
    return paper.file.facts.get("nama", "") or BLANK


def _facts(paper: Paper, lang: Lang) -> list[tuple[str, str]]:
    return [(_t(f"field.{f.name}", lang), paper.file.facts.get(f.name, "") or BLANK)
            for f in COMPLAINT_FORM.fields]  # fmt: skip


def _signature(doc: Doc, lang: Lang, day: datetime, name: str, settings: Settings) -> None:
    local = day.astimezone(ZoneInfo(settings.office.timezone)).strftime("%d-%m-%Y")
    signed = doc.add_paragraph(_t("signature", lang, day=local, name=name or BLANK))
    signed.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def head_of(paper: Paper, settings: Settings) -> str:
    """Who signs as the head: the head who decided (step 7), else the office's first head."""
    heads = {s.telegram_id: s.name for s in settings.staff if s.role == "ketua"}
    decided = paper.steps[6].staff_id
    return heads.get(decided or 0) or next(iter(heads.values()), "")


def _done_by(paper: Paper, number_: int, names: dict[int, str]) -> str:
    step = paper.steps[number_ - 1]
    return names.get(step.staff_id or 0, "") if step.at else ""


def disposition_sheet(
    paper: Paper, settings: Settings, names: dict[int, str], now: datetime
) -> bytes:
    """The disposition sheet (lembar disposisi): the complaint as received, then the head's
    disposition, filled in once the head has given it (/disposisi), blank to write on before."""
    lang: Lang = settings.language  # type: ignore[assignment]
    cf, data = paper.file, paper.file.data
    doc = letterhead(settings)
    _title(doc, _t("sheet_title", lang))
    _rows(doc, [
        (_t("number", lang), number(paper, settings)),
        (_t("received", lang), _at(cf.opened_at, settings)),
        (_t("channel", lang), text(f"channel.{paper.channel}", lang)),
        (_t("from", lang), _complainant(paper, lang)),
        (_t("nature", lang), _t("urgent" if paper.urgent else "ordinary", lang)),
        (_t("due", lang), _at(cf.due_at, settings)),
    ])  # fmt: skip
    doc.add_paragraph()
    _rows(doc, [(label, value) for label, value in _facts(paper, lang)
                if label != _t("field.nama", lang)])  # fmt: skip
    doc.add_paragraph()
    doc.add_paragraph().add_run(_t("disposition", lang)).bold = True
    outside = _t("outside", lang) if data.get("remit") == "outside" else BLANK
    _rows(doc, [
        (_t("to_division", lang), data.get("division") or outside),
        (_t("instruction", lang), data.get("disposition") or data.get("remit_reason") or BLANK),
        (_t("disposed_at", lang), _at(data.get("disposed_at") or data.get("remit_at"), settings)),
    ])  # fmt: skip
    decided = data.get("disposed_at") or data.get("remit_at")
    _signature(doc, lang, datetime.fromisoformat(decided) if decided else now,
               head_of(paper, settings), settings)  # fmt: skip
    doc.add_paragraph().add_run(_t("confidential", lang)).italic = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def handling_report(
    paper: Paper, settings: Settings, names: dict[int, str], now: datetime
) -> bytes:
    """The handling report (laporan penanganan pengaduan): the complaint, the disposition or the
    reasons it is not the office's, clarification, the response and the feedback, the report or
    recommendation, the 16 steps with who and when, and whom it is copied to."""
    lang: Lang = settings.language  # type: ignore[assignment]
    cf, data = paper.file, paper.file.data
    doc = letterhead(settings)
    _title(doc, _t("report_title", lang))
    on_time = cf.closed_at is not None and cf.closed_at <= cf.due_at
    _rows(doc, [
        (_t("number", lang), number(paper, settings)),
        (_t("received", lang), _at(cf.opened_at, settings)),
        (_t("channel", lang), text(f"channel.{paper.channel}", lang)),
        (_t("from", lang), _complainant(paper, lang)),
        (_t("due", lang), _at(cf.due_at, settings)),
        (_t("status", lang), text(f"casefile.status.{cf.status}", lang)),
        (_t("settled", lang), _at(cf.closed_at, settings) if cf.closed_at else _t("open", lang)),
        (_t("on_time", lang), _t("yes" if on_time else "no", lang) if cf.closed_at else "-"),
    ])  # fmt: skip
    parts: list[tuple[str, list[tuple[str, str]]]] = [
        (_t("part.complaint", lang), _facts(paper, lang)),
        (_t("part.disposition", lang), [
            (_t("to_division", lang), data.get("division") or "-"),
            (_t("instruction", lang), data.get("disposition") or "-"),
            (_t("remit_reason", lang), data.get("remit_reason") or "-"),
        ]),
        (_t("part.clarification", lang), [
            (_at(c.get("at"), settings), c.get("text", "")) for c in data.get("clarifications", [])
        ] or [("-", "-")]),
        (_t("part.response", lang), [
            (_t("response", lang), data.get("response") or "-"),
            (_t("feedback", lang), data.get("feedback") or "-"),
            (_t("handling", lang), data.get("report") or data.get("remit_reason") or "-"),
        ]),
    ]  # fmt: skip
    for heading, rows in parts:
        doc.add_paragraph()
        doc.add_paragraph().add_run(heading).bold = True
        _rows(doc, rows)
    doc.add_paragraph()
    doc.add_paragraph().add_run(_t("part.steps", lang)).bold = True
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, ("step", "when", "by"), strict=True):
        cell.text = _t(label, lang)
    for step in paper.steps:
        cells = table.add_row().cells
        cells[0].text = f"{step.number}. {text(f'complaint.step.{step.number}', lang)}"
        when = _at(step.at, settings) if step.at else _t("not_yet", lang)
        cells[1].text = _t("skipped", lang) if step.skipped else when
        cells[2].text = plain(_done_by(paper, step.number, names)) or (
            _t("automatic", lang) if step.at else "")  # fmt: skip
    doc.add_paragraph()
    doc.add_paragraph().add_run(_t("copies", lang)).bold = True
    for n, who in enumerate(
        [_t("copy.complainant", lang, name=_complainant(paper, lang)),
         _t("copy.reported", lang, name=cf.facts.get("terlapor") or BLANK),
         *([_t("copy.division", lang, name=data["division"])] if data.get("division") else [])],
        start=1,
    ):  # fmt: skip
        doc.add_paragraph(plain(f"{n}. {who}"))
    _signature(doc, lang, cf.closed_at or now, head_of(paper, settings), settings)
    doc.add_paragraph().add_run(_t("confidential", lang)).italic = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def filename(conv_id: int, sheet: bool) -> str:
    """The name the file is sent under (no personal data in it)."""
    return f"{'lembar-disposisi' if sheet else 'laporan-pengaduan'}-{conv_id}.docx"


def send(app: App, actor: Actor, conv_id: int, *, sheet: bool, key: str,
         heads: Iterable[int] = (), delivered_to: int | None = None) -> int:  # fmt: skip
    """Make the sheet or the report, keep it sealed and queue it to the private chats of the
    one who asked and the heads (`heads`: whoever else gets it; `delivered_to`: a party the
    report is delivered to, logged). Returns how many chats it goes to."""
    settings, now = app.settings, app.clock()
    paper = complaint_cases.paper(conv_id, actor=actor, uow_factory=app.uows, now=now,
                                  sheet=sheet, delivered_to=delivered_to)  # fmt: skip
    names = {s.telegram_id: s.name for s in settings.staff}
    content = (disposition_sheet if sheet else handling_report)(paper, settings, names, now)
    lang: Lang = settings.language  # type: ignore[assignment]
    caption = _t("sheet_caption" if sheet else "report_caption", lang, conv=conv_id)
    return sealed.send(app, content, folder=f"pengaduan-{conv_id}",
                       name=filename(conv_id, sheet), caption=caption,
                       to=[actor.staff_id, *heads], key=key, now=now)  # fmt: skip
