"""The SLA deadlines on a real database: two sweepers at once fire each reminder exactly once
(PostgreSQL: rows claimed with SKIP LOCKED); duty changes and counselor loads; a merged-away
conversation takes its deadlines with it and its identity form joins the survivor."""

import threading
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from storage.tables import DeadlineRow, OutboxRow, StepLogRow
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.builders import ADMIN, COUNSELOR, T0, inbound
from triage.domain.forms.dialogue import FormState
from triage.domain.notices import load_digest
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.roster import DutyChange
from triage.domain.schedule.sla import Targets
from triage.usecases import casework
from triage.usecases.identity import link_contacts
from triage.usecases.ingest import ingest
from triage.usecases.timers import TimerSetup, sweep

WITA = ZoneInfo("Asia/Makassar")
CAL = ServiceCalendar(WITA, {d: ((time(0), time.max),) for d in range(7)})  # always open
SETUP = TimerSetup(Targets(), CAL, counselors=(2001,), heads=(3001,))
CLIENTS = 150


def _count(engine, stmt) -> int:
    with engine.connect() as conn:
        return conn.execute(stmt).scalar_one()


def test_two_sweepers_at_once_fire_each_deadline_exactly_once(uows, engine):
    for n in range(CLIENTS):
        ingest(inbound(n, sender=f"c{n}", at=T0), uow_factory=uows, now=T0)
    due = T0 + timedelta(minutes=30)  # both the reminder and the escalation are due
    start = threading.Barrier(2)
    reports = []

    def worker() -> None:
        start.wait()
        for _ in range(4):
            reports.append(sweep(uow_factory=uows, now=due, setup=SETUP))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sum(r.fired for r in reports) == 2 * CLIENTS
    assert _count(engine, select(func.count()).select_from(DeadlineRow)) == 2 * CLIENTS
    fired = select(func.count()).select_from(DeadlineRow).where(DeadlineRow.status == "fired")
    assert _count(engine, fired) == 2 * CLIENTS
    # per conversation: a reminder to the topic, an escalation to the head and to the topic;
    # so many at once are told in digests (triage.effects.notify.queue_reminders), each once
    with engine.connect() as conn:
        rows = conn.execute(
            select(OutboxRow.idempotency_key, OutboxRow.text, OutboxRow.recipient).where(
                OutboxRow.idempotency_key.like("timer:%")
                | OutboxRow.idempotency_key.like("digest:%")
            )
        ).all()
    single = [r for r in rows if r.idempotency_key.startswith("timer:")]
    digests = [load_digest(r.text) for r in rows if r.idempotency_key.startswith("digest:")]
    assert len(single) + sum(d.count for d in digests) == 3 * CLIENTS
    assert len(rows) < CLIENTS  # the outbox grew by recipients, not by cases
    reminded = select(func.count()).select_from(StepLogRow).where(StepLogRow.step == "reminded")
    assert _count(engine, reminded) == CLIENTS


def test_duty_changes_and_counselor_loads_are_stored(uows):
    day = date(2026, 11, 24)
    with uows() as uow:
        uow.roster.set(DutyChange(day, 2001, False), by=3001, at=T0)
        uow.roster.set(DutyChange(day, 2001, True), by=3001, at=T0)  # replaces the first
        uow.roster.set(DutyChange(day + timedelta(days=1), 2002, True), by=3001, at=T0)
        uow.commit()
    with uows() as uow:
        assert uow.roster.between(day, day) == [DutyChange(day, 2001, True)]
        assert len(uow.roster.between(day, day + timedelta(days=6))) == 2
    conv = ingest(inbound(1), uow_factory=uows, now=T0).conversation_id
    casework.hand_off(conv, actor=ADMIN, uow_factory=uows, now=T0)
    casework.claim(conv, actor=COUNSELOR, uow_factory=uows, now=T0)
    with uows() as uow:
        assert uow.conversations.counselor_loads() == {COUNSELOR.staff_id: 1}


