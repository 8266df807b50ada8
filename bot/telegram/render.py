"""Staff notices (triage.domain.notices) as Telegram posts: HTML text and inline buttons.

Everything that came from a user (names, message texts, file names) is escaped here, once, for
the HTML parse mode; the catalogue's own markup (<b>, <i>) is ours.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from triage.domain import notices
from triage.domain.intake import OFFLINE
from triage.domain.notices import Kind
from triage.domain.outbox import OutboxItem
from triage.texts.catalog import Lang, text, texts
from triage.usecases import board

CHANNEL_ICONS = {"email": "📧", "instagram": "📸", "hotline": "📞", "whatsapp": "🟢",
                 "messenger": "🔵", "langsung": "🚶", "telepon": "☎️", "surat": "✉️",
                 "rujukan": "📨"}  # fmt: skip
OFFLINE_CHANNELS = frozenset(c.value for c in OFFLINE)
MAX_TOPIC_NAME = 128
MAX_NAME = 100  # a client's name as shown in a post (the inbox keeps it whole)
Keyboard = list[list[tuple[str, str]]]  # rows of (label, callback data)
STATUS_DEFAULTS = {"missing": "—", "due": "", "division": "", "session": "", "date": "—",
                   "proposed": "—"}  # fmt: skip


@dataclass(frozen=True)
class Post:
    text: str  # HTML
    keyboard: Keyboard | None = None


TAG = re.compile(r"<(/?)([a-z][a-z0-9-]*)[^>]*>")
ROOM = 200  # kept free in each part for the tags closed at its end


def split_html(text: str, limit: int) -> list[str]:
    """A post over Telegram's limit as parts within it, cut at a line break (else a space, else
    hard), never inside a tag or an entity; a tag open at a cut is closed at the end of the part
    and opened again at the start of the next, so each part is valid HTML on its own. Parts
    with no text once the tags are removed are left out."""
    assert limit > 2 * ROOM, "a part must hold more than its tags"
    out: list[str] = []
    rest, reopened = text, 0  # the length of the tags opened again at the start of `rest`
    while len(rest) > limit:
        room = limit - ROOM
        cut = rest.rfind("\n", reopened + 1, room)
        if cut <= reopened:
            cut = rest.rfind(" ", reopened + 1, room)
        head = rest[:cut] if cut > reopened else ""
        for mark, end in (("<", ">"), ("&", ";")):  # not inside a tag or an entity
            if head.rfind(mark) > head.rfind(end):
                cut = head.rfind(mark)
                head = rest[:cut]
        if cut <= reopened or not head:  # no place to cut after the tags: a hard cut
            cut = room
            inside = rest.rfind("<", 0, cut)
            if inside > rest.rfind(">", 0, cut) and inside > reopened:
                cut = inside  # not inside a tag
            head = rest[:cut]
        opened: list[tuple[str, str]] = []  # (name, the opening tag as written)
        for found in TAG.finditer(head):
            if found.group(1):
                if opened and opened[-1][0] == found.group(2):
                    opened.pop()
            else:
                opened.append((found.group(2), found.group(0)))
        out.append(head.rstrip() + "".join(f"</{name}>" for name, _ in reversed(opened)))
        prefix = "".join(tag for _, tag in opened)
        rest, reopened = prefix + rest[cut:].lstrip(), len(prefix)
    out.append(rest)
    return [part for part in out if TAG.sub("", part).strip()]


def esc(value: object) -> str:
    return html.escape(str(value), quote=False)


def _who(item: OutboxItem, lang: Lang) -> dict[str, str]:
    o = item.options
    channel = o.get("channel", "")
    return {
        "conv": esc(o.get("conv", "?")),
        "name": esc(_name(item, lang)[:MAX_NAME] or "?"),
        "icon": CHANNEL_ICONS.get(channel, "💬"),
        "channel": esc(text(f"channel.{channel}", lang)) if channel in CHANNEL_ICONS else "",
        "round": esc(o.get("round", "1")),
    }


def topic_title(item: OutboxItem, lang: Lang) -> str:
    """Icon of the channel, the client's name and the conversation number (not escaped:
    topic names are plain text)."""
    o = item.options
    title = text(
        "tg.topic_title",
        lang,
        icon=CHANNEL_ICONS.get(o.get("channel", ""), "💬"),
        name=_name(item, lang)[:80] or "?",
        conv=o.get("conv", "?"),
    )
    return title[:MAX_TOPIC_NAME]


def _name(item: OutboxItem, lang: Lang) -> str:
    """The client's name; before their consent, a word saying it is held back."""
    if item.options.get("summary"):  # minimal disclosure (bot.telegram.summary)
        return text("tg.summary_name", lang)
    if item.options.get("masked"):
        return text("tg.masked_name", lang)
    return " ".join(item.options.get("name", "?").split())


