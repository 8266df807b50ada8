"""The satisfaction survey: asked once when a case closes in which a person wrote, answered by
scores in one reply that reopens nothing; anything else reopens the case as before."""

from dataclasses import replace
from datetime import timedelta

import pytest

from tests.builders import ADMIN, HEAD, T0, inbound
from tests.fakes import FakeUnitOfWorkFactory
from triage.domain import survey
from triage.domain.model import Outcome, State
from triage.domain.workflow import COMPLAINT, CaseFile
from triage.usecases import casework, referral
from triage.usecases.ingest import ingest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4 3 4", (4, 3, 4)),
        ("4,3,4 terima kasih 🙏", (4, 3, 4)),
        ("434", (4, 3, 4)),
        ("4-3-4 makasih bu!", (4, 3, 4)),
        ("4 3 4.", (4, 3, 4)),
        ("4 3 4\nterima kasih", (4, 3, 4)),
        # scores with anything more are a message for staff, never only a survey comment
        ("4 3 4 tolong saya mau bunuh diri", None),
        ("2 3 4 hari saya dipukul", None),
        ("4 4 4 😭😭", None),
        ("123 Jl Melati", None),
        # dates, amounts, numbers: not scores
        ("12/3 suami mengancam lagi", None),
        ("3/4/2026", None),
        ("14.2 juta hutang", None),
        ("4 3 45", None),
        ("0812 3456 7890", None),
        ("4 3", None),
        ("5 3 4", None),
        ("saya mau tanya lagi", None),
        ("", None),
    ],
)
def test_what_is_taken_as_the_answer(text, expected):
    assert survey.absorbed(text, has_attachments=False) == expected


def test_a_photo_with_scores_is_a_message():
    assert survey.absorbed("1 2 3", has_attachments=True) is None


def closed_case(uows, question: str | None = "Nilai 1-4?") -> int:
    conv = ingest(inbound(1), uow_factory=uows, now=T0).conversation_id
    casework.close(conv, Outcome.TUNTAS, actor=ADMIN, uow_factory=uows, now=T0,
                   survey_question=question)  # fmt: skip
    return conv


def test_the_question_goes_out_once_and_the_scores_reopen_nothing():
    uows = FakeUnitOfWorkFactory()
    conv = closed_case(uows)
    with uows() as uow:
        asked = [i for i in uow.outbox.for_conversation(conv) if i.text == "Nilai 1-4?"]
        assert len(asked) == 1 and asked[0].recipient == "client-1"
    at = T0 + timedelta(hours=2)
    result = ingest(inbound(2, text="4 4 3 terima kasih 🙏", at=at), uow_factory=uows, now=at)
    assert result.survey_answer and not result.reopened and result.conversation_id == conv
    with uows() as uow:
        assert uow.conversations.get(conv).state is State.CLOSED
        answer = uow.surveys.get(conv, 1)
        assert answer.scores == (4, 4, 3) and answer.comment == "terima kasih 🙏"
        kept = [m for m in uow.messages.for_conversation(conv) if m.text.startswith("4 4 3")]
        assert len(kept) == 1 and kept[0].relayed  # in the transcript, not sent on to staff
    # a second set of scores is a message like any other: it reopens the case
    again = ingest(inbound(3, text="1 1 1", at=at), uow_factory=uows, now=at)
    assert again.reopened and not again.survey_answer


def test_a_worry_after_the_scores_reaches_staff_and_reopens_the_case():
    uows = FakeUnitOfWorkFactory()
    conv = closed_case(uows)
    at = T0 + timedelta(hours=1)
    worry = "4 3 4 tapi saya masih takut pulang"
    result = ingest(inbound(2, text=worry, at=at), uow_factory=uows, now=at)
    assert result.reopened and not result.survey_answer
    with uows() as uow:
        assert uow.surveys.get(conv, 1).answered_at is None
        assert [m.text for m in uow.messages.unrelayed(10)][-1] == worry
    # closed again soon after: the client is not asked a second time
    casework.close(conv, Outcome.TUNTAS, actor=ADMIN, uow_factory=uows, now=at,
                   survey_question="Nilai 1-4?")  # fmt: skip
    with uows() as uow:
        assert uow.surveys.get(conv, 2) is None
        assert sum(i.text == "Nilai 1-4?" for i in uow.outbox.for_conversation(conv)) == 1


