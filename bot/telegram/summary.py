"""Minimal disclosure (`[consent] group_view = "ringkas"`, docs/dpia.md): the admin group sees
what a case needs to be picked up (its number, channel, category, risk level, how long it
waits) and never the client's words, name or the rules' quotes of them; a button opens them in
the admin's private chat with the bot, where the reading is audited and a reply to that post
answers the client. The core queues what it always does: the summary is made here, on the way
into the group, so no kind of post can slip past it."""

from __future__ import annotations

from dataclasses import replace

from triage.domain import notices
from triage.domain.notices import Entry, Kind
from triage.domain.outbox import OutboxItem
from triage.texts.catalog import Lang, text

WITH_WORDS = frozenset({Kind.CARD, Kind.CLIENT, Kind.CASE})  # entries of the client's messages
OPENABLE = frozenset({Kind.CARD, Kind.CLIENT, Kind.ALERT})  # posts that get the open button
QUOTES = ("name", "triage", "rules")  # what may carry the client's name or words
# what staff wrote about the case, shown in place as "…" (the texts name them): a session's
# place, a failed reply's first words, and the reason of a legal hold or of a remit decision
# (other statuses' "reason" is a code: a hand-off's offer, kept)
STAFF_WORDS = {Kind.STATUS: ("place",), Kind.UNDELIVERED: ("preview",)}
FREE_REASONS = frozenset({"legal_hold", "legal_hold_lifted", "complaint_outside_remit"})


def summarised(item: OutboxItem) -> OutboxItem:
    """The item as the group may see it."""
    kind = item.options.get("kind")
    options = {k: v for k, v in item.options.items() if k not in QUOTES}
    options.update(masked="1", summary="1")
    options.update({k: "…" for k in STAFF_WORDS.get(kind, ()) if options.get(k)})
    if options.get("event") in FREE_REASONS and options.get("reason"):
        options["reason"] = "…"
    body = item.text
    if kind in WITH_WORDS:
        # our automatic answer stays said (its author), not shown: its words tell the topic
        body = notices.dump([Entry(e.at, "", (), e.auto, "bot" if e.author == "bot" else "summary")
                             for e in notices.load(item.text)
                             if not e.part or e.part.startswith("1/")])  # fmt: skip
    elif kind in (Kind.STATUS, Kind.ALERT):
        body = ""  # a case file's facts, an automatic answer's text: not in the group
    return replace(item, text=body, options=options)


def open_button(item: OutboxItem, lang: Lang) -> list[tuple[str, str]] | None:
    """The row with the button that opens a post's case in the admin's private chat."""
    if item.options.get("kind") not in OPENABLE or not item.options.get("conv"):
        return None
    return [(text("btn.open_private", lang), f"open:{item.options['conv']}")]