def card_keyboard(conv: str, round_: str, lang: Lang) -> Keyboard:
    """Buttons name the conversation and its round: a card from an earlier round cannot act
    on a reopened case."""
    at = f"{conv}:{round_}"
    return [
        [(text("btn.form", lang), f"form:{at}"), (text("btn.urgent", lang), f"urgent:{at}")],
        [(text("btn.hand_off", lang), f"handoff:{at}")],
        [
            (text(f"btn.close.{outcome}", lang), f"close:{at}:{outcome}")
            for outcome in ("tuntas", "ulang", "rujukan")
        ],
    ]


def entries_html(raw: str, lang: Lang, tz: tzinfo) -> str:
    lines = []
    for entry in notices.load(raw):
        stamp = ""
        if entry.at:
            try:
                stamp = datetime.fromisoformat(entry.at).astimezone(tz).strftime("%H:%M")
            except ValueError:
                stamp = ""
        head = f"<b>{esc(text(f'tg.author.{entry.author}', lang))}</b>"
        if stamp:
            head += f" <i>{stamp}</i>"
        if entry.part:
            head += " " + esc(text("tg.part", lang, part=entry.part))
        if entry.auto:
            head += " " + esc(text("tg.auto", lang))
        body = esc(entry.text)
        if entry.author in ("masked", "summary"):  # no words: consent, or the group's summary
            body = f"<i>{esc(text(f'tg.{entry.author}_body', lang))}</i>"
        if entry.files:
            files = text("tg.files", lang, files=", ".join(entry.files))
            body = f"{body}\n{esc(files)}" if body else esc(files)
        lines.append(f"{head}\n{body}" if body else head)  # our answer, not shown: said
    return "\n\n".join(lines)


def plain_reasons(found: str, lang: Lang) -> str:
    """Triage's reasons ("category.ekonomi: model · model: 0.40") in the staff's words: the
    category by its name, the model's score, the rules and the client's words as found. A part
    it does not know (or one cut short) is shown as it is."""
    return "".join(
        part if part in SEPARATORS else _plain(part, lang) for part in REASON_PARTS.split(found)
    )


SEPARATORS = ("; ", " · ")
REASON_PARTS = re.compile(r"(; | · )")


def _plain(part: str, lang: Lang) -> str:
    name, _, value = part.partition(": ")
    try:
        if name.startswith("category."):
            category = text(f"category.{name.removeprefix('category.')}", lang)
            key = "tg.why.category_model" if value == "model" else "tg.why.category"
            return text(key, lang, category=category)
        if name == "model":
            return text("tg.why.model", lang, share=round(float(value) * 100))
        if name in ("context.calm", "context.framing"):
            return text(f"tg.why.{name.removeprefix('context.')}", lang)
    except (KeyError, ValueError):  # cut short at the length kept, or unknown here
        return part
    if name.startswith("concept.") and value:
        return f"{name.removeprefix('concept.').replace('_', ' ')}: {value}"
    return part


