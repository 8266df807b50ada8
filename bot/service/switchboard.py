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
import shutil
import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from triage.domain.model import Attachment, Channel, InboundMessage
from triage.domain.outbox import OutboxItem, Target
from triage.ports import NotYet, Sender, SendResult
from triage.usecases.ingest import ingest

if TYPE_CHECKING:
    from bot.app import App


class Offices(Protocol):
    """The install's offices as the switchboard needs them (bot/service/offices.py)."""

    def app(self, key: str) -> App | None: ...


log = logging.getLogger("puspaga")
ROUTE = "hotline-route:"  # + the client's Telegram id: the office key their messages go to
WAITING = "hotline-wait:"  # + the client's id: their messages held while asked (sealed JSON)
WAITERS = "hotline-waiters"  # the clients held: id -> the office they go to once it runs, or null
# one writer of the held lists at a time (they are written only in the worker holding the bot)
_LOCK = threading.RLock()
WAIT_MINUTES = 10
# words of office names that name no district
GENERIC = frozenset({
    "puspaga", "kabupaten", "kab", "kota", "upt", "uptd", "ppa", "dp3a", "dinas", "provinsi",
    "ppks", "pusat", "pembelajaran", "keluarga", "layanan", "perlindungan", "perempuan", "dan",
    "anak", "administrasi", "utara", "selatan", "timur", "barat", "tengah", "raya",
})  # fmt: skip
WORD = re.compile(r"[a-z0-9]+")
# words after which a place is named ("saya di Ubud", "dari Kab. Badung", "tinggal Gianyar"):
# in a first message a district counts only after one, so "nasib saya malang" names no place
CUES = frozenset({"di", "dari", "daerah", "wilayah", "kab", "kabupaten", "kota", "tinggal",
                  "domisili", "kecamatan", "kec", "desa", "kelurahan", "ke", "asal", "in",
                  "from"})  # fmt: skip


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

    def named(self, text: str, cue: bool = True) -> str | None:
        """The one office whose district the text names (after a word such as "di" or "dari",
        unless `cue` is False: an answer to the question); None for none or several."""
        words = WORD.findall(text.casefold())
        found = set()
        for key, names in self.words.items():
            for name in names:
                size = len(name.split())
                for i in range(len(words) - size + 1):
                    if " ".join(words[i : i + size]) != name:
                        continue
                    if not cue or any(w in CUES for w in words[max(0, i - 3) : i]):
                        found.add(key)
        return found.pop() if len(found) == 1 else None

    def answer(self, text: str) -> str | None:
        """An answer to the question: the number of an office in it ("2", "nomor 2"), or a
        district named."""
        words = WORD.findall(text.casefold())
        numbers = [w for w in words if w.isdigit()]
        if len(numbers) == 1 and len(words) <= 3 and 0 < int(numbers[0]) <= len(self.words):
            return list(self.words)[int(numbers[0]) - 1]
        return self.named(text, cue=False)


@dataclass(frozen=True)
class Delivered:
    office: str | None  # where the message went; None: held
    ask: bool = False  # held, and the client is to be asked where they live


def deliver(hub: App, message: InboundMessage, urgent: bool) -> Delivered:
    """One client message taken by the shared bot: stored in its office, or held and asked.
    Runs in the worker holding the shared bot's lease (it alone fetches its updates), one
    update at a time per client under `_LOCK`; an office not running yet keeps its messages
    held here, never the others' updates waiting."""
    offices, client = hub.offices, message.sender_id
    districts: Districts = offices.districts
    with _LOCK:
        with hub.uows() as uow:
            routed = uow.cursors.get(ROUTE + client)
            held = _held(hub, uow.cursors.get(WAITING + client))
            bound = json.loads(uow.cursors.get(WAITERS) or "{}").get(client)
            known = routed is None and uow.contacts.find(Channel.HOTLINE, client) is not None
        if any(m.external_id == message.external_id for m in held):  # the same update again
            first = held[0].external_id == message.external_id and bound is None
            return Delivered(bound, ask=first and routed is None)
        if known:  # wrote to this bot before it was shared: stays with this office
            routed = districts.hub
        chosen = routed
        if chosen is None:
            chosen = districts.answer(message.text) if held else districts.named(message.text)
        if chosen is None and (urgent or held):  # no time to lose, or asked once already
            chosen = districts.hub
        if chosen is None:
            _hold(hub, client, [*held, message], None)
            return Delivered(None, ask=not held)
        if not _store(hub, chosen, [*held, message]):
            _hold(hub, client, [*held, message], chosen)  # its office is not running yet
            return Delivered(chosen)
        if routed is None or held:
            _route(hub, client, chosen)
            log.info("klien hotline bersama diarahkan ke %s", chosen)
        return Delivered(chosen)


def office_of(hub: App, client: str) -> str:
    """Whose client this is now (the hotline office while not routed)."""
    with hub.uows() as uow:
        return uow.cursors.get(ROUTE + client) or hub.offices.districts.hub


