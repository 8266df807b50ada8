"""The identity form's state per conversation, and the register-number counter."""

from __future__ import annotations

from sqlalchemy import bindparam, case, delete, insert, select, update

from storage.repositories._base import Repo
from storage.tables import FormStateRow, RegisterCounterRow
from triage.domain.forms.dialogue import FormState

form_t = FormStateRow.__table__
counter_t = RegisterCounterRow.__table__
FORM_GET = select(form_t).where(form_t.c.conversation_id == bindparam("_conv"))
FORM_HOLDER = select(form_t.c.conversation_id).where(form_t.c.register_no == bindparam("_no"))
FORM_UPDATE = update(form_t).where(form_t.c.conversation_id == bindparam("_conv"))
COUNTER_NEXT = (
    update(counter_t)
    .where(
        counter_t.c.office_id == bindparam("_office"), counter_t.c.period == bindparam("_period")
    )
    .values(
        last=case(
            (counter_t.c.last < bindparam("_after"), bindparam("_after")), else_=counter_t.c.last
        )
        + 1
    )
    .returning(counter_t.c.last)
)


class SqlForms(Repo):
    def get(self, conv_id: int) -> FormState | None:
        row = self.conn.execute(FORM_GET, {"_conv": conv_id}).first()
        if row is None:
            return None
        return FormState(
            row.conversation_id, row.asking, dict(row.answers or {}), row.status, row.register_no
        )

    def holder(self, register_no: str) -> int | None:
        return self.conn.execute(FORM_HOLDER, {"_no": register_no}).scalar()

    def save(self, state: FormState) -> None:
        values = {
            "asking": state.asking,
            "answers": dict(state.answers),
            "status": state.status,
            "register_no": state.register_no,
        }
        if self.conn.execute(FORM_UPDATE, {"_conv": state.conversation_id, **values}).rowcount:
            return
        self.conn.execute(insert(form_t).values(conversation_id=state.conversation_id, **values))

    def delete(self, conv_id: int) -> None:
        self.conn.execute(delete(form_t).where(form_t.c.conversation_id == conv_id))

    def next_number(self, period: str, after: int = 0) -> int:
        row = self.conn.execute(
            COUNTER_NEXT, {"_office": self.office_id, "_period": period, "_after": after}
        ).first()
        if row is not None:
            return int(row[0])
        self.conn.execute(
            insert(counter_t).values(office_id=self.office_id, period=period, last=after + 1)
        )  # a race: Conflict
        return after + 1
