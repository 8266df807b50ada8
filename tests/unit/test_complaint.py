"""The complaint workflow (the complaint standard) with a frozen clock: opened when triage says
`pengaduan`,
the complainant told the deadline (4 working days) and the facts still needed, facts from the
complainant and from staff, the head's disposition (only the head), clarification, the response
with a request for feedback, the feedback recorded, the closing report; reminders before the
deadline and at it."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests.builders import ADMIN, HEAD, inbound
from tests.fakes import FakeUnitOfWorkFactory
from triage.domain import complaint
from triage.domain.errors import AccessDenied
from triage.domain.model import Direction, State
from triage.domain.notices import Kind
from triage.domain.rules.classify import Decision
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.sla import Targets
from triage.domain.workflow import WorkflowSetup
from triage.effects.assess import RelaySetup
from triage.usecases import complaint as complaint_cases
from triage.usecases.ingest import ingest
from triage.usecases.relay import relay_new_messages
from triage.usecases.timers import TimerSetup, sweep

WITA = ZoneInfo("Asia/Makassar")
HOURS = {d: ((time(8), time(16)),) for d in range(4)} | {4: ((time(8), time(11, 30)),)}
CAL = ServiceCalendar(WITA, HOURS, frozenset({date(2026, 12, 25)}))
TEXTS = {
    "complaint.received": "Diterima; selesai paling lambat {due}.",
    "complaint.ask": "Mohon lengkapi:",
    "complaint.feedback": "Mohon umpan balik Anda.",
    "complaint.report": "Selesai. Laporan: {report}",
}
SETUP = WorkflowSetup(CAL, "id", TEXTS, when=lambda at: at.isoformat(), when_day=str,
                      heads=(HEAD.staff_id,))  # fmt: skip
TRIAGE = RelaySetup(lambda t: Decision(False, "pengaduan", ("category.pengaduan: 6",), {}),
                    "krisis", workflows=SETUP)  # fmt: skip
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WITA)


def client_says(uows, n: int, body: str, at: datetime = MONDAY_9) -> int:
    conv = ingest(inbound(n, text=body, at=at), uow_factory=uows, now=at).conversation_id
    relay_new_messages(uow_factory=uows, now=at, triage=TRIAGE)
    return conv


def to_client(uows) -> list[str]:
    return [m.text for m in uows.db.messages.values() if m.direction is Direction.OUT]


def events(uows) -> list[str]:
    return [
        i.options["event"]
        for i in sorted(uows.db.outbox.values(), key=lambda i: i.id or 0)
        if i.options.get("event", "").startswith("complaint")
    ]


def test_a_complaint_from_its_first_message_to_the_closing_report():
    uows = FakeUnitOfWorkFactory()
    conv = client_says(uows, 1, "Saya mau mengadukan petugas yang membentak saya.")
    cf = uows.db.casefiles[conv]
    # Monday + 4 working days: Friday's close
    assert cf.status == complaint.RECORDING
    assert cf.due_at == datetime(2026, 11, 27, 11, 30, tzinfo=WITA)
    assert cf.facts["pengaduan"].startswith("Saya mau mengadukan")
    (told,) = to_client(uows)
    assert "2026-11-27T11:30:00+08:00" in told and "Nama: " in told and "Kronologi: " in told
    assert "Pengaduan: " not in told  # already known

    # the complainant answers some facts; staff add the rest heard by phone
    client_says(uows, 2, "Nama: Bu Ani\nAlamat: Jl. Mawar 3\nTerlapor: petugas loket\nlalala")
    assert uows.db.casefiles[conv].facts["alamat"] == "Jl. Mawar 3"
    cf, names = complaint_cases.record(
        conv, "Objek: layanan konseling\nWaktu: Jumat lalu\nTempat: kantor\n"
        "Kronologi: saya datang, petugas membentak.", actor=ADMIN, setup=SETUP,
        uow_factory=uows, now=MONDAY_9,
    )  # fmt: skip
    assert cf.status == complaint.WAITING and "kronologi" in names
    heads = [i for i in uows.db.outbox.values() if i.recipient == f"staff:{HEAD.staff_id}"]
    assert [i.options["event"] for i in heads] == ["complaint_for_disposition"]
    assert "Nama: Bu Ani" in heads[0].text  # the head reads the facts

    with pytest.raises(AccessDenied):
        complaint_cases.dispose(conv, "Bidang PPA", "", actor=ADMIN, uow_factory=uows, now=MONDAY_9)
    complaint_cases.dispose(conv, "Bidang PPA", "klarifikasi", actor=HEAD, uow_factory=uows,
                      now=MONDAY_9)  # fmt: skip
    complaint_cases.clarify(conv, "petugas mengakui", actor=ADMIN, uow_factory=uows, now=MONDAY_9)
    complaint_cases.respond(conv, "Petugas sudah ditegur.", actor=ADMIN, setup=SETUP,
                      uow_factory=uows, now=MONDAY_9, key="r1")  # fmt: skip
    assert to_client(uows)[-1] == "Petugas sudah ditegur.\n\nMohon umpan balik Anda."
    client_says(uows, 3, "Terima kasih, sudah cukup.")
    cf = uows.db.casefiles[conv]
    assert cf.status == complaint.FEEDBACK and cf.data["feedback"] == "Terima kasih, sudah cukup."
    complaint_cases.finish(conv, "Selesai dengan teguran.", actor=ADMIN, setup=SETUP,
                           uow_factory=uows, now=MONDAY_9, key="c1")  # fmt: skip
    assert to_client(uows)[-1] == "Selesai. Laporan: Selesai dengan teguran."  # step 16
    cf = uows.db.casefiles[conv]
    assert cf.status == complaint.CLOSED and cf.data["clarifications"][0]["text"]
    assert uows.db.conversations[conv].state is State.CLOSED
    assert events(uows) == [
        "complaint_opened",
        "complaint_complete",
        "complaint_for_disposition",
        "complaint_disposed",
        "complaint_responded",
        "complaint_feedback",
        "complaint_closed",
    ]


def test_the_deadline_reminds_a_working_day_before_and_tells_the_head_at_it():
    uows = FakeUnitOfWorkFactory()
    conv = client_says(uows, 1, "Saya mengadukan layanan yang lambat.")
    setup = TimerSetup(Targets(), CAL, counselors=(2001,), heads=(HEAD.staff_id,))

    def due_notices():
        return [
            (i.recipient, i.options["level"])
            for i in uows.db.outbox.values()
            if i.options.get("kind") == Kind.REMINDER and i.options.get("step") == "pengaduan"
        ]

    sweep(uow_factory=uows, now=datetime(2026, 11, 26, 15, 59, tzinfo=WITA), setup=setup)
    assert due_notices() == []
    sweep(uow_factory=uows, now=datetime(2026, 11, 26, 16, 0, tzinfo=WITA), setup=setup)
    assert due_notices() == [(f"group:{conv}", "0"), ("staff:3001", "0")]
    sweep(uow_factory=uows, now=datetime(2026, 11, 27, 11, 30, tzinfo=WITA), setup=setup)
    assert due_notices()[2:] == [("staff:3001", "1")]


def test_a_closed_complaint_reminds_nobody():
    uows = FakeUnitOfWorkFactory()
    conv = client_says(uows, 1, "Saya mengadukan layanan yang lambat.")
    complaint_cases.finish(conv, "ditangani", actor=HEAD, setup=SETUP, uow_factory=uows,
                           now=MONDAY_9, key="c1")  # fmt: skip
    setup = TimerSetup(Targets(), CAL, heads=(HEAD.staff_id,))
    report = sweep(uow_factory=uows, now=datetime(2026, 12, 1, 9, 0, tzinfo=WITA), setup=setup)
    reminders = [i for i in uows.db.outbox.values() if i.options.get("step") == "pengaduan"]
    assert reminders == [] and report.moot >= 2


def test_a_case_files_card_is_read_only_by_those_who_may_see_the_client_and_audited():
    from tests.builders import COUNSELOR
    from triage.usecases import workflow as workflow_cases

    uows = FakeUnitOfWorkFactory()
    conv = client_says(uows, 1, "Saya mau mengadukan petugas yang membentak saya.")
    with pytest.raises(AccessDenied):  # a counselor the case is not assigned to
        workflow_cases.view(conv, actor=COUNSELOR, uow_factory=uows, now=MONDAY_9)
    for actor in (ADMIN, HEAD):
        found = workflow_cases.view(conv, actor=actor, uow_factory=uows, now=MONDAY_9)
        assert found is not None and found.kind == "pengaduan"
    read = [(e.staff_id, e.action) for e in uows.db.audit if e.conversation_id == conv]
    assert read == [(ADMIN.staff_id, "casefile.read"), (HEAD.staff_id, "casefile.read")]


def test_the_head_decides_a_complaint_is_outside_the_remit_and_the_complainant_is_told_why():
    from datetime import timedelta

    from triage.domain.errors import TransitionNotAllowed

    uows = FakeUnitOfWorkFactory()
    texts = {**TEXTS, "complaint.outside_remit": "Bukan wewenang: {reason}"}
    setup = WorkflowSetup(CAL, "id", texts, when=lambda at: at.isoformat(), when_day=str)
    conv = client_says(uows, 1, "Saya mau mengadukan tetangga yang parkir sembarangan")
    common = {"setup": setup, "uow_factory": uows, "now": MONDAY_9 + timedelta(hours=1)}
    with pytest.raises(AccessDenied):  # the head's decision (the complaint standard)
        complaint_cases.outside_remit(conv, "urusan RT", actor=ADMIN, key="r0", **common)
    reason = "urusan lingkungan; silakan ke kantor kelurahan"
    done = complaint_cases.outside_remit(conv, reason, actor=HEAD, key="r1", **common)
    assert done.status == complaint.OUTSIDE_REMIT and done.data["remit_reason"] == reason
    assert to_client(uows)[-1] == f"Bukan wewenang: {reason}"
    assert uows.db.conversations[conv].state is State.CLOSED
    assert "complaint_outside_remit" in events(uows)
    again = complaint_cases.outside_remit(conv, reason, actor=HEAD, key="r1", **common)
    assert again == done and to_client(uows).count(f"Bukan wewenang: {reason}") == 1  # redelivered
    with pytest.raises(TransitionNotAllowed):  # decided: not decided twice
        complaint_cases.outside_remit(conv, "lagi", actor=HEAD, key="r2", **common)
    with pytest.raises(TransitionNotAllowed):  # nor settled afterwards (counted once)
        complaint_cases.finish(conv, "laporan", actor=HEAD, key="c1", **common)
    kept = complaint_cases.dispose(conv, "PPA", "", actor=HEAD, uow_factory=uows, now=MONDAY_9)
    assert kept.status == complaint.OUTSIDE_REMIT
    figures = complaint.figures(
        list(uows.db.casefiles.values()), MONDAY_9, MONDAY_9 + timedelta(days=30)
    )
    assert (figures.settled, figures.outside_remit) == (1, 1)


def test_a_complaint_past_its_deadline_at_the_months_end_counts_late_whenever_it_closed():
    from datetime import timedelta

    from triage.domain.workflow import CaseFile

    nov, dec = datetime(2026, 11, 1, tzinfo=WITA), datetime(2026, 12, 1, tzinfo=WITA)
    late = CaseFile(1, "pengaduan", "closed", {"nama": "Sari"}, nov + timedelta(days=20),
                    nov + timedelta(days=25), {}, dec + timedelta(hours=1))  # fmt: skip
    anon = CaseFile(2, "pengaduan", "recording", {"nama": "anonim"}, nov + timedelta(days=28),
                    dec + timedelta(days=3), {}, None)  # fmt: skip
    erased = CaseFile(3, "pengaduan", "closed", {}, nov + timedelta(days=2),
                      nov + timedelta(days=6), {}, nov + timedelta(days=5))  # fmt: skip
    found = complaint.figures([late, anon, erased], nov, dec)
    assert (found.received, found.anonymous, found.overdue_open) == (3, 1, 1)
    # the month still running, read on the 22nd: nothing is overdue yet
    early = complaint.figures([late, anon, erased], nov, dec, now=nov + timedelta(days=22))
    assert early.overdue_open == 0


def test_the_sixteen_steps_are_logged_with_who_and_when_as_the_complaint_goes():
    from datetime import timedelta

    from tests.builders import COUNSELOR

    uows = FakeUnitOfWorkFactory()
    conv = client_says(uows, 1, "Saya mau mengadukan petugas yang membentak saya.")
    at = MONDAY_9 + timedelta(minutes=10)
    common = {"uow_factory": uows}
    done = {s.number for s in complaint_cases.steps_of(conv, uows) if s.at}
    assert done == {1, 2, 3, 4}  # received, in the group, filed, sorted on the board
    complaint_cases.record(conv, "Nama: Bu Ani\nAlamat: Jl. Mawar 3\nTerlapor: petugas\n"
                           "Objek: loket\nWaktu: Senin\nTempat: kantor\nKronologi: dibentak",
                           actor=ADMIN, setup=SETUP, now=at, **common)  # fmt: skip
    with pytest.raises(AccessDenied):  # a counselor not on the case makes no paper
        complaint_cases.paper(conv, actor=COUNSELOR, now=at, sheet=True, **common)
    paper = complaint_cases.paper(conv, actor=ADMIN, now=at, sheet=True, **common)
    assert paper.channel == "hotline" and paper.file.facts["nama"] == "Bu Ani"
    complaint_cases.dispose(conv, "Bidang PPA", "cek", actor=HEAD, now=at, **common)
    complaint_cases.clarify(conv, "diakui", actor=ADMIN, now=at, **common)
    complaint_cases.respond(conv, "Sudah ditegur.", actor=ADMIN, setup=SETUP, now=at, key="r",
                            **common)  # fmt: skip
    client_says(uows, 2, "Terima kasih.", at=at)
    complaint_cases.finish(conv, "Ditegur.", actor=ADMIN, setup=SETUP, now=at, key="c", **common)
    steps = complaint_cases.steps_of(conv, uows)
    assert [s.number for s in steps if s.at] == list(range(1, 17))
    by = {s.number: s.staff_id for s in steps}
    assert by[7] == HEAD.staff_id and by[9] == ADMIN.staff_id and by[6] == ADMIN.staff_id
    assert by[14] is None and by[16] == ADMIN.staff_id  # the complainant's own feedback
    assert steps[0].at == MONDAY_9 and steps[15].at == at
    # /selesai again (the update redelivered): nothing twice
    complaint_cases.finish(conv, "Ditegur.", actor=ADMIN, setup=SETUP, now=at, key="c", **common)
    assert to_client(uows).count("Selesai. Laporan: Ditegur.") == 1
    audit = [e.action for e in uows.db.audit if e.conversation_id == conv]
    assert audit.count("complaint.sheet") == 1


def test_a_complaint_answered_outside_the_remit_skips_the_handling_steps():
    uows = FakeUnitOfWorkFactory()
    texts = {**TEXTS, "complaint.outside_remit": "Bukan wewenang: {reason}"}
    setup = WorkflowSetup(CAL, "id", texts, when=lambda at: at.isoformat(), when_day=str)
    conv = client_says(uows, 1, "Saya mau mengadukan tetangga yang parkir sembarangan")
    complaint_cases.outside_remit(conv, "urusan RT", actor=HEAD, key="r1", setup=setup,
                                  uow_factory=uows, now=MONDAY_9)  # fmt: skip
    steps = complaint_cases.steps_of(conv, uows)
    assert [s.number for s in steps if s.skipped] == [5, *range(8, 15)]  # decided at once
    assert [s.number for s in steps if s.at] == [1, 2, 3, 4, 7, 15, 16]
    assert steps[6].staff_id == HEAD.staff_id


def test_a_complaint_complete_in_its_first_message_goes_to_the_head_without_an_interview():
    uows = FakeUnitOfWorkFactory()
    conv = client_says(uows, 1, "Saya mengadukan petugas.\nNama: Bu Ani\nAlamat: Jl. Mawar 3\n"
                       "Terlapor: petugas loket\nObjek: loket\nWaktu: Senin\nTempat: kantor\n"
                       "Kronologi: saya dibentak")  # fmt: skip
    assert uows.db.casefiles[conv].status == complaint.WAITING
    heads = [i for i in uows.db.outbox.values() if i.recipient == f"staff:{HEAD.staff_id}"]
    assert [i.options["event"] for i in heads] == ["complaint_for_disposition"]
    steps = complaint_cases.steps_of(conv, uows)
    assert steps[4].at == MONDAY_9 and steps[8].skipped  # forwarded; no interview needed


def test_finishing_sends_the_report_first_so_a_refusal_changes_nothing():
    from datetime import timedelta

    from tests.builders import COUNSELOR
    from triage.domain.privacy.safe_contact import parse
    from triage.usecases import casework
    from triage.usecases.identity import safe_contact

    uows = FakeUnitOfWorkFactory()
    conv = client_says(uows, 1, "Saya mau mengadukan petugas yang membentak saya.")
    common = {"setup": SETUP, "uow_factory": uows}
    casework.hand_off(conv, actor=ADMIN, uow_factory=uows, now=MONDAY_9)
    casework.claim(conv, actor=COUNSELOR, uow_factory=uows, now=MONDAY_9)
    with pytest.raises(AccessDenied):  # with a counselor: the admin may not write to the client
        complaint_cases.finish(conv, "Selesai.", actor=ADMIN, now=MONDAY_9, key="c1", **common)
    cf = uows.db.casefiles[conv]
    assert cf.closed_at is None and not [s for s in uows.db.steps if s.step == "complaint_closed"]
    # she asked not to be written to first: the file closes, the report is not sent, staff told
    safe_contact(conv, parse("tidak", "Asia/Makassar"), actor=HEAD, uow_factory=uows, now=MONDAY_9)
    later = MONDAY_9 + timedelta(days=2)
    done = complaint_cases.finish(conv, "Ditegur.", actor=HEAD, now=later, key="c2", **common)
    assert done.status == complaint.CLOSED and done.data["report_sent"] is False
    assert not any("Ditegur." in t for t in to_client(uows))
    assert "complaint_closed_unsent" in events(uows)
    assert complaint_cases.steps_of(conv, uows)[15].at is None  # step 16 not done


def test_the_trail_keeps_what_was_done_and_skips_what_does_not_apply():
    from datetime import timedelta

    from triage.domain.model import StepRecord

    at = [MONDAY_9 + timedelta(minutes=n) for n in range(6)]

    def log(*names):
        return [StepRecord(1, name, at[n], 1, 3001 if "remit" in name else 1001)
                for n, name in enumerate(names)]  # fmt: skip

    # clarified, then the head answered it is not the office's: 8, 10, 11 done, the rest skipped
    steps = complaint.trail(log("complaint_opened", "complaint_clarified",
                                "complaint_outside_remit"))  # fmt: skip
    done = {s.number for s in steps if s.at}
    skipped = {s.number for s in steps if s.skipped}
    assert done == {1, 2, 3, 4, 7, 8, 10, 11, 15, 16}
    assert skipped == {5, 9, 12, 13, 14}  # the head decided without the forward (5)
    assert {s.number for s in steps if not s.at and not s.skipped} == {6}
    spoken = complaint.trail(log("complaint_opened"), spoken=True)
    assert spoken[5].skipped and not spoken[4].skipped  # no letter: no sheet; 5 still to do
    made = complaint.trail(log("complaint_opened", "complaint_sheet"), spoken=True)
    assert made[5].at == at[1] and not made[5].skipped  # made anyway: shown done
