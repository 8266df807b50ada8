"""The client's identity form as data, and how its answers are read.

Fields have a kind, whether they are required, whether they are personal data, and prompts in
Indonesian and English; an office may define its own form in the same shape. Answers are read
leniently ("Nama: …" lines in any order, "lewati" to skip) and validated strictly: a NIK by its
structure (16 digits, province, birth date with +40 for women, serial not 0000), a phone number
to E.164. Nothing here raises on any text (a property test holds it to that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import phonenumbers

from triage.domain.schedule.dates import parse_date

PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53}
    | {61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96}
)
SKIP_WORDS = frozenset({"lewati", "skip", "-", "tidak mau", "rahasia"})


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # text, age, gender, phone, nik, choice, consent
    required: bool
    personal: bool  # personal data (UU 27/2022): masked where staff need not see it
    prompt: dict[str, str]
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other labels a client may write before ":"
    first_message: bool = True  # False: never asked in the first message (NIK)
    max_len: int = 120  # longer is not an answer but the client telling their story


@dataclass(frozen=True)
class FormSpec:
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class Answer:
    value: str | None  # normalised; None when skipped or not valid
    problem: str | None = None  # a catalogue key saying what is wrong, for the question again


DEFAULT_FORM = FormSpec(
    (
        FieldSpec(
            "persetujuan",
            "consent",
            True,
            False,
            {
                "id": "Apakah Anda setuju data Anda dicatat untuk layanan ini? (ya/tidak)",
                "en": "Do you agree that we record your details for this service? (yes/no)",
            },
            aliases=("setuju", "consent"),
        ),
        FieldSpec(
            "nama",
            "text",
            True,
            True,
            {"id": "Nama (boleh nama panggilan):", "en": "Name (a nickname is fine):"},
            aliases=("nama lengkap", "name"),
            max_len=60,
        ),
        FieldSpec(
            "usia",
            "age",
            True,
            True,
            {"id": "Usia atau tanggal lahir:", "en": "Age or date of birth:"},
            aliases=("umur", "tanggal lahir", "tgl lahir", "age"),
        ),
        FieldSpec(
            "jenis_kelamin",
            "gender",
            True,
            True,
            {"id": "Jenis kelamin (perempuan/laki-laki):", "en": "Gender (female/male):"},
            aliases=("jenis kelamin", "jk", "gender", "sex"),
        ),
        FieldSpec(
            "domisili",
            "text",
            True,
            True,
            {"id": "Domisili (kecamatan / desa):", "en": "Where you live (district / village):"},
            aliases=("alamat", "kecamatan", "desa", "address"),
        ),
        FieldSpec(
            "nomor_hp",
            "phone",
            False,
            True,
            {"id": "Nomor HP (boleh dikosongkan):", "en": "Phone number (optional):"},
            aliases=("hp", "no hp", "nomor hp", "telepon", "wa", "phone"),
        ),
        FieldSpec(
            "hubungan",
            "choice",
            True,
            False,
            {
                "id": "Anda menghubungi sebagai: ibu, ayah, anak, remaja sendiri, atau lainnya?",
                "en": "You are writing as: mother, father, child, a teenager yourself, or other?",
            },
            choices=("ibu", "ayah", "anak", "remaja sendiri", "lainnya"),
            aliases=("hubungan dengan klien", "status", "relation"),
        ),
        FieldSpec(
            "topik",
            "text",
            True,
            False,
            {
                "id": "Apa yang ingin Anda konsultasikan?",
                "en": "What would you like to talk about?",
            },
            aliases=("masalah", "keperluan", "topic"),
            max_len=1000,
        ),
        FieldSpec(
            "nik",
            "nik",
            False,
            True,
            {"id": "NIK (16 angka, boleh dilewati):", "en": "NIK (16 digits, may be skipped):"},
            aliases=("no ktp", "ktp"),
            first_message=False,
        ),
    )
)

GENDER = {
    "perempuan": "perempuan",
    "p": "perempuan",
    "wanita": "perempuan",
    "female": "perempuan",
    "f": "perempuan",
    "cewek": "perempuan",
    "laki-laki": "laki-laki",
    "laki laki": "laki-laki",
    "lakilaki": "laki-laki",
    "l": "laki-laki",
    "pria": "laki-laki",
    "male": "laki-laki",
    "m": "laki-laki",
    "cowok": "laki-laki",
    "woman": "perempuan",
    "girl": "perempuan",
    "cewe": "perempuan",
    "lelaki": "laki-laki",
    "laki": "laki-laki",
    "man": "laki-laki",
    "boy": "laki-laki",
    "cowo": "laki-laki",
}
# What clients write for the relation's choices in English and in other words; taken only
# when the office's form has that choice.
CHOICE_WORDS = {
    "mother": "ibu",
    "mom": "ibu",
    "mum": "ibu",
    "mama": "ibu",
    "bunda": "ibu",
    "emak": "ibu",
    "father": "ayah",
    "dad": "ayah",
    "papa": "ayah",
    "bapak": "ayah",
    "child": "anak",
    "son": "anak",
    "daughter": "anak",
    "kid": "anak",
    "teenager": "remaja sendiri",
    "teen": "remaja sendiri",
    "remaja": "remaja sendiri",
    "other": "lainnya",
    "someone else": "lainnya",
}
# how an answer may begin before the word itself: "I am a woman", "as a mother", "saya ibu";
# not "my" ("my son" names the other person: the writer is the parent)
PREAMBLE = re.compile(r"^(?:(?:i am|i'm|im|saya|aku|sebagai|as|a|an|the|seorang)\s+)+")
END = " .!?,"
YES = frozenset({"ya", "iya", "y", "setuju", "yes", "boleh", "ok", "oke", "bersedia"})
NO = frozenset({"tidak", "tdk", "ga", "gak", "no", "tidak setuju", "enggak", "nggak"})
DATE = re.compile(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})")
# a number on its own ("15", "15 tahun", "17,5": 17), never a piece of a longer one
AGE = re.compile(r"(?<![\d,.])(\d{1,3})(?:[,.]\d+)?(?![\d,.])\s*(?:th|thn|tahun|years?|yo)?\b")
YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")  # "lahir 2003", "12 Maret 1990"
LINE = re.compile(r"^\s*([A-Za-z][A-Za-z ./]{0,30}?)\s*[:=]\s*(.*)$")


def nik_problem(nik: str) -> str | None:
    """None if the NIK has a valid structure, else a catalogue key. A valid structure does not
    prove the NIK exists (notes/domain-indonesia.md)."""
    digits = re.sub(r"[\s.-]", "", nik)
    if not re.fullmatch(r"\d{16}", digits):
        return "form.nik_digits"
    if int(digits[:2]) not in PROVINCES:
        return "form.nik_province"
    day, month, year = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    day = day - 40 if day > 40 else day
    try:
        date(2000 + year, month, day)  # any century: the day and month must exist
    except ValueError:
        return "form.nik_date"
    if digits[12:] == "0000":
        return "form.nik_serial"
    return None


def phone_e164(raw: str) -> str | None:
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def read(spec: FieldSpec, raw: str, today: date) -> Answer:
    """One answer to one field: normalised, skipped, or refused with the reason."""
    text = " ".join(raw.split())[: max(500, spec.max_len)]
    lowered = text.casefold()
    if spec.kind == "consent" and text:  # "tidak mau" refuses here; it does not skip
        if lowered in YES:
            return Answer("ya")
        if lowered in NO or lowered.split()[0] in NO:
            return Answer("tidak")
        return Answer(None, "form.yes_no")
    if not text or lowered in SKIP_WORDS:
        return Answer(None, None if not spec.required else "form.required")
    if spec.kind == "gender":
        found = GENDER.get(lowered) or GENDER.get(PREAMBLE.sub("", lowered).rstrip(END))
        return Answer(found) if found else Answer(None, "form.gender")
    if spec.kind == "choice":
        plain = PREAMBLE.sub("", lowered)
        found = next(
            (c for c in spec.choices if plain.startswith(c) or lowered.startswith(c)), None
        )
        if found is None:  # the whole answer one of the other words ("mother", "a teenager")
            chosen = CHOICE_WORDS.get(plain.rstrip(END))
            found = chosen if chosen in spec.choices else None
        return Answer(found) if found else Answer(None, "form.choice")
    if spec.kind == "phone":
        e164 = phone_e164(text)
        return Answer(e164) if e164 else Answer(None, "form.phone")
    if spec.kind == "nik":
        problem = nik_problem(text)
        return Answer(None, problem) if problem else Answer(re.sub(r"[\s.-]", "", text))
    if spec.kind == "age":
        return _age(text, today)
    return Answer(text)


def _age(text: str, today: date) -> Answer:
    born = DATE.search(text)
    if born:
        day, month, year = (int(g) for g in born.groups())
        try:
            birth = date(year, month, day)
        except ValueError:
            return Answer(None, "form.age")
        years = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        return Answer(str(years)) if 0 <= years <= 120 else Answer(None, "form.age")
    year = YEAR.search(text)
    if year:  # a date with the month's name, or a year alone (then this year's age)
        birth = parse_date(text, today)
        if birth is None or birth.year != int(year[1]):
            birth = date(int(year[1]), 1, 1)
            years = today.year - birth.year
        else:
            years = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        return Answer(str(years)) if 0 <= years <= 120 else Answer(None, "form.age")
    found = AGE.search(text)
    if found and 0 <= int(found.group(1)) <= 120:
        return Answer(found.group(1))
    return Answer(None, "form.age")


@dataclass(frozen=True)
class Reading:
    answers: dict[str, Answer] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()  # "Label:" lines whose label is no field's (staff are told)
    cut: tuple[str, ...] = ()  # long fields longer than their max_len, kept to it (told too)

    def missing(self, form: FormSpec) -> list[FieldSpec]:
        """Required fields without a valid answer: asked again."""
        return [
            f
            for f in form.fields
            if f.required and (f.name not in self.answers or self.answers[f.name].value is None)
        ]


LONG = 500  # a field allowed more than this (a record's part, a complaint's chronology) is long


def read_lines(form: FormSpec, message: str, today: date) -> Reading:
    """An email-style answer: "Nama: …" lines in any order, labels in either language. A long
    field goes on over the lines after its label until the next known label, so a record's
    part written over several lines is kept whole; labels that are no field's are listed."""
    labels = {}
    for spec in form.fields:
        for label in (spec.name.replace("_", " "), *spec.aliases):
            labels[label.casefold()] = spec
    answers: dict[str, Answer] = {}
    long: dict[str, list[str]] = {}  # a long field's lines, in order
    unknown: list[str] = []
    current: FieldSpec | None = None  # the long field later lines continue
    for line in message.splitlines()[:1000]:
        match = LINE.match(line)
        spec = labels.get(" ".join(match.group(1).casefold().split())) if match else None
        if spec is None:
            if current is not None:
                long[current.name].append(line)
            elif match:
                unknown.append(" ".join(match.group(1).split()))
            continue
        if spec.max_len > LONG:
            current = spec
            long.setdefault(spec.name, []).append(match.group(2))
            continue
        current = None
        got = read(spec, match.group(2), today)
        earlier = answers.get(spec.name)
        if earlier is None or (earlier.value is None and got.value is not None):
            answers[spec.name] = got  # the first real answer wins over blanks and repeats
    cut = []
    for spec in form.fields:
        if spec.name in long:
            whole = "\n".join(long[spec.name])
            if len(" ".join(whole.split())) > spec.max_len:
                cut.append(spec.name)
            answers[spec.name] = read(spec, whole, today)
    return Reading(answers, tuple(dict.fromkeys(unknown)), tuple(cut))


def shown(kind: str, value: str | None) -> str:
    """A form answer as staff see it in Telegram: the NIK masked but for its last 4
    digits; a street address masked but for its last part (the village or district), which is
    what staff need to route a case."""
    if value is None:
        return "—"
    if kind == "nik":
        return "•" * max(0, len(value) - 4) + value[-4:]
    if kind == "address":
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if len(parts) > 1:
            return "•••, " + parts[-1]
        return value[:3] + "•••" if len(value) > 3 else "•••"
    return value