def test_joining_two_cases_keeps_one_form_and_drops_the_old_deadlines(uows, engine):
    a = ingest(inbound(1, sender="a"), uow_factory=uows, now=T0)
    b = ingest(inbound(1, sender="b", at=T0 + timedelta(minutes=1)), uow_factory=uows, now=T0)
    with uows() as uow:
        uow.forms.save(FormState(a.conversation_id, None, {"nama": "Sari"}, "complete", "R/1"))
        uow.forms.save(FormState(b.conversation_id, "usia", {"domisili": "Ubud"}, "asking"))
        uow.commit()
    sweep(uow_factory=uows, now=T0, setup=SETUP)  # both have deadlines now
    with uows() as uow:
        contact_a = uow.conversations.get(a.conversation_id).reply_contact_id
        contact_b = uow.conversations.get(b.conversation_id).reply_contact_id
    link_contacts(contact_a, contact_b, actor=ADMIN, uow_factory=uows, now=T0)
    with uows() as uow:
        convs = [c for c in uow.conversations.all() if c.is_open]
        assert len(convs) == 1
        form = uow.forms.get(convs[0].id)
        assert form.register_no == "R/1"
        assert dict(form.answers) == {"nama": "Sari", "domisili": "Ubud"}
        gone = ({a.conversation_id, b.conversation_id} - {convs[0].id}).pop()
        assert uow.forms.get(gone) is None
        assert uow.deadlines.for_conversation(gone) == []


def test_inbox_json_shows_each_conversations_deadlines(uows):
    from triage.usecases.inbox import as_json, snapshot

    conv = ingest(inbound(1), uow_factory=uows, now=T0).conversation_id
    sweep(uow_factory=uows, now=T0 + timedelta(minutes=6), setup=SETUP)
    (view,) = [v for v in snapshot(uows) if v.conversation.id == conv]
    deadlines = as_json(view)["deadlines"]
    assert [(d["step"], d["level"], d["status"]) for d in deadlines] == [
        ("first_admin_response", "reminder", "fired"),
        ("first_admin_response", "escalation", "pending"),
    ]
    assert deadlines[0]["due_at"] == (inbound(1).received_at + timedelta(minutes=5)).isoformat()


def test_the_audit_log_refuses_changes(uows, engine):
    import pytest
    from sqlalchemy import text as sql
    from sqlalchemy.exc import DBAPIError

    from triage.domain.records import AuditEntry

    with uows() as uow:
        uow.audit.append(AuditEntry(T0, 2001, "konselor", "record.read", None, "version 1"))
        uow.commit()
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(sql(statement))
    with uows() as uow:
        assert [e.action for e in uow.audit.entries()] == ["record.read"]


@pytest.mark.pg
def test_two_passes_joining_one_digest_at_once_lose_no_reminder(pg_engine):
    """The admin group's digest is shared by every case, so no conversation lock orders two
    writers joining it: the second, its read stale, starts a digest of its own."""
    from tests.support.waiting import wait_for_a_lock_wait
    from triage.domain.model import Conversation, State
    from triage.domain.notices import GENERAL, Digest, DigestEntry, Kind, dump_digest
    from triage.effects import notify

    uows = SqlUnitOfWorkFactory(pg_engine)
    with uows() as uow:
        seed = Digest().plus([DigestEntry(1, "claimed", 0, 5, 5)] * 4)
        notify.queue(uow, key="digest:seed", recipient=GENERAL, kind=Kind.DIGEST, now=T0,
                     text=dump_digest(seed), rank=-1)  # fmt: skip
        uow.commit()

    def reminder(n: int) -> notify.Reminder:
        conv = Conversation(id=n, client_id=1, state=State.NEW, opened_at=T0,
                            last_message_at=T0, reply_contact_id=1)  # fmt: skip
        fields = {"step": "claimed", "level": "0", "minutes": "5", "target": "5"}
        return notify.Reminder(f"timer:{n}", f"group:{n}", conv, fields)

    first = uows()
    first.__enter__()
    notify.queue_reminders(first, [reminder(n) for n in range(10, 15)], T0)  # holds the row

    def second() -> None:
        with uows() as uow:
            notify.queue_reminders(uow, [reminder(n) for n in range(20, 27)], T0)
            uow.commit()

    other = threading.Thread(target=second)
    other.start()
    wait_for_a_lock_wait(pg_engine)
    first.commit()
    first.__exit__(None, None, None)
    other.join(timeout=30)
    with uows() as uow:
        digests = [load_digest(i.text) for i in uow.outbox.unsent()
                   if i.options.get("kind") == Kind.DIGEST]  # fmt: skip
    assert sum(d.count for d in digests) == 4 + 5 + 7
