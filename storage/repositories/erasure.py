"""Blanking personal content in SQL (port Erasure; what each kind covers: triage.domain.erasure)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    String,
    and_,
    bindparam,
    cast,
    delete,
    exists,
    insert,
    literal,
    select,
    update,
)

from storage.dead_letters import forget_senders
from storage.repositories._base import Repo
from storage.tables import (
    AppointmentRow,
    CaseFileRow,
    ClientRow,
    ContactRow,
    ConversationRow,
    ErasureRow,
    FormStateRow,
    IncomingReferralRow,
    LegalHoldRow,
    MessageRow,
    OutboxRow,
    PsychRecordRow,
    ReferralRow,
    SurveyRow,
)
from triage.domain.appointments import CANCELLED, SCHEDULED
from triage.domain.erasure import KEPT_ANSWERS, LegalHold

conv_t = ConversationRow.__table__
message_t = MessageRow.__table__
outbox_t = OutboxRow.__table__
mark_t = ErasureRow.__table__
hold_t = LegalHoldRow.__table__
held_conv_t = conv_t.alias("held_conv")
CONV = bindparam("_conv")
ERASED = "(dihapus)"

UNHELD = ~exists().where(hold_t.c.conversation_id == conv_t.c.id)  # not on legal hold
DUE = (
    select(conv_t.c.id)
    .where(
        conv_t.c.state == "closed",
        conv_t.c.closed_at < bindparam("_cutoff"),
        ~exists().where(  # erased since it last closed (a reopened case is due again)
            and_(
                mark_t.c.conversation_id == conv_t.c.id,
                mark_t.c.kind == bindparam("_kind"),
                mark_t.c.at >= conv_t.c.closed_at,
            )
        ),
        UNHELD,
    )
    .order_by(conv_t.c.closed_at, conv_t.c.id)
    .limit(bindparam("_limit"))
)
# the client's name and addresses stay while any of their cases is on legal hold
DUE_IDENTITY = DUE.where(
    ~exists().where(
        hold_t.c.conversation_id == held_conv_t.c.id,
        held_conv_t.c.client_id == conv_t.c.client_id,
    )
)
MARKED = select(mark_t.c.kind, mark_t.c.at).where(mark_t.c.conversation_id == CONV)
UNMARK = delete(mark_t).where(mark_t.c.conversation_id == CONV, mark_t.c.kind == bindparam("_k"))
MESSAGES = (
    update(message_t)
    .where(message_t.c.conversation_id == CONV)
    .values(text="", subject=None, external_id=literal("erased:") + cast(message_t.c.id, String))
)
# A dispatcher sending one of these right now records its result only if the claim count is
# still its own (the outbox's fencing): the bump makes it drop the result, so the erased text
# and address never come back from a send in flight.
OUTBOX_TEXTS = (
    update(outbox_t)
    .where(outbox_t.c.conversation_id == CONV)
    .values(
        text="", recipient="erased", options=None, claims=outbox_t.c.claims + 1, lease_until=None
    )
)
OUTBOX_STOP = (  # what was still to go out is not sent with its text gone
    update(outbox_t)
    .where(outbox_t.c.conversation_id == CONV, outbox_t.c.status.in_(("pending", "sending")))
    .values(status="failed", last_error="erased")
)
SURVEY_COMMENT = (
    update(SurveyRow.__table__)
    .where(SurveyRow.__table__.c.conversation_id == CONV)
    .values(comment="")
)
REFERRAL_T = ReferralRow.__table__
APPOINTMENT_T = AppointmentRow.__table__
SESSION_PLACES = (
    update(APPOINTMENT_T).where(APPOINTMENT_T.c.conversation_id == CONV).values(place="")
)
SESSIONS_OFF = (  # nothing is reminded of an erased client's sessions
    update(APPOINTMENT_T)
    .where(APPOINTMENT_T.c.conversation_id == CONV, APPOINTMENT_T.c.status == SCHEDULED)
    .values(status=CANCELLED)
)
REFERRAL_REASON = update(REFERRAL_T).where(REFERRAL_T.c.conversation_id == CONV).values(reason="")
ATTACHED = select(message_t.c.id, message_t.c.attachments).where(
    message_t.c.conversation_id == CONV, message_t.c.attachments.is_not(None)
)
NO_ATTACHMENTS = (
    update(message_t).where(message_t.c.conversation_id == CONV).values(attachments=None)
)
FORM_T = FormStateRow.__table__
FORM_ANSWERS = select(FORM_T.c.answers).where(FORM_T.c.conversation_id == CONV)
FORM_KEEP = update(FORM_T).where(FORM_T.c.conversation_id == CONV)
CASEFILE_T = CaseFileRow.__table__
CASEFILE_BLANK = (
    update(CASEFILE_T).where(CASEFILE_T.c.conversation_id == CONV).values(facts=None, data=None)
)
RECORD_DELETE = delete(PsychRecordRow.__table__).where(
    PsychRecordRow.__table__.c.conversation_id == CONV
)
LETTERS = select(REFERRAL_T.c.letter_path).where(
    REFERRAL_T.c.conversation_id == CONV, REFERRAL_T.c.letter_path.is_not(None)
)
NO_LETTERS = update(REFERRAL_T).where(REFERRAL_T.c.conversation_id == CONV).values(letter_path=None)
REFERRED_T = IncomingReferralRow.__table__
REFERRED_BLANK = (
    update(REFERRED_T)
    .where(REFERRED_T.c.conversation_id == CONV)
    .values(letter_number="", letter_date=None)
)
CLIENT_OF = select(conv_t.c.client_id).where(conv_t.c.id == CONV)
CLIENT_T, CONTACT_T = ClientRow.__table__, ContactRow.__table__
CLIENT_BLANK = (
    update(CLIENT_T).where(CLIENT_T.c.id == bindparam("_client")).values(display_name=ERASED)
)
CONTACTS_OF = select(CONTACT_T.c.channel, CONTACT_T.c.external_id).where(
    CONTACT_T.c.client_id == bindparam("_client")
)
CONTACTS_BLANK = (
    update(CONTACT_T)
    .where(CONTACT_T.c.client_id == bindparam("_client"))
    .values(external_id=literal("erased:") + cast(CONTACT_T.c.id, String), display_name=ERASED)
)


class SqlErasure(Repo):
    def closed_before(self, kind: str, cutoff: datetime, limit: int) -> list[int]:
        args = {"_kind": kind, "_cutoff": cutoff, "_limit": limit}
        due = DUE_IDENTITY if kind == "identity" else DUE
        return list(self.conn.execute(due, args).scalars())

    def mark(self, conv_id: int, kind: str, now: datetime) -> None:
        self.conn.execute(UNMARK, {"_conv": conv_id, "_k": kind})
        self.conn.execute(insert(mark_t).values(conversation_id=conv_id, kind=kind, at=now))

    def erased_at(self, conv_id: int, kind: str) -> datetime | None:
        return dict(self.conn.execute(MARKED, {"_conv": conv_id}).all()).get(kind)

    def erase(self, conv_id: int, kinds: Sequence[str], now: datetime) -> list[str]:
        args = {"_conv": conv_id}
        paths: list[str] = []
        for kind in kinds:  # each statement is idempotent: a request erases again whatever came
            if kind == "messages":
                for statement in (MESSAGES, OUTBOX_STOP, OUTBOX_TEXTS, SURVEY_COMMENT,
                                  REFERRAL_REASON, SESSION_PLACES, SESSIONS_OFF):  # fmt: skip
                    self.conn.execute(statement, args)
            elif kind == "attachments":
                for row in self.conn.execute(ATTACHED, args):
                    paths += [a["stored_path"] for a in row.attachments if a.get("stored_path")]
                self.conn.execute(NO_ATTACHMENTS, args)
            elif kind == "forms":
                answers = self.conn.execute(FORM_ANSWERS, args).scalar()
                if answers:
                    kept = {k: v for k, v in answers.items() if k in KEPT_ANSWERS}
                    self.conn.execute(FORM_KEEP.values(answers=kept), args)
            elif kind == "case_files":
                self.conn.execute(CASEFILE_BLANK, args)
            elif kind == "records":
                paths += list(self.conn.execute(LETTERS, args).scalars())
                self.conn.execute(RECORD_DELETE, args)
                self.conn.execute(NO_LETTERS, args)
                self.conn.execute(REFERRED_BLANK, args)
            elif kind == "identity":
                client = self.conn.execute(CLIENT_OF, args).scalar()
                if client is not None:
                    paths += self.erase_client(client)
            else:
                raise ValueError(f"unknown kind of data {kind!r}")
            self.mark(conv_id, kind, now)
        return paths

    def hold(self, hold: LegalHold) -> None:
        self.lift(hold.conversation_id)
        row = {"conversation_id": hold.conversation_id, "held_by": hold.by, "at": hold.at}
        self.conn.execute(insert(hold_t).values(**row, reason=hold.reason))

    def lift(self, conv_id: int) -> None:
        self.conn.execute(delete(hold_t).where(hold_t.c.conversation_id == conv_id))

    def hold_of(self, conv_id: int) -> LegalHold | None:
        row = self.conn.execute(select(hold_t).where(hold_t.c.conversation_id == conv_id)).first()
        return LegalHold(row.conversation_id, row.held_by, row.at, row.reason) if row else None

    def held_for_client(self, client_id: int) -> list[int]:
        query = (
            select(hold_t.c.conversation_id)
            .join(conv_t, conv_t.c.id == hold_t.c.conversation_id)
            .where(conv_t.c.client_id == client_id)
            .order_by(hold_t.c.conversation_id)
        )
        return list(self.conn.execute(query).scalars())

    def erase_client(self, client_id: int) -> list[str]:
        contacts = self.conn.execute(CONTACTS_OF, {"_client": client_id}).all()
        paths = forget_senders(self.conn, [f"{channel}:{address}" for channel, address in contacts])
        self.conn.execute(CLIENT_BLANK, {"_client": client_id})
        self.conn.execute(CONTACTS_BLANK, {"_client": client_id})
        return paths
