"""The identity form by email, as a dialogue table: the first mail gets the list of questions,
answers are read leniently, only what is missing or wrong is asked again, and the state
survives a restart (on the real database)."""

from datetime import timedelta

from sqlalchemy import Engine

from storage.db import make_engine
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.builders import T0, inbound
from tests.fakes import FakeUnitOfWorkFactory
from tests.unit.test_form_dialogue import TRIAGE
from triage.domain.forms.by_mail import questions
from triage.domain.forms.spec import DEFAULT_FORM
from triage.domain.model import Channel
from triage.domain.outbox import Target
from triage.texts.catalog import text
from triage.usecases.ingest import ingest
from triage.usecases.relay import relay_new_messages

MAIL = {"channel": Channel.EMAIL, "sender": "siti@example.com"}


def write(uows, lines, start=1, **extra):
    """Each mail through ingest and the relay; returns what the client was sent by email."""
    said = []
    for n, body in enumerate(lines, start=start):
        before = {o.idempotency_key for o in _outbox(uows)}
        at = T0 + timedelta(minutes=n)
        ingest(inbound(n, text=body, at=at, **MAIL, **extra), uow_factory=uows, now=at)
        relay_new_messages(uow_factory=uows, now=at, triage=TRIAGE)
        new = [o for o in _outbox(uows) if o.idempotency_key not in before]
        said.append([o.text for o in new if o.target is Target.EMAIL])
    return said


def _outbox(uows):
    if isinstance(uows, FakeUnitOfWorkFactory):
        return list(uows.db.outbox.values())
    with uows() as uow:
        return [o for c in uow.conversations.all() for o in uow.outbox.for_conversation(c.id)]


def _form(uows):
    with uows() as uow:
        (conv,) = uow.conversations.all()
        return uow.forms.get(conv.id)


FIRST = "Selamat pagi, anak saya susah makan. Bisa konsultasi?"
PARTIAL = (
    "Persetujuan: ya\nNama: Siti Contoh\nUsia: 34\nJenis kelamin: perempuan\nHP: 0812 3456 7890"
)
REST = "> Nama:\nDomisili: Kec. Denpasar Barat\nhubungan = ibu\nTopik: anak susah makan"


def test_the_questions_go_once_and_only_what_is_missing_is_asked_again():
    uows = FakeUnitOfWorkFactory()
    said = write(uows, [FIRST, "Terima kasih, saya tunggu.", PARTIAL, REST])
    (letter,) = said[0]
    assert letter.startswith(text("form.mail.intro", "id")[:40]) and "\nNama: \n" in letter
    assert "NIK" not in letter and "Nik:" not in letter  # never asked in the first message
    assert said[1] == []  # no "Label:" line: the client's story, nobody is nagged
    (again,) = said[2]
    assert again.startswith(text("form.mail.again", "id"))
    assert again.split("\n\n")[1] == "Domisili: \nHubungan: \nTopik: "  # only those
    assert said[3] == [text("form.done", "id").format(register="PUSPAGA/2026/11/0001")]
    state = _form(uows)
    assert state.status == "complete" and state.answers["nomor_hp"] == "+6281234567890"
    assert state.answers["domisili"] == "Kec. Denpasar Barat" and state.answers["hubungan"] == "ibu"


def test_a_wrong_answer_is_named_and_asked_again():
    uows = FakeUnitOfWorkFactory()
    said = write(uows, [FIRST, "Persetujuan: ya\nNama: Siti\nUsia: tua sekali\nJenis kelamin: P"])
    (again,) = said[1]
    assert f"- Usia: {text('form.age', 'id')}" in again and "Usia: \n" in again


def test_nothing_is_recorded_before_consent_and_a_refusal_clears_it():
    uows = FakeUnitOfWorkFactory()
    said = write(uows, [FIRST, "Nama: Siti\nUsia: 34", "Persetujuan: tidak mau\nNama: Siti"])
    (ask,) = said[1]
    assert ask.startswith(text("form.mail.consent", "id"))
    assert ask.split("\n\n")[1] == "Persetujuan: \nNama: \nUsia: "
    assert said[2] == [text("form.stopped", "id")]
    assert _form(uows).status == "stopped" and _form(uows).answers == {"persetujuan": "tidak"}


def test_a_reply_below_our_quoted_list_is_read():
    uows = FakeUnitOfWorkFactory()
    quoted = "> Persetujuan: \n> Nama: \n> Usia: \n"
    said = write(uows, [FIRST, f"{quoted}\nPersetujuan: ya\nNama: Siti\nUsia: 34"])
    assert _form(uows).answers["nama"] == "Siti" and _form(uows).answers["usia"] == "34"
    assert "Nama: \n" not in said[1][0].split("\n\n")[1]  # not asked again


def test_automatic_mail_and_an_urgent_mail_get_no_form():
    uows = FakeUnitOfWorkFactory()
    assert write(uows, ["Saya sedang cuti."], auto_generated=True) == [[]]
    other = FakeUnitOfWorkFactory()
    (said,) = write(other, ["tolong suami memukul saya"])
    assert said == ["Kami mendengar Anda. SAPA 129."]  # the crisis reply only
    assert _form(other) is None


def test_the_form_by_mail_survives_a_restart(sqlite_engine: Engine):
    uows = SqlUnitOfWorkFactory(sqlite_engine)
    write(uows, [FIRST, PARTIAL])
    sqlite_engine.dispose()
    restarted = SqlUnitOfWorkFactory(make_engine(str(sqlite_engine.url)))  # a new process
    said = write(restarted, [REST], start=3)
    assert said == [[text("form.done", "id").format(register="PUSPAGA/2026/11/0001")]]


def test_the_list_can_be_narrowed_to_some_fields():
    assert questions(DEFAULT_FORM, "en", ["nama"]).startswith("Nama: \n\n- Nama: ")
