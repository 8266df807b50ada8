"""The SLA timers with a frozen clock (acceptance): one conversation walked through
every step across a public holiday and a weekend; each reminder and escalation fires once, at
the right service time, to the right people; a step done in time makes its deadlines moot."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests.builders import ADMIN, COUNSELOR, COUNSELOR_2, inbound
from tests.fakes import FakeUnitOfWorkFactory
from triage.domain.model import Channel
from triage.domain.notices import Kind
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.sla import Targets
from triage.usecases import casework
from triage.usecases.ingest import ingest
from triage.usecases.replies import reply_to_client
from triage.usecases.timers import TimerSetup, sweep

WITA = ZoneInfo("Asia/Makassar")
HOURS = {d: ((time(8), time(16)),) for d in range(4)} | {4: ((time(8), time(11, 30)),)}
# Thursday 24 December 2026 (cuti bersama) and Friday 25 (Christmas), then the weekend
CAL = ServiceCalendar(WITA, HOURS, frozenset({date(2026, 12, 24), date(2026, 12, 25)}))
HEADS = (3001,)
SETUP = TimerSetup(Targets(), CAL, counselors=(2001, 2002), heads=HEADS)


def wita(day: int, hour: int, minute: int, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WITA)


def reminders(uows: FakeUnitOfWorkFactory) -> list[tuple[str, str, str, str]]:
    """(recipient, step, level, kind) of every timer notice, in the order queued."""
    return [
        (i.recipient, i.options.get("step", ""), i.options.get("level", ""), i.options["kind"])
        for i in sorted(uows.db.outbox.values(), key=lambda i: i.id or 0)
        if i.idempotency_key.startswith("timer:")
    ]


def run(uows: FakeUnitOfWorkFactory, at: datetime):
    return sweep(uow_factory=uows, now=at, setup=SETUP)


def test_a_case_walks_every_step_across_a_holiday_and_a_weekend():
    uows = FakeUnitOfWorkFactory()
    conv = ingest(inbound(1, at=wita(23, 15, 58)), uow_factory=uows, now=wita(23, 15, 58))
    conv_id = conv.conversation_id

    # 2 service minutes left on Wednesday; Thursday, Friday and the weekend do not count
    assert run(uows, wita(23, 16, 30)).fired == 0
    assert run(uows, wita(28, 8, 2)).fired == 0
    assert run(uows, wita(28, 8, 3)).fired == 1
    assert reminders(uows) == [(f"group:{conv_id}", "first_admin_response", "0", Kind.REMINDER)]
    assert run(uows, wita(28, 8, 3)).fired == 0  # once
    assert run(uows, wita(28, 8, 12)).fired == 0
    assert run(uows, wita(28, 8, 13)).fired == 1  # escalation, 10 service minutes later
    assert reminders(uows)[1:] == [
        ("staff:3001", "first_admin_response", "1", Kind.REMINDER),
        (f"group:{conv_id}", "first_admin_response", "1", Kind.REMINDER),
    ]

    # the admin answers; the hand-off comes before its target: those deadlines go moot
    reply_to_client(
        conv_id,
        "Halo Ibu",
        actor=ADMIN,
        idempotency_key="r1",
        uow_factory=uows,
        now=wita(28, 8, 15),
    )
    assert run(uows, wita(28, 8, 16)).planned == 2
    casework.hand_off(
        conv_id, actor=ADMIN, counselors=[2001], uow_factory=uows, now=wita(28, 8, 18)
    )
    report = run(uows, wita(28, 8, 22))
    assert (report.fired, report.moot) == (0, 1)

    # nobody claims within 5 minutes: every counselor is offered the case, then the head
    assert run(uows, wita(28, 8, 23)).fired == 1
    claim_notices = reminders(uows)[3:]
    assert (f"group:{conv_id}", "claimed", "0", Kind.REMINDER) in claim_notices
    offered = {r for r, _, _, kind in claim_notices if kind == Kind.OFFER}
    assert offered == {"staff:2001", "staff:2002"}
    casework.claim(conv_id, actor=COUNSELOR, uow_factory=uows, now=wita(28, 8, 25))
    # the escalations of the hand-off (08.30) and of the claim (08.33): moot, nobody told
    assert run(uows, wita(28, 8, 33)).moot == 2

    # the counselor's first answer is due 15 service minutes after the claim, in their chat
    assert run(uows, wita(28, 8, 39)).fired == 0
    assert run(uows, wita(28, 8, 40)).fired == 1
    assert reminders(uows)[-1] == ("staff:2001", "first_counselor_response", "0", Kind.REMINDER)
    reply_to_client(
        conv_id,
        "Saya Made",
        actor=COUNSELOR,
        idempotency_key="r2",
        uow_factory=uows,
        now=wita(28, 8, 45),
    )
    report = run(uows, wita(28, 9, 30))
    assert (report.fired, report.moot, report.planned) == (0, 1, 0)

    logged = [(s.step, s.detail) for s in uows.db.steps if s.step in ("reminded", "escalated")]
    assert logged == [
        ("reminded", "first_admin_response"),
        ("escalated", "first_admin_response"),
        ("reminded", "claimed"),
        ("reminded", "first_counselor_response"),
    ]
    statuses = [status for status, _ in uows().__enter__().deadlines.for_conversation(conv_id)]
    assert statuses.count("fired") == 4 and statuses.count("pending") == 0


def test_a_released_case_waits_again_from_the_release():
    uows = FakeUnitOfWorkFactory()
    conv_id = ingest(
        inbound(1, at=wita(1, 9, 0)), uow_factory=uows, now=wita(1, 9, 0)
    ).conversation_id
    casework.hand_off(conv_id, actor=ADMIN, counselors=[2001], uow_factory=uows, now=wita(1, 9, 1))
    casework.claim(conv_id, actor=COUNSELOR, uow_factory=uows, now=wita(1, 9, 2))
    reply_to_client(
        conv_id, "Halo", actor=COUNSELOR, idempotency_key="r", uow_factory=uows, now=wita(1, 9, 3)
    )
    casework.release(conv_id, actor=COUNSELOR, uow_factory=uows, now=wita(1, 10, 0))
    run(uows, wita(1, 10, 1))
    assert run(uows, wita(1, 10, 4)).fired == 0
    assert run(uows, wita(1, 10, 5)).fired == 1
    told = [r for r in reminders(uows) if r[3] == Kind.REMINDER]  # the offers aside
    assert told[0][1:3] == ("claimed", "0")
    casework.claim(conv_id, actor=COUNSELOR_2, uow_factory=uows, now=wita(1, 10, 6))
    # the first counselor response was given before: no timer runs now
    assert run(uows, wita(1, 12, 0)).fired == 0


def test_automatic_mail_alone_starts_no_timer():
    uows = FakeUnitOfWorkFactory()
    bounce = inbound(1, channel=Channel.EMAIL, at=wita(1, 9, 0), auto_generated=True)
    ingest(bounce, uow_factory=uows, now=wita(1, 9, 0))
    report = run(uows, wita(1, 12, 0))
    assert (report.planned, report.fired) == (0, 0)


@pytest.mark.parametrize("count", [1, 3])
def test_each_deadline_fires_once_however_often_the_sweep_runs(count):
    uows = FakeUnitOfWorkFactory()
    for n in range(count):
        ingest(inbound(n, sender=f"c{n}", at=wita(1, 9, 0)), uow_factory=uows, now=wita(1, 9, 0))
    fired = sum(run(uows, wita(1, 9, 5)).fired for _ in range(3))
    assert fired == count
    assert len(reminders(uows)) == count


def test_a_complaint_answered_by_the_admin_waits_for_no_hand_off():
    from dataclasses import replace

    uows = FakeUnitOfWorkFactory()
    conv_id = ingest(
        inbound(1, at=wita(1, 9, 0)), uow_factory=uows, now=wita(1, 9, 0)
    ).conversation_id
    uows.db.conversations[conv_id] = replace(uows.db.conversations[conv_id], category="pengaduan")
    reply_to_client(
        conv_id,
        "Pengaduan dicatat",
        actor=ADMIN,
        idempotency_key="r",
        uow_factory=uows,
        now=wita(1, 9, 1),
    )
    assert run(uows, wita(1, 12, 0)).fired == 0
