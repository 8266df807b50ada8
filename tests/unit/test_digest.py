"""A backlog without a storm: reminders and escalations falling due together become one digest
per place (the admin group, a head's chat) while the last one waits unsent, so a backlog costs a
post a place, not a case; a few at a time still go to each case's topic; a counselor's own and
an urgent case's reminders never join a digest; a pass is bounded and stops with the service."""

from datetime import timedelta

from tests.builders import inbound
from tests.fakes import FakeUnitOfWorkFactory
from tests.unit.test_sla_walk import SETUP, wita
from triage.domain import notices
from triage.domain.notices import GENERAL, Kind
from triage.usecases.ingest import ingest
from triage.usecases.timers import sweep


def clients(uows, count, at, first=0):
    for n in range(first, first + count):
        message = inbound(1, sender=f"client-{n}", text="halo kak", at=at)
        ingest(message, uow_factory=uows, now=at)


def timer_posts(uows):
    """(recipient, kind, count) of every reminder or digest, in the order queued."""
    out = []
    for i in sorted(uows.db.outbox.values(), key=lambda i: i.id or 0):
        kind = i.options.get("kind")
        if kind == Kind.REMINDER:
            out.append((i.recipient, kind, 1))
        elif kind == Kind.DIGEST:
            out.append((i.recipient, kind, notices.load_digest(i.text).count))
    return out


def test_thirty_reminders_at_once_are_one_digest_and_the_next_ones_join_it():
    uows = FakeUnitOfWorkFactory()
    monday = wita(7, 9, 0)
    clients(uows, 30, monday)
    sweep(uow_factory=uows, now=monday + timedelta(minutes=5, seconds=1), setup=SETUP)
    assert timer_posts(uows) == [(GENERAL, Kind.DIGEST, 30)]
    clients(uows, 5, monday + timedelta(minutes=1), first=30)  # the digest is not sent yet
    sweep(uow_factory=uows, now=monday + timedelta(minutes=6, seconds=1), setup=SETUP)
    assert timer_posts(uows) == [(GENERAL, Kind.DIGEST, 35)]
    digest = notices.load_digest(next(i for i in uows.db.outbox.values()
                                      if i.options.get("kind") == Kind.DIGEST).text)  # fmt: skip
    assert len(digest.worst) == notices.DIGEST_WORST  # the longest waits first, the rest counted
    assert digest.worst[0].minutes >= digest.worst[-1].minutes
    # the escalations 10 minutes later: one digest for the head; the group's, still unsent,
    # takes the word that the head was told
    sweep(uow_factory=uows, now=monday + timedelta(minutes=16, seconds=1), setup=SETUP)
    assert timer_posts(uows) == [(GENERAL, Kind.DIGEST, 70), ("staff:3001", Kind.DIGEST, 35)]
    group = notices.load_digest(next(i.text for i in uows.db.outbox.values()
                                     if i.recipient == GENERAL))  # fmt: skip
    assert group.escalated == 35  # the head was told of each
    # a case's reminder and escalation caught up together: one line, the escalation
    assert len({(e.conv, e.step) for e in group.worst}) == len(group.worst)
    assert all(e.level == 1 for e in group.worst)


def test_without_heads_the_group_digest_does_not_say_a_head_was_told():
    from dataclasses import replace

    uows = FakeUnitOfWorkFactory()
    monday = wita(7, 9, 0)
    clients(uows, 5, monday)
    sweep(uow_factory=uows, now=monday + timedelta(minutes=16), setup=replace(SETUP, heads=()))
    digests = [notices.load_digest(i.text) for i in uows.db.outbox.values()
               if i.options.get("kind") == Kind.DIGEST]  # fmt: skip
    assert [(d.count, d.escalated) for d in digests] == [(10, 0)]  # 5 reminders, 5 escalations
    assert [e.level for e in digests[0].worst] == [0] * 5  # one line a case, nobody told


def test_a_counselors_reminders_of_their_own_cases_stay_their_own():
    from triage.domain.model import Conversation, State
    from triage.effects import notify

    uows = FakeUnitOfWorkFactory()
    now = wita(7, 9, 0)
    fields = {"step": "first_counselor_response", "level": "0", "minutes": "15", "target": "15"}
    told = [notify.Reminder(f"timer:{n}", "staff:2001",
                            Conversation(id=n, client_id=1, state=State.WITH_COUNSELOR,
                                         opened_at=now, last_message_at=now,
                                         reply_contact_id=1), fields)
            for n in range(1, 6)]  # fmt: skip
    with uows() as uow:
        notify.queue_reminders(uow, told, now)
        uow.commit()
    assert timer_posts(uows) == [("staff:2001", Kind.REMINDER, 1)] * 5


def test_a_few_at_a_time_go_to_each_cases_topic_as_before():
    uows = FakeUnitOfWorkFactory()
    monday = wita(7, 9, 0)
    clients(uows, 2, monday)
    sweep(uow_factory=uows, now=monday + timedelta(minutes=5, seconds=1), setup=SETUP)
    posts = timer_posts(uows)
    assert [(r.startswith("group:") and r != GENERAL, k) for r, k, _ in posts] == [
        (True, Kind.REMINDER),
        (True, Kind.REMINDER),
    ]


def test_a_pass_is_bounded_and_fires_nothing_more_once_the_service_stops(monkeypatch):
    from triage.usecases import timers

    uows = FakeUnitOfWorkFactory()
    monday = wita(7, 9, 0)
    clients(uows, 30, monday)
    timers.plan(uow_factory=uows, setup=SETUP)
    due = monday + timedelta(minutes=5, seconds=1)
    answers = iter([True, False])  # the service stops after the first batch
    stopped = timers.fire_all_due(uow_factory=uows, now=due, setup=SETUP, limit=10,
                                  going=lambda: next(answers))  # fmt: skip
    assert stopped.fired == 10
    monkeypatch.setattr(timers, "MAX_BATCHES", 2)
    bounded = timers.fire_all_due(uow_factory=uows, now=due, setup=SETUP, limit=5)
    assert bounded.fired == 10  # two batches; the rest waits for the next pass
    rest = timers.fire_all_due(uow_factory=uows, now=due, setup=SETUP)
    assert rest.fired == 10 and timers.next_due(uow_factory=uows) > due  # only escalations left


def test_planning_reads_the_open_conversations_a_page_at_a_time(monkeypatch):
    """Memory stays flat with 100,000 open conversations (bench/backlog.py): every page is
    planned, each once, and a stop ends the planning between pages."""
    from triage.usecases import timers

    monkeypatch.setattr(timers, "PAGE", 4)
    uows = FakeUnitOfWorkFactory()
    monday = wita(7, 9, 0)
    clients(uows, 10, monday)
    pages = iter([True, False])

    def planned() -> set[int]:
        return {d.conversation_id for _, d in uows.db.deadlines.values()}

    part = timers.plan(uow_factory=uows, setup=SETUP, going=lambda: next(pages))
    assert len(planned()) == 4 and part == len(uows.db.deadlines)  # one page, then the stop
    rest = timers.plan(uow_factory=uows, setup=SETUP)
    assert part + rest == len(uows.db.deadlines) and planned() == set(uows.db.conversations)
    assert timers.plan(uow_factory=uows, setup=SETUP) == 0  # every key known