def test_no_survey_after_an_urgent_or_violence_case_or_a_referral_to_uptd():
    uows = FakeUnitOfWorkFactory()
    urgent = ingest(inbound(1, sender="a"), uow_factory=uows, now=T0).conversation_id
    casework.mark_urgent(urgent, actor=ADMIN, uow_factory=uows, now=T0)
    violence = ingest(inbound(2, sender="b"), uow_factory=uows, now=T0).conversation_id
    referred = ingest(inbound(3, sender="c"), uow_factory=uows, now=T0).conversation_id
    health = ingest(inbound(4, sender="d"), uow_factory=uows, now=T0).conversation_id
    with uows() as uow:
        uow.conversations.save(replace(uow.conversations.get(violence), category="kekerasan"))
        uow.commit()
    closing = {"actor": ADMIN, "uow_factory": uows, "now": T0, "survey_question": "Nilai?"}
    casework.close(urgent, Outcome.TUNTAS, **closing)
    casework.close(violence, Outcome.TUNTAS, **closing)
    referral.refer(referred, "uptd_ppa", "KDRT", **closing)
    referral.refer(health, "puskesmas", "periksa", **closing)
    with uows() as uow:
        asked = [c for c in (urgent, violence, referred, health) if uow.surveys.get(c, 1)]
    assert asked == [health]


def test_words_after_close_reopen_the_case_and_the_survey_stays_open_for_scores_later():
    uows = FakeUnitOfWorkFactory()
    conv = closed_case(uows)
    at = T0 + timedelta(hours=1)
    result = ingest(inbound(2, text="Bu, saya masih bingung", at=at), uow_factory=uows, now=at)
    assert result.reopened and not result.survey_answer
    with uows() as uow:
        assert uow.surveys.get(conv, 1).answered_at is None


def test_scores_after_the_window_are_a_new_message():
    uows = FakeUnitOfWorkFactory()
    conv = closed_case(uows)
    late = T0 + survey.ANSWER_WINDOW + timedelta(minutes=1)
    result = ingest(inbound(2, text="4 4 4", at=late), uow_factory=uows, now=late)
    assert not result.survey_answer
    with uows() as uow:
        assert uow.surveys.get(conv, 1).answered_at is None


def test_no_survey_without_a_person_writing_nor_for_a_complaint_nor_when_off():
    uows = FakeUnitOfWorkFactory()
    bounce = ingest(inbound(1, sender="mailer", auto_generated=True), uow_factory=uows, now=T0)
    casework.close(bounce.conversation_id, Outcome.TUNTAS, actor=ADMIN, uow_factory=uows,
                   now=T0, survey_question="Nilai?")  # fmt: skip
    off = closed_case(uows, question=None)
    with uows() as uow:
        assert uow.surveys.get(bounce.conversation_id, 1) is None
        assert uow.surveys.get(off, 1) is None
    conv = ingest(inbound(2, sender="pelapor"), uow_factory=uows, now=T0).conversation_id
    with uows() as uow:
        uow.casefiles.save(CaseFile(conv, COMPLAINT, "recording", {}, T0, T0))
        uow.commit()
    casework.close(conv, Outcome.TUNTAS, actor=HEAD, uow_factory=uows, now=T0,
                   survey_question="Nilai?")  # fmt: skip
    with uows() as uow:
        assert uow.surveys.get(conv, 1) is None


def test_the_index_and_grade_follow_skm():
    answers = [
        survey.Survey(1, 1, T0, T0, (4, 4, 4)),
        survey.Survey(2, 1, T0, T0, (3, 4, 3)),
    ]
    result = survey.summarise(3, answers)
    assert result.mean_by_question == {"kemudahan": 3.5, "kecepatan": 4.0, "perilaku": 3.5}
    assert result.index == pytest.approx(91.67, abs=0.01) and result.grade == "A"
    assert result.response_rate == pytest.approx(2 / 3)
    assert survey.grade(76.61) == "B" and survey.grade(76.6) == "C" and survey.grade(30) == "D"
    assert survey.summarise(0, []).index is None
