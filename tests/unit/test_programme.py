"""The semester's guidance programme (the Tangerang standard's steps 2-9, triage.domain.programme):
each step by the role the standard names, out of order refused, a redelivered command taken
once, what is waited on and by when; and step 6, each session's report within 5 working days,
reminded like the other case files."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.builders import ADMIN, COUNSELOR, HEAD, inbound
from tests.fakes import FakeUnitOfWorkFactory
from tests.unit.test_complaint import CAL, MONDAY_9, WITA
from tests.unit.test_psychoeducation import SETUP, TRIAGE, asks
from triage.domain import programme as pg
from triage.domain.errors import AccessDenied, TransitionNotAllowed
from triage.domain.notices import Kind
from triage.domain.psychoeducation import REPORT_STEP
from triage.domain.schedule.sla import Targets
from triage.domain.workflow import CaseFile
from triage.usecases import psychoeducation as pe_cases
from triage.usecases.ingest import ingest
from triage.usecases.relay import relay_new_messages
from triage.usecases.timers import TimerSetup, sweep

SPRING = pg.Semester(2027, 1)
PLAN = {"activities": [["Pola asuh positif", "orang tua SD", "Februari"]]}


def step(uows, what, detail=None, *, actor=ADMIN, at=MONDAY_9, key=None, semester=SPRING,
         then=()):  # fmt: skip
    return pe_cases.take_step(semester, what, detail or {}, actor=actor, uow_factory=uows,
                              now=at, today=at.date(), key=key or f"{what}:{at.isoformat()}",
                              then=then)  # fmt: skip


def test_the_programme_goes_step_by_step_each_by_its_role():
    uows = FakeUnitOfWorkFactory()
    with pytest.raises(TransitionNotAllowed) as refused:  # nothing to approve yet
        step(uows, pg.APPROVED, actor=HEAD)
    assert refused.value.state == "not_submitted"
    with pytest.raises(AccessDenied):
        pe_cases.programme_of(SPRING, actor=COUNSELOR, uow_factory=uows)
    step(uows, pg.MAPPED, {"note": "dengar pendapat UPTD PPA"})
    mapped = pe_cases.programme_of(SPRING, actor=ADMIN, uow_factory=uows)
    assert [d.step for d in pg.due(mapped, CAL)] == [pg.SUBMITTED]
    assert pg.due(mapped, CAL)[0].due_at == datetime(2026, 11, 24, 16, tzinfo=WITA)
    submitted_at = MONDAY_9 + timedelta(hours=2)
    step(uows, pg.SUBMITTED, PLAN, at=submitted_at)
    with pytest.raises(AccessDenied):  # the coordinator does not approve their own programme
        step(uows, pg.APPROVED)
    step(uows, pg.FEEDBACK, {"note": "tambah kegiatan untuk remaja"}, actor=HEAD,
         at=submitted_at + timedelta(hours=1))  # fmt: skip
    waiting = pe_cases.programme_of(SPRING, actor=HEAD, uow_factory=uows)
    assert not waiting.approved and [c.detail["note"] for c in waiting.comments] == [
        "tambah kegiatan untuk remaja"
    ]
    assert pg.due(waiting, CAL)[0].due_at == datetime(2026, 11, 30, 16, tzinfo=WITA)  # 5 days
    again = {"activities": [*PLAN["activities"], ["Cegah perundungan", "siswa SMP", "Maret"]]}
    step(uows, pg.SUBMITTED, again, at=submitted_at + timedelta(hours=3))
    approved_at = submitted_at + timedelta(hours=4)
    done = step(uows, pg.APPROVED, {"note": "lanjutkan"}, actor=HEAD, at=approved_at, key="ok")
    assert done.approved and [a.theme for a in done.activities] == [
        "Pola asuh positif",
        "Cegah perundungan",
    ]
    redelivered = step(uows, pg.APPROVED, actor=HEAD, at=approved_at + timedelta(1), key="ok")
    assert len(redelivered.log) == len(done.log)  # the same command again: nothing added
    with pytest.raises(TransitionNotAllowed) as twice:
        step(uows, pg.APPROVED, actor=HEAD, key="another")
    assert twice.value.state == "already_approved"
    with pytest.raises(TransitionNotAllowed):  # the receipt needs the report handed over
        step(uows, pg.RECEIVED, {"receiver": "Bu Sari"})
    later = step(uows, pg.SUBMITTED, again, at=approved_at + timedelta(hours=1))
    assert not later.approved  # a new submission asks the head again


def test_the_report_is_due_ten_working_days_after_the_semester_and_the_receipt_a_day_after():
    uows = FakeUnitOfWorkFactory()
    step(uows, pg.SUBMITTED, PLAN)
    step(uows, pg.APPROVED, actor=HEAD, at=MONDAY_9 + timedelta(hours=1))
    prog = pe_cases.programme_of(SPRING, actor=ADMIN, uow_factory=uows)
    overdue = pe_cases.programme_due(date(2026, 11, 30), calendar=CAL, uow_factory=uows,
                                     now=datetime(2026, 11, 30, 9, tzinfo=WITA))  # fmt: skip
    assert overdue == []  # the next semester's programme is watched too: nothing late in it
    # 30 June 2027 is a Wednesday: the working days from Thursday 1 July, the tenth is 14 July
    assert pg.due(prog, CAL) == [pg.Due(pg.REPORTED, datetime(2027, 7, 14, 16, tzinfo=WITA))]
    with pytest.raises(TransitionNotAllowed) as early:  # nothing carried out yet
        step(uows, pg.REPORTED, at=MONDAY_9 + timedelta(hours=2))
    assert early.value.state == "not_started"
    july_15 = datetime(2027, 7, 15, 9, tzinfo=WITA)
    overdue = pe_cases.programme_due(date(2027, 7, 15), calendar=CAL, uow_factory=uows,
                                     now=july_15)  # fmt: skip
    assert [(str(s), d.step) for s, d in overdue] == [("2027-1", pg.REPORTED)]
    handed = step(uows, pg.REPORTED, at=july_15, then=(pg.HANDED,))  # one transaction
    assert pg.due(handed, CAL) == [pg.Due(pg.RECEIVED, datetime(2027, 7, 16, 11, 30, tzinfo=WITA))]
    got = step(uows, pg.RECEIVED, {"receiver": "Bu Sari"}, at=july_15 + timedelta(hours=2))
    assert pg.due(got, CAL) == [] and got.last(pg.RECEIVED).detail["receiver"] == "Bu Sari"
    with pytest.raises(TransitionNotAllowed) as twice:  # once for each handing over
        step(uows, pg.RECEIVED, {"receiver": "Pak Eko"}, at=july_15 + timedelta(hours=3))
    assert twice.value.state == "already_received"


def test_a_redelivered_command_answers_with_the_semester_it_acted_on():
    """The same Telegram update handled again, after its first run changed which semester the
    words would now point to: nothing is added and the programme it acted on comes back."""
    uows = FakeUnitOfWorkFactory()
    autumn = pg.Semester(2026, 2)
    first = step(uows, pg.SUBMITTED, PLAN, key="u1", semester=autumn)
    again = step(uows, pg.SUBMITTED, PLAN, key="u1", semester=SPRING)  # another default now
    assert again.semester == autumn and again.log == first.log
    assert pe_cases.programme_of(SPRING, actor=ADMIN, uow_factory=uows).log == []


def test_steps_written_in_the_same_instant_keep_their_order():
    uows = FakeUnitOfWorkFactory()
    step(uows, pg.SUBMITTED, PLAN, key="a")
    step(uows, pg.APPROVED, actor=HEAD, key="b", then=(pg.ASSIGNED,))
    again = {"activities": [["Tema baru"]]}
    later = step(uows, pg.SUBMITTED, again, key="c")  # the same `now` as the approval
    assert [a.theme for a in later.activities] == ["Tema baru"] and not later.approved


def test_the_semesters_are_named_and_read_as_staff_write_them():
    assert pg.semester_of(date(2026, 12, 7)) == pg.Semester(2026, 2)
    assert str(pg.Semester(2026, 2).next()) == "2027-1"
    assert pg.Semester(2027, 1).previous() == pg.Semester(2026, 2)
    assert pg.parse_semester(" 2027-2 ") == pg.Semester(2027, 2)
    assert pg.Semester(2027, 2).end == date(2028, 1, 1)
    for wrong in ("2027-3", "27-1", "semester 1", "", "2027-1x"):
        assert pg.parse_semester(wrong) is None


def test_activities_are_read_one_a_line_whatever_the_bullets():
    lines = "1. Pola asuh; orang tua; Feb\n- Cegah perundungan | siswa SMP\n\n  ---\n• Literasi"
    assert pg.read_activities(lines + "\n1.000 HPK; ibu hamil\n2) -5 langkah aman") == [
        pg.Activity("Pola asuh", "orang tua", "Feb"),
        pg.Activity("Cegah perundungan", "siswa SMP"),
        pg.Activity("Literasi"),
        pg.Activity("1.000 HPK", "ibu hamil"),  # a number in the theme is not a bullet
        pg.Activity("-5 langkah aman"),
    ]
    assert len(pg.read_activities("kegiatan\n" * 100)) == pg.MAX_ACTIVITIES


@given(st.text(max_size=300))
def test_reading_activities_never_raises(lines):
    for a in pg.read_activities(lines):
        assert a.theme.strip() and len(a.theme) <= 200


def _file(conv, status, session, topic="parenting", opened=MONDAY_9):
    return CaseFile(conv, "psikoedukasi", status, {"topik": topic, "institusi": f"SD {conv}"},
                    opened, opened, {"session": session})  # fmt: skip


def test_the_needs_come_from_the_semester_before_and_the_outcome_from_this_ones_sessions():
    start, end = datetime(2026, 7, 1, tzinfo=WITA), datetime(2027, 1, 1, tzinfo=WITA)
    files = [
        _file(1, "held", "2027-02-10", topic="Parenting  "),
        _file(2, "accepted", "2027-03-01", topic="parenting"),
        _file(3, "declined", "2027-03-02", topic="bullying"),
        _file(4, "held", "2027-07-02", opened=datetime(2026, 6, 1, tzinfo=WITA)),
    ]
    found = pg.needs(["kekerasan", "kekerasan", None, "remaja"], files, start, end)
    assert found.cases == {"kekerasan": 2, "lainnya": 1, "remaja": 1}
    assert found.topics == {"parenting": 2, "bullying": 1} and found.institutions == 3
    done = pg.outcome(
        [
            f if f.conversation_id != 1 else CaseFile(
                **{**f.__dict__, "data": {"session": "2027-02-10", "participants": 30}}
            )
            for f in files
        ],
        SPRING,
    )  # fmt: skip
    assert [f.conversation_id for f in done.sessions] == [1, 2]  # declined and July left out
    assert [f.conversation_id for f in done.held] == [1] and done.participants == 30


def test_a_sessions_report_is_reminded_after_four_working_days_and_the_head_told_after_five():
    uows = FakeUnitOfWorkFactory()
    conv = asks(uows, 1, "Institusi: SMP 3\nNarahubung: Bu Rina 0812\nTopik: parenting\n"
                "Peserta: 40 orang tua\nTanggal: 30/11/2026")  # fmt: skip
    said = (
        "Institusi: SD 1\nNarahubung: Pak Ali 0813\nTopik: gizi\nPeserta: 20\nTanggal: 30/11/2026"
    )
    other = ingest(inbound(1, sender="client-2", text=said, at=MONDAY_9), uow_factory=uows,
                   now=MONDAY_9).conversation_id  # fmt: skip
    relay_new_messages(uow_factory=uows, now=MONDAY_9, triage=TRIAGE)
    assert other != conv
    common = {"actor": ADMIN, "uow_factory": uows, "now": MONDAY_9, "setup": SETUP}
    pe_cases.accept(conv, None, key="a1", **common)
    pe_cases.accept(other, None, key="a2", **common)
    pe_cases.held(other, 18, "", today=date(2026, 11, 30), key="h", actor=ADMIN, uow_factory=uows,
                  now=datetime(2026, 11, 30, 12, tzinfo=WITA))  # fmt: skip
    timers = TimerSetup(Targets(), CAL, heads=(HEAD.staff_id,))
    # the session on Monday 30 November: the 4th working day after it ends Friday 4 December at
    # 11.30, the 5th Monday 7 December at 16.00
    for at in (datetime(2026, 12, 4, 11, 29), datetime(2026, 12, 4, 11, 31),
               datetime(2026, 12, 7, 15, 59), datetime(2026, 12, 7, 16, 1)):  # fmt: skip
        sweep(uow_factory=uows, now=at.replace(tzinfo=WITA), setup=timers)
    got = [
        (i.recipient, i.options["level"], i.options["due"])
        for i in uows.db.outbox.values()
        if i.options.get("kind") == Kind.REMINDER and i.options.get("step") == REPORT_STEP
    ]
    due = datetime(2026, 12, 7, 16, tzinfo=WITA).isoformat()
    assert got == [(f"group:{conv}", "0", due), ("staff:3001", "0", due), ("staff:3001", "1", due)]
