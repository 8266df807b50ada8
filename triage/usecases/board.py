"""The queue board: one post pinned in the admin group listing the
conversations waiting for a person, urgent first, then possible danger (perlu_dicek), then the
longest wait, anonymous complaints after the others (the complaint standard handles them last),
with the service minutes each has waited and whether it is past its target. No names: a glance
at the group must not expose who wrote.

Refreshed by the sweeper at most every `every` seconds, and only when it changed; an edit
still waiting for the group's budget is replaced rather than queued behind (one edit at most
in the queue).
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime

from triage.domain import complaint
from triage.domain.model import Conversation
from triage.domain.notices import Kind
from triage.domain.outbox import Target
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.sla import Targets, waiting_for
from triage.effects import notify
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.usecases._retry import on_conflict

BOARD = "group:board"  # the recipient: the pinned post in the admin group
SHOWN = 30  # lines on the board; the rest are counted
PAGE = 1000  # waiting conversations read at a time


@dataclass(frozen=True)
class Line:
    conv: int
    step: str  # what the conversation waits for (triage.domain.schedule.sla)
    minutes: int  # service minutes waited
    late: bool
    urgent: bool
    review: bool = False  # possible danger (perlu_dicek): right after the urgent ones
    last: bool = False  # an anonymous complaint: after the others, unless in danger


def lines(
    waiting: Iterable[tuple[Conversation, datetime | None]],
    targets: Targets,
    calendar: ServiceCalendar,
    now: datetime,
    anonymous: frozenset[int] = frozenset(),  # conversations with an anonymous complaint open
) -> list[Line]:
    out = []
    for conv, released_at in waiting:
        wait = waiting_for(conv, released_at)
        if wait is None or conv.id is None:
            continue
        minutes = int(calendar.minutes_between(wait.since, now))
        late = minutes >= targets.for_step(wait.step)
        review = conv.risk == "perlu_dicek"
        last = conv.id in anonymous and not (conv.urgent or review)
        out.append(Line(conv.id, wait.step, minutes, late, conv.urgent, review, last))
    return sorted(out, key=order)


def order(line: Line) -> tuple[bool, bool, bool, int, int]:
    return (not line.urgent, not line.review, line.last, -line.minutes, line.conv)


def dump(board: list[Line], total: int | None = None) -> str:
    """The first SHOWN lines of `board`, and how many more of `total` (default: the board's)."""
    more = (len(board) if total is None else total) - len(board[:SHOWN])
    return json.dumps({"lines": [asdict(b) for b in board[:SHOWN]], "more": max(0, more)})


def load(raw: str) -> tuple[list[Line], int]:
    try:
        data = json.loads(raw)
        return [Line(**b) for b in data["lines"]], int(data["more"])
    except (ValueError, KeyError, TypeError):
        return [], 0


def refresh(
    *,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    targets: Targets,
    calendar: ServiceCalendar,
    every: float,
) -> bool:
    """Queue the board if `every` seconds passed since the last and it changed. Several workers
    at once queue it once (the key names the time slot)."""
    slot = int(now.timestamp() // every)

    def work() -> bool:
        with uow_factory() as uow:
            if uow.cursors.get("board:slot") == str(slot):
                return False
            body = _board(uow, targets, calendar, now)
            uow.cursors.set("board:slot", str(slot))
            if uow.cursors.get("board:last") == body:
                uow.commit()
                return False
            uow.cursors.set("board:last", body)
            pending = uow.outbox.last_active(Target.TELEGRAM, BOARD)
            if not (pending is not None and uow.outbox.extend_pending(pending, body)):
                notify.queue(
                    uow, key=f"board:{slot}", recipient=BOARD, kind=Kind.BOARD, now=now, text=body
                )
            uow.commit()
            return True

    return on_conflict(work, uow_factory.pause)


def _board(uow: UnitOfWork, targets: Targets, calendar: ServiceCalendar, now: datetime) -> str:
    """The board's body, the open conversations read a page at a time (only the first SHOWN
    lines are kept, the rest counted: memory stays flat with 100,000 waiting)."""
    anonymous = _anonymous(uow)
    best: list[Line] = []
    total, after = 0, 0
    while True:
        waiting = uow.deadlines.waiting_conversations(after, PAGE)
        found = lines(waiting, targets, calendar, now, anonymous)
        total += len(found)
        best = heapq.nsmallest(SHOWN, best + found, key=order)
        if len(waiting) < PAGE:
            return dump(best, total)
        after = waiting[-1][0].id or 0


def _anonymous(uow: UnitOfWork) -> frozenset[int]:
    """Conversations with an open anonymous complaint (few: read whole)."""
    return frozenset(
        cf.conversation_id
        for cf in uow.casefiles.of_kind("pengaduan")
        if cf.is_open and complaint.anonymous(cf)
    )
