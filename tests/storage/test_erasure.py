"""Erasure on request and by retention (triage.domain.erasure): the same walk on the fakes, SQLite
and
PostgreSQL. Personal content goes, what the reports count stays, files are removed, nothing
is done twice, and a client who writes again after erasure is a stranger."""

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from storage.dead_letters import DeadLetters
from tests.builders import ADMIN, COUNSELOR, HEAD, T0, inbound
from tests.fakes import FakeSealer
from triage.domain import erasure
from triage.domain.errors import AccessDenied, TransitionNotAllowed
from triage.domain.forms.dialogue import FormState
from triage.domain.model import Attachment, Outcome
from triage.domain.outbox import OutboxStatus
from triage.usecases import casework, records, referral
from triage.usecases import erasure as erasure_cases
from triage.usecases.ingest import ingest
from triage.usecases.replies import reply_to_client

NIK = "5107014101900003"


@pytest.fixture
def factory(any_uows):
    return any_uows


def a_referred_case(uows, tmp_path: Path, sender: str = "client-1", at=T0) -> tuple[int, Path]:
    photo = tmp_path / f"{sender}-foto.jpg"
    photo.write_bytes(b"jpeg")
    letter = tmp_path / f"{sender}-surat.docx.sealed"
    letter.write_bytes(b"sealed")
    shown = Attachment("foto.jpg", "image/jpeg", 4, str(photo))
    msg = inbound(1, sender=sender, name="Ibu Sari Dewi", text="Suami saya memukul saya",
                  at=at, attachments=(shown,), subject="Tolong")  # fmt: skip
    conv = ingest(msg, uow_factory=uows, now=at).conversation_id
    with uows() as uow:
        answers = {"nama": "Sari Dewi", "usia": "34", "jenis_kelamin": "perempuan", "nik": NIK}
        uow.forms.save(FormState(conv, None, answers, "complete", f"REG/{sender}"))
        uow.commit()
    common = {"uow_factory": uows, "now": at}
    reply_to_client(conv, "Ibu Sari, kami di sini.", actor=ADMIN, idempotency_key=f"r-{sender}",
                    **common)  # fmt: skip
    casework.hand_off(conv, actor=ADMIN, counselors=[COUNSELOR.staff_id], **common)
    casework.claim(conv, actor=COUNSELOR, **common)
    records.write(conv, "Keluhan: KDRT oleh suami", actor=COUNSELOR, sealer=FakeSealer(),
                  **common)  # fmt: skip
    referral.refer(conv, "puskesmas", "Pemeriksaan luka Ibu Sari", actor=COUNSELOR,
                   survey_question="Nilai 1-4?", **common)  # fmt: skip
    with uows() as uow:
        uow.referrals.set_letter(conv, 1, str(letter))
        uow.commit()
    back = at + timedelta(hours=1)
    answered = ingest(inbound(2, sender=sender, text="4 4 4 terima kasih bu", at=back),
                      uow_factory=uows, now=back)  # fmt: skip
    assert answered.survey_answer
    return conv, photo


def remover(gone: list[str]):
    def remove(paths) -> None:
        for path in paths:
            Path(path).unlink(missing_ok=True)
            gone.append(path)

    return remove


def test_a_request_erases_every_kind_and_keeps_what_reports_count(factory, tmp_path):
    conv, photo = a_referred_case(factory, tmp_path)
    with factory() as uow:
        client_id = uow.conversations.get(conv).client_id
    gone: list[str] = []
    later = T0 + timedelta(days=1)
    with pytest.raises(AccessDenied):
        erasure_cases.forget_client(client_id, actor=ADMIN, uow_factory=factory, now=later,
                              remove=remover(gone))  # fmt: skip
    erased = erasure_cases.forget_client(client_id, actor=HEAD, uow_factory=factory, now=later,
                                   remove=remover(gone))  # fmt: skip
    assert erased == [conv]
    assert not photo.exists() and len(gone) == 2  # the attachment and the referral letter
    with factory() as uow:
        messages = uow.messages.for_conversation(conv)
        assert messages and all(m.text == "" and m.subject is None for m in messages)
        assert all(not m.attachments and m.external_id.startswith("erased:") for m in messages)
        items = uow.outbox.for_conversation(conv)
        dropped = [i for i in items if i.options.get("action") == "delete"]
        assert len(dropped) == 1 and dropped[0].recipient == f"group:{conv}"  # the topic goes
        kept = [i for i in items if i not in dropped]
        assert kept and all(i.text == "" and i.recipient == "erased" for i in kept)
        assert dict(uow.forms.get(conv).answers) == {"usia": "34", "jenis_kelamin": "perempuan"}
        assert uow.records.versions(conv) == []
        assert uow.surveys.get(conv, 1).comment == "" and uow.surveys.get(conv, 1).scores
        made = uow.referrals.get(conv, 1)
        assert made.reason == "" and made.target == "puskesmas"
        assert uow.clients.get(client_id).display_name == "(dihapus)"
        assert all(c.external_id.startswith("erased:") for c in uow.contacts.for_client(client_id))
        actions = [e.action for e in uow.audit.entries()]
        assert "client.erase.denied" in actions and "client.erased" in actions
        rows = uow.reports.cases_received(T0 - timedelta(days=1), later)
    assert [(r.outcome, r.referral_target, r.answers.get("usia")) for r in rows] == [
        ("rujukan", "puskesmas", "34")
    ]
    assert rows[0].client_name == "(dihapus)"
    # Writing again: a new client, not the erased one
    again = ingest(inbound(3, text="Halo lagi", at=later), uow_factory=factory, now=later)
    assert again.new_conversation and again.conversation_id != conv


