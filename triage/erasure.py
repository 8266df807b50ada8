"""Erasure (issue 7 item 6; UU 27/2022 Pasal 42–44): on a client's request, and when a kind of
data has been kept its retention period after the case closed, the personal content is blanked
and what the reports count is kept (channel, category, dates, outcome, gender and age, the SOP
steps), so the monthly and yearly figures stay true.

One pass serves both: `erase` blanks the chosen kinds of one conversation and marks when, so
a purge does not do the same work twice, while a case reopened after a purge is due again
when it closes, and a request erases everything whatever was purged before.
Files (attachments, letters) are removed through the shell's `remove` before the commit: a
crash leaves the rows to be erased again, never a row pointing at a file thought gone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from triage import notices
from triage.errors import AccessDenied, NotFound, TransitionNotAllowed
from triage.model import Actor, Conversation, Role
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.records import AuditEntry
from triage.retrying import on_conflict

# What each kind blanks (storage.erasure does it in SQL, tests/fakes.py in memory):
KINDS: Mapping[str, str] = {
    "messages": "message texts, subjects and ids; our replies' texts and addresses; survey "
    "comments; referral reasons",
    "attachments": "attachment files and their names",
    "forms": "identity-form answers except gender and age (the report counts them)",
    "case_files": "complaint and psychoeducation facts and decisions",
    "records": "the psychological record (every version) and referral letters",
    "identity": "the client's name and their addresses on every channel",
}
ALL_KINDS = tuple(KINDS)
KEPT_ANSWERS = ("jenis_kelamin", "usia")
Remove = Callable[[Sequence[str]], None]


@dataclass(frozen=True)
class Retention:
    """Days a kind is kept after its case closed; None keeps it."""

    days: Mapping[str, int | None]

    def cutoff(self, kind: str, now: datetime) -> datetime | None:
        days = self.days.get(kind)
        return None if days is None else now - timedelta(days=days)


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
            paths: list[str] = []
            for conv in convs:
                assert conv.id is not None
                paths += uow.erasure.erase(conv.id, ALL_KINDS, now)
                _drop_topic(uow, conv, now)
            uow.erasure.erase_client(client_id)
            remove(paths)
            _audit(uow, actor, "client.erased", None, f"client {client_id}", now)
            uow.commit()
            return [c.id for c in convs if c.id is not None]

    return on_conflict(work, uow_factory.pause)


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
            erased = uow.erasure.erased_at(conv_id, kind)
            if erased is not None and erased >= closed:
                return 0  # another worker's purge did it meanwhile
            if kind == "identity":
                if any(c.is_open or (c.steps.closed or now) > cutoff
                       for c in uow.conversations.all_for_client(conv.client_id)):  # fmt: skip
                    uow.erasure.mark(conv_id, kind, now)  # a later case keeps the client
                    uow.commit()
                    return 0
                uow.erasure.erase_client(conv.client_id)
                uow.erasure.mark(conv_id, kind, now)
            else:
                remove(uow.erasure.erase(conv_id, (kind,), now))
                if kind == "messages":
                    _drop_topic(uow, conv, now)
            uow.audit.append(AuditEntry(now, 0, "system", "retention.erased", conv_id, kind))
            uow.commit()
            return 1

    return on_conflict(work, uow_factory.pause)


def _drop_topic(uow: UnitOfWork, conv: Conversation, now: datetime) -> None:
    """The conversation's topic in the admin group goes too, with the posts in it (its title
    names the client, its posts quote them)."""
    assert conv.id is not None
    notices.queue(uow, key=f"topic:{conv.id}:erase:{now.isoformat()}",
                  recipient=notices.group(conv.id), kind=notices.Kind.TOPIC, now=now, conv=conv,
                  action="delete")  # fmt: skip


def _audit(uow: UnitOfWork, actor: Actor, action: str, conv_id: int | None, detail: str,
           now: datetime) -> None:  # fmt: skip
    uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value, action, conv_id, detail))
