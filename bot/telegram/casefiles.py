"""Complaints and psychoeducation requests in Telegram (triage.domain.complaint,
triage.domain.psychoeducation).

In a conversation's topic (or replying to the bot's post about it):
  /pengaduan [lines]         the complaint's card; with "Label: value" lines, its facts
  /disposisi BIDANG catatan  the head sends it to a division
  /klarifikasi teks          what clarification, investigation or mediation found
  /tanggapan teks            the response to the complainant (feedback is asked with it)
  /selesai laporan           the closing report: the complaint and the conversation close
  /psikoedukasi [lines]      the request's card, or its facts; without a case: the sessions
  /terima [tanggal]          accept (the date given, else the one asked or proposed)
  /tolak [alasan]            decline
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.telegram.desk import Desk
from bot.telegram.duty import day_label, parse_day
from bot.telegram.render import esc
from triage.domain import complaint, psychoeducation
from triage.domain.errors import NotFound
from triage.domain.forms.by_mail import label
from triage.domain.model import Actor
from triage.domain.workflow import COMPLAINT, PSYCHOEDUCATION, CaseFile, facts_text
from triage.texts.catalog import text
from triage.usecases import complaint as complaint_cases
from triage.usecases import psychoeducation as psychoeducation_cases

COMMANDS = frozenset(
    {
        "pengaduan",
        "disposisi",
        "klarifikasi",
        "tanggapan",
        "selesai",
        "psikoedukasi",
        "terima",
        "tolak",
    }  # fmt: skip
)
FORMS = {COMPLAINT: complaint.COMPLAINT_FORM, PSYCHOEDUCATION: psychoeducation.REQUEST_FORM}


@dataclass
class CaseFiles:
    desk: Desk

    def run(
        self, actor: Actor, name: str, arg: str, conv: int | None, key: str, where: str = ""
    ) -> str:
        """Do the command (synchronously, off the event loop) and say what happened ("" when
        the topic hears it as a status anyway: the group's budget is 20 posts a minute)."""
        app, lang = self.desk.app, self.desk.lang
        setup = app.workflows
        if setup is None:
            return text("staff.casefile_none", lang)
        if name == "psikoedukasi" and conv is None:
            return self.sessions()
        if conv is None:
            return text("staff.no_case", lang)
        common = {"actor": actor, "uow_factory": app.uows, "now": app.clock()}
        if name in ("pengaduan", "psikoedukasi"):
            kind = COMPLAINT if name == "pengaduan" else PSYCHOEDUCATION
            flow = complaint_cases if kind == COMPLAINT else psychoeducation_cases
            current = self._file(conv)
            if current is not None and current.kind != kind:
                title = text(f"casefile.title.{current.kind}", lang)
                return text("staff.casefile_other", lang, conv=conv, title=title)
            if current is None:
                flow.start(conv, setup=setup, **common)
            said = []
            if arg:
                _, names = flow.record(conv, arg, setup=setup, **common)
                fields = ", ".join(esc(label(n)) for n in names) or "—"
                said.append(text("staff.casefile_saved", lang, fields=fields))
            said.append(self.card(conv))
            return "\n\n".join(said)
        if name == "disposisi":
            division, _, note = arg.partition(" ")
            if not division:
                return text("staff.dispose_usage", lang)
            words = arg.split()
            # "Bidang PPA mohon …": a division named in two words keeps both
            if len(words) > 1 and words[0].casefold() in ("bidang", "seksi", "uptd", "unit"):
                division, note = " ".join(words[:2]), " ".join(words[2:])
            complaint_cases.dispose(conv, division, note.strip(), **common)
            return ""  # the topic hears it as a status
        if name in ("klarifikasi", "tanggapan", "selesai") and not arg:
            return text("staff.text_usage", lang, command=name)
        if name == "klarifikasi":
            complaint_cases.clarify(conv, arg, **common)
            return text("staff.clarified", lang)
        if name == "tanggapan":
            complaint_cases.respond(conv, arg, setup=setup, key=f"{key}:response", **common)
            return ""
        if name == "selesai":
            complaint_cases.finish(conv, arg, heads=tuple(self.desk.staff.heads), **common)
            return ""
        if name == "terima":
            today = app.clock().astimezone(setup.calendar.zone).date()
            chosen = parse_day(arg, today) if arg else None
            if arg and chosen is None:
                chosen = psychoeducation.parse_date(arg, today)
            try:
                psychoeducation_cases.accept(
                    conv, chosen, setup=setup, key=f"{key}:accept", **common
                )
            except ValueError:
                with app.uows() as uow:
                    found = uow.casefiles.get(conv)
                opened = found.opened_at if found else app.clock()
                earliest = setup.when_day(psychoeducation.first_allowed(setup, opened))
                return text("staff.accept_usage", lang, earliest=esc(earliest))
            return ""
        if name == "tolak":
            psychoeducation_cases.decline(conv, arg, setup=setup, key=f"{key}:decline", **common)
            return ""
        raise NotFound(name)

    def _file(self, conv: int) -> CaseFile | None:
        with self.desk.app.uows() as uow:
            return uow.casefiles.get(conv)

    def card(self, conv: int) -> str:
        lang, setup = self.desk.lang, self.desk.app.workflows
        cf = self._file(conv)
        if cf is None or setup is None:
            return text("staff.casefile_none", lang)
        facts = esc(facts_text(FORMS[cf.kind], cf.facts))
        extra = []
        for key in ("division", "date", "proposed", "session"):
            if cf.data.get(key):
                extra.append(f"{label(key)}: {esc(cf.data[key])}")
        body = "\n".join([facts, *extra])
        return text(
            "staff.casefile",
            lang,
            title=text(f"casefile.title.{cf.kind}", lang),
            conv=conv,
            status=esc(text(f"casefile.status.{cf.status}", lang)),
            due=esc(setup.when(cf.due_at)),
            facts=body,
        )

    def sessions(self) -> str:
        app, lang = self.desk.app, self.desk.lang
        today: date = app.clock().astimezone(app.workflows.calendar.zone).date()  # type: ignore[union-attr]
        found = psychoeducation_cases.sessions(app.uows, today)
        if not found:
            return text("staff.sessions_none", lang)
        lines = "\n".join(
            f"• <b>{esc(day_label(day, lang))}</b> · #{cf.conversation_id} · "
            f"{esc(cf.facts.get('institusi', '?'))} · {esc(cf.facts.get('topik', ''))}"
            for day, cf in found
        )
        return text("staff.sessions", lang, lines=lines)
