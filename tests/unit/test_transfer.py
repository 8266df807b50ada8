"""A case moved between two offices of one install: asked by a head of the first, answered by a
head of the second, then sent with its history (never the counseling content) and closed in the
first as a referral; each step audited on its side, each message acting once however often it
is handed over."""

from dataclasses import replace
from datetime import timedelta

import pytest

from tests.builders import ADMIN, COUNSELOR, HEAD, T0, inbound
from tests.fakes import FakeUnitOfWorkFactory
from triage.domain.errors import AccessDenied, NotFound
from triage.domain.forms.dialogue import FormState
from triage.domain.model import Actor, Channel, Outcome, Role, State
from triage.domain.outbox import Target
from triage.domain.referral import (
    OfficeMessage,
    Transfer,
    TransferWaiting,
    load_message,
    transfer_ref,
)
from triage.usecases import casework
from triage.usecases.ingest import ingest
from triage.usecases.offices import transfer as cases

GIANYAR_HEAD = Actor(3101, Role.HEAD, "Kadek")
GIANYAR_ADMIN = Actor(1101, Role.ADMIN, "Luh")


class Install:
    """Two offices, each its own database; `post()` hands every office message on, as the
    outbox's office sender does (bot/service/offices.py)."""

    def __init__(self) -> None:
        self.offices = {"badung": FakeUnitOfWorkFactory(), "gianyar": FakeUnitOfWorkFactory()}
        self.heads = {"badung": [HEAD.staff_id], "gianyar": [GIANYAR_HEAD.staff_id]}
        self.names = {"badung": "PUSPAGA Badung", "gianyar": "PUSPAGA Gianyar"}
        self.handed: set[int] = set()

    def post(self, now, again: bool = False) -> list[str]:  # noqa: ANN001
        done = []
        for uows in self.offices.values():
            with uows() as uow:
                items = [i for i in uow.outbox.unsent() if i.target is Target.OFFICE]
            for item in items:
                if item.id in self.handed and not again:
                    continue
                self.handed.add(item.id)
                done.append(self.arrive(item.recipient, load_message(item.text), now))
        return done

    def arrive(self, key: str, message: OfficeMessage, now) -> str:  # noqa: ANN001
        uows, heads = self.offices[key], self.heads[key]
        if message.kind == "offer":
            told = cases.transfer_offered(message, heads=heads, office=key,
                                          office_name=self.names[key], unheard="tak ada ketua",
                                          uow_factory=uows, now=now)  # fmt: skip
            return "offered" if told else "unheard"
        if message.kind == "answer":
            return cases.transfer_answered(message, origin_name=self.names[key],
                                           client_text="Kasus Anda pindah.", heads=heads,
                                           uow_factory=uows, now=now)  # fmt: skip
        made = cases.receive_transfer(message, summary="riwayat", heads=heads, uow_factory=uows,
                                      now=now)  # fmt: skip
        return "received" if made is not None else "cancelled"


@pytest.fixture
def install():
    place = Install()
    badung = place.offices["badung"]
    conv = ingest(inbound(1, text="Saya pindah ke Gianyar"), uow_factory=badung, now=T0)
    conv = conv.conversation_id
    with badung() as uow:
        uow.forms.save(FormState(conv, None, {"nama": "Sari", "usia": "34"}, "complete", "R/1"))
        uow.commit()
    return place, conv


def offer(place: Install, conv: int, actor: Actor = HEAD, key: str = "u1") -> Transfer:
    return cases.offer_transfer(conv, "gianyar", office_name="PUSPAGA Gianyar", reason="pindah",
                                origin="badung", origin_name="PUSPAGA Badung", actor=actor,
                                uow_factory=place.offices["badung"], now=T0, key=key)  # fmt: skip


def answer(place: Install, ref: Transfer, accept: bool, actor: Actor = GIANYAR_HEAD) -> bool:
    return cases.answer_transfer(ref, accept, reason="bukan wilayah kami" if not accept else "",
                                 office="gianyar", office_name="PUSPAGA Gianyar",
                                 phone="+62 361 1", heads=place.heads["gianyar"], actor=actor,
                                 uow_factory=place.offices["gianyar"], now=T0)  # fmt: skip


