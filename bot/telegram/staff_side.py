"""The staff side: admins in the forum group (topics, replies, commands, the card's buttons) and
counselors (and the head) in their private chat with the bot (offers, the selected case).

Which conversation a staff message is about comes from its topic, the bot post it replies to,
or the case the counselor selected; the core checks every permission again. Each request
carries its Telegram key, so an update handled twice (after a crash) acts once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, Message

from bot.config.workflows import survey_question
from bot.service.instagram import give_code
from bot.telegram import casefiles, closing, duty
from bot.telegram.desk import Desk
from bot.telegram.parsing import (
    Button,
    button_of,
    case_number,
    command_of,
    outcome_of,
    split_internal,
    trailing_case,
)
from bot.telegram.render import esc
from triage.domain import access, notices, records
from triage.domain.errors import AccessDenied, NotFound, TransitionNotAllowed
from triage.domain.forms.by_mail import label
from triage.domain.forms.spec import shown
from triage.domain.model import Actor, Conversation, Outcome, Role, State
from triage.domain.schedule.roster import DutyChange
from triage.effects.form_prompts import FormSetup
from triage.texts.catalog import text
from triage.usecases import casework
from triage.usecases import records as record_cases
from triage.usecases.identity import correct_fields, identity
from triage.usecases.linking import link_contacts
from triage.usecases.replies import add_note, reply_to_client
from triage.usecases.roster import change_duty, week

REFUSALS = (AccessDenied, TransitionNotAllowed, NotFound)


class StaffSide:
    def __init__(self, desk: Desk, *, sign_with_name: bool = False) -> None:
        self.desk = desk
        self.casefiles = casefiles.CaseFiles(desk)
        self.closing = closing.Closing(desk)
        self.sign_with_name = sign_with_name  # replies go out as the office unless configured

    # --- where a message belongs ----------------------------------------------------------

    def conversation_in_group(self, message: Message) -> int | None:
        maps = self.desk.maps
        if message.is_topic_message and message.message_thread_id:
            conv = maps.conversation_of_thread(message.chat_id, message.message_thread_id)
            if conv is not None:
                return conv
        reply = message.reply_to_message
        if reply is not None:
            return maps.conversation_of_post(message.chat_id, reply.message_id)
        return None

    def conversation_in_private(self, actor: Actor, message: Message) -> int | None:
        """The case a reply answers (and selected from now on, if it is the actor's), else the
        case the actor selected."""
        maps = self.desk.maps
        reply = message.reply_to_message
        if reply is not None:
            conv = maps.conversation_of_post(message.chat_id, reply.message_id)
            if conv is not None:
                found = self._load(conv)
                if found is not None and access.may_reply(actor, found):
                    maps.set_focus(actor.staff_id, conv)
                return conv
        return maps.focus(actor.staff_id)

    # --- messages ---------------------------------------------------------------------------

    async def on_message(
        self, actor: Actor, message: Message, conv: int | None, where: str, key: str
    ) -> None:
        command = command_of(message)
        if command is not None:
            await self.command(actor, command, conv, where, key)
        elif conv is None:
            if where.startswith("staff:"):  # in the group: staff talking among themselves
                await self.desk.tell(f"{key}:where", where, text("staff.no_case", self.desk.lang))
        else:
            await self.write(actor, conv, message, where, key)

    async def write(self, actor: Actor, conv: int, message: Message, where: str, key: str):
        desk = self.desk
        body = message.text or message.caption or ""
        if message.effective_attachment is not None:
            await desk.tell(f"{key}:text-only", where, text("staff.text_only", desk.lang))
            if not body:
                return
        public, internal = split_internal(body)
        try:
            if internal:
                await desk.run(self._write, add_note, actor, conv, internal, f"note:{key}")
            if public:
                if self.sign_with_name and actor.name:
                    public = f"{public}\n\n— {actor.name}"
                await desk.run(self._write, reply_to_client, actor, conv, public, key)
        except REFUSALS as exc:
            await self.refuse(exc, conv, where, key)
            return
        desk.wake()

    def _write(self, use_case: Callable[..., Any], actor: Actor, conv: int, body: str, key: str):
        app = self.desk.app
        use_case(
            conv, body, actor=actor, idempotency_key=key, uow_factory=app.uows, now=app.clock()
        )

    async def command(
        self, actor: Actor, command: tuple[str, str], conv: int | None, where: str, key: str
    ) -> None:
        desk, (name, arg) = self.desk, command
        lang = desk.lang
        if name in ("bantuan", "start", "help"):
            help_key = "staff.help_admin" if actor.role is Role.ADMIN else "staff.help_counselor"
            await desk.tell(f"{key}:help", where, text(help_key, lang))
            return
        if name == "kode" and access.may_give_code(actor):
            code = "".join(arg.split())
            in_group = not where.startswith("staff:")  # the admin group, not a private chat
            if in_group and code.isdigit() and give_code(desk.app, code, desk.app.clock()):
                await desk.tell(f"{key}:code", where, text("ig.code_saved", lang))
            else:
                await desk.tell(f"{key}:code", where, text("staff.code_usage", lang))
            return
        if name == "kasus":
            await self.select(actor, arg, where, key)
            return
        if name == "jadwal":
            await desk.tell(f"{key}:roster", where, await desk.run(self.roster, actor, arg))
            return
        if name == "laporan":
            await desk.tell(f"{key}:report", where, await desk.run(self.report, actor, arg, key))
            return
        if name == "buka":
            await desk.tell(f"{key}:open", where, await desk.run(self.open_case, actor, arg))
            desk.wake()
            return
        if name == "rekam":
            await desk.tell(f"{key}:record", where, await desk.run(self.record, actor, arg, conv,
                                                                    where))  # fmt: skip
            return
        if name == "tutup" and arg.lower().split()[:1] == ["rujukan"]:  # = /rujuk X
            name, arg = "rujuk", arg.split(None, 1)[1] if len(arg.split()) > 1 else ""
        handler = {**dict.fromkeys(casefiles.COMMANDS, self.casefiles.run),
                   **dict.fromkeys(closing.COMMANDS, self.closing.run)}.get(name)  # fmt: skip
        if handler is not None:
            try:
                said = await desk.run(handler, actor, name, arg, conv, key, where)
            except REFUSALS as exc:
                await self.refuse(exc, conv, where, key)
                return
            if said:
                await desk.tell(f"{key}:{name}", where, said)
            desk.wake()
            return
        if name in ("lepas", "tutup", "ambil"):
            arg, named = trailing_case(arg)
            conv = named if named is not None else conv
        if conv is None:
            await desk.tell(f"{key}:where", where, text("staff.no_case", lang))
            return
        try:
            if name == "serahkan":
                await desk.run(self.transition, "hand_off", actor, conv, key)
                await self._warn_if_nobody(where, key, conv)
            elif name == "ambil":
                await desk.run(self.transition, "claim", actor, conv, key)
                await desk.tell(f"{key}:claimed", where, text("staff.claimed", lang, conv=conv))
            elif name == "lepas":
                await desk.run(self.transition, "release", actor, conv, key)
            elif name == "tutup":
                outcome = outcome_of(arg)
                if outcome is None:
                    await desk.tell(f"{key}:usage", where, text("staff.close_usage", lang))
                    return
                await desk.run(self.transition, "close", actor, conv, key, outcome)
            elif name == "catatan":
                if arg:
                    await desk.run(self._write, add_note, actor, conv, arg, f"note:{key}")
                    await desk.tell(f"{key}:noted", where, text("staff.note_saved", lang))
            elif name == "gabung":
                other = case_number(arg) if arg else None
                if other is None or other == conv:
                    await desk.tell(f"{key}:usage", where, text("staff.link_usage", lang))
                    return
                said = await desk.run(self.link, actor, conv, other)
                await desk.tell(f"{key}:linked", where, said)
            elif name == "identitas":
                if arg:
                    said = await desk.run(self.correct, actor, conv, arg)
                    await desk.tell(f"{key}:fix", where, said)
                await desk.tell(f"{key}:id", where, await desk.run(self.identity_card, actor, conv))
            else:
                await desk.tell(f"{key}:help", where, text("staff.help_admin", lang))
                return
        except REFUSALS as exc:
            await self.refuse(exc, conv, where, key)
            return
        if name in ("serahkan", "lepas", "tutup") and where.startswith("staff:"):
            await desk.tell(f"{key}:done", where, text("staff.done", lang))
        desk.wake()

    async def _warn_if_nobody(self, where: str, key: str, conv: int) -> None:
        if not self.desk.staff.counselors:
            warning = text("staff.no_counselors", self.desk.lang, conv=conv)
            await self.desk.tell(f"{key}:nobody", where, warning)

    def transition(
        self, what: str, actor: Actor, conv: int, key: str, outcome: Outcome | None = None
    ) -> Conversation:
        app, counselors = self.desk.app, self.desk.staff.counselors
        common: dict[str, Any] = {
            "actor": actor,
            "uow_factory": app.uows,
            "now": app.clock(),
            "key": key,
        }
        if what == "hand_off":
            return casework.hand_off(conv, counselors=counselors, roster=app.roster, **common)
        if what == "release":
            return casework.release(conv, counselors=counselors, **common)
        if what == "claim":
            result = casework.claim(conv, counselors=counselors, **common)
            self._focus_if_free(actor, conv)
            return result
        if what == "urgent":
            return casework.mark_urgent(conv, **common)
        assert outcome is not None
        question = survey_question(app.settings)
        return casework.close(conv, outcome, heads=self.desk.staff.heads,
                              survey_question=question, **common)  # fmt: skip

    def _focus_if_free(self, actor: Actor, conv: int) -> None:
        """A new case becomes the selected one only if the counselor is not in another case:
        a claim must never redirect what they are typing to someone else."""
        current = self.desk.maps.focus(actor.staff_id)
        held = self._load(current) if current is not None else None
        if held is None or not access.may_reply(actor, held):
            self.desk.maps.set_focus(actor.staff_id, conv)

    async def select(self, actor: Actor, arg: str, where: str, key: str) -> None:
        desk, lang = self.desk, self.desk.lang
        if arg.strip():
            conv_id = case_number(arg)
            conv = await desk.run(self._load, conv_id) if conv_id is not None else None
            if conv is None or not access.may_reply(actor, conv):
                shown = esc(arg.strip()[:20])
                await desk.tell(f"{key}:denied", where, text("staff.denied", lang, conv=shown))
                return
            await desk.run(desk.maps.set_focus, actor.staff_id, conv_id)
            name = (await desk.run(identity, conv_id, actor=actor, uow_factory=desk.app.uows)).name
            focus = text("staff.focus", lang, conv=conv_id, name=esc(name))
            await desk.tell(f"{key}:focus", where, focus)
            return
        mine = await desk.run(self._cases_of, actor)
        body = (
            text("staff.my_cases", lang, cases=", ".join(f"#{c}" for c in mine))
            if mine
            else text("staff.no_cases", lang)
        )
        await desk.tell(f"{key}:cases", where, body)

    def roster(self, actor: Actor, arg: str) -> str:
        """/jadwal: the week ahead, after the day's change if one was asked."""
        app, lang = self.desk.app, self.desk.lang
        roster = app.roster
        if roster is None or not roster.counselors:
            return text("staff.roster_none", lang)
        today = app.clock().astimezone(roster.calendar.zone).date()
        names = {c: roster.names.get(c, str(c)) for c in roster.counselors}
        said = []
        try:
            request = duty.parse(arg, today, names)
        except duty.DutyInputError as exc:
            values = {k: esc(v) for k, v in exc.values.items()}
            return text(exc.key, lang, **values)
        if request is not None:
            try:
                for staff_id, on in request.changes:
                    change = DutyChange(request.day, staff_id, on)
                    change_duty(change, actor=actor, uow_factory=app.uows, now=app.clock())
            except AccessDenied:
                return text("staff.roster_denied", lang)
            said.append(duty.changed_text(request, names, lang))
        days = week(app.uows, roster, today)
        closed = {d for d, _ in days if not roster.calendar.is_working_day(d)}
        said.append(duty.week_text(days, names, closed, lang))
        return "\n\n".join(said)

    def open_case(self, actor: Actor, arg: str) -> str:
        """/buka N Nama: the head opens case N to another staff member (the Tangerang standard)."""
        app, lang = self.desk.app, self.desk.lang
        number, _, who = arg.strip().partition(" ")
        conv = case_number(number) if number else None
        names = {a.staff_id: a.name for a in self.desk.staff.members.values()}
        staff_id = duty.staff_named(who.strip(), names) if who.strip() else None
        if conv is None or staff_id is None:
            return text("staff.open_usage", lang)
        try:
            record_cases.open_case(
                conv, staff_id, actor=actor, uow_factory=app.uows, now=app.clock()
            )
        except AccessDenied:
            return text("staff.open_head_only", lang)
        except NotFound:
            return text("staff.no_case", lang)
        return text("staff.opened", lang, conv=conv, name=esc(names[staff_id]))

    def report(self, actor: Actor, arg: str, key: str) -> str:
        """/laporan [YYYY-MM]: the month's report files to the head (last month by default)."""
        from bot.files import report as report_files

        app, lang = self.desk.app, self.desk.lang
        if actor.role is not Role.HEAD:
            return text("staff.report_head_only", lang)
        today = app.clock().astimezone(ZoneInfo(app.settings.office.timezone)).date()
        month = arg.strip() or report_files.last_month(today)
        if not report_files.MONTH.fullmatch(month):
            return text("staff.report_usage", lang)
        files = report_files.send_to_heads(app, month, f"report:{key}", [actor.staff_id])
        return text("staff.report_sent", lang, month=esc(month), files=files)

    def record(self, actor: Actor, arg: str, conv: int | None, where: str) -> str:
        """/rekam: the psychological record, only in the private chat with the bot: with
        "Keluhan: …" lines a new version, without them the latest (both audited)."""
        app, lang = self.desk.app, self.desk.lang
        if not where.startswith("staff:"):
            return text("staff.record_private", lang)
        if conv is None:
            return text("staff.no_case", lang)
        common = {"actor": actor, "sealer": app.sealer, "uow_factory": app.uows}
        try:
            if arg:
                version, parts = record_cases.write(conv, arg, now=app.clock(), **common)
                if not parts:
                    return text("staff.record_usage", lang)
                names = ", ".join(esc(label(p)) for p in parts)
                return text("staff.record_saved", lang, conv=conv, version=version, parts=names)
            found = record_cases.read(conv, now=app.clock(), **common)
        except AccessDenied:
            return text("staff.record_denied", lang, conv=conv)
        if found is None:
            return text("staff.record_none", lang, conv=conv)
        lines = "\n".join(
            f"<b>{esc(label(name))}:</b> {esc(found.parts[name])}"
            for name in records.PARTS
            if found.parts.get(name)
        )
        return text("staff.record", lang, conv=conv, version=found.version, parts=lines)

    def _load(self, conv_id: int) -> Conversation | None:
        with self.desk.app.uows() as uow:
            return uow.conversations.get(conv_id)

    def _cases_of(self, actor: Actor) -> list[int]:
        with self.desk.app.uows() as uow:
            return [
                c.id
                for c in uow.conversations.all()
                if c.id is not None
                and c.state is State.WITH_COUNSELOR
                and c.counselor_id == actor.staff_id
            ]

    def identity_card(self, actor: Actor, conv_id: int) -> str:
        lang = self.desk.lang
        found = identity(conv_id, actor=actor, uow_factory=self.desk.app.uows)
        listed = ", ".join(
            f"{text(f'channel.{channel.value}', lang)} {external}"
            for channel, external in found.contacts
        )
        form = self._form_setup().form
        fields = "\n".join(
            f"{esc(label(f.name))}: {esc(shown(f.kind, found.answers.get(f.name)))}"
            for f in form.fields
        )
        return text(
            "staff.identity",
            lang,
            conv=conv_id,
            name=esc(found.name),
            contacts=esc(listed),
            state=esc(text(f"state.{found.state.value}", lang)),
            register=esc(found.register_no or "—"),
            fields=fields,
        )

    def link(self, actor: Actor, conv_id: int, other_id: int) -> str:
        """/gabung N: the client of case N is the same person as this one's (e.g. a second
        email address): one client with all the contacts; open conversations merge."""
        app = self.desk.app
        with app.uows() as uow:
            keep, merge = uow.conversations.get(conv_id), uow.conversations.get(other_id)
        if keep is None or merge is None:
            raise NotFound("conversation")
        access.require(access.may_join_cases(actor, keep, merge), actor, "join cases")
        link_contacts(
            keep.reply_contact_id,
            merge.reply_contact_id,
            actor=actor,
            uow_factory=app.uows,
            now=app.clock(),
        )
        return text("staff.linked", self.desk.lang, conv=conv_id, other=other_id)

    def correct(self, actor: Actor, conv_id: int, lines: str) -> str:
        """/identitas with "Label: value" lines: the fields filled or corrected."""
        lang, setup = self.desk.lang, self._form_setup()
        done = correct_fields(
            conv_id,
            lines,
            form=setup.form,
            register_template=setup.register_template,
            actor=actor,
            uow_factory=self.desk.app.uows,
            now=self.desk.app.clock(),
        )
        said = [
            text("staff.identity_wrong", lang, field=esc(label(n)), problem=esc(setup.texts[p]))
            for n, p in done.problems
            if p in setup.texts
        ]
        if done.changed:
            names = ", ".join(esc(label(n)) for n in done.changed)
            said.insert(0, text("staff.identity_saved", lang, fields=names))
        return "\n".join(said) or text("staff.identity_nothing", lang)

    def _form_setup(self) -> FormSetup:
        triage = self.desk.app.triage
        if triage is not None and triage.form is not None:
            return triage.form
        from bot.cli.triage import form_setup

        return form_setup(self.desk.app.settings)

    async def refuse(self, exc: Exception, conv: int | None, where: str, key: str) -> None:
        await self.desk.tell(f"{key}:refused", where, await self.desk.run(self.why, exc, conv))

    def why(self, exc: Exception, conv: int | None) -> str:
        lang = self.desk.lang
        current = self._load(conv) if conv is not None else None
        if isinstance(exc, NotFound) or current is None:
            return text("staff.no_case", lang)
        if isinstance(exc, AccessDenied):
            return text("staff.denied", lang, conv=conv)
        if current.state is State.WITH_COUNSELOR and current.counselor_id is not None:
            by = esc(self.desk.staff.name(current.counselor_id))
            return text("staff.taken_by", lang, conv=conv, by=by)
        state = text(f"state.{current.state.value}", lang)
        return text("staff.not_now", lang, conv=conv, state=esc(state))

    # --- buttons ------------------------------------------------------------------------------

    async def on_button(self, actor: Actor, query: CallbackQuery) -> str:
        """Act on a tapped button; returns the short answer shown to the staff member."""
        desk, lang = self.desk, self.desk.lang
        button: Button | None = button_of(query.data or "")
        if button is None:
            return ""
        conv = button.conv
        current = await desk.run(self._load, conv)
        if current is None:
            return text("staff.no_case", lang)
        if button.round is not None and button.round != current.round:
            return text("staff.old_button", lang, conv=conv)
        private = query.message is not None and query.message.chat.type == "private"
        where = notices.staff(actor.staff_id) if private else notices.group(conv)
        key = f"cb:{query.id}"
        try:
            if button.action == "form":
                await desk.tell(f"{key}:id", where, await desk.run(self.identity_card, actor, conv))
                return text("staff.done", lang)
            if button.outcome is Outcome.RUJUKAN:  # a referral needs where to: the command
                await desk.tell(f"{key}:refer", where, text("staff.refer_usage", lang))
                return text("staff.refer_how", lang)
            what = {"handoff": "hand_off", "claim": "claim", "urgent": "urgent", "close": "close"}
            await desk.run(self.transition, what[button.action], actor, conv, key, button.outcome)
        except REFUSALS as exc:
            return await desk.run(self.why, exc, conv)
        if button.action == "handoff":
            await self._warn_if_nobody(where, key, conv)
        desk.wake()
        if button.action == "claim":
            return text("staff.claimed", lang, conv=conv)
        return text("staff.done", lang)
