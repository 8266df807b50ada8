"""A hotline shared by the offices of a province (a province file's `hotline_office`): that
office's Telegram bot takes every client, and each client's messages go to the office of the
district they live in, named in what they write or asked once. The answer is kept (the route)
in the hotline office's database, so the client's later messages go straight there.

Nothing waits unseen: a message that names no district is held, sealed, while the client is
asked; one that reads as urgent goes at once to the hotline office, and so does whatever is
held when the client answers with no district we know, or does not answer within
`WAIT_MINUTES`. That office can move the case on (/pindah). The messages are stored in the
chosen office's own database (its inbox, its admin group); replies go out through the shared
bot (`SharedHotline`)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from bot.service.leases import HolderOnly
from triage.domain.model import Attachment, Channel, InboundMessage
from triage.domain.outbox import OutboxItem, Target
from triage.ports import NotYet, SendResult
from triage.usecases.ingest import ingest

if TYPE_CHECKING:
    from bot.app import App


class Offices(Protocol):
    """The install's offices as the switchboard needs them (bot/service/offices.py)."""

    def app(self, key: str) -> App | None: ...


log = logging.getLogger("puspaga")
ROUTE = "hotline-route:"  # + the client's Telegram id: the office key their messages go to
WAITING = "hotline-wait:"  # + the client's id: their messages held while asked (sealed JSON)
WAITERS = "hotline-waiters"  # the ids of the clients held, for the release after WAIT_MINUTES
WAIT_MINUTES = 10
# words of office names that name no district
GENERIC = frozenset({
    "puspaga", "kabupaten", "kab", "kota", "upt", "uptd", "ppa", "dp3a", "dinas", "provinsi",
    "ppks", "pusat", "pembelajaran", "keluarga", "layanan", "perlindungan", "perempuan", "dan",
    "anak", "administrasi",
})  # fmt: skip
WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Districts:
    """The shared hotline's office and the words naming each office's district, in the order
    the question lists them."""

    hub: str
    words: Mapping[str, frozenset[str]]  # office key -> words (several-word names joined by " ")

    @classmethod
    def of(cls, hub: str, names: Mapping[str, str],
           extra: Mapping[str, Sequence[str]]) -> Districts:  # fmt: skip
        words = {}
        for key, name in names.items():
            own = {w for w in WORD.findall(name.casefold()) if w not in GENERIC}
            words[key] = frozenset(own | {" ".join(WORD.findall(e.casefold())) for e in
                                          extra.get(key, ())} - {""})  # fmt: skip
        return cls(hub, words)

    def named(self, text: str) -> str | None:
        """The one office whose district the text names; None for none or several."""
        said = " " + " ".join(WORD.findall(text.casefold())) + " "
        found = {k for k, ws in self.words.items() if any(f" {w} " in said for w in ws)}
        return found.pop() if len(found) == 1 else None

    def answer(self, text: str) -> str | None:
        """An answer to the question: the number of an office in it, or a district named."""
        words = WORD.findall(text.casefold())
        if len(words) == 1 and words[0].isdigit() and 0 < int(words[0]) <= len(self.words):
            return list(self.words)[int(words[0]) - 1]
        return self.named(text)


@dataclass(frozen=True)
class Delivered:
    office: str | None  # where the message went; None: held
    ask: bool = False  # held, and the client is to be asked where they live


def deliver(hub: App, message: InboundMessage, urgent: bool) -> Delivered:
    """One client message taken by the shared bot: stored in its office, or held and asked.
    Raises ConnectionError while the office it goes to is not running (the update is handled
    again later, as in a database outage)."""
    offices, client = hub.offices, message.sender_id
    districts: Districts = offices.districts
    with hub.uows() as uow:
        routed = uow.cursors.get(ROUTE + client)
        held = _held(hub, uow.cursors.get(WAITING + client))
        known = routed is None and uow.contacts.find(Channel.HOTLINE, client) is not None
    if known:  # wrote to this bot before it was shared: stays with this office
        routed = districts.hub
    if routed is not None:
        _store(offices, routed, [message], hub.clock())
        return Delivered(routed)
    chosen = districts.answer(message.text) if held else districts.named(message.text)
    if chosen is None and (urgent or held):  # no time to lose, or asked once already
        chosen = districts.hub
    if chosen is None:
        _hold(hub, client, [*held, message])
        return Delivered(None, ask=not held)
    _store(offices, chosen, [*held, message], hub.clock())
    _route(hub, client, chosen)
    log.info("klien hotline bersama diarahkan ke %s", chosen)
    return Delivered(chosen)


