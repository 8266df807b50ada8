"""The identity form asked one question at a time on a chat channel: after the client
agrees, each message answers the question asked; "lewati" skips it, "ubah" goes back one
question, "batal" stops the form. The state lives in the database (it survives a restart); when
every required answer is in, the conversation gets its register number (e.g.
PUSPAGA/2026/11/0042) and the form-complete step is stamped. An urgent message pauses the form:
nobody in danger is asked for their district.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from triage.domain.forms.spec import FormSpec, read

SKIP, BACK, STOP = (
    frozenset({"lewati", "skip"}),
    frozenset({"ubah", "back"}),
    frozenset({"batal", "stop", "cancel"}),
)


# how long an answer of each kind can be; longer is the client telling their story
SHORT_KINDS = {"age": 40, "gender": 20, "phone": 30, "choice": 40, "consent": 20, "nik": 30}


SHORT_TEXT = 60  # a text field this short (a name) takes a few words, not a sentence
SHORT_TEXT_WORDS = 6


def _story(text: str, kind: str, max_len: int) -> bool:
    """Longer than an answer of its kind can be, a question ("halo? masih ada petugas?"), or a
    sentence where a name is asked: the client is talking, not answering."""
    said = text.strip()
    if len(said) > min(max_len, SHORT_KINDS.get(kind, max_len)):
        return True
    if kind != "text":
        return False
    return said.endswith("?") or (max_len <= SHORT_TEXT and len(said.split()) > SHORT_TEXT_WORDS)


@dataclass(frozen=True)
class FormState:
    conversation_id: int
    asking: str | None  # the field asked now; None when the dialogue is over
    answers: Mapping[str, str | None] = field(default_factory=dict)  # None: skipped
    status: str = "asking"  # asking, complete, incomplete, stopped, paused
    register_no: str | None = None


@dataclass(frozen=True)
class Turn:
    state: FormState
    say: list[str]  # texts to send the client, in order (already in their language)
    completed: bool = False  # every required answer is in: give the register number


def _chat_fields(form: FormSpec) -> list[str]:
    return [f.name for f in form.fields if f.name != "persetujuan"]


def begin(form: FormSpec, conv_id: int, lang: str, intro: str) -> Turn:
    """The client agreed: ask the first question (consent is recorded as given)."""
    first = _chat_fields(form)[0]
    state = FormState(conv_id, first, {"persetujuan": "ya"})
    prompt = form.field(first).prompt[lang]  # type: ignore[union-attr]
    return Turn(state, [intro, prompt])


def answer(
    form: FormSpec,
    state: FormState,
    text: str,
    lang: str,
    today: date,
    problems: Mapping[str, str],
) -> Turn:
    """The client's message while a question is open."""
    if state.asking is None:
        return Turn(state, [])
    order = _chat_fields(form)
    word = " ".join(text.casefold().split())
    spec = form.field(state.asking)
    assert spec is not None
    if word in STOP:
        return Turn(replace(state, asking=None, status="stopped"), [problems["form.stopped"]])
    if word in BACK:
        at = order.index(state.asking)
        previous = order[max(0, at - 1)]
        return Turn(replace(state, asking=previous), [form.field(previous).prompt[lang]])  # type: ignore[union-attr]
    if _story(text, spec.kind, spec.max_len):
        return Turn(state, [])  # a story, not an answer: the question stays open, unrepeated
    answers = dict(state.answers)
    if word in SKIP:
        answers[spec.name] = None
    else:
        got = read(spec, text, today)
        if got.problem is not None and got.problem != "form.required":
            return Turn(state, [problems[got.problem], spec.prompt[lang]])
        answers[spec.name] = got.value
    following = [n for n in order[order.index(spec.name) + 1 :]]
    nxt = next((n for n in following if n not in answers), None)
    if nxt is not None and form.field(nxt).first_message is False:  # type: ignore[union-attr]
        nxt = None  # NIK is never asked in the first conversation: staff may ask later
    if nxt is not None:
        return Turn(replace(state, asking=nxt, answers=answers), [form.field(nxt).prompt[lang]])  # type: ignore[union-attr]
    missing = [f.name for f in form.fields if f.required and answers.get(f.name) is None]
    status = "incomplete" if missing else "complete"
    done = replace(state, asking=None, answers=answers, status=status)
    return Turn(done, [], completed=not missing)


def register_number(template: str, at: datetime, number: int) -> str:
    """`template` such as "PUSPAGA/{year}/{month:02d}/{number:04d}"."""
    return template.format(year=at.year, month=at.month, number=number)


def period_of(at: datetime) -> str:
    """Register numbers count per month."""
    return f"{at.year:04d}-{at.month:02d}"