def test_the_other_office_hears_no_personal_data_until_its_head_accepts(install):
    place, conv = install
    with pytest.raises(AccessDenied):
        offer(place, conv, actor=ADMIN)
    ref = offer(place, conv)
    assert ref == Transfer("badung", conv, 1) and transfer_ref(str(ref)) == ref
    assert offer(place, conv) == ref  # the same update again: asked once
    with pytest.raises(TransferWaiting):
        offer(place, conv, key="u2")  # a second ask while the first waits
    assert place.post(T0) == ["offered"]
    with place.offices["gianyar"]() as uow:
        told = [i for i in uow.outbox.unsent() if i.target is Target.TELEGRAM]
        assert uow.conversations.all() == []
    (notice,) = told
    assert notice.recipient == f"staff:{GIANYAR_HEAD.staff_id}"
    assert notice.options["ref"] == f"badung-{conv}-1" and notice.options["reason"] == "pindah"
    assert "Sari" not in str(notice) and "Gianyar" not in notice.text


def test_accepted_the_case_moves_with_its_history_and_closes_here(install):
    place, conv = install
    badung, gianyar = place.offices["badung"], place.offices["gianyar"]
    casework.hand_off(conv, actor=ADMIN, counselors=[COUNSELOR.staff_id], uow_factory=badung,
                      now=T0 + timedelta(minutes=1))  # fmt: skip
    casework.claim(conv, actor=COUNSELOR, uow_factory=badung, now=T0 + timedelta(minutes=2))
    ingest(inbound(2, text="rahasia konseling"), uow_factory=badung, now=T0)
    ref = offer(place, conv)
    place.post(T0)
    with pytest.raises(AccessDenied):
        answer(place, ref, True, actor=GIANYAR_ADMIN)
    with pytest.raises(NotFound):
        answer(place, Transfer("badung", conv, 7), True)  # never asked so
    assert answer(place, ref, True) is True
    assert answer(place, ref, False) is False  # answered once
    assert place.post(T0) == ["sent"]
    with badung() as uow:
        closed = uow.conversations.get(conv)
        assert closed.state is State.CLOSED and closed.outcome is Outcome.RUJUKAN
        assert uow.referrals.get(conv, closed.round).addressee == "PUSPAGA Gianyar"
        told_client = [i for i in uow.outbox.unsent() if i.target is Target.HOTLINE]
        assert [i.text for i in told_client] == ["Kasus Anda pindah."]
        assert [e.action for e in uow.audit.entries(conv) if e.action.startswith("transfer")] == [
            "transfer.offer", "transfer.send"]  # fmt: skip
    assert place.post(T0) == ["received"]
    assert place.post(T0, again=True).count("received") == 1  # handed over twice: acts once
    with gianyar() as uow:
        (moved,) = uow.conversations.all()
        (first,) = uow.messages.for_conversation(moved.id)
        assert first.text == "riwayat" and first.channel is Channel.RUJUKAN
        assert uow.forms.get(moved.id).answers["usia"] == "34"
        assert uow.forms.get(moved.id).answers["nama"] == "Sari"
        hotline = uow.contacts.find(Channel.HOTLINE, "client-1")
        assert hotline is not None and hotline.client_id == moved.client_id
        assert uow.referrals.incoming(moved.id).origin == "PUSPAGA Badung"
        actions = [e.action for e in uow.audit.entries()]
        assert "transfer.accept" in actions and "transfer.receive" in actions
    with badung() as uow:
        sent_over = [load_message(i.text) for i in uow.outbox.for_conversation(conv)
                     if i.target is Target.OFFICE]  # fmt: skip
    (case,) = [m for m in sent_over if m.kind == "case"]
    sent = case.fields
    assert "rahasia konseling" not in sent["entries"] and sent["held_back"] == 1
    assert "Saya pindah ke Gianyar" in sent["entries"] and sent["reason"] == "pindah"
    # the client writes to the new office: the message joins the moved case
    later = ingest(inbound(3, text="sudah di Gianyar"), uow_factory=gianyar, now=T0)
    assert later.conversation_id == moved.id


def test_refused_the_case_stays_and_may_be_asked_again(install):
    place, conv = install
    ref = offer(place, conv)
    place.post(T0)
    answer(place, ref, False)
    assert place.post(T0) == ["refused"]
    with place.offices["badung"]() as uow:
        assert uow.conversations.get(conv).is_open
        refused = [i for i in uow.outbox.unsent() if i.options.get("event") == "transfer_refused"]
        assert {i.recipient for i in refused} == {f"group:{conv}", f"staff:{HEAD.staff_id}"}
        assert refused[0].options["reason"] == "bukan wilayah kami"
    again = offer(place, conv, key="u2")
    assert again == Transfer("badung", conv, 2)
    # the old answer handed over once more is not the answer awaited now
    assert place.arrive("badung", OfficeMessage("answer", ref, "gianyar", "PUSPAGA Gianyar",
                                                {"accepted": True}), T0) == "stale"  # fmt: skip