def render(item: OutboxItem, lang: Lang, tz: tzinfo) -> Post:
    kind = item.options.get("kind")
    who = _who(item, lang)
    urgent = text("tg.urgent", lang) + "\n" if item.options.get("urgent") else ""
    if not urgent and item.options.get("review"):
        urgent = text("tg.review", lang) + "\n"
    found = item.options.get("triage")
    triage_line = (
        "\n" + text("tg.triage", lang, rules=esc(plain_reasons(found, lang))) if found else ""
    )
    code = item.options.get("category", "")
    if item.options.get("summary") and f"category.{code}" in texts():  # the words stay out
        category = text(f"category.{code}", lang)
        triage_line = "\n" + text("tg.summary_category", lang, category=esc(category))
    # a client staff registered offline (triage.domain.intake): nothing was sent to them
    offline = item.options.get("channel", "") in OFFLINE_CHANNELS
    if kind == Kind.ALERT:
        rules = esc(plain_reasons(item.options.get("rules", ""), lang))
        key = "tg.alert_review" if item.options.get("level") == "perlu_dicek" else "tg.alert"
        return Post(text(f"{key}_offline" if offline else key, lang, rules=rules, **who))
    if kind == Kind.CARD:
        key = "tg.card" if who["round"] == "1" else "tg.card_round"
        hint = text("tg.card_hint_offline" if offline else "tg.card_hint", lang)
        if item.options.get("summary"):  # answered from the private chat, not the topic
            hint = text("tg.card_hint_summary", lang)
        elif item.options.get("masked"):
            hint = text("tg.card_hint_masked", lang) + "\n" + hint
        head = urgent + text(key, lang, **who) + triage_line + "\n" + hint
        body = entries_html(item.text, lang, tz)
        return Post(f"{head}\n\n{body}", card_keyboard(who["conv"], who["round"], lang))
    if kind == Kind.CLIENT:
        head = urgent + text("tg.client_header", lang, **who) + triage_line
        if item.options.get("revealed"):
            head += "\n" + text("tg.revealed", lang)
        return Post(f"{head}\n{entries_html(item.text, lang, tz)}")
    if kind == Kind.CASE and item.options.get("opened"):  # from the group's summary, to read
        key = "tg.opened_held" if item.options.get("held_by_counselor") else "tg.opened_hint"
        head = urgent + text("tg.opened", lang, **who) + "\n" + text(key, lang)
        return Post(f"{head}\n\n{entries_html(item.text, lang, tz)}")
    if kind == Kind.CASE:
        head = urgent + text("tg.case", lang, **who)
        if offline:
            head += "\n" + text("tg.case_offline", lang)
        if item.options.get("assigned_by"):
            head += "\n" + text("tg.case_assigned", lang, head=esc(item.options["assigned_by"]))
        return Post(f"{head}\n\n{entries_html(item.text, lang, tz)}")
    if kind == Kind.OFFER:
        return Post(
            urgent + text("tg.offer", lang, **who),
            [[(text("btn.claim", lang), f"claim:{who['conv']}:{who['round']}")]],
        )
    if kind == Kind.TAKEN:
        return Post(text("tg.taken", lang, conv=who["conv"], by=esc(item.options.get("by", ""))))
    if kind == Kind.STATUS:
        event = item.options.get("event", "")
        outcome = item.options.get("outcome")
        values = {
            **STATUS_DEFAULTS,
            **{k: esc(v) for k, v in item.options.items() if isinstance(v, str)},
            **who,
            "register": esc(item.options.get("register", "")),
            "by": esc(item.options.get("by", "")),
            "outcome": esc(text(f"outcome.{outcome}", lang)) if outcome else "",
            "when": esc(_local(item.options.get("at", ""), tz)),  # a session's time
        }
        if event == "transfer_incoming":  # codes in the office's words
            code, risk = item.options.get("category", ""), item.options.get("risk", "biasa")
            values["category"] = esc(text(f"category.{code}", lang)) if (
                f"category.{code}" in texts()) else "–"  # fmt: skip
            values["risk"] = esc(text(f"risk.{risk}", lang)) if f"risk.{risk}" in texts() else "–"
        said = f"tg.status.{event}.offline"  # "the requester has been told": by staff, offline
        body = text(said if offline and said in texts() else f"tg.status.{event}", lang, **values)
        if item.text:  # what was sent (an automatic answer) or a case file's facts
            body += "\n" + esc(item.text)
        if item.options.get("offered"):
            reason = text(f"offer_reason.{item.options.get('reason', 'everyone')}", lang)
            offered = esc(item.options["offered"])
            body += "\n" + text("tg.status.offered", lang, offered=offered, reason=esc(reason))
        if item.options.get("held"):
            body += "\n" + text("tg.status.held", lang, n=esc(item.options["held"]))
        if event == "confirm_triage":
            tap = f"confirm:{who['conv']}:{who['round']}"
            return Post(body, [[(text("btn.confirm_triage", lang), tap)]])
        return Post(body)
    if kind == Kind.REMINDER:
        return Post(reminder(item, who, lang, tz))
    if kind == Kind.UNDELIVERED:
        return undelivered(item, urgent, lang)
    if kind == Kind.BOARD:
        return Post(board_text(item.text, lang))
    if kind == Kind.DIGEST:
        return Post(digest_text(item, lang))
    if kind == Kind.INFO:  # HTML the shell made from the catalogue, user values escaped there
        return Post(item.text)
    return Post(esc(item.text))  # unknown: shown as text, never taken as markup


