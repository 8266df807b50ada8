"""The monthly report's rows: each round of a conversation received in the month, with its
steps, form answers, outcome and referral."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, bindparam, select

from storage import mapping
from storage.repositories._base import Repo, client_t, contact_t, conv_t, step_t
from storage.repositories.followups import SqlSurveys
from storage.repositories.forms import form_t
from storage.tables import ReferralRow
from triage.domain.model import StepRecord
from triage.domain.reports import CaseRow, rounds_received
from triage.domain.survey import Survey
from triage.domain.triage_checks import CONFIRMED, TriageCheck, parse

referral_t = ReferralRow.__table__
# Conversations with a round received in the month: each round is a counseling contact.
RECEIVED_IN = select(step_t.c.conversation_id).where(
    step_t.c.step == "received", step_t.c.at >= bindparam("_start"), step_t.c.at < bindparam("_end")
)
REPORT_CASES = (
    select(
        conv_t,
        contact_t.c.channel,
        client_t.c.display_name,
        form_t.c.answers,
        form_t.c.register_no,
        referral_t.c.target.label("referral_target"),
    )
    .join(contact_t, contact_t.c.id == conv_t.c.reply_contact_id)
    .join(client_t, client_t.c.id == conv_t.c.client_id)
    .outerjoin(form_t, form_t.c.conversation_id == conv_t.c.id)
    .outerjoin(
        referral_t,
        and_(referral_t.c.conversation_id == conv_t.c.id, referral_t.c.round == conv_t.c.round),
    )
    .where(conv_t.c.id.in_(RECEIVED_IN))
    .order_by(conv_t.c.received_at, conv_t.c.id)
)
REPORT_STEPS = select(step_t).where(step_t.c.conversation_id.in_(RECEIVED_IN))
REPORT_REFERRALS = select(
    referral_t.c.conversation_id, referral_t.c.round, referral_t.c.target
).where(referral_t.c.conversation_id.in_(RECEIVED_IN))

TRIAGE_CHECKS = select(step_t.c.detail).where(
    step_t.c.step == CONFIRMED,
    step_t.c.at >= bindparam("_start"),
    step_t.c.at < bindparam("_end"),
)


class SqlReports(Repo):
    def cases_received(self, start: datetime, end: datetime) -> list[CaseRow]:
        window = {"_start": start, "_end": end}
        logs: dict[int, list[StepRecord]] = {}
        for r in self.conn.execute(REPORT_STEPS, window):
            logs.setdefault(r.conversation_id, []).append(mapping.step(r))
        targets: dict[int, dict[int, str]] = {}
        for r in self.conn.execute(REPORT_REFERRALS, window):
            targets.setdefault(r.conversation_id, {})[r.round] = r.target
        out = []
        for r in self.conn.execute(REPORT_CASES, window):
            conv = mapping.conversation(r)
            assert conv.id is not None
            current = CaseRow(
                conversation_id=conv.id,
                round=conv.round,
                opened_at=conv.steps.received or conv.opened_at,
                channel=r.channel,
                category=conv.category,
                urgent=conv.urgent,
                state=conv.state.value,
                outcome=conv.outcome.value if conv.outcome else None,
                counselor_id=conv.counselor_id,
                steps=conv.steps,
                answers=dict(r.answers or {}),
                register_no=r.register_no,
                client_name=r.display_name,
                referral_target=r.referral_target,
            )
            out += rounds_received(current, logs.get(conv.id, []), targets.get(conv.id, {}),
                                   start, end)  # fmt: skip
        return out

    def surveys(self, start: datetime, end: datetime) -> tuple[int, list[Survey]]:
        return SqlSurveys(self.conn).counts(start, end)

    def triage_checks(self, start: datetime, end: datetime) -> list[TriageCheck]:
        window = {"_start": start, "_end": end}
        found = (parse(r.detail) for r in self.conn.execute(TRIAGE_CHECKS, window))
        return [c for c in found if c is not None]
