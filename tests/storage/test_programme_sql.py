"""The guidance programme's log on SQLite and PostgreSQL (and the fake): steps kept in order with
what they wrote, a redelivered command's key stored once, each semester on its own."""

from datetime import timedelta

import pytest

from tests.builders import ADMIN, HEAD, T0
from triage.domain import programme as pg
from triage.domain.errors import TransitionNotAllowed
from triage.usecases import psychoeducation as cases

SPRING = pg.Semester(2027, 1)
ACTIVITIES = {"activities": [["Pola asuh; «positif»", "orang tua", "Feb"]]}


def test_the_programme_log_keeps_each_step_once_in_order(any_uows):
    uows = any_uows
    cases.take_step(SPRING, pg.SUBMITTED, ACTIVITIES, actor=ADMIN, uow_factory=uows, now=T0,
                    today=T0.date(), key="u1")  # fmt: skip
    for _ in range(2):  # the same update handled twice
        cases.take_step(SPRING, pg.APPROVED, {"note": "ok"}, actor=HEAD, uow_factory=uows,
                        now=T0 + timedelta(hours=1), today=T0.date(), key="u2")  # fmt: skip
    with pytest.raises(TransitionNotAllowed):
        cases.take_step(SPRING, pg.APPROVED, {}, actor=HEAD, uow_factory=uows,
                        now=T0 + timedelta(hours=2), today=T0.date(), key="u3")  # fmt: skip
    got = cases.programme_of(SPRING, actor=HEAD, uow_factory=uows)
    assert [(e.step, e.staff_id, e.at) for e in got.log] == [
        (pg.SUBMITTED, ADMIN.staff_id, T0),
        (pg.APPROVED, HEAD.staff_id, T0 + timedelta(hours=1)),
    ]
    assert got.approved and got.activities == [
        pg.Activity("Pola asuh; «positif»", "orang tua", "Feb")
    ]
    assert cases.programme_of(SPRING.next(), actor=ADMIN, uow_factory=uows).log == []
