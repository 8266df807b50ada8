"""The identity form on a chat channel, as a dialogue table: what the client writes, what the
service answers, where the form stands (restarts included: the state is in the database)."""

from datetime import timedelta

import pytest

from tests.builders import T0, inbound
from tests.fakes import FakeUnitOfWorkFactory
from triage.domain.forms.spec import DEFAULT_FORM, read
from triage.domain.model import Channel
from triage.domain.outbox import Target
from triage.domain.rules.classify import Decision
from triage.effects.assess import RelaySetup
from triage.effects.form_prompts import TEXT_KEYS, FormSetup
from triage.texts.catalog import text
from triage.usecases.ingest import ingest
from triage.usecases.relay import relay_new_messages


def form_setup(lang):
    consent = text("hotline.consent_given", lang)
    texts = {k: text(k, lang) for k in TEXT_KEYS}
    return FormSetup(DEFAULT_FORM, lang, consent, texts, "PUSPAGA/{year}/{month:02d}/{number:04d}")


SETUP = form_setup("id")
CONSENT = SETUP.consent_text


def calm(body):
    danger = "tolong suami memukul" in body
    return Decision(danger, "lainnya", ("urgent.violence: memukul",) if danger else (), {})


TRIAGE = RelaySetup(calm, "Kami mendengar Anda. SAPA 129.", (), None, SETUP)


def prompt(name):
    return DEFAULT_FORM.field(name).prompt["id"]


def talk(uows, lines, triage=TRIAGE, *, start=1, instagram=False):
    """Each client line through ingest and the relay (a hotline client, or an Instagram one);
    returns what the client was sent, line by line."""
    channel = {"channel": Channel.INSTAGRAM, "sender": "ig-77"} if instagram else {}
    target = Target.INSTAGRAM if instagram else Target.HOTLINE
    said = []
    for n, line in enumerate(lines, start=start):
        before = {o.id for o in uows.db.outbox.values()}
        at = T0 + timedelta(seconds=n)
        ingest(inbound(n, text=line, at=at, **channel), uow_factory=uows, now=at)
        relay_new_messages(uow_factory=uows, now=at, triage=triage)
        new = sorted((o for o in uows.db.outbox.values() if o.id not in before), key=lambda o: o.id)
        said.append([o.text for o in new if o.target is target])
    return said


def test_the_form_one_question_at_a_time_with_skip_back_and_a_register_number():
    uows = FakeUnitOfWorkFactory()
    said = talk(
        uows,
        [
            CONSENT,
            "Sari",
            "tua sekali",
            "34",
            "ubah",
            "35",
            "P",
            "Denpasar",
            "lewati",
            "ibu",
            "anak susah makan",
        ],
    )
    assert said == [
        [text("form.intro", "id"), prompt("nama")],
        [prompt("usia")],
        [text("form.age", "id"), prompt("usia")],
        [prompt("jenis_kelamin")],
        [prompt("usia")],  # "ubah": back one question
        [prompt("jenis_kelamin")],
        [prompt("domisili")],
        [prompt("nomor_hp")],
        [prompt("hubungan")],  # the phone was skipped: it is optional
        [prompt("topik")],
        [text("form.done", "id").format(register="PUSPAGA/2026/11/0001")],
    ]
    [state] = uows.db.forms.values()
    assert state.status == "complete" and state.answers["usia"] == "35"
    assert state.answers["nomor_hp"] is None and state.register_no == "PUSPAGA/2026/11/0001"
    conv = next(iter(uows.db.conversations.values()))
    assert conv.steps.form_completed is not None  # the SOP step is stamped


def test_stopping_the_form_and_an_urgent_message_end_the_questions():
    uows = FakeUnitOfWorkFactory()
    said = talk(uows, [CONSENT, "batal", "saya mau cerita"])
    assert said[1] == [text("form.stopped", "id")] and said[2] == []
    other = FakeUnitOfWorkFactory()
    said = talk(other, [CONSENT, "tolong suami memukul saya"])
    assert said[1] == ["Kami mendengar Anda. SAPA 129."]  # the crisis reply, no question
    [state] = other.db.forms.values()
    assert state.status == "paused" and state.asking is None


def test_the_next_form_of_the_month_gets_the_next_number():
    uows = FakeUnitOfWorkFactory()
    uows.db.counters["2026-11"] = 41
    said = talk(uows, [CONSENT, "Budi", "40", "L", "Badung", "0812 3456 7890", "ayah", "kerja"])
    assert said[-1] == [text("form.done", "id").format(register="PUSPAGA/2026/11/0042")]
    assert next(iter(uows.db.forms.values())).answers["nomor_hp"] == "+6281234567890"