def test_a_case_closed_before_the_answer_is_not_moved_and_the_other_office_is_told(install):
    place, conv = install
    ref = offer(place, conv)
    place.post(T0)
    casework.close(conv, Outcome.TUNTAS, actor=HEAD, uow_factory=place.offices["badung"], now=T0)
    answer(place, ref, True)
    assert place.post(T0) == ["closed"]
    assert place.post(T0) == ["cancelled"]
    with place.offices["gianyar"]() as uow:
        assert uow.conversations.all() == []
        told = [i for i in uow.outbox.unsent() if i.options.get("event") == "transfer_cancelled"]
        assert [i.recipient for i in told] == [f"staff:{GIANYAR_HEAD.staff_id}"]
    with place.offices["badung"]() as uow:
        assert uow.conversations.get(conv).outcome is Outcome.TUNTAS


def test_an_office_with_no_head_to_answer_refuses_at_once(install):
    place, conv = install
    place.heads["gianyar"] = []
    offer(place, conv)
    assert place.post(T0) == ["unheard", "refused"]  # Gianyar's answer, handed on in turn
    with place.offices["badung"]() as uow:
        assert uow.conversations.get(conv).is_open
        (told,) = [i for i in uow.outbox.unsent() if i.recipient == f"group:{conv}"
                   and i.options.get("event") == "transfer_refused"]  # fmt: skip
    assert told.options["reason"] == "tak ada ketua"
    assert offer(place, conv, key="u2").n == 2  # the case may be asked again at once


def test_a_head_withdraws_an_ask_that_waits_and_the_other_office_is_told(install):
    place, conv = install
    ref = offer(place, conv)
    place.post(T0)
    with pytest.raises(AccessDenied):
        cases.cancel_transfer(conv, actor=ADMIN, uow_factory=place.offices["badung"], now=T0,
                              key="c0")  # fmt: skip
    assert cases.cancel_transfer(conv, actor=HEAD, uow_factory=place.offices["badung"], now=T0,
                                 key="c1") == "gianyar"  # fmt: skip
    assert cases.cancel_transfer(conv, actor=HEAD, uow_factory=place.offices["badung"], now=T0,
                                 key="c2") is None  # fmt: skip
    assert place.post(T0) == ["cancelled"]
    answer(place, ref, True)  # a late acceptance: the case does not go
    assert place.post(T0) == ["stale"]
    with place.offices["gianyar"]() as uow:
        assert uow.conversations.all() == []
    with place.offices["badung"]() as uow:
        assert uow.conversations.get(conv).is_open


def test_an_answer_for_a_round_that_has_ended_moves_nothing_of_the_next(install):
    place, conv = install
    badung = place.offices["badung"]
    ref = offer(place, conv)
    place.post(T0)
    casework.close(conv, Outcome.TUNTAS, actor=HEAD, uow_factory=badung, now=T0)
    ingest(inbound(5, text="saya kembali"), uow_factory=badung, now=T0 + timedelta(days=1))
    with badung() as uow:
        assert uow.conversations.get(conv).round == 2
    assert offer(place, conv, key="u9").n == 2  # the old ask ended with its round
    answer(place, ref, True)
    assert place.post(T0) == ["offered", "closed"]
    with badung() as uow:
        assert uow.conversations.get(conv).is_open  # round 2 stays, its own ask waits


def test_the_client_s_safe_contact_and_the_higher_risk_travel(install):
    place, conv = install
    badung = place.offices["badung"]
    with badung() as uow:
        current = uow.conversations.get(conv)
        uow.clients.set_safe_contact(current.client_id, '{"discreet": true}')
        uow.conversations.save(replace(current, risk="perlu_dicek"))
        uow.commit()
    ref = offer(place, conv)
    place.post(T0)
    answer(place, ref, True)
    assert place.post(T0) == ["sent"] and place.post(T0) == ["received"]
    with place.offices["gianyar"]() as uow:
        (moved,) = uow.conversations.all()
        assert moved.risk == "perlu_dicek"
        assert uow.clients.get(moved.client_id).safe_contact == '{"discreet": true}'
