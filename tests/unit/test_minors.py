"""A client under 18 (UU 27/2022 Pasal 25): the age they give in the identity form (or that
staff record) is logged with the office's rule, staff are told what the rule asks of them, and
a child who answered themselves is told why in plain words; an adult, nothing. With the fakes."""

from dataclasses import replace
from datetime import timedelta

from tests.builders import ADMIN, T0
from tests.fakes import FakeUnitOfWorkFactory
from tests.unit.test_consent import IG, SETUP, TRIAGE, write
from triage.domain import consent
from triage.domain.forms.spec import DEFAULT_FORM
from triage.domain.model import Channel
from triage.domain.outbox import Target
from triage.texts.catalog import text
from triage.usecases.identity import correct_fields


def said_to(uows, target):
    return [o.text for o in sorted(uows.db.outbox.values(), key=lambda o: o.id)
            if o.target is target]  # fmt: skip


def minor_steps(uows):
    return [s.detail for s in uows.db.steps if s.step == "minor"]


def notices(uows):
    return [o for o in uows.db.outbox.values() if o.options.get("event", "").startswith("minor")]


def test_a_child_who_gives_their_age_is_told_and_staff_are_told_the_guardian_rule():
    uows = FakeUnitOfWorkFactory()
    write(uows, 1, "halo kak", **IG)
    write(uows, 2, "ya", **IG)
    write(uows, 3, "Dita", **IG)
    write(uows, 4, "15", **IG)
    assert minor_steps(uows) == ["15; wali"]
    [notice] = notices(uows)
    assert notice.options["event"] == "minor_wali" and notice.options["age"] == "15"
    assert notice.recipient.startswith("group:")
    told = said_to(uows, Target.INSTAGRAM)
    assert told[-2:] == [text("consent.minor_wali", "id"),
                         DEFAULT_FORM.field("jenis_kelamin").prompt["id"]]  # fmt: skip
    write(uows, 5, "ubah", **IG)  # back to the age, another under 18: told once
    write(uows, 6, "16", **IG)
    assert len(notices(uows)) == 1 and minor_steps(uows) == ["15; wali"]
    (conv,) = uows.db.conversations.values()
    correct_fields(conv.id, "Usia: 30", actor=ADMIN, setup=SETUP, uow_factory=uows,
                   now=T0 + timedelta(minutes=5))  # fmt: skip
    cleared = [s.detail for s in uows.db.steps if s.step == "minor_cleared"]
    assert cleared == ["30"] and notices(uows)[-1].options["event"] == "minor_cleared"


def test_an_urgent_child_is_not_told_about_guardians_but_staff_are():
    uows = FakeUnitOfWorkFactory()
    for n, body in enumerate(("halo kak", "ya", "Dita"), start=1):
        write(uows, n, body, **IG)
    (conv,) = uows.db.conversations.values()
    uows.db.conversations[conv.id] = replace(conv, urgent=True, risk="mendesak")
    write(uows, 4, "15", **IG)
    assert minor_steps(uows) == ["15; wali"] and len(notices(uows)) == 1
    assert text("consent.minor_wali", "id") not in said_to(uows, Target.INSTAGRAM)


def test_an_adult_or_a_date_of_birth_of_an_adult_changes_nothing():
    for born in ("12-03-1990", "12 Maret 1990", "lahir 2003", "34 tahun"):
        uows = FakeUnitOfWorkFactory()
        for n, body in enumerate(("halo kak", "ya", "Sari", born), start=1):
            write(uows, n, body, **IG)
        assert minor_steps(uows) == [] and notices(uows) == [], born
    assert consent.minor_age({"usia": "17"}) == 17 and consent.minor_age({"usia": "18"}) is None
    assert consent.minor_age({}) is None and consent.minor_age({"usia": None}) is None


def test_the_counselor_rule_by_mail_and_staff_recording_an_age():
    uows = FakeUnitOfWorkFactory()
    by_counselor = replace(TRIAGE, form=replace(SETUP, minors="konselor"))
    mail = {"channel": Channel.EMAIL, "sender": "dita@example.org", "name": "Dita"}
    write(uows, 1, "Saya dipukul ayah saya.", by_counselor, **mail)
    write(uows, 2, "Persetujuan: ya\nNama: Dita\nUsia: 14", by_counselor, **mail)
    assert minor_steps(uows) == ["14; konselor"]
    assert notices(uows)[0].options["event"] == "minor_konselor"
    assert text("consent.minor_konselor", "id") in said_to(uows, Target.EMAIL)[-1]
    uows = FakeUnitOfWorkFactory()  # the whole form in one reply: one mail, the child told too
    write(uows, 1, "Saya dipukul ayah saya.", **mail)
    whole = "Persetujuan: ya\nNama: Dita\nUsia: 14\nJenis kelamin: P\nDomisili: Kuta\n"
    write(uows, 2, whole + "Hubungan: remaja sendiri\nTopik: kekerasan", **mail)
    last = said_to(uows, Target.EMAIL)[-1]
    assert text("consent.minor_wali", "id") in last and "PUSPAGA/" in last

    uows = FakeUnitOfWorkFactory()
    write(uows, 1, "halo kak", **IG)
    (conv,) = uows.db.conversations.values()
    correct_fields(conv.id, "Usia: 16", actor=ADMIN, setup=SETUP, uow_factory=uows,
                   now=T0 + timedelta(minutes=4))  # fmt: skip
    assert minor_steps(uows) == ["16; wali"] and len(notices(uows)) == 1