def test_a_case_still_open_is_not_erased(factory, tmp_path):
    conv = ingest(inbound(1), uow_factory=factory, now=T0).conversation_id
    with factory() as uow:
        client_id = uow.conversations.get(conv).client_id
    with pytest.raises(TransitionNotAllowed):
        erasure_cases.forget_client(client_id, actor=HEAD, uow_factory=factory, now=T0,
                              remove=remover([]))  # fmt: skip
    with factory() as uow:
        assert uow.messages.for_conversation(conv)[0].text != ""


def test_retention_erases_each_kind_after_its_period_once(factory, tmp_path):
    old, _ = a_referred_case(factory, tmp_path, "client-old", T0)
    new, _ = a_referred_case(factory, tmp_path, "client-new", T0 + timedelta(days=20))
    keep = erasure.Retention({"messages": 30, "attachments": 10, "records": None})
    gone: list[str] = []
    now = T0 + timedelta(days=31)
    done = erasure_cases.purge(keep, uow_factory=factory, now=now, remove=remover(gone))
    assert done == {"messages": 1, "attachments": 2}
    with factory() as uow:
        assert {m.text for m in uow.messages.for_conversation(old)} == {""}
        assert "" not in {m.text for m in uow.messages.for_conversation(new)}
        assert all(not m.attachments for m in uow.messages.for_conversation(new))
        assert uow.records.versions(old)  # records are kept: no period set
        assert sum(e.action == "retention.erased" for e in uow.audit.entries()) == 3
    assert len(gone) == 2
    again = erasure_cases.purge(keep, uow_factory=factory, now=now, remove=remover(gone))
    assert again == {"messages": 0, "attachments": 0}


def test_the_identity_waits_for_the_clients_last_case(factory, tmp_path):
    first, _ = a_referred_case(factory, tmp_path, "client-1", T0)
    # the same client again 10 days later: the first case is past the reopen window
    later = T0 + timedelta(days=10)
    second = ingest(inbound(5, text="Saya kembali", at=later), uow_factory=factory, now=later)
    assert second.new_conversation
    casework.close(second.conversation_id, Outcome.TUNTAS, actor=HEAD, uow_factory=factory,
                   now=later)  # fmt: skip
    keep = erasure.Retention({"identity": 5})
    erasure_cases.purge(keep, uow_factory=factory, now=T0 + timedelta(days=8), remove=remover([]))
    with factory() as uow:
        client_id = uow.conversations.get(first).client_id
        assert uow.clients.get(client_id).display_name == "Ibu Sari Dewi"
    done = erasure_cases.purge(keep, uow_factory=factory, now=later + timedelta(days=6),
                         remove=remover([]))  # fmt: skip
    assert done == {"identity": 1}
    with factory() as uow:
        assert uow.clients.get(client_id).display_name == "(dihapus)"


