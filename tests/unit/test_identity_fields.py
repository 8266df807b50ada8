"""Staff fill or correct the identity form ("Label: value" lines): by role, in the core."""

import pytest

from tests.builders import ADMIN, COUNSELOR, T0, inbound
from tests.fakes import FakeUnitOfWorkFactory
from triage.domain.errors import AccessDenied
from triage.domain.forms.spec import DEFAULT_FORM, shown
from triage.effects.form_prompts import FormSetup
from triage.usecases.identity import correct_fields, identity
from triage.usecases.ingest import ingest

TEMPLATE = "PUSPAGA/{year}/{month:02d}/{number:04d}"
SETUP = FormSetup(DEFAULT_FORM, "id", "", {}, TEMPLATE)


COMPLETE = "Persetujuan: ya\nNama: Sari\nUsia: 35\nJK: P\nDomisili: Badung\nHubungan: ibu\nTopik: x"


def fill(uows, lines, actor=ADMIN, setup=SETUP, now=T0):
    (conv_id,) = uows.db.conversations
    return correct_fields(conv_id, lines, setup=setup, actor=actor, uow_factory=uows, now=now)


def test_staff_corrections_are_kept_named_and_complete_the_form():
    uows = FakeUnitOfWorkFactory()
    ingest(inbound(1), uow_factory=uows, now=T0)
    done = fill(uows, "Nama: Sari\nUsia: tua\nHP: 0812-3456-7890\nbukan label")
    assert done.changed == ("nama", "nomor_hp") and done.problems == (("usia", "form.age"),)
    assert done.register_no is None
    done = fill(uows, "Persetujuan: ya\nUsia: 35\nJK: P\nDomisili: Badung\nHubungan: ibu\nTopik: x")
    assert done.register_no == "PUSPAGA/2026/11/0001"
    (conv,) = uows.db.conversations.values()
    assert identity(conv.id, actor=ADMIN, uow_factory=uows).answers["nomor_hp"] == "+6281234567890"
    assert conv.steps.form_completed == T0
    assert fill(uows, "Nama: Sari Dewi").register_no == "PUSPAGA/2026/11/0001"  # kept


def test_a_counselor_who_does_not_hold_the_case_cannot_write_it():
    uows = FakeUnitOfWorkFactory()
    ingest(inbound(1), uow_factory=uows, now=T0)
    with pytest.raises(AccessDenied):
        fill(uows, "Nama: X", actor=COUNSELOR)
    assert uows.db.forms == {}


def test_the_nik_is_masked_for_display():
    assert shown("nik", "5171014107900001") == "••••••••••••0001"
    assert shown("text", None) == "—" and shown("text", "Sari") == "Sari"


def test_joining_cases_and_giving_a_login_code_are_checked_by_role():
    from dataclasses import replace

    from tests.builders import HEAD
    from triage.domain import access
    from triage.domain.model import State

    uows = FakeUnitOfWorkFactory()
    ingest(inbound(1), uow_factory=uows, now=T0)
    (conv,) = uows.db.conversations.values()
    counseling = replace(conv, state=State.WITH_COUNSELOR, counselor_id=COUNSELOR.staff_id)
    assert access.may_join_cases(ADMIN, conv, conv)
    assert not access.may_join_cases(ADMIN, conv, counseling)  # only the head may
    assert access.may_join_cases(HEAD, conv, counseling)
    assert access.may_give_code(ADMIN) and not access.may_give_code(COUNSELOR)


def test_the_register_continues_after_the_last_number_given_on_paper():
    """An office moving from a paper register sets the month's last paper number
    ([office] register_start): the program's first number of that month follows it."""
    uows = FakeUnitOfWorkFactory()
    ingest(inbound(1), uow_factory=uows, now=T0)
    moving = FormSetup(DEFAULT_FORM, "id", "", {}, TEMPLATE, register_start={"2026-11": 57})
    assert fill(uows, COMPLETE, setup=moving).register_no == "PUSPAGA/2026/11/0058"


def test_the_register_month_is_the_offices_month():
    """07:30 WITA on 1 December is December's, though UTC still says 30 November."""
    from datetime import UTC, datetime, timedelta, timezone

    uows = FakeUnitOfWorkFactory()
    ingest(inbound(1), uow_factory=uows, now=T0)
    office = FormSetup(DEFAULT_FORM, "id", "", {}, TEMPLATE, zone=timezone(timedelta(hours=8)))
    at = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert fill(uows, COMPLETE, setup=office, now=at).register_no == "PUSPAGA/2026/12/0001"