def reroute(hub: App, client: str, office: str) -> None:
    """The client's case moved to `office` (/pindah): what they write next goes there."""
    with _LOCK, hub.uows() as uow:
        if uow.cursors.get(ROUTE + client) is not None or uow.contacts.find(
                Channel.HOTLINE, client) is not None:  # fmt: skip
            uow.cursors.set(ROUTE + client, office)
            uow.commit()


def release_waiting(hub: App, now: datetime) -> int:
    """Messages held longer than WAIT_MINUTES go to the hotline office (nobody waits for an
    answer that does not come), and those held for an office that was not running go to it
    once it runs. Only in the worker holding the shared bot (its updates' lease). Returns how
    many clients' messages went."""
    offices = hub.offices
    if offices is None or offices.districts is None or hub.office_key != offices.districts.hub:
        return 0
    if hub.telegram is not None and hub.tenure(hub.telegram.lease_name) is None:
        return 0
    with _LOCK:
        with hub.uows() as uow:
            waiters = json.loads(uow.cursors.get(WAITERS) or "{}")
        went = 0
        for client, bound in dict(waiters).items():
            try:
                with hub.uows() as uow:
                    held = _held(hub, uow.cursors.get(WAITING + client))
                late = bool(held) and now - held[0].received_at >= timedelta(minutes=WAIT_MINUTES)
                to = bound or (offices.districts.hub if late else None)
                if not held:
                    _route(hub, client, None)
                elif to is not None and _store(hub, to, held):
                    _route(hub, client, to)
                    went += 1
            except Exception as exc:  # noqa: BLE001 - one client's trouble keeps no other
                log.error("pesan hotline bersama yang ditahan gagal diteruskan (%s)",
                          type(exc).__name__)  # fmt: skip
        return went


class SharedHotline:
    """The hotline sender of an office that is not the hotline office: a client the shared bot
    sent here is answered through that bot (only in the worker holding its lease: elsewhere
    the item waits its turn, not counted as a try); one who wrote to this office's own bot
    before the hotline was shared, through this office's bot, as before."""

    def __init__(self, offices: Offices, hub: str, office: str, own: Sender) -> None:
        self.offices, self.hub, self.office, self.own = offices, hub, office, own

    def _sender(self, item: OutboxItem) -> Sender:
        app = self.offices.app(self.hub)
        if app is None:  # the hotline office is not running yet: whose client is not known
            raise NotYet(1.0)
        with app.uows() as uow:
            routed = uow.cursors.get(ROUTE + item.recipient)
        return app.senders[Target.HOTLINE] if routed == self.office else self.own

    def send(self, item: OutboxItem) -> SendResult:
        return self._sender(item).send(item)

    def already_sent(self, item: OutboxItem) -> SendResult | None:
        return self._sender(item).already_sent(item)


def _store(hub: App, key: str, messages: Sequence[InboundMessage]) -> bool:
    """Into office `key`'s inbox, each once whatever is delivered again, with the files moved
    under that office's own data folder (its erasure, backups and quota); False when that
    office is not running yet."""
    app = hub.offices.app(key)
    if app is None:
        return False
    for message in messages:
        moved = message if app is hub else _files_to(app, message)
        ingest(moved, uow_factory=app.uows, now=hub.clock(), reopen_window=app.reopen_window)
    app.wake.set()
    return True


def _files_to(app: App, message: InboundMessage) -> InboundMessage:
    kept = []
    for attachment in message.attachments:
        source = Path(attachment.stored_path) if attachment.stored_path else None
        if source is None or not source.exists():
            kept.append(attachment)
            continue
        target = app.settings.data_dir / "media" / "hotline" / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, target)
        kept.append(replace(attachment, stored_path=str(target)))
    return replace(message, attachments=tuple(kept))


def _route(hub: App, client: str, office: str | None) -> None:
    """The client's office from now on (None: none yet), nothing held any more."""
    with hub.uows() as uow:
        if office is not None:
            uow.cursors.set(ROUTE + client, office)
        uow.cursors.set(WAITING + client, "")
        waiters = json.loads(uow.cursors.get(WAITERS) or "{}")
        waiters.pop(client, None)
        uow.cursors.set(WAITERS, json.dumps(waiters))
        uow.commit()


def _hold(hub: App, client: str, messages: Sequence[InboundMessage], bound: str | None) -> None:
    """Kept sealed in the hotline office's database; `bound`: the office they go to once it
    runs (None: not known yet)."""
    raw = json.dumps([_dump(m) for m in messages], ensure_ascii=False)
    with hub.uows() as uow:
        uow.cursors.set(WAITING + client, hub.sealer.seal(raw.encode()))
        waiters = json.loads(uow.cursors.get(WAITERS) or "{}")
        waiters[client] = bound
        uow.cursors.set(WAITERS, json.dumps(waiters))
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