def test_a_case_reopened_after_a_purge_is_purged_again_and_a_request_erases_it_all(
    factory, tmp_path
):
    conv, _ = a_referred_case(factory, tmp_path)
    keep = erasure.Retention({"attachments": 1})
    day2 = T0 + timedelta(days=2)
    assert erasure_cases.purge(keep, uow_factory=factory, now=day2, remove=remover([])) == {
        "attachments": 1
    }
    # the client writes again with a photo: the case reopens (an email reply, or soon after)
    photo = tmp_path / "luka.jpg"
    photo.write_bytes(b"jpeg")
    sent = Attachment("luka.jpg", "image/jpeg", 4, str(photo))
    later = day2 + timedelta(hours=1)
    again = ingest(inbound(9, text="Ini fotonya", at=later, attachments=(sent,)),
                   uow_factory=factory, now=later)  # fmt: skip
    assert again.conversation_id == conv and again.reopened
    casework.close(conv, Outcome.TUNTAS, actor=HEAD, uow_factory=factory, now=later)
    gone: list[str] = []
    day4 = day2 + timedelta(days=2)
    assert erasure_cases.purge(keep, uow_factory=factory, now=day4, remove=remover(gone)) == {
        "attachments": 1
    }
    assert gone == [str(photo)] and not photo.exists()
    with factory() as uow:
        client_id = uow.conversations.get(conv).client_id
    # a request erases everything, whatever a purge did before
    erasure_cases.forget_client(client_id, actor=HEAD, uow_factory=factory, now=day4,
                          remove=remover([]))  # fmt: skip
    with factory() as uow:
        assert {m.text for m in uow.messages.for_conversation(conv)} == {""}


def test_a_send_in_flight_cannot_bring_erased_text_back(factory, tmp_path):
    conv = ingest(inbound(1), uow_factory=factory, now=T0).conversation_id
    reply_to_client(conv, "Halo Ibu Sari", actor=ADMIN, idempotency_key="r1",
                    uow_factory=factory, now=T0)  # fmt: skip
    with factory() as uow:
        (claimed,) = uow.outbox.claim_due(T0, 10, T0 + timedelta(minutes=2))
        uow.commit()
    casework.close(conv, Outcome.TUNTAS, actor=HEAD, uow_factory=factory, now=T0)
    with factory() as uow:
        client_id = uow.conversations.get(conv).client_id
    erasure_cases.forget_client(client_id, actor=HEAD, uow_factory=factory, now=T0,
                          remove=remover([]))  # fmt: skip
    with factory() as uow:  # the dispatcher comes back with its result
        late = replace(claimed, status=OutboxStatus.SENT, remote_id="x", sent_at=T0)
        assert uow.outbox.record(late) is False
        uow.commit()
    with factory() as uow:
        item = uow.outbox.get(claimed.id)
        assert all(i.text == "" for i in uow.outbox.for_conversation(conv))
    assert item.text == "" and item.recipient == "erased" and item.status is OutboxStatus.FAILED


SOURCE = "email:puspaga.kabupaten.contoh@gmail.com@imap.gmail.com:INBOX"  # a real cursor key


def test_erasing_a_client_removes_what_of_theirs_could_not_be_stored(uows, engine, tmp_path):
    """Dead letters name their sender as the client's contact does: erasure finds them, and
    leaves another client's and an unnamed one."""
    conv, _ = a_referred_case(uows, tmp_path)
    with uows() as uow:
        client_id = uow.conversations.get(conv).client_id
        (contact,) = uow.contacts.for_client(client_id)
    letters = DeadLetters(engine)
    for sender in (f"{contact.channel.value}:{contact.external_id}", "hotline:99", None):
        letters.add(source=SOURCE, external_id=f"x-{sender}", payload=f"cerita {sender}",
                    error="ValueError", at=T0, sender=sender)  # fmt: skip
    erasure_cases.forget_client(client_id, actor=HEAD, uow_factory=uows,
                                now=T0 + timedelta(days=1), remove=remover([]))  # fmt: skip
    with engine.connect() as conn:
        kept = conn.exec_driver_sql("SELECT sender FROM dead_letter ORDER BY id").scalars().all()
    assert kept == ["hotline:99", None]


def test_erasing_a_referred_client_blanks_the_letter_they_came_with(factory, tmp_path):
    from datetime import date

    from triage.domain.intake import parse
    from triage.usecases.ingest import register

    words = "rujukan Ibu Sari\nAsal: UPTD PPA\nNomor surat: 12/PPA/XI\nTanggal surat: 20-11-2026"
    intake = parse(words, date(2026, 11, 24))
    conv = register(intake, actor=ADMIN, key="walk", uow_factory=factory, now=T0).conversation_id
    casework.close(conv, Outcome.TUNTAS, actor=ADMIN, uow_factory=factory, now=T0)
    with factory() as uow:
        client_id = uow.conversations.get(conv).client_id
        assert uow.surveys.get(conv, 1) is None  # a client met offline is never asked
    later = T0 + timedelta(days=1)
    erasure_cases.forget_client(client_id, actor=HEAD, uow_factory=factory, now=later,
                                remove=remover([]))  # fmt: skip
    with factory() as uow:
        kept = uow.referrals.incoming(conv)
        assert (kept.origin, kept.letter_number, kept.letter_date) == ("UPTD PPA", "", None)
        assert uow.clients.get(client_id).display_name == "(dihapus)"