def test_a_story_told_in_the_middle_is_not_taken_for_an_answer():
    uows = FakeUnitOfWorkFactory()
    story = (
        "Selamat siang kak, saya bingung sekali karena anak saya tidak mau sekolah sejak sebulan"
    )
    said = talk(uows, [CONSENT, story, "Sari"])
    assert said[1] == [] and said[2] == [prompt("usia")]
    assert next(iter(uows.db.forms.values())).answers["nama"] == "Sari"


def test_a_short_story_or_a_question_is_not_taken_for_a_name():
    """What two walkthroughs of the guide met: a sentence shorter than the name's limit, and
    a client asking whether anyone is there, were stored as the name."""
    uows = FakeUnitOfWorkFactory()
    said = talk(uows, [CONSENT, "halo, saya butuh bantuan soal anak saya yang susah diatur",
                       "halo? masih ada petugas?", "Rina Wulandari"])  # fmt: skip
    assert said[1] == [] and said[2] == [] and said[3] == [prompt("usia")]
    assert next(iter(uows.db.forms.values())).answers["nama"] == "Rina Wulandari"


def test_a_story_is_not_read_as_an_age():
    uows = FakeUnitOfWorkFactory()
    said = talk(uows, [CONSENT, "Sari", "anak saya 9 tahun tidak mau sekolah sejak bulan lalu kak"])
    assert said[2] == [] and "usia" not in next(iter(uows.db.forms.values())).answers


def test_on_instagram_consent_is_asked_by_message_and_the_form_survives_a_restart():
    uows = FakeUnitOfWorkFactory()
    said = talk(
        uows,
        ["Kak, anak saya 3 tahun susah makan", "gimana ya kak", "ya", "Wulan", "29"],
        instagram=True,
    )
    assert said == [
        [text("form.chat.consent", "id")],
        [],  # more of the story: not an answer, nobody nags
        [text("form.intro", "id"), prompt("nama")],
        [prompt("usia")],
        [prompt("jenis_kelamin")],
    ]
    # the service restarts: a new process reads the same database and goes on
    restarted = FakeUnitOfWorkFactory(uows.db)
    said = talk(
        restarted, ["P", "Gianyar", "lewati", "ibu", "anak susah makan"], start=6, instagram=True
    )
    assert said[-1] == [text("form.done", "id").format(register="PUSPAGA/2026/11/0001")]
    [state] = restarted.db.forms.values()
    assert state.answers["nama"] == "Wulan" and state.answers["persetujuan"] == "ya"


def test_on_instagram_no_is_respected_and_nothing_is_asked_again():
    uows = FakeUnitOfWorkFactory()
    said = talk(uows, ["halo kak mau cerita", "tidak", "jadi begini kak"], instagram=True)
    assert said == [[text("form.chat.consent", "id")], [text("form.chat.declined", "id")], []]
    [state] = uows.db.forms.values()
    assert state.status == "stopped" and dict(state.answers) == {"persetujuan": "tidak"}


def test_the_english_form_takes_english_answers():
    """Mother, woman, "I am the father": an English-speaking client can finish the form."""
    english = form_setup("en")
    uows = FakeUnitOfWorkFactory()
    triage = RelaySetup(calm, "We hear you. SAPA 129.", (), None, english)
    lines = [english.consent_text, "Sarah", "I'm 34 years old", "I am a woman.", "Denpasar",
             "skip", "Mother", "my son does not eat"]  # fmt: skip
    said = [sent for turn in talk(uows, lines, triage) for sent in turn]
    assert text("form.gender", "en") not in said and text("form.choice", "en") not in said
    [state] = uows.db.forms.values()
    assert state.status == "complete", said
    assert state.answers["jenis_kelamin"] == "perempuan" and state.answers["hubungan"] == "ibu"
    assert state.answers["usia"] == "34"


@pytest.mark.parametrize(
    ("field", "said", "value"),
    [
        ("hubungan", "I am the father", "ayah"),
        ("hubungan", "a teenager", "remaja sendiri"),
        ("hubungan", "remaja", "remaja sendiri"),
        ("hubungan", "sebagai ibu", "ibu"),
        ("hubungan", "banana", None),
        # a word that only begins like one, or names the other person: asked again (a review)
        ("hubungan", "sonny", None),
        ("hubungan", "bundaran", None),
        ("hubungan", "mother-in-law", None),
        ("hubungan", "my son", None),
        ("hubungan", "otherwise no", None),
        ("jenis_kelamin", "I am a woman?", "perempuan"),
        ("jenis_kelamin", "Male", "laki-laki"),
        ("jenis_kelamin", "saya perempuan", "perempuan"),
        ("jenis_kelamin", "manusia", None),
    ],
)
def test_a_choice_in_other_words_is_taken_and_garbage_is_not(field, said, value):
    assert read(DEFAULT_FORM.field(field), said, T0.date()).value == value
