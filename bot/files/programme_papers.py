"""The guidance programme's documents (the Tangerang standard's outputs, docs/service-standards.md)
as Word files in the office's letterhead: the work programme with the mapping of needs and the
head's disposition (steps 2-4), the letter of assignment (5), a session's activity report (6),
the semester's programme report with its cover letter to the head (7-8) and the documentation
section's receipt (9). Made from the database each time, kept sealed and sent to staff's private
chats (bot.files.sealed); no client's name or contact is in them."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from docx.document import Document as Doc
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bot.config.settings import Settings
from bot.files.cells import plain
from bot.files.letterhead import letterhead
from triage.domain import programme
from triage.domain.programme import Needs, Outcome, Programme, Semester
from triage.domain.psychoeducation import REPORT_DAYS, stored_date
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.workflow import CaseFile
from triage.texts.catalog import Lang, text, texts

BLANK = "…………………………"


def _t(key: str, lang: Lang, **values: object) -> str:
    return text(f"prog.{key}", lang, **values)


def semester_label(semester: Semester, lang: Lang) -> str:
    """ "2027-1" → "Januari–Juni 2027"."""
    first = format_date(semester.first, "LLLL", locale=lang)
    last = format_date(date(semester.first.year, semester.first.month + 5, 1), "LLLL", locale=lang)
    return f"{first}–{last} {semester.year}"


class Paper:
    """A document being written: the letterhead, then titled tables and lines."""

    def __init__(self, settings: Settings, title: str) -> None:
        self.settings = settings
        self.lang: Lang = settings.language  # type: ignore[assignment]
        title = _t(title, self.lang)
        self.zone = ZoneInfo(settings.office.timezone)
        self.doc: Doc = letterhead(settings)
        head = self.doc.add_paragraph()
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = head.add_run(title)
        run.bold, run.font.size = True, Pt(13)

    def at(self, moment: datetime | None) -> str:
        return moment.astimezone(self.zone).strftime("%d-%m-%Y %H.%M") if moment else BLANK

    def heading(self, words: str) -> None:
        self.doc.add_paragraph()
        self.doc.add_paragraph().add_run(words).bold = True

    def line(self, words: str) -> None:
        self.doc.add_paragraph(plain(words))

    def rows(self, rows: Iterable[tuple[str, str]]) -> None:
        self.table([], [list(r) for r in rows])

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        width = len(header) or max((len(r) for r in rows), default=2)
        table = self.doc.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        for n, row in enumerate([header, *rows] if header else rows):
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=False):
                cell.text = plain(str(value)) or "-"
                if header and n == 0:
                    cell.paragraphs[0].runs[0].bold = True

    def signature(self, role: str, name: str, day: datetime) -> None:
        local = day.astimezone(self.zone).strftime("%d-%m-%Y")
        signed = self.doc.add_paragraph(
            _t("signature", self.lang, day=local, role=role, name=name or BLANK)
        )
        signed.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _name(names: Mapping[int, str], step: programme.ProgrammeStep | None) -> str:
    return names.get(step.staff_id, "") if step else ""


def _category(code: str, lang: Lang) -> str:
    return text(f"category.{code}", lang) if f"category.{code}" in texts() else code


def _comments(paper: Paper, prog: Programme, names: Mapping[int, str], *, empty: str) -> None:
    """The head's comments, oldest first (`empty` when there are none)."""
    for c in prog.comments:
        paper.line(f"{paper.at(c.at)} — {_name(names, c)}: {c.detail.get('note', '')}")
    if not prog.comments:
        paper.line(empty)


def _activities(paper: Paper, prog: Programme) -> None:
    lang = paper.lang
    rows = [[str(n), a.theme, a.audience, a.month] for n, a in enumerate(prog.activities, 1)]
    header = [_t("col.no", lang), _t("col.theme", lang), _t("col.audience", lang),
              _t("col.month", lang)]  # fmt: skip
    paper.table(header, rows or [["-", BLANK, BLANK, BLANK]])


