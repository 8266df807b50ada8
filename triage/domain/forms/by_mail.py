"""The identity form by email: one reply lists the questions as "Label:" lines; the
client's answer is read leniently (lines in any order, labels in either language, quoted or
not), valid answers are kept, and only what is still missing or wrong is asked again. A mail
without any "Label:" line is the client's story, not an answer: nobody is nagged.
Consent comes first: "Persetujuan: tidak" stops the form."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from triage.domain.forms.dialogue import FormState
from triage.domain.forms.spec import FormSpec, read_lines

MAILED = "mailed"  # the list went out; answers are awaited
QUOTED_LINE = re.compile(r"^\s*>.*$", re.MULTILINE)


ACRONYMS = frozenset({"nik", "hp", "kk", "rt", "rw", "wa", "ktp"})  # written in capitals


def label(name: str) -> str:
    """ "nomor_hp" -> "Nomor HP", "nik" -> "NIK"."""
    words = name.replace("_", " ").capitalize().split(" ")
    return " ".join(w.upper() if w.lower() in ACRONYMS else w for w in words)


def questions(form: FormSpec, lang: str, names: Sequence[str] | None = None) -> str:
    """The "Label:" lines to fill in, then what each one asks."""
    fields = [f for f in form.fields if f.first_message and (names is None or f.name in names)]
    blanks = "\n".join(f"{label(f.name)}: " for f in fields)
    hints = "\n".join(f"- {label(f.name)}: {f.prompt[lang]}" for f in fields)
    return f"{blanks}\n\n{hints}"


def first_letter(form: FormSpec, conv_id: int, lang: str, intro: str) -> tuple[FormState, str]:
    return FormState(conv_id, None, {}, MAILED), f"{intro}\n\n{questions(form, lang)}"


def read_answer(
    form: FormSpec,
    state: FormState,
    text: str,
    lang: str,
    today: date,
    texts: Mapping[str, str],
) -> tuple[FormState, list[str], bool]:
    """(new state, what to write back, whether the form is now complete)."""
    # Our own list comes back quoted ("> Nama: "): only what the client wrote counts.
    reading = read_lines(form, QUOTED_LINE.sub("", text), today)
    given = {n: a.value for n, a in reading.answers.items() if a.value is not None}
    if not given and not any(a.problem for a in reading.answers.values()):
        return state, [], False  # a story, not an answer
    consent = given.get("persetujuan") or state.answers.get("persetujuan")
    if consent == "tidak":  # refused: nothing of theirs is kept
        stopped = replace(state, answers={"persetujuan": "tidak"}, status="stopped")
        return stopped, [texts["form.stopped"]], False
    if consent != "ya":  # nothing is recorded before the client agrees (UU 27/2022)
        asked = ["persetujuan", *(n for n in given if n != "persetujuan")]
        body = f"{texts['form.mail.consent']}\n\n{questions(form, lang, asked)}"
        return state, [body], False
    answers = {**state.answers, **given}
    wrong = [
        (n, a.problem)
        for n, a in reading.answers.items()
        if a.value is None and a.problem and a.problem != "form.required"
    ]
    missing = [
        f.name
        for f in form.fields
        if f.required and f.first_message and answers.get(f.name) is None
    ]
    if not missing and not wrong:
        return replace(state, answers=answers, status="complete"), [], True
    again = list(dict.fromkeys([*(n for n, _ in wrong), *missing]))
    problems = "\n".join(f"- {label(n)}: {texts[p]}" for n, p in wrong)
    body = texts["form.mail.again"]
    if problems:
        body = f"{body}\n\n{problems}"
    return replace(state, answers=answers), [f"{body}\n\n{questions(form, lang, again)}"], False
