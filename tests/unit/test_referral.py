"""Referral: where the case goes and why, closing it as Rujukan once; the letter's content with
the chronology and the record, for the counselor and the head only, audited."""

from datetime import timedelta

import pytest

from tests.builders import ADMIN, COUNSELOR, COUNSELOR_2, HEAD, T0, inbound
from tests.fakes import FakeSealer, FakeUnitOfWorkFactory
from triage.domain import referral
from triage.domain.errors import AccessDenied, TransitionNotAllowed
from triage.domain.forms.dialogue import FormState
from triage.domain.model import Outcome, State
from triage.usecases import casework, records
from triage.usecases import referral as referral_cases
from triage.usecases.ingest import ingest


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        ("uptd korban KDRT", ("uptd_ppa", "", "korban KDRT")),
        ("UPTD-PPA", ("uptd_ppa", "", "")),
        ("rs perlu rawat inap", ("rumah_sakit", "", "perlu rawat inap")),
        ("Polres laporan pidana", ("polisi", "", "laporan pidana")),
        ("lain Yayasan Pulih\nkonseling trauma", ("lainnya", "Yayasan Pulih", "konseling trauma")),
        ("lain", None),  # "another body" must name it
        ("dukun", None),
        ("", None),
    ],
)
def test_reading_the_target(arg, expected):
    assert referral.parse(arg) == expected


@pytest.fixture
def case():
    uows = FakeUnitOfWorkFactory()
    conv = ingest(inbound(1), uow_factory=uows, now=T0).conversation_id
    with uows() as uow:
        uow.forms.save(FormState(conv, None, {"nama": "Sari", "usia": "34"}, "complete", "R/1"))
        uow.commit()
    common = {"uow_factory": uows}
    casework.hand_off(
        conv, actor=ADMIN, counselors=[COUNSELOR.staff_id], now=T0 + timedelta(minutes=1), **common
    )
    casework.claim(conv, actor=COUNSELOR, now=T0 + timedelta(minutes=3), **common)
    return uows, conv


def test_referring_closes_the_case_once_and_is_kept(case):
    uows, conv = case
    with pytest.raises(AccessDenied):
        referral_cases.refer(conv, "uptd_ppa", "x", actor=COUNSELOR_2, uow_factory=uows, now=T0)
    at = T0 + timedelta(hours=1)
    made = referral_cases.refer(conv, "uptd_ppa", "KDRT", actor=COUNSELOR, uow_factory=uows, now=at)
    again = referral_cases.refer(conv, "polisi", "lain", actor=COUNSELOR, uow_factory=uows, now=at)
    assert again == made and made.target == "uptd_ppa" and made.reason == "KDRT"
    with uows() as uow:
        closed = uow.conversations.get(conv)
        assert closed.state is State.CLOSED and closed.outcome is Outcome.RUJUKAN
        assert [s.step for s in uow.steps.for_conversation(conv)].count("closed") == 1
        # the refused attempt is audited too
        actions = [e.action for e in uow.audit.entries(conv)]
        assert actions == ["case.close.denied", "referral.write"]


def test_a_closed_case_cannot_be_referred_afterwards(case):
    uows, conv = case
    casework.close(conv, Outcome.TUNTAS, actor=COUNSELOR, uow_factory=uows, now=T0)
    with pytest.raises((TransitionNotAllowed, AccessDenied)):
        referral_cases.refer(conv, "lbh", "", actor=COUNSELOR, uow_factory=uows, now=T0)
    with pytest.raises(TransitionNotAllowed):
        referral_cases.refer(conv, "lbh", "", actor=HEAD, uow_factory=uows, now=T0)
    with uows() as uow:
        assert uow.conversations.get(conv).outcome is Outcome.TUNTAS
        assert uow.referrals.get(conv, 1) is None


