"""Use cases: erase a client's data on request, purge what has been kept past its retention
period (what each kind blanks is in triage/domain/erasure.py), and the head's legal hold that
suspends both for a case (/tahan_hukum, /lepas_tahan)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from triage.domain import notices
from triage.domain.erasure import ALL_KINDS, LegalHold, Retention
from triage.domain.errors import AccessDenied, NotFound, OnLegalHold, TransitionNotAllowed
from triage.domain.model import Actor, Conversation, Role
from triage.domain.records import AuditEntry
from triage.effects import notify
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.usecases._retry import on_conflict

Remove = Callable[[Sequence[str]], None]


def forget_client(
    client_id: int,
    *,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    remove: Remove,
) -> list[int]:
    """A data subject's request: every kind of every conversation of the client, and the
    client's name and addresses. Only the head; audited. A case still open must be closed
    first (its counselor may be mid-conversation). Returns the conversations erased."""

    def work() -> list[int]:
        with uow_factory() as uow:
            if actor.role is not Role.HEAD:
                _audit(uow, actor, "client.erase.denied", None, f"client {client_id}", now)
                uow.commit()
                raise AccessDenied(actor.staff_id, "erase_client")
            if uow.clients.get(client_id) is None:
                raise NotFound(f"client {client_id}")
            convs = uow.conversations.lock_for_client(client_id)
            if any(c.is_open for c in convs):
                raise TransitionNotAllowed("open", "erase")
            if held := uow.erasure.held_for_client(client_id):
                _audit(uow, actor, "client.erase.held", None, f"client {client_id}", now)
                uow.commit()
                raise OnLegalHold(held)
            remove(_erase_whole(uow, client_id, convs, now))
            for conv in convs:
                _drop_topic(uow, conv, now)
            _audit(uow, actor, "client.erased", None, f"client {client_id}", now)
            uow.commit()
            return [c.id for c in convs if c.id is not None]

    return on_conflict(work, uow_factory.pause)


def _erase_whole(
    uow: UnitOfWork, client_id: int, convs: Sequence[Conversation], now: datetime
) -> list[str]:
    """Every kind of every conversation of the client, and its name and addresses; returns
    the stored files to remove once the transaction holds."""
    paths: list[str] = []
    for conv in convs:
        assert conv.id is not None
        paths += uow.erasure.erase(conv.id, ALL_KINDS, now)
    return paths + uow.erasure.erase_client(client_id)


def erase_again(
    clients: Mapping[int, str],
    *,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    remove: Remove,
    fingerprint: Callable[[UnitOfWork, int], str],
) -> list[int]:
    """After a backup is restored: the clients erased since it was made are erased again,
    whatever their cases' state then (audited as the system). `clients` maps an id to the
    fingerprint it had when erased: a later client given the same id is left alone, and one
    erased already (no contact left) is not counted. Returns those erased again."""
    done = []
    for client_id, mark in sorted(clients.items()):
        with uow_factory() as uow:
            if uow.clients.get(client_id) is None or fingerprint(uow, client_id) != mark:
                continue
            if all(c.external_id == "" or c.external_id.startswith("erased")
                   for c in uow.contacts.for_client(client_id)):  # fmt: skip
                continue
            convs = uow.conversations.lock_for_client(client_id)
            remove(_erase_whole(uow, client_id, convs, now))
            uow.audit.append(AuditEntry(now, 0, "system", "client.erased_again", None,
                                        f"client {client_id}"))  # fmt: skip
            uow.commit()
        done.append(client_id)
    return done


def purge(
    retention: Retention,
    *,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    remove: Remove,
    batch: int = 200,
) -> dict[str, int]:
    """The retention job: each kind of each conversation closed longer ago than its period,
    one conversation per transaction. Returns how many conversations each kind touched."""
    done: dict[str, int] = {}
    for kind in ALL_KINDS:
        cutoff = retention.cutoff(kind, now)
        if cutoff is None:
            continue
        done[kind] = 0
        while True:
            with uow_factory() as uow:
                due = uow.erasure.closed_before(kind, cutoff, batch)
            for conv_id in due:
                done[kind] += _purge_one(conv_id, kind, cutoff, uow_factory, now, remove)
            if len(due) < batch:
                break
    return done


def _purge_one(conv_id: int, kind: str, cutoff: datetime, uow_factory: UnitOfWorkFactory,
               now: datetime, remove: Remove) -> int:  # fmt: skip
    def work() -> int:
        with uow_factory() as uow:
            conv = uow.conversations.get(conv_id, lock=True)
            closed = conv.steps.closed if conv is not None else None
            if conv is None or conv.is_open or closed is None or closed > cutoff:
                return 0  # reopened since it was listed: its data is in use again
            if uow.erasure.held_for_client(conv.client_id) and (
                kind == "identity" or uow.erasure.hold_of(conv_id) is not None
            ):
                return 0  # held since it was listed (a legal hold)
            erased = uow.erasure.erased_at(conv_id, kind)
            if erased is not None and erased >= closed:
                return 0  # another worker's purge did it meanwhile
            if kind == "identity":
                if any(c.is_open or (c.steps.closed or now) > cutoff
                       for c in uow.conversations.all_for_client(conv.client_id)):  # fmt: skip
                    uow.erasure.mark(conv_id, kind, now)  # a later case keeps the client
                    uow.commit()
                    return 0
                remove(uow.erasure.erase_client(conv.client_id))
                uow.erasure.mark(conv_id, kind, now)
            else:
                remove(uow.erasure.erase(conv_id, (kind,), now))
                if kind == "messages":
                    _drop_topic(uow, conv, now)
            uow.audit.append(AuditEntry(now, 0, "system", "retention.erased", conv_id, kind))
            uow.commit()
            return 1

    return on_conflict(work, uow_factory.pause)


def hold(
    conv_id: int,
    reason: str | None,
    *,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    key: str,
) -> LegalHold | None:
    """The head places a legal hold with its reason (who holds the case: the police, a court,
    UPTD PPA; their reference), or lifts it (`reason` None); audited, and the topic told.
    Returns the hold now in force."""

    def work() -> LegalHold | None:
        with uow_factory() as uow:
            conv = uow.conversations.get(conv_id, lock=True)
            if conv is None:
                raise NotFound(f"conversation {conv_id}")
            what = "legal_hold.placed" if reason else "legal_hold.lifted"
            if actor.role is not Role.HEAD:
                _audit(uow, actor, f"{what}.denied", conv_id, "", now)
                uow.commit()
                raise AccessDenied(actor.staff_id, "legal_hold")
            before = uow.erasure.hold_of(conv_id)
            placed = LegalHold(conv_id, actor.staff_id, now, reason) if reason else None
            if placed is None and before is None:
                return None  # nothing to lift
            if placed is not None:
                uow.erasure.hold(placed)
            else:
                uow.erasure.lift(conv_id)
            _audit(uow, actor, what, conv_id, reason or (before.reason if before else ""), now)
            event = "legal_hold" if placed else "legal_hold_lifted"
            notify.queue(uow, key=f"{key}:hold", recipient=notices.group(conv_id),
                         kind=notices.Kind.STATUS, now=now, conv=conv, event=event,
                         by=actor.name, reason=reason or "")  # fmt: skip
            uow.commit()
            return placed

    return on_conflict(work, uow_factory.pause)


def _drop_topic(uow: UnitOfWork, conv: Conversation, now: datetime) -> None:
    """The conversation's topic in the admin group goes too, with the posts in it (its title
    names the client, its posts quote them)."""
    assert conv.id is not None
    notify.queue(uow, key=f"topic:{conv.id}:erase:{now.isoformat()}",
                  recipient=notices.group(conv.id), kind=notices.Kind.TOPIC, now=now, conv=conv,
                  action="delete")  # fmt: skip


def _audit(uow: UnitOfWork, actor: Actor, action: str, conv_id: int | None, detail: str,
           now: datetime) -> None:  # fmt: skip
    uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value, action, conv_id, detail))
