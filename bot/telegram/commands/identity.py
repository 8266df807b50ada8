"""Who the client is: /identitas (the identity card; with "Label: value" lines, fields filled
or corrected), /gabung N (case N's client is the same person as this one's) and /kontak (how
the client may safely be written to: triage.domain.privacy.safe_contact)."""

from __future__ import annotations

from bot.telegram import staff_ops
from bot.telegram.commands.cases import on_case
from bot.telegram.commands.registry import ADMINS, EVERYONE, Command, Request
from bot.telegram.desk import Desk
from bot.telegram.parsing import case_number
from bot.telegram.render import esc
from triage.domain import access
from triage.domain.errors import NotFound
from triage.domain.forms.by_mail import label
from triage.domain.model import Actor
from triage.domain.privacy.safe_contact import SafeContact, TwoRanges, Unreadable, parse
from triage.texts.catalog import Lang, text
from triage.usecases.identity import correct_fields, link_contacts, safe_contact


async def identitas(request: Request) -> None:
    desk, actor = request.desk, request.actor

    async def work(conv: int, arg: str) -> None:
        if arg:
            await request.say("fix", await desk.run(correct, desk, actor, conv, arg))
        await request.say("id", await desk.run(staff_ops.identity_card, desk, actor, conv))

    await on_case(request, work)


def correct(desk: Desk, actor: Actor, conv_id: int, lines: str) -> str:
    """The fields filled or corrected, and those whose value was wrong."""
    lang, setup = desk.lang, staff_ops.form_setup(desk)
    done = correct_fields(
        conv_id,
        lines,
        setup=setup,
        actor=actor,
        uow_factory=desk.app.uows,
        now=desk.app.clock(),
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


async def gabung(request: Request) -> None:
    desk, lang = request.desk, request.lang

    async def work(conv: int, arg: str) -> bool:
        other = case_number(arg) if arg else None
        if other is None or other == conv:
            await request.say("usage", text("staff.link_usage", lang))
            return False
        await request.say("linked", await desk.run(link, desk, request.actor, conv, other))
        return True

    await on_case(request, work)


def link(desk: Desk, actor: Actor, conv_id: int, other_id: int) -> str:
    """One client with all the contacts of both; their open conversations merge."""
    app = desk.app
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
    return text("staff.linked", desk.lang, conv=conv_id, other=other_id)


async def kontak(request: Request) -> None:
    desk, lang, app = request.desk, request.lang, request.desk.app

    async def work(conv: int, arg: str) -> bool:
        try:
            wanted = parse(arg, app.settings.office.timezone) if arg.strip() else None
        except Unreadable as exc:
            why = (
                "staff.contact_two_ranges"
                if isinstance(exc, TwoRanges)
                else "staff.contact_unreadable"
            )
            said = text(why, lang, word=esc(str(exc)))
            await request.say("usage", said + "\n" + text("staff.contact_usage", lang))
            return False
        done = await desk.run(
            lambda: safe_contact(
                conv, wanted, actor=request.actor, uow_factory=app.uows, now=app.clock()
            )
        )
        if done.missing:
            said = text("staff.contact_no_channel", lang, channel=esc(done.missing),
                        channels=esc(", ".join(done.channels) or "-"))  # fmt: skip
        else:
            said = describe(done.prefs, lang, conv)
            if wanted is None:
                said += "\n\n" + text("staff.contact_usage", lang)
        await request.say("set" if wanted else "show", said)
        return True

    await on_case(request, work, named=True)


def describe(prefs: SafeContact, lang: Lang, conv: int) -> str:
    """The preferences in words, one line each."""
    if not prefs.any:
        return text("staff.contact_free", lang, conv=conv)
    lines = [text("staff.contact_head", lang, conv=conv)]
    if not prefs.write_first:
        lines.append(text("staff.contact_line_never", lang))
    if prefs.channel:
        lines.append(text("staff.contact_line_channel", lang, channel=esc(prefs.channel)))
    if prefs.start:
        lines.append(text("staff.contact_line_hours", lang, hours=esc(prefs.hours())))
    if prefs.discreet:
        lines.append(text("staff.contact_line_discreet", lang))
    return "\n".join(lines)


COMMANDS = [
    Command("identitas", identitas, ADMINS, refused_to_clients=True),
    Command("gabung", gabung, ADMINS, refused_to_clients=True),
    Command("kontak", kontak, EVERYONE),  # a client may write "/kontak" asking for ours
]