def work_programme(prog: Programme, needs: Needs, settings: Settings, names: Mapping[int, str],
                   now: datetime) -> bytes:  # fmt: skip
    """Steps 2-4: the mapping of needs, the activities planned, the head's comments and
    disposition (blank to write on until given)."""
    paper = Paper(settings, "form_title")
    lang = paper.lang
    mapped, submitted = prog.last(programme.MAPPED), prog.last(programme.SUBMITTED)
    approved = prog.last(programme.APPROVED) if prog.approved else None
    paper.rows([
        (_t("semester", lang), semester_label(prog.semester, lang)),
        (_t("coordinator", lang), _name(names, submitted or mapped)),
        (_t("mapped_at", lang), paper.at(mapped.at if mapped else None)),
        (_t("submitted_at", lang), paper.at(submitted.at if submitted else None)),
    ])  # fmt: skip
    paper.heading(_t("part.needs", lang, semester=semester_label(prog.semester.previous(), lang)))
    paper.table([_t("col.category", lang), _t("col.cases", lang)],
                [[_category(c, lang), str(n)] for c, n in needs.cases.items()]
                or [["-", "0"]])  # fmt: skip
    paper.doc.add_paragraph()
    paper.table([_t("col.topic", lang), _t("col.requests", lang)],
                [[t, str(n)] for t, n in needs.topics.items()] or [["-", "0"]])  # fmt: skip
    paper.line(_t("institutions", lang, count=needs.institutions))
    if mapped and mapped.detail.get("note"):
        paper.line(_t("mapping_note", lang, note=mapped.detail["note"]))
    paper.heading(_t("part.plan", lang))
    _activities(paper, prog)
    paper.heading(_t("part.comments", lang))
    _comments(paper, prog, names, empty=BLANK)
    paper.heading(_t("part.disposition", lang))
    paper.rows([
        (_t("decision", lang), _t("approved", lang) if approved else BLANK),
        (_t("note", lang), approved.detail.get("note", "") if approved else BLANK),
        (_t("decided_at", lang), paper.at(approved.at if approved else None)),
    ])  # fmt: skip
    paper.signature(_t("role.head", lang), _name(names, approved), approved.at if approved else now)
    return paper.bytes()


def assignment(prog: Programme, settings: Settings, names: Mapping[int, str]) -> bytes:
    """Step 5: the head's letter of assignment to carry the programme out."""
    paper = Paper(settings, "assignment_title")
    lang = paper.lang
    given, submitted = prog.last(programme.ASSIGNED), prog.last(programme.SUBMITTED)
    assert given is not None
    paper.line(_t("assignment_number", lang, semester=str(prog.semester)))
    paper.line(_t("assignment_text", lang, office=settings.office.name,
                  semester=semester_label(prog.semester, lang)))  # fmt: skip
    paper.rows([(_t("assigned_name", lang), _name(names, submitted) or BLANK),
                (_t("assigned_role", lang), _t("role.coordinator", lang))])  # fmt: skip
    paper.heading(_t("part.plan", lang))
    _activities(paper, prog)
    paper.line(_t("assignment_close", lang))
    paper.signature(_t("role.head", lang), _name(names, given), given.at)
    return paper.bytes()


def activity_report(cf: CaseFile, settings: Settings, names: Mapping[int, str]) -> bytes:
    """Step 6: a session held (the psychoeducation request, /terlaksana)."""
    paper = Paper(settings, "activity_title")
    lang, data = paper.lang, cf.data
    held_at = datetime.fromisoformat(data["held_at"]) if data.get("held_at") else None
    paper.rows([
        (_t("number", lang), f"PSE/{cf.opened_at.year}/{cf.conversation_id}"),
        (_t("institution", lang), cf.facts.get("institusi", "")),
        (_t("topic", lang), cf.facts.get("topik", "")),
        (_t("audience", lang), cf.facts.get("peserta", "")),
        (_t("held_on", lang), str(data.get("session", ""))),
        (_t("participants", lang), str(data.get("participants", ""))),
        (_t("note", lang), str(data.get("held_note", ""))),
        (_t("reported_by", lang), names.get(int(data.get("held_by") or 0), "")),
        (_t("reported_at", lang), paper.at(held_at)),
        *([(_t("corrected_at", lang), paper.at(datetime.fromisoformat(data["corrected_at"])))]
          if data.get("corrected_at") else []),
    ])  # fmt: skip
    paper.signature(_t("role.implementer", lang), names.get(int(data.get("held_by") or 0), ""),
                    held_at or cf.opened_at)  # fmt: skip
    return paper.bytes()


