"""What follows a case's close: its referral and its satisfaction survey (ports
ReferralRepository and SurveyRepository)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import Connection, Table, and_, bindparam, delete, func, insert, select, update

from storage.repositories._base import Repo
from storage.tables import AppointmentRow, IncomingReferralRow, ReferralRow, SurveyRow
from triage.domain.appointments import Appointment
from triage.domain.intake import IncomingReferral
from triage.domain.referral import Referral
from triage.domain.survey import Survey

referral_t = ReferralRow.__table__
referral_in_t = IncomingReferralRow.__table__
appointment_t = AppointmentRow.__table__
survey_t = SurveyRow.__table__


def _round(table):  # type: ignore[no-untyped-def]
    return and_(table.c.conversation_id == bindparam("_conv"), table.c.round == bindparam("_round"))


REFERRAL_GET = select(referral_t).where(_round(referral_t))
REFERRAL_LETTER = update(referral_t).where(_round(referral_t))
SURVEY_GET = select(survey_t).where(_round(survey_t))
SURVEY_SAVE = update(survey_t).where(_round(survey_t))
SURVEYS_ASKED = select(func.count()).where(
    survey_t.c.asked_at >= bindparam("_start"), survey_t.c.asked_at < bindparam("_end")
)
SURVEYS_ANSWERED = select(survey_t).where(
    survey_t.c.answered_at >= bindparam("_start"), survey_t.c.answered_at < bindparam("_end")
)


def move_rounds(conn: Connection, table: Table, from_conv: int, to_conv: int) -> None:
    """A merge: rows of rounds the survivor has not got move to it; the others are dropped."""
    taken = select(table.c.round).where(table.c.conversation_id == to_conv).scalar_subquery()
    conn.execute(
        update(table)
        .where(table.c.conversation_id == from_conv, table.c.round.not_in(taken))
        .values(conversation_id=to_conv)
    )
    conn.execute(delete(table).where(table.c.conversation_id == from_conv))


class SqlReferrals(Repo):
    def add(self, referral: Referral) -> None:
        self.conn.execute(
            insert(referral_t).values(
                conversation_id=referral.conversation_id,
                round=referral.round,
                target=referral.target,
                addressee=referral.addressee,
                reason=referral.reason,
                staff_id=referral.staff_id,
                at=referral.at,
            )
        )

    def set_letter(self, conv_id: int, round_: int, path: str) -> None:
        self.conn.execute(REFERRAL_LETTER.values(letter_path=path),
                          {"_conv": conv_id, "_round": round_})  # fmt: skip

    def move(self, from_conv: int, to_conv: int) -> None:
        move_rounds(self.conn, referral_t, from_conv, to_conv)
        if self.incoming(to_conv) is None:  # one referral letter per case: the kept case's
            self.conn.execute(update(referral_in_t)
                              .where(referral_in_t.c.conversation_id == from_conv)
                              .values(conversation_id=to_conv))  # fmt: skip
        self.conn.execute(delete(referral_in_t).where(referral_in_t.c.conversation_id == from_conv))

    def add_incoming(self, referral: IncomingReferral) -> None:
        self.conn.execute(
            insert(referral_in_t).values(
                conversation_id=referral.conversation_id, origin=referral.origin,
                letter_number=referral.letter_number, letter_date=referral.letter_date,
                staff_id=referral.staff_id, at=referral.at,
            )
        )  # fmt: skip

    def incoming(self, conv_id: int) -> IncomingReferral | None:
        r = self.conn.execute(
            select(referral_in_t).where(referral_in_t.c.conversation_id == conv_id)
        ).first()
        if r is None:
            return None
        return IncomingReferral(r.conversation_id, r.origin, r.letter_number, r.letter_date,
                                r.staff_id, r.at)  # fmt: skip

    def get(self, conv_id: int, round_: int) -> Referral | None:
        r = self.conn.execute(REFERRAL_GET, {"_conv": conv_id, "_round": round_}).first()
        if r is None:
            return None
        return Referral(r.conversation_id, r.round, r.target, r.addressee, r.reason,
                        r.staff_id, r.at)  # fmt: skip


def survey_of(r) -> Survey:  # type: ignore[no-untyped-def]
    return Survey(r.conversation_id, r.round, r.asked_at, r.answered_at,
                  tuple(r.scores or ()), r.comment)  # fmt: skip


class SqlSurveys(Repo):
    def add(self, survey: Survey) -> None:
        self.conn.execute(
            insert(survey_t).values(
                conversation_id=survey.conversation_id, round=survey.round,
                asked_at=survey.asked_at, answered_at=survey.answered_at,
                scores=list(survey.scores) or None, comment=survey.comment,
            )
        )  # fmt: skip

    def get(self, conv_id: int, round_: int) -> Survey | None:
        r = self.conn.execute(SURVEY_GET, {"_conv": conv_id, "_round": round_}).first()
        return survey_of(r) if r else None

    def save(self, survey: Survey) -> None:
        self.conn.execute(
            SURVEY_SAVE.values(
                answered_at=survey.answered_at, scores=list(survey.scores) or None,
                comment=survey.comment,
            ),
            {"_conv": survey.conversation_id, "_round": survey.round},
        )  # fmt: skip

    def move(self, from_conv: int, to_conv: int) -> None:
        move_rounds(self.conn, survey_t, from_conv, to_conv)

    def counts(self, start: datetime, end: datetime) -> tuple[int, list[Survey]]:
        asked = self.conn.execute(SURVEYS_ASKED, {"_start": start, "_end": end}).scalar_one()
        answered = self.conn.execute(SURVEYS_ANSWERED, {"_start": start, "_end": end})
        return int(asked), [survey_of(r) for r in answered]


def appointment_of(r) -> Appointment:  # type: ignore[no-untyped-def]
    return Appointment(r.id, r.conversation_id, r.at, r.place, r.counselor_id, r.status,
                       r.staff_id, r.created_at)  # fmt: skip


class SqlAppointments(Repo):
    def add(self, appointment: Appointment) -> Appointment:
        new_id = self.conn.execute(
            insert(appointment_t).values(
                conversation_id=appointment.conversation_id, at=appointment.at,
                place=appointment.place, counselor_id=appointment.counselor_id,
                status=appointment.status, staff_id=appointment.by,
                created_at=appointment.created_at,
            ).returning(appointment_t.c.id)
        ).scalar_one()  # fmt: skip
        return replace(appointment, id=new_id)

    def get(self, appointment_id: int) -> Appointment | None:
        r = self.conn.execute(select(appointment_t).where(appointment_t.c.id == appointment_id))
        row = r.first()
        return appointment_of(row) if row is not None else None

    def for_conversation(self, conv_id: int) -> list[Appointment]:
        rows = self.conn.execute(
            select(appointment_t)
            .where(appointment_t.c.conversation_id == conv_id)
            .order_by(appointment_t.c.at, appointment_t.c.id)
        )
        return [appointment_of(r) for r in rows]

    def between(self, start: datetime, end: datetime) -> list[Appointment]:
        rows = self.conn.execute(
            select(appointment_t)
            .where(appointment_t.c.at >= start, appointment_t.c.at < end)
            .order_by(appointment_t.c.at, appointment_t.c.id)
        )
        return [appointment_of(r) for r in rows]

    def set_status(self, appointment_id: int, status: str) -> None:
        self.conn.execute(
            update(appointment_t).where(appointment_t.c.id == appointment_id).values(status=status)
        )

    def move(self, from_conv: int, to_conv: int) -> None:
        self.conn.execute(
            update(appointment_t)
            .where(appointment_t.c.conversation_id == from_conv)
            .values(conversation_id=to_conv)
        )
