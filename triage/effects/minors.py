"""A client who says they are under 18 (UU 27/2022 Pasal 25): handled as the office configures
(`[consent] minors`): "wali", the parent's or guardian's consent is needed; "konselor", in a
violence case the counselor decides in the child's best interest, in others the guardian's
consent is needed. Either way the step log keeps the age and the rule, staff are told what to do
(and record the guardian's consent or the decision with /catatan), and a child who answered the
form themselves is told why in plain words. An age corrected to 18 or more is logged and told
too."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from triage.domain import consent as rules
from triage.domain.forms.spec import FormSpec
from triage.domain.model import Conversation
from triage.domain.notices import Kind, group
from triage.effects.notify import client_fields, queue
from triage.effects.steplog import log_steps
from triage.ports import UnitOfWork

STEP, CLEARED = "minor", "minor_cleared"


def age_field(form: FormSpec) -> str | None:
    """The form's field that keeps an age (an office's own form may call it otherwise)."""
    return next((f.name for f in form.fields if f.kind == "age"), None)


def check(
    uow: UnitOfWork,
    conv: Conversation,
    before: Mapping[str, str | None],
    after: Mapping[str, str | None],
    form: FormSpec,
    rule: str,
    now: datetime,
) -> bool:
    """After an answer to the form: True when it just said the client is under 18 (the caller
    tells the child, with the text of `rule`)."""
    field = age_field(form)
    if field is None or after.get(field) == before.get(field):
        return False
    assert conv.id is not None
    years = rules.age(after, field)
    logged = [s for s in uow.steps.for_conversation(conv.id) if s.step in (STEP, CLEARED)]
    minor_now = bool(logged) and logged[-1].step == STEP
    if years is None or years >= rules.ADULT:
        if minor_now and years is not None:  # corrected: the rule no longer applies
            log_steps(uow, conv, [CLEARED], now, detail=str(years))
            _tell(uow, conv, "minor_cleared", years, now, len(logged))
        return False
    if minor_now:
        return False  # told once (a corrected age under 18 changes nothing for staff)
    log_steps(uow, conv, [STEP], now, detail=f"{years}; {rule}")
    _tell(uow, conv, f"minor_{rule}", years, now, len(logged))
    return True


def _tell(uow: UnitOfWork, conv: Conversation, event: str, years: int, now: datetime,
          n: int) -> None:  # fmt: skip
    assert conv.id is not None
    queue(uow, key=f"minor:{conv.id}:{conv.round}:{n}", recipient=group(conv.id),
          kind=Kind.STATUS, now=now, conv=conv, event=event, age=str(years),
          **client_fields(uow, conv))  # fmt: skip