def reported_on_time(cf: CaseFile, calendar: ServiceCalendar) -> bool:
    """The session's report (/terlaksana) came within its 5 working days."""
    day, held = stored_date(cf.data.get("session")), cf.data.get("held_at")
    if day is None or not held:
        return False
    since = datetime.combine(day, datetime.min.time(), calendar.zone)
    return datetime.fromisoformat(held) <= calendar.add_working_days(since, REPORT_DAYS)


def programme_report(prog: Programme, done: Outcome, settings: Settings,
                     names: Mapping[int, str], calendar: ServiceCalendar,
                     now: datetime) -> bytes:  # fmt: skip
    """Steps 7-8: the cover letter handing the report to the head, then the programme planned
    against the sessions carried out, with who came and whether each was reported in time."""
    paper = Paper(settings, "report_title")
    lang = paper.lang
    label = semester_label(prog.semester, lang)
    approved = prog.last(programme.APPROVED) if prog.approved else None
    paper.line(_t("cover", lang, office=settings.office.name, semester=label))
    paper.rows([
        (_t("semester", lang), label),
        (_t("approved_at", lang), paper.at(approved.at if approved else None)),
        (_t("planned", lang), str(len(prog.activities))),
        (_t("accepted", lang), str(len(done.sessions))),
        (_t("held", lang), str(len(done.held))),
        (_t("participants", lang), str(done.participants)),
        (_t("on_time", lang, days=REPORT_DAYS),
         str(sum(reported_on_time(f, calendar) for f in done.held))),
    ])  # fmt: skip
    paper.heading(_t("part.plan", lang))
    _activities(paper, prog)
    paper.heading(_t("part.done", lang))
    header = [_t("col.date", lang), _t("col.institution", lang), _t("col.topic", lang),
              _t("col.participants", lang), _t("col.status", lang)]  # fmt: skip
    rows = [
        [str(f.data.get("session", "")), f.facts.get("institusi", ""), f.facts.get("topik", ""),
         str(f.data.get("participants", "")) if f.status == "held" else "-",
         _t("status.held" if f.status == "held" else "status.not_held", lang)]
        for f in done.sessions
    ]  # fmt: skip
    paper.table(header, rows or [["-"] * len(header)])
    paper.heading(_t("part.comments", lang))
    _comments(paper, prog, names, empty="-")
    reported = prog.last(programme.REPORTED)
    paper.signature(_t("role.coordinator", lang), _name(names, reported),
                    reported.at if reported else now)  # fmt: skip
    return paper.bytes()


def receipt(prog: Programme, settings: Settings, names: Mapping[int, str]) -> bytes:
    """Step 9: the documentation section's receipt of the programme's file."""
    paper = Paper(settings, "receipt_title")
    lang = paper.lang
    got, handed = prog.last(programme.RECEIVED), prog.last(programme.REPORTED)
    assert got is not None
    paper.line(_t("receipt_text", lang, semester=semester_label(prog.semester, lang)))
    paper.rows([
        (_t("handed_by", lang), _name(names, handed)),
        (_t("handed_at", lang), paper.at(handed.at if handed else None)),
        (_t("received_by", lang), str(got.detail.get("receiver", ""))),
        (_t("received_at", lang), paper.at(got.at)),
        (_t("recorded_by", lang), _name(names, got)),
    ])  # fmt: skip
    paper.signature(_t("role.documentation", lang), str(got.detail.get("receiver", "")), got.at)
    return paper.bytes()