def office_of(hub: App, client: str) -> str:
    """Whose client this is now (the hotline office while not routed)."""
    with hub.uows() as uow:
        return uow.cursors.get(ROUTE + client) or hub.offices.districts.hub


def release_waiting(hub: App, now: datetime) -> int:
    """Messages held longer than WAIT_MINUTES go to the hotline office: nobody waits for an
    answer that does not come. Returns how many clients were released."""
    offices = hub.offices
    if offices is None or offices.districts is None or hub.office_key != offices.districts.hub:
        return 0
    with hub.uows() as uow:
        waiters = json.loads(uow.cursors.get(WAITERS) or "[]")
        held = {c: _held(hub, uow.cursors.get(WAITING + c)) for c in waiters}
    due = [
        c
        for c, messages in held.items()
        if messages and now - messages[0].received_at >= timedelta(minutes=WAIT_MINUTES)
    ]
    for client in due:
        _store(offices, offices.districts.hub, held[client], now)
        _route(hub, client, offices.districts.hub)
    return len(due)


class SharedHotline:
    """An office's hotline items sent through the shared bot (the hotline office's sender),
    only in the worker holding that bot's lease, like the hotline office's own."""

    def __init__(self, offices: Offices, hub: str) -> None:
        self.offices, self.hub = offices, hub

    def _sender(self) -> HolderOnly | None:
        app = self.offices.app(self.hub)
        return app.senders.get(Target.HOTLINE) if app is not None else None  # type: ignore[return-value]

    def holds(self) -> bool:
        sender = self._sender()
        return sender is not None and (not isinstance(sender, HolderOnly) or sender.holds())

    def send(self, item: OutboxItem) -> SendResult:
        sender = self._sender()
        if sender is None:  # the hotline office is not running yet
            raise NotYet(1.0)
        return sender.send(item)

    def already_sent(self, item: OutboxItem) -> SendResult | None:
        sender = self._sender()
        return sender.already_sent(item) if sender is not None else None


def _store(offices: Offices, key: str, messages: Sequence[InboundMessage], now: datetime) -> None:
    app = offices.app(key)
    if app is None:
        raise ConnectionError(f"office {key} is not running")
    for message in messages:  # each stored once whatever is delivered again
        ingest(message, uow_factory=app.uows, now=now, reopen_window=app.reopen_window)
    app.wake.set()


def _route(hub: App, client: str, office: str) -> None:
    with hub.uows() as uow:
        uow.cursors.set(ROUTE + client, office)
        uow.cursors.set(WAITING + client, "")
        waiters = [c for c in json.loads(uow.cursors.get(WAITERS) or "[]") if c != client]
        uow.cursors.set(WAITERS, json.dumps(waiters))
        uow.commit()


def _hold(hub: App, client: str, messages: Sequence[InboundMessage]) -> None:
    raw = json.dumps([_dump(m) for m in messages], ensure_ascii=False)
    with hub.uows() as uow:
        uow.cursors.set(WAITING + client, hub.sealer.seal(raw.encode()))
        waiters = json.loads(uow.cursors.get(WAITERS) or "[]")
        if client not in waiters:
            uow.cursors.set(WAITERS, json.dumps([*waiters, client]))
        uow.commit()


def _held(hub: App, sealed: str | None) -> list[InboundMessage]:
    if not sealed:
        return []
    return [_load(m) for m in json.loads(hub.sealer.open(sealed))]


def _dump(message: InboundMessage) -> dict:
    raw = asdict(message)
    raw["received_at"] = message.received_at.isoformat()
    return raw


def _load(raw: dict) -> InboundMessage:
    message = InboundMessage(**{**raw, "attachments": (), "references": tuple(raw["references"])})
    return replace(
        message,
        channel=Channel(raw["channel"]),
        received_at=datetime.fromisoformat(raw["received_at"]),
        attachments=tuple(Attachment(**a) for a in raw["attachments"]),
    )