def test_the_letter_tells_the_chronology_and_the_record_to_those_allowed(case):
    uows, conv = case
    box = FakeSealer()
    records.write(conv, "Keluhan: dipukul suami\nAsesmen: trauma", actor=COUNSELOR, sealer=box,
                  uow_factory=uows, now=T0 + timedelta(minutes=20))  # fmt: skip
    at = T0 + timedelta(hours=1)
    referral_cases.refer(conv, "uptd_ppa", "KDRT", actor=COUNSELOR, uow_factory=uows, now=at)
    common = {"sealer": box, "uow_factory": uows, "now": at}
    for outsider in (ADMIN, COUNSELOR_2):
        with pytest.raises(AccessDenied):
            referral_cases.letter(conv, actor=outsider, **common)
    letter = referral_cases.letter(conv, actor=COUNSELOR, **common)
    assert letter.client["nama"] == "Sari" and letter.register_no == "R/1"
    assert [step for _, step in letter.chronology] == ["received", "handed_off", "claimed",
                                                       "closed"]  # fmt: skip
    assert letter.record["keluhan"] == "dipukul suami" and letter.counselor_id == COUNSELOR.staff_id
    assert referral_cases.letter(conv, actor=HEAD, **common).referral.target == "uptd_ppa"
    with uows() as uow:
        actions = [e.action for e in uow.audit.entries(conv)]
    assert actions.count("referral.letter") == 2 and actions.count("referral.letter.denied") == 2


def test_the_receiving_bodys_confirmation_is_kept_with_who_wrote_it(case):
    from triage.domain.errors import NotFound

    uows, conv = case
    at = T0 + timedelta(days=1)
    with pytest.raises(NotFound):  # not referred yet
        referral_cases.confirm_receipt(conv, "x", actor=COUNSELOR, uow_factory=uows, now=at,
                                       key="k0")  # fmt: skip
    referral_cases.refer(conv, "uptd_ppa", "KDRT", actor=COUNSELOR, uow_factory=uows, now=at)
    with pytest.raises(AccessDenied):  # a counselor who never had the case
        referral_cases.confirm_receipt(conv, "x", actor=COUNSELOR_2, uow_factory=uows, now=at,
                                       key="k1")  # fmt: skip
    for _ in range(2):  # the command redelivered: kept once
        made = referral_cases.confirm_receipt(conv, "diterima  Bu Wayan,\nreg. 45/XI",
                                              actor=COUNSELOR, uow_factory=uows, now=at,
                                              key="k2")  # fmt: skip
    assert made.target == "uptd_ppa"
    with uows() as uow:
        [kept] = [s for s in uow.steps.for_conversation(conv) if s.step == "referral_received"]
    assert (kept.detail, kept.staff_id, kept.at) == ("diterima Bu Wayan, reg. 45/XI",
                                                     COUNSELOR.staff_id, at)  # fmt: skip
    told = [i for i in uows.db.outbox.values() if i.options.get("event") == "referral_received"]
    assert [i.recipient for i in told] == [f"group:{conv}"]


def test_a_file_a_counselor_keeps_during_counseling_is_theirs_not_the_admins(case):
    from triage.domain.model import Attachment
    from triage.usecases.replies import add_note

    uows, conv = case  # claimed by COUNSELOR: what is kept now is counseling content
    at = T0 + timedelta(hours=1)
    kept = (Attachment("catatan_sesi.pdf", "application/pdf", 9, "/data/rujukan/masuk-1/x"),)
    add_note(conv, "📎 catatan sesi", actor=COUNSELOR, idempotency_key="f1", uow_factory=uows,
             now=at, attachments=kept)  # fmt: skip
    assert referral_cases.kept_files(conv, actor=COUNSELOR, uow_factory=uows, now=at) == [*kept]
    assert referral_cases.kept_files(conv, actor=HEAD, uow_factory=uows, now=at) == [*kept]
    assert referral_cases.kept_files(conv, actor=ADMIN, uow_factory=uows, now=at) == []
    with pytest.raises(AccessDenied):
        referral_cases.kept_files(conv, actor=COUNSELOR_2, uow_factory=uows, now=at)
