"""Referral and a client's data requests in Telegram (triage.domain.referral,
triage.usecases.subject_access,
triage.domain.erasure).

/rujuk TUJUAN alasan       close the case as Rujukan; the letter comes to your private chat
                           (TUJUAN: uptd, puskesmas, rs, polisi, lbh, or "lain Nama lembaga")
/tutup rujukan TUJUAN …    the same
/hapus N                   (head) what erasing case N's client would do; /hapus N YA does it
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import erasure as erasure_setup
from bot.config.workflows import survey_question
from bot.files import export as export_files
from bot.files import letter as referral_letter
from bot.telegram.desk import Desk
from bot.telegram.parsing import case_number
from bot.telegram.render import esc
from triage.domain import referral
from triage.domain.errors import NotFound
from triage.domain.model import COUNSELING_STATES, Actor, Role
from triage.texts.catalog import text
from triage.usecases import referral as referral_cases
from triage.usecases.subject_access import export_client

COMMANDS = frozenset({"rujuk", "hapus", "ekspor"})
CONFIRM = frozenset({"ya", "yes"})


@dataclass
class Closing:
    desk: Desk

    def run(
        self, actor: Actor, name: str, arg: str, conv: int | None, key: str, where: str = ""
    ) -> str:
        """Do the command off the event loop and say what happened."""
        in_group = not where.startswith("staff:")
        if name == "rujuk":
            return self.refer(actor, arg, conv, key, in_group=in_group)
        if name == "ekspor":
            return self.export(actor, arg, key, in_group=in_group)
        return self.forget(actor, arg)

    def export(self, actor: Actor, arg: str, key: str, in_group: bool) -> str:
        app, lang = self.desk.app, self.desk.lang
        conv = case_number(arg.split()[0]) if arg.split() else None
        if conv is None:
            return text("staff.export_usage", lang)
        if actor.role is not Role.HEAD:
            return text("staff.export_head_only", lang)
        if in_group:
            return text("staff.export_private", lang)
        data = export_client(self._client_of(conv), actor=actor, sealer=app.sealer,
                             uow_factory=app.uows, now=app.clock())  # fmt: skip
        count = export_files.send_sealed(app, data, actor.staff_id, f"export:{key}")
        return text("staff.exported", lang, conv=conv, count=count)

    def refer(self, actor: Actor, arg: str, conv: int | None, key: str, in_group: bool) -> str:
        app, lang = self.desk.app, self.desk.lang
        parsed = referral.parse(arg)
        if parsed is None:
            return text("staff.refer_usage", lang)
        if conv is None:
            return text("staff.no_case", lang)
        with app.uows() as uow:
            current = uow.conversations.get(conv)
        if in_group and current is not None and current.state in COUNSELING_STATES:
            return text("staff.refer_private", lang)  # the reason is counseling content
        target, addressee, reason = parsed
        made = referral_cases.refer(
            conv, target, reason, addressee=addressee, actor=actor, uow_factory=app.uows,
            now=app.clock(), key=key, heads=self.desk.staff.heads,
            survey_question=survey_question(app.settings),
        )  # fmt: skip
        referral_letter.queue_letter(app, actor, conv, made.round, key)
        place = referral_letter.place_of(made, app.settings)
        return text("staff.referred", lang, conv=conv, place=esc(place))

    def forget(self, actor: Actor, arg: str) -> str:
        app, lang = self.desk.app, self.desk.lang
        words = arg.split()
        conv = case_number(words[0]) if words else None
        if conv is None:
            return text("staff.forget_usage", lang)
        if actor.role is not Role.HEAD:
            return text("staff.forget_head_only", lang)
        client_id = self._client_of(conv)
        if len(words) < 2 or words[1].lower() not in CONFIRM:
            return text("staff.forget_confirm", lang, conv=conv)
        erased = erasure_setup.forget(app, client_id, actor)
        return text("staff.forgotten", lang, conv=conv, count=len(erased))

    def _client_of(self, conv: int) -> int:
        """The client of case `conv` (the number staff know), or NotFound."""
        with self.desk.app.uows() as uow:
            found = uow.conversations.get(conv)
        if found is None:
            raise NotFound(f"conversation {conv}")
        return found.client_id