def digest_text(item: OutboxItem, lang: Lang) -> str:
    """Reminders told together: how many, the longest waits by case number (no names: the
    topics hold the rest), and where to see them all."""
    found = notices.load_digest(item.text)
    if item.recipient.startswith("staff:"):
        head = "tg.digest_head"
    else:
        head = "tg.digest" if found.escalated else "tg.digest_plain"
    lines = [text(head, lang, count=found.count, escalated=found.escalated)]
    for e in found.worst:
        step = esc(text(f"step.{e.step}", lang)) if f"step.{e.step}" in texts() else esc(e.step)
        key = "tg.digest_line_head" if e.level else "tg.digest_line"
        lines.append(text(key, lang, conv=e.conv, step=step, minutes=e.minutes, target=e.target))
    if found.count > len(found.worst):
        lines.append(text("tg.digest_rest", lang, count=found.count - len(found.worst)))
    return "\n".join(lines)


def reminder(item: OutboxItem, who: dict[str, str], lang: Lang, tz: tzinfo) -> str:
    o = item.options
    step = o.get("step", "")
    if step in ("pengaduan", "psikoedukasi", "psikoedukasi_laporan"):
        due = _local(o.get("due", ""), tz)
        key = f"tg.casefile_due.{step}.{o.get('level', '0')}"
        return text(key, lang, due=esc(due), **who)
    values = {
        **who,
        "minutes": esc(o.get("minutes", "?")),
        "target": esc(o.get("target", "?")),
        "step": esc(text(f"step.{step}", lang)),
    }
    if o.get("level") == "0":
        return text(f"tg.remind.{step}", lang, **values)
    if item.recipient.startswith("group:"):
        key = "tg.escalated_group" if o.get("told") else "tg.escalated_nobody"
        return text(key, lang, **values)
    return text("tg.escalate", lang, **values)


def undelivered(item: OutboxItem, urgent: str, lang: Lang) -> Post:
    """What failed, why (in staff's language, the sender's own words below for whoever fixes
    it), and a button to try again."""
    o = item.options
    preview = o.get("preview", "")
    body = urgent + text(
        "tg.undelivered",
        lang,
        target=esc(text(f"undelivered.target.{o.get('target', 'telegram')}", lang)),
        reason=esc(text(f"undelivered.reason.{o.get('reason', 'refused')}", lang)),
        error=esc(o.get("error", "")),
        preview=esc(text("tg.undelivered_preview", lang, text=preview)) if preview else "",
    )
    return Post(body, [[(text("btn.resend", lang), f"resend:{o.get('item', '0')}")]])


def board_text(raw: str, lang: Lang) -> str:
    waiting, more = board.load(raw)
    rows = [
        text(
            "tg.board.line",
            lang,
            conv=line.conv,
            urgent="🚨 " if line.urgent else "🔶 " if line.review else "",
            step=esc(text(f"board.step.{line.step}", lang)),
            minutes=line.minutes,
            late=" ⚠️" if line.late else "",
            last=text("tg.board.anonymous", lang) if line.last else "",
        )
        for line in waiting
    ]
    if more:
        rows.append(text("tg.board.more", lang, n=more))
    body = "\n".join(rows) if rows else text("tg.board.empty", lang)
    return text("tg.board", lang, lines=body)


def _local(iso: str, tz: tzinfo) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone(tz).strftime("%d-%m-%Y %H.%M")
    except ValueError:
        return iso
