"""The queue board: who waits, urgent first then the longest wait, in service minutes; queued
at most once per slot, only when changed; an edit still waiting is replaced, not queued behind."""

from datetime import timedelta

from tests.builders import ADMIN, T0, inbound
from tests.fakes import FakeUnitOfWorkFactory
from tests.unit.test_sla_walk import CAL
from triage.domain.notices import Kind
from triage.domain.schedule.sla import Targets
from triage.usecases import board, casework
from triage.usecases.ingest import ingest


def refresh(uows, at):
    return board.refresh(uow_factory=uows, now=at, targets=Targets(), calendar=CAL, every=60)


def board_items(uows):
    return [i for i in uows.db.outbox.values() if i.options.get("kind") == Kind.BOARD]


def test_the_board_lists_the_waiting_urgent_first_then_the_longest_wait():
    uows = FakeUnitOfWorkFactory()
    old = ingest(inbound(1, sender="a", at=T0), uow_factory=uows, now=T0).conversation_id
    later = T0 + timedelta(minutes=4)
    new = ingest(inbound(1, sender="b", at=later), uow_factory=uows, now=later).conversation_id
    urgent = ingest(inbound(1, sender="c", at=later), uow_factory=uows, now=later).conversation_id
    casework.mark_urgent(urgent, actor=ADMIN, uow_factory=uows, now=later)
    assert refresh(uows, T0 + timedelta(minutes=6))
    (item,) = board_items(uows)
    shown, more = board.load(item.text)
    assert [(b.conv, b.minutes, b.late, b.urgent) for b in shown] == [
        (urgent, 2, False, True),
        (old, 6, True, False),
        (new, 2, False, False),
    ]
    assert more == 0 and item.recipient == board.BOARD


def test_the_board_is_queued_once_per_slot_and_only_when_changed():
    uows = FakeUnitOfWorkFactory()
    assert refresh(uows, T0)  # the empty board, once
    assert not refresh(uows, T0 + timedelta(minutes=1))  # a later slot, nothing changed
    ingest(inbound(1, at=T0), uow_factory=uows, now=T0)
    at = T0 + timedelta(minutes=2)
    assert refresh(uows, at) and not refresh(uows, at + timedelta(seconds=10))  # same slot
    assert refresh(uows, at + timedelta(minutes=1))  # the wait grew
    # the first edit was never sent: replaced in place, one board item in the queue
    assert len(board_items(uows)) == 1
    assert board.load(board_items(uows)[0].text)[0][0].minutes == 3


def test_an_anonymous_complaint_waits_after_the_others_unless_in_danger():
    from triage.domain.workflow import CaseFile

    uows = FakeUnitOfWorkFactory()
    convs = [
        ingest(inbound(1, sender=s, at=T0), uow_factory=uows, now=T0).conversation_id
        for s in ("anon", "named", "anon-urgent")
    ]
    later = T0 + timedelta(minutes=3)
    fresh = ingest(inbound(1, sender="new", at=later), uow_factory=uows, now=later)
    for conv, name in zip(convs, ("anonim", "Sari", "Anonim"), strict=True):
        uows.db.casefiles[conv] = CaseFile(
            conv, "pengaduan", "recording", {"nama": name}, T0, T0 + timedelta(days=6)
        )
    casework.mark_urgent(convs[2], actor=ADMIN, uow_factory=uows, now=later)
    assert refresh(uows, T0 + timedelta(minutes=6))
    shown, _ = board.load(board_items(uows)[0].text)
    assert [(b.conv, b.last) for b in shown] == [
        (convs[2], False),  # anonymous, but urgent: first
        (convs[1], False),  # a named complaint, the longest wait
        (fresh.conversation_id, False),  # waited less, still before the anonymous one
        (convs[0], True),
    ]


def test_the_board_reads_the_waiting_a_page_at_a_time_and_counts_the_rest(monkeypatch):
    monkeypatch.setattr(board, "PAGE", 3)
    monkeypatch.setattr(board, "SHOWN", 4)
    uows = FakeUnitOfWorkFactory()
    convs = [
        ingest(inbound(1, sender=f"k{n}", at=T0 + timedelta(minutes=n)), uow_factory=uows,
               now=T0 + timedelta(minutes=n)).conversation_id
        for n in range(10)
    ]  # fmt: skip
    casework.mark_urgent(convs[9], actor=ADMIN, uow_factory=uows, now=T0 + timedelta(minutes=9))
    assert refresh(uows, T0 + timedelta(minutes=12))
    shown, more = board.load(board_items(uows)[0].text)
    assert [b.conv for b in shown] == [convs[9], convs[0], convs[1], convs[2]] and more == 6
