"""The psychoeducation workflow (the Kaltim standard): a request opened when triage says
`psikoedukasi`,
its facts read from the requester's reply, a date less than a week ahead replaced by the first
allowed working day, the answer within 3×24 hours (a reminder at 48 h, the head at 72 h),
accepted sessions listed for the head; dates read in the ways people write them."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.builders import ADMIN, HEAD, inbound
from tests.fakes import FakeUnitOfWorkFactory
from tests.unit.test_complaint import CAL, MONDAY_9, TEXTS
from triage.domain import psychoeducation as pe
from triage.domain.model import Direction
from triage.domain.notices import Kind
from triage.domain.rules.classify import Decision
from triage.domain.schedule.sla import Targets
from triage.domain.workflow import WorkflowSetup
from triage.effects.assess import RelaySetup
from triage.usecases import psychoeducation as pe_cases
from triage.usecases.ingest import ingest
from triage.usecases.relay import relay_new_messages
from triage.usecases.timers import TimerSetup, sweep

PE_TEXTS = {
    **TEXTS,
    "psychoed.received": "Diterima; paling cepat {earliest}.",
    "psychoed.ask": "Mohon lengkapi:",
    "psychoed.accepted": "Diterima untuk {date}.",
    "psychoed.declined": "Maaf, belum dapat.",
}
SETUP = WorkflowSetup(CAL, "id", PE_TEXTS, when=lambda at: at.isoformat(), when_day=str,
                      heads=(HEAD.staff_id,))  # fmt: skip
TRIAGE = RelaySetup(
    lambda t: Decision(False, "psikoedukasi", ("x",), {}), "krisis", workflows=SETUP
)


def asks(uows, n, body, at=MONDAY_9):
    conv = ingest(inbound(n, text=body, at=at), uow_factory=uows, now=at).conversation_id
    relay_new_messages(uow_factory=uows, now=at, triage=TRIAGE)
    return conv


def test_a_request_too_soon_gets_the_first_allowed_date_and_is_accepted():
    uows = FakeUnitOfWorkFactory()
    conv = asks(uows, 1, "Kami dari SMP 3 ingin mengundang narasumber penyuluhan parenting.")
    told = [m.text for m in uows.db.messages.values() if m.direction is Direction.OUT]
    assert "paling cepat 2026-11-30" in told[0] and "Tanggal: " in told[0]
    asks(uows, 2, "Institusi: SMP 3\nNarahubung: Bu Rina 0812\nTopik: parenting remaja\n"
         "Peserta: 40 orang tua\nTanggal: 25/11/2026")  # fmt: skip
    cf = uows.db.casefiles[conv]
    assert cf.status == pe.WAITING and cf.data == {"proposed": "2026-11-30"}
    with pytest.raises(ValueError):  # too soon
        pe_cases.accept(conv, date(2026, 11, 26), actor=ADMIN, setup=SETUP, uow_factory=uows,
                  now=MONDAY_9, key="a0")  # fmt: skip
    pe_cases.accept(conv, None, actor=ADMIN, setup=SETUP, uow_factory=uows, now=MONDAY_9, key="a1")
    cf = uows.db.casefiles[conv]
    assert cf.status == pe.ACCEPTED and cf.data["session"] == "2026-11-30" and cf.closed_at
    assert [m.text for m in uows.db.messages.values()][-1] == "Diterima untuk 2026-11-30."
    assert [(d, c.conversation_id) for d, c in pe_cases.sessions(uows, date(2026, 11, 23))] == [
        (date(2026, 11, 30), conv)
    ]


def test_an_allowed_date_is_kept_and_a_request_can_be_declined():
    uows = FakeUnitOfWorkFactory()
    conv = asks(uows, 1, "Institusi: PKK Desa X\nNarahubung: Bu Made\nTopik: KDRT\n"
                "Peserta: 30 ibu\nTanggal: 10 Desember 2026")  # fmt: skip
    assert uows.db.casefiles[conv].data == {"date": "2026-12-10"}
    pe_cases.decline(conv, "Jadwal penuh.", actor=ADMIN, setup=SETUP, uow_factory=uows,
                     now=MONDAY_9, key="d")  # fmt: skip
    assert uows.db.casefiles[conv].status == pe.DECLINED
    assert pe_cases.sessions(uows, date(2026, 11, 23)) == []


def test_an_unanswered_request_reminds_at_48_hours_and_tells_the_head_at_72():
    uows = FakeUnitOfWorkFactory()
    conv = asks(uows, 1, "Mohon narasumber untuk sekolah kami.")
    setup = TimerSetup(Targets(), CAL, heads=(HEAD.staff_id,))
    for hours in (47, 48, 72):
        sweep(uow_factory=uows, now=MONDAY_9 + timedelta(hours=hours, seconds=1), setup=setup)
    got = [
        (i.recipient, i.options["level"])
        for i in uows.db.outbox.values()
        if i.options.get("kind") == Kind.REMINDER and i.options.get("step") == "psikoedukasi"
    ]
    assert got == [(f"group:{conv}", "0"), ("staff:3001", "0"), ("staff:3001", "1")]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("5 Desember 2026", date(2026, 12, 5)),
        ("5 des", date(2026, 12, 5)),
        ("05/12/2026", date(2026, 12, 5)),
        ("5-12", date(2026, 12, 5)),
        ("2026-12-05", date(2026, 12, 5)),
        ("Sabtu, 9 Januari", date(2027, 1, 9)),  # the next such date
        ("tanggal 31/02", None),
        ("secepatnya", None),
    ],
)
def test_dates_are_read_as_people_write_them(written, expected):
    assert pe.parse_date(written, date(2026, 11, 23)) == expected


@given(st.text(max_size=60))
def test_reading_a_date_never_raises(written):
    pe.parse_date(written, date(2026, 11, 23))


def test_a_session_held_is_recorded_with_who_came_and_counted_in_the_month():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from triage.domain.errors import TransitionNotAllowed

    uows = FakeUnitOfWorkFactory()
    conv = asks(uows, 1, "Kami dari SMP 3 ingin mengundang narasumber penyuluhan parenting.")
    asks(uows, 2, "Institusi: SMP 3\nNarahubung: Bu Rina 0812\nTopik: parenting remaja\n"
         "Peserta: 40 orang tua\nTanggal: 30/11/2026")  # fmt: skip
    common = {"actor": ADMIN, "uow_factory": uows, "now": MONDAY_9}
    with pytest.raises(TransitionNotAllowed):  # not accepted yet
        pe_cases.held(conv, 37, "", today=date(2026, 12, 1), key="h0", **common)
    pe_cases.accept(conv, None, setup=SETUP, key="a1", **common)
    with pytest.raises(TransitionNotAllowed):  # its day has not come
        pe_cases.held(conv, 37, "", today=date(2026, 11, 29), key="h0", **common)
    done = pe_cases.held(conv, 37, "orang tua kelas 7", today=date(2026, 11, 30), key="h1",
                         **common)  # fmt: skip
    again = pe_cases.held(conv, 37, "orang tua kelas 7", today=date(2026, 11, 30), key="h1",
                          **{**common, "now": MONDAY_9 + timedelta(minutes=1)})  # fmt: skip
    assert again == done  # redelivered: nothing again
    assert done.status == pe.HELD and done.data["participants"] == 37
    fixed = pe_cases.held(conv, 38, "", today=date(2026, 12, 1), key="h2",
                          **{**common, "now": MONDAY_9 + timedelta(hours=1)})  # fmt: skip
    assert fixed.data["participants"] == 38  # corrected
    with pytest.raises(TransitionNotAllowed):  # held: not accepted or declined again
        pe_cases.accept(conv, None, setup=SETUP, key="a2", **common)
    with pytest.raises(TransitionNotAllowed):
        pe_cases.decline(conv, "", setup=SETUP, key="d2", **common)
    held = [i for i in uows.db.outbox.values() if i.options.get("event") == "psychoed_held"]
    assert [i.options["participants"] for i in held] == ["37", "38"]
    zone = ZoneInfo("Asia/Makassar")
    nov = (datetime(2026, 11, 1, tzinfo=zone), datetime(2026, 12, 1, tzinfo=zone))
    files = list(uows.db.casefiles.values())
    got = pe.figures(files, *[at.astimezone(UTC) for at in nov], zone)  # as the report passes
    assert (got.requested, got.accepted, got.held, got.participants) == (1, 1, 1, 38)
    december = pe.figures(files, nov[1], datetime(2027, 1, 1, tzinfo=zone), zone)
    assert (december.requested, december.held) == (0, 0)  # counted in the month of its day
