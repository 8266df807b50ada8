"""Risk levels: the lexicon, the learned model's scorer, the rules' shortcut, and bad input."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.domain.rules.classify import (
    BIASA,
    LEVELS,
    MENDESAK,
    PERLU_DICEK,
    _negated,
    calm_frame,
    classify,
    model_text,
    urgency,
)
from triage.domain.rules.defaults import DEFAULT_RULES, LEXICON, MODEL
from triage.domain.rules.lexicon import id_forms
from triage.domain.rules.lexicon import read as read_lexicon
from triage.domain.rules.literals import needles
from triage.domain.rules.model import LinearModel, features
from triage.domain.rules.textnorm import normalize


def test_three_levels_lowest_first():
    assert LEVELS == (BIASA, PERLU_DICEK, MENDESAK)


def test_a_concept_without_the_rules_gives_perlu_dicek_and_names_the_words():
    decision = classify("aku ngerasa cuma jadi beban buat semua orang", DEFAULT_RULES)
    assert decision.risk == PERLU_DICEK and not decision.urgent
    assert "concept.farewell_burden: jadi beban" in decision.rules


@pytest.mark.parametrize(
    "text",
    [
        "abdi tos teu kuat hirup deui",  # Sundanese
        "bojoku nggebugi aku terus",  # Javanese ngoko
        "tiang sube sing nyak idup buin",  # Balinese
        "ambo alah indak tahan lai, raso nak mati se lah",  # Minang
        "ulun handak mati haja",  # Banjar
        # learnt from the eighth corpora
        "pengen turu terus ra tangi maneh",  # Javanese ngoko: sleep and never wake
        "tiang mekeneh ngulah pati",  # Balinese
        "abdi bade pamit, hatur nuhun kanggo sadayana",  # Sundanese farewell
        "kok bisuak pagi ambo indak ado lai, indak usah dicari",  # Minang
        "I told you I wanted to die and nobody answered",
    ],
)
def test_regional_words_raise_the_level(text):
    assert classify(text, DEFAULT_RULES).risk != BIASA


def test_a_trap_explains_the_lexicon_word_away():
    assert classify("jam buka kantor pukul 10 ya kak?", DEFAULT_RULES).risk == BIASA
    assert classify("mati lampu di rumah, kapan kantor buka?", DEFAULT_RULES).risk == BIASA


def test_a_helper_concept_is_needed():
    """A lost phone is not a missing child: "hilang" counts only when a child is named (the
    lexicon alone; the model weighs short messages on its own)."""
    lexicon_only = replace(DEFAULT_RULES, model=None)
    assert classify("hp saya hilang di angkot", lexicon_only).risk == BIASA
    assert classify("anak saya hilang dari kemarin", lexicon_only).risk != BIASA


def test_indonesian_affixes_are_written_out():
    forms = id_forms("pukul")
    assert {"dipukul", "memukul", "dipukuli", "mukul", "mukulin", "kepukul"} <= forms
    assert {"menyayat", "nyayat", "disayat"} <= id_forms("sayat")
    assert {"menendang", "nendang"} <= id_forms("tendang")


def test_the_lexicon_reads_its_format():
    lexicon = read_lexicon(
        '[helpers.child.words]\nid = ["anak"]\n'
        '[concepts.missing]\nabout = "x"\nneeds = "child"\ncues = ["pergi"]\n'
        '[concepts.missing.words]\nid = ["belum pulang"]\n'
    )
    assert [h.concept for h in lexicon.hits("anak belum pulang")] == ["missing"]
    assert lexicon.hits("suami belum pulang") == []
    assert [h.cue for h in lexicon.hits("anak pergi")] == [True]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😭😭😭🙏",
        "a" * 50_000,
        "tolong " * 10_000,
        "\x00\x01\ufffd",
        "ра́ѕ \u200b\u200d",
        "١٢٣ 中文 русский",
    ],
)
def test_bad_input_still_gets_a_level(text):
    decision = classify(text, DEFAULT_RULES)
    assert decision.risk in LEVELS and decision.urgent == (decision.risk == MENDESAK)


@pytest.mark.parametrize(
    "dodged",
    [
        "b\u200bu\u200bn\u200bu\u200bh diri",  # zero-width characters
        "ѕаyа mаu bunuh diri",  # Cyrillic look-alikes
        "b.u.n.u.h d.i.r.i",  # spelled apart
        "ｂｕｎｕｈ ｄｉｒｉ",  # full-width
        "bunuhhhh diriii",  # stretched
    ],
)
def test_words_written_to_dodge_are_read(dodged):
    assert classify(dodged, DEFAULT_RULES).risk == MENDESAK


def test_pill_emoji_in_a_row_is_a_sign():
    assert classify("💊💊💊", DEFAULT_RULES).risk == PERLU_DICEK
    assert classify("pil kb 💊 aman?", DEFAULT_RULES).risk == BIASA


def _reference_urgency(text: str, rules) -> list[str]:
    """The urgent rules, the traps and the framing spans searched one by one, without the
    needle shortcuts."""
    spans = [
        m.span()
        for trap in rules.traps
        for phrase in trap.phrases
        for m in re.finditer(rf"\b(?:{phrase})\b", text)
    ]
    frames = [
        m.span()
        for frame in rules.framing
        for phrase in frame.phrases
        for m in re.finditer(rf"\b(?:{phrase})\b", text)
    ]
    found, explained = [], None
    for rule in rules.urgent:
        each = [
            (m.start(), j, m)
            for j, phrase in enumerate(rule.phrases)
            for m in re.finditer(rf"\b(?:{phrase})\b", text)
        ]
        for *_, match in sorted(each, key=lambda x: x[:2]):
            start, end = match.span()
            if any(t0 < end and start < t1 for t0, t1 in spans):
                continue
            if any(f0 <= start < f1 for f0, f1 in frames):
                continue
            if rule.negatable and _negated(text, start, rules.negations):
                continue
            if rule.topical and explained is None:
                explained = calm_frame(text, rules)
            if rule.topical and explained:
                continue
            found.append(f"urgent.{rule.name}: {match.group(0)}")
            break
    return found


def test_the_needle_shortcut_changes_no_answer(tmp_path):
    from pathlib import Path

    data = Path(__file__).parents[1] / "data"
    texts = [
        json.loads(line)["text"]
        for path in sorted(data.glob("triage_*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
    ]
    for text in texts:
        norm = normalize(text)
        assert urgency(norm, DEFAULT_RULES) == _reference_urgency(norm, DEFAULT_RULES), text
        whole = any(rule.pattern.search(norm) for rule in DEFAULT_RULES.calm_context)
        assert DEFAULT_RULES._calm.any(norm) == whole, text  # phrase by phrase, same answer
        for rule, each in (
            (DEFAULT_RULES.safe_now, DEFAULT_RULES._safe_now),
            (DEFAULT_RULES.danger_now, DEFAULT_RULES._danger_now),
        ):
            assert each.any(norm) == bool(rule.pattern.search(norm)), (rule.name, text)


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from("abdiklmnprstuh ") | st.characters(), max_size=80))
def test_the_needle_shortcut_on_any_text(text):
    norm = normalize(text)
    assert urgency(norm, DEFAULT_RULES) == _reference_urgency(norm, DEFAULT_RULES)


def test_needles_are_words_every_match_contains():
    found = needles(r"\b(?:(?:ingin|mau) (?:\w+ ){0,2}bunuh diri|capek hidup)\b")
    assert found is not None
    assert all(any(n in m for n in found) for m in ["mau bunuh diri", "capek hidup"])
    assert needles(r"\b(?:\w+)\b") is None  # nothing required: always searched
    pattern = re.compile(r"(?:di|me)?pukul\w*")
    required = needles(pattern.pattern)
    assert required is not None and all(n in "dipukuli" for n in required)


def test_the_scorer_gives_what_the_regression_gives():
    """The JSON weights scored by hand equal scikit-learn's decision function."""
    pytest.importorskip("sklearn")
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = ["aku mau mati", "jam buka kantor", "suami memukul aku", "jadwal posyandu"] * 3
    urgent = [True, False, True, False] * 3
    cats = ["lainnya", "informasi", "kekerasan", "balita"] * 3
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform([features(t) for t in texts])
    risk = LogisticRegression(random_state=0).fit(matrix, urgent)
    cat = LogisticRegression(random_state=0).fit(matrix, cats)
    names = vectorizer.get_feature_names_out()
    weights = {
        str(n): [float(risk.coef_[0][j])] + [float(c[j]) for c in cat.coef_]
        for j, n in enumerate(names)
    }
    model = LinearModel.from_json(
        json.dumps(
            {
                "labels": ["risk", *cat.classes_],
                "intercepts": [float(risk.intercept_[0]), *map(float, cat.intercept_)],
                "weights": weights,
                "review_threshold": 0.5,
            }
        )
    )
    probe = "suami aku mau memukul"
    expected = risk.predict_proba(vectorizer.transform([features(probe)]))[0][1]
    assert model.score(probe).risk == pytest.approx(expected, abs=1e-9)
    probs = cat.predict_proba(vectorizer.transform([features(probe)]))[0]
    got = model.score(probe).categories(model.labels[1:])
    assert [got[c] for c in cat.classes_] == pytest.approx(list(probs), abs=1e-9)


def test_the_shipped_model_loads_and_only_raises():
    assert MODEL is not None and MODEL.labels[0] == "risk" and 0 < MODEL.review_threshold < 1
    without = replace(DEFAULT_RULES, model=None)
    for text in ["suami saya memukul saya tadi", "jam buka kantor?", "aku capek banget"]:
        with_model = classify(text, DEFAULT_RULES)
        assert LEVELS.index(with_model.risk) >= LEVELS.index(classify(text, without).risk)


def test_a_broken_model_file_is_refused():
    with pytest.raises(ValueError):
        LinearModel.from_json(
            json.dumps(
                {
                    "labels": ["risk", "a"],
                    "intercepts": [0, 0],
                    "weights": {"x": [1]},
                    "review_threshold": 0.5,
                }
            )
        )
    assert LEXICON.about["suicide"]


def test_an_office_rule_in_either_case_is_still_searched():
    rules = read_rules_with('custom = ["(?i:BUNUH DIRI SAJA)"]')
    assert any(
        r.startswith("urgent.custom") for r in classify("aku mau bunuh diri saja", rules).rules
    )


def test_a_trap_elsewhere_in_the_message_does_not_hide_a_lexicon_word():
    from triage.domain.rules.classify import concepts

    found = concepts(normalize("pukul 10 tadi dia pukul saya"), DEFAULT_RULES)
    assert [(h.concept, h.start) for h in found if not h.cue] == [("violence", 18)]


def test_remembered_trap_spans_belong_to_their_own_rule_set():
    text = "pukul aku pakai kayu"
    with_trap = read_rules_with("", traps='["pukul aku pakai kayu"]')
    assert urgency(text, with_trap) == []
    for _ in range(20):  # new rule sets, some at the freed one's address
        fresh = replace(DEFAULT_RULES)
        assert urgency(text, fresh) == urgency(text, DEFAULT_RULES) != []


def read_rules_with(urgent_lines: str, traps: str = "[]"):
    from triage.domain.rules.toml_rules import read

    doc = f"[urgent]\n{urgent_lines}\n[traps]\nphrases = {traps}\n"
    return read(doc, DEFAULT_RULES)


@pytest.mark.parametrize("flags", ["i", "mi", "ai", "si"])
def test_any_inline_flag_group_with_i_is_always_searched(flags):
    assert needles(f"(?{flags}:BUNUH DIRI SAJA)") is None


def test_an_office_phrase_that_compiles_only_beside_the_others_is_still_searched():
    from triage.domain.rules.toml_rules import read

    rules = read("[urgent]\nlokal = ['(tolong) ibu', '\\1 sekali']\n", DEFAULT_RULES)
    assert classify("halo ibu", rules).risk in LEVELS  # no error: the rule is searched whole
    assert classify("tolong ibu", rules).urgent  # its other phrase still counts


def test_the_model_reads_the_text_without_every_trap_span_even_when_they_overlap():
    text = normalize("besok pukul 10 mati lampu, anak saya takut gelap")
    assert model_text(text, DEFAULT_RULES) == "besok anak saya takut gelap"
    assert "lampu" not in model_text(normalize("main game sampai mati lampu"), DEFAULT_RULES)


@pytest.mark.parametrize(
    "text",
    [
        "kak papa tiri aku suka megang megang dada aku kalau mama kerja, itu apa ya kak namanya",
        "pacar aku sering nampar aku lol",
        "aku siap mati, biar masuk berita sekalian",
        "ayah ku mukul aku terus tiap hari pake sabuk, tangan aku lebam semua wkwk",
        "keponakan saya 14 tahun dijodohkan sama juragan buat bayar utang, mirip berita di tv",
        "aku udah ga kuat, pengen mati aja. dulu aku pernah dibully juga",
        "aku lagi ngerjain tugas sekolah terus ayah mukulin aku pakai sapu sampai berdarah",
        "suami saya pukul saya sampai babak belur, saya aman sekarang tapi anak saya masih di "
        "rumah sama dia",
    ],
)
def test_danger_told_beside_the_news_a_joke_or_school_work_still_gets_the_crisis_reply(text):
    """A review found these lowered by calm frames that were too wide ("berita", "wkwk",
    "itu apa", "lagi ngerjain tugas"); a child in danger may write any of them."""
    assert classify(text, DEFAULT_RULES).risk == MENDESAK


@pytest.mark.parametrize(
    "text",
    [
        "anak saya 3 tahun kalau ngamuk kayak mau bunuh orang, gimana ngadepinnya",
        "grogi banget ketemu camer, rasanya mau mati berdiri",
        "hpnya disita malah ngamuk dan banting pintu, gimana batasi gamenya",
        "kami mohon narasumber sosialisasi pencegahan bunuh diri dan self harm untuk siswa",
        "bisa isi webinar stop self harm di sekolah kami?",
        "lol wrong chat, I am going to kill the boss tonight in our raid",
        "misahin duri ikan pakai pisau kecil buat mpasi",
        "anak 2 tahun suka gigit sama mukul temennya di paud",
        "Kasus KDRT kakak saya sudah selesai, pelaku sudah menjalani hukuman, kakak sudah "
        "menikah lagi",
    ],
)
def test_round_seven_traps_send_no_crisis_reply(text):
    """Learnt from the eighth corpora: a simile, an idiom, a parent taking a phone, a talk's
    title, a game, a kitchen knife, a toddler, a case that is over."""
    assert classify(text, DEFAULT_RULES).risk != MENDESAK


@pytest.mark.parametrize(
    "text",
    [
        "suami saya bilang mau bunuh saya, hp saya disita",
        "anak saya kayak mau bunuh adiknya, pisau di tangan",
        "dua malam terakhir saya berdiri lama di jembatan, lebih baik saya tidak ada. sejak tahun "
        "lalu kami terjerat pinjol",
    ],
)
def test_beside_the_round_seven_traps_danger_still_gets_the_crisis_reply(text):
    assert classify(text, DEFAULT_RULES).risk == MENDESAK


# A second reading of round 7 wrote these: real danger that wider traps and calm frames had
# hidden (each was `biasa` or lower than before). The traps are now anchored to what they are
# about, and a calm frame lowers a crisis phrase by one level, never to nothing.
@pytest.mark.parametrize(
    "text",
    [
        "aku gak bisa stop self harm",
        "I can't stop self harm, my arms are full of cuts",
        "saya sudah coba stop bunuh diri tapi pikiran itu datang terus",
        "tolong cegah bunuh diri adik saya",
        "hp saya disita agen saya nangis terus di penampungan",
        "hpku disita bos, aku nangis, aku mau pulang tapi dilarang",
        "anak saya kecanduan main game lalu ayahnya mencekik dia sampai hampir pingsan dan "
        "hpnya disita",
        "suami membuang baju saya lalu mengejar saya pakai pisau",
        "dia datang bawa pisau kecil dan mengancam saya",
        "my coworker said he will kill the boss tomorrow",
        "going to kill the boss tonight, he has a gun",
        "suami saya mabuk matanya merah kayak mau bunuh orang, saya takut",
        "adik saya sering banget dipukuli teman sekelasnya sampai luka",
        "sidang cerai sudah selesai tapi mantan suami masih datang dan memukul saya",
        "mediasi sudah selesai, suami tetap memukul saya dan anak setiap malam",
        "kontrak kerja saya sudah selesai tapi paspor saya ditahan majikan dan tidak boleh pulang",
        "perceraian itu sudah lama berlalu, tapi mantan suami masih memukul saya",
        "I had a session on Monday with my therapist but my husband beat me again yesterday",
        "I went to hear a speaker about abuse and I realised my stepfather has been molesting me",
        "I noticed the warning signs, my daughter told me her uncle molested her",
        "pelaku pemerkosaan sudah menjalani hukuman dan sekarang bebas, dia mengintip anak saya",
        "pelaku sudah dihukum tapi keluarganya memukul saya",
        "Suami saya dulu pernah memukul saya. Pulang kerja lagi mabuk, dia memukul saya dan anak",
        "anak saya pernah dilecehkan om dari ig, dia ngajak ketemu lagi besok",
        "dulu saya pernah cerai, suami yang sekarang juga memukul saya setiap hari",
    ],
)
def test_danger_beside_a_trap_word_or_a_calm_frame_gets_the_crisis_reply(text):
    assert classify(text, DEFAULT_RULES).risk == MENDESAK


@pytest.mark.parametrize(
    "text",
    [
        "aku mau mati berdiri saja, capek semuanya",
        "dulu pernah dipukul, suami saya mau menikah lagi dan memukul saya kalau saya tidak setuju",
        "it's suicide awareness week and I keep thinking about suicide every night",
    ],
)
def test_danger_in_a_calm_frame_is_looked_at(text):
    assert classify(text, DEFAULT_RULES).risk != BIASA


@pytest.mark.parametrize(
    "text",
    [
        "Nyuwun pirsa, menapa PUSPAGA saged ngisi pangaosan ibu-ibu babagan nyegah KDRT? Boten "
        "wonten kedadosan, namung kangge nambah kawruh.",
        "anak saya nonton serial yang ceritanya tentang remaja yang bunuh diri, dia bilang seru",
        "saya pernah menjadi klien PUSPAGA tahun 2019 dalam kasus kekerasan dalam rumah tangga, "
        "mohon surat keterangan untuk beasiswa anak",
        "I watched a documentary about trafficked girls last night, can we join a class?",
        "I'm a student doing a project on elder abuse, could I interview a counsellor?",
        "anak sy 4th kalau vc ngumpet di belakang neneknya, wajar ga?",
        "dulu th 2019 sy pernah dijual calo ke malaysia, paspor ditahan. alhamdulillah udh "
        "pulang dan kasusnya udh diputus pengadilan. skrg sy pengen bantu korban lain",
        "Duh I literally mau mati aja liat tagihan listrik bulan ini 😂 ada konsultasi budgeting?",
    ],
)
def test_round_eight_traps_send_no_crisis_reply(text):
    """Learnt from the ninth corpora: prevention in Javanese krama, a series' story, a former
    client's case, a documentary, a student's project, a shy toddler."""
    assert classify(text, DEFAULT_RULES).risk != MENDESAK


@pytest.mark.parametrize(
    "text",
    [
        "Tidak ada kejadian sebelumnya, tapi tadi malam suami memukul saya sampai berdarah",
        "kasusnya sudah diputus tapi mantan suami masih datang dan memukul saya",
        "habis nonton serial yang ceritanya tentang remaja yang bunuh diri, aku juga pengen "
        "bunuh diri malam ini",
        "I'm doing a project on abuse for school but honestly my stepdad hits me every night",
        "saya dulu pernah jadi klien kasus kekerasan, sekarang suami baru saya memukul saya tadi "
        "pagi",
        "anak saya ngumpet di belakang lemari karena bapaknya mengamuk bawa parang",
        "kasusnya sudah diputus, tapi sekarang saya ingin bantu adik saya, dia dipukul bapak tadi",
        "udah ga kuat, mau mati aja liat tagihan pinjol numpuk, malam ini aku selesaiin",
    ],
)
def test_beside_the_round_eight_traps_danger_still_gets_the_crisis_reply(text):
    """The round's calm frames ("no incident", "the case was decided") are frames, not "safe
    now": a sign of now beside them still counts."""
    assert classify(text, DEFAULT_RULES).risk == MENDESAK


@pytest.mark.parametrize(
    "text",
    [
        "jujur tiap liat kereta lewat deket kosan rasanya pengen lompat. bukan bercanda",
        "Sengko' la capek odi' kadhi rèya. Sapa sè ngoros ana'na sengko' mon sengko' la tadâ'",
        "suami klo marah suka banting anak kami yg 3th, td pagi kepala anak benjol",
        "anakku 15th ditawani kerja nang luar pulau, kudu nyerahke KTP lan ijazah ke agennya",
    ],
)
def test_round_eight_misses_are_looked_at(text):
    """Missed at first sight by the ninth corpora: an urge to jump, Madurese 'tired of living'
    and 'when I am gone', a toddler thrown, a teenager's papers handed to an agent."""
    assert classify(text, DEFAULT_RULES).risk in (MENDESAK, PERLU_DICEK)


@pytest.mark.parametrize(
    "text",
    [
        "kak lagu yg liriknya 'ku ingin mati saja' yg viral di tiktok itu judulnya apa sih?",
        "aku lagi riset tugas tentang self harm di kalangan remaja, boleh minta data?",
        "tadi malam ada barita di tipi anak diculik, kayapa maajari anak supaya waspada?",
        "baca novel yang tokoh utamanya ingin mati, cocok buat anak smp?",
    ],
)
def test_a_crisis_phrase_inside_a_song_a_story_the_news_or_research_is_looked_at_not_answered(
    text,
):
    """A framing span makes the phrase a topic: perlu_dicek (a person looks), never the crisis
    reply, and never nothing."""
    decision = classify(text, DEFAULT_RULES)
    assert decision.risk == PERLU_DICEK, decision.rules
    assert "context.framing" in decision.rules  # staff see why


@pytest.mark.parametrize(
    "text",
    [
        "dia ngancam mau nyebar video aku kalau aku ga mau ketemu, aku takut bunuh diri",
        "om aku tadi maksa aku nonton film porno terus aku diperkosa",
        "tolong suami saya memukul saya sekarang, tadi lagi nonton berita",
        "aku siap mati, biar masuk berita sekalian",
    ],
)
def test_danger_before_or_outside_a_framing_word_still_gets_the_crisis_reply(text):
    assert classify(text, DEFAULT_RULES).risk == MENDESAK


def test_an_old_person_left_without_food_and_a_child_wed_this_friday_are_looked_at():
    neglected = "Dadong di samping umah ngoyong padidi, suba telung dina sing ada ngaba nasi"
    assert "concept.elder_neglect" in " ".join(classify(neglected, DEFAULT_RULES).rules)
    assert classify(neglected, DEFAULT_RULES).risk != BIASA
    # an invitation to a talk is a calm frame, but a wedding set for this Friday is now
    wedding = (
        "Kaula terro ngondang penyuluhan parenting. Bada ana' bine' omor 12 taon se bakal "
        "ekabine Jum'at reya."
    )
    assert classify(wedding, DEFAULT_RULES).risk != BIASA
    assert classify("nenek saya umur 80 tahun, bagaimana merawatnya", DEFAULT_RULES).risk == BIASA


def test_despair_with_no_word_of_any_topic_is_filed_under_lainnya():
    for text in (
        "i just want to sleep and never wake up. everyone would be better off without me",
        "aku capek hidup, pengen ilang aja dari dunia ini",
    ):
        assert classify(text, DEFAULT_RULES).category == "lainnya", text


def test_the_tenth_corpora_traps_stay_narrow():
    """A phone thrown after a lost game and waiting "till I want to die" for a reply are not
    danger; harm beside them, or a wish to die while waiting for someone, still is."""
    assert (
        classify("kalah main ML terus, pengen banting hp rasanya", DEFAULT_RULES).risk != MENDESAK
    )
    waited = "udah 3 hari dm ga dibales, nunggu smpe mau mati rasanya"
    assert classify(waited, DEFAULT_RULES).risk != MENDESAK
    for text in (
        "suami banting hp aku terus mukul aku sekarang",
        "aku nunggu ayah pulang, aku mau mati aja malam ini",
    ):
        assert classify(text, DEFAULT_RULES).risk == MENDESAK, text


def test_a_game_word_is_a_whole_word_not_the_start_of_a_javanese_one():
    """The game trap's "ml" (Mobile Legends) once read "mlayu" (run away) as a game and hid
    "kadang pengen mati wae" beside it."""
    text = "aku wis ra kuat, rasane pengen mlayu ninggal kabeh, kadang pengen mati wae"
    assert classify(text, DEFAULT_RULES).risk == MENDESAK
    assert classify("main ml terus mati mulu, kesel", DEFAULT_RULES).risk == BIASA


@pytest.mark.parametrize(
    "text",
    [
        "kak ceritanya gini suami saya memukul saya tiap malam",
        "kak aku mau cerita, ceritanya aku dilecehkan guru les aku tiap minggu",
        "jadi ceritanya ayah tiri aku memperkosa aku kak",
        "tadi lagi nonton berita terus suami saya memukul saya sekarang tolong",
        "kak ada berita buruk suami saya mukul saya lagi barusan",
        "I have bad news my dad raped me last night",
        "skripsi aku ditolak lagi aku mau bunuh diri aja",
        "penelitian aku gagal dosen marah aku mau mati aja",
        "aku baca artikel cara gantung diri aku mau coba malam ini",
        "aku nulis jurnal tiap malam isinya aku ingin mati",
        "aku bikin cerpen tentang diriku sendiri, aku pengen mati",
        "fotoku masuk berita, sekarang aku mau loncat dari jembatan",
        "om aku tadi maksa aku nonton film terus aku diperkosa",
        "ayah banting hp aku terus banting aku ke lantai",
        "aku udah lelah, cuma nunggu waktu sampai ingin mati",
        "aku cuma nunggu lulus smp ingin mati saja",
        "aku pengen mati wae, urip mlarat terus",
        "aku dengerin lagu sedih terus aku pengen bunuh diri malam ini",
    ],
)
def test_a_frame_word_or_a_trap_never_takes_the_writers_own_danger_away(text):
    """A review of round 9's framing found these lowered: a story, the news, a thesis, a film
    told by the one in danger; a phone thrown at someone; a wish to die while waiting; a game
    trap reading Javanese "mlarat" (poor) as a game."""
    assert classify(text, DEFAULT_RULES).risk == MENDESAK


@pytest.mark.parametrize(
    "text",
    [
        "dengan surat ini saya sampaikan berita bahwa anak tetangga kami diperkosa pamannya",
        "pacar aku rekam film kami berdua terus ngancam nyebarin kalau aku putus",
        "ayah membanting hp ke arah ibu, kami takut pulang",
        "tiap malam aku nunggu suami pulang sampai mau mati ketakutan",
        "mohon bantu sebar berita anak saya hilang sejak kemarin umur 7 tahun",
    ],
)
def test_a_report_beside_a_frame_word_is_still_looked_at(text):
    assert classify(text, DEFAULT_RULES).risk != BIASA


@pytest.mark.parametrize(
    "text",
    [
        "ustadzah, pengajian jumat ini temanya kdrt, boleh minta materi?",
        "mohon kesediaan ibu mengisi penyuluhan pencegahan kekerasan dalam rumah tangga di balai "
        "desa kamis ini",
        "kak lagu yg liriknya 'ku ingin mati saja' yg viral di tiktok itu judulnya apa sih? lagi "
        "nyari buat backsound konten",
        "udh 3 hari dm ga dibales, nunggu smpe mau mati rasanya 🙃 katanya layanan 24 jam",
        "kak td aku main ML kalah terus, pengen banting hp rasanya 😭 eh btw serius nanya, aku "
        "udah 3 minggu telat mens",
        "Tadi malam ada barita di tipi anak diculik di kota, ulun jadi takutan. Kayapa maajari "
        "anak ulun nang umur 4 tahun supaya kada umpat urang asing?",
    ],
)
def test_a_talk_this_week_a_lyric_the_news_or_a_reply_awaited_gets_no_crisis_reply(text):
    assert classify(text, DEFAULT_RULES).risk != MENDESAK


@pytest.mark.parametrize(
    "text",
    [
        "saya susah tidak bisa bangun pagi, orang tua saya marah terus",
        "aku tidak bisa bangun subuh, ortu kolot banget",
        "aki mobil tidak bisa nyala, terlantar di jalan",
        "oma saya ulang tahun ke 80, no food allergy",
        "petugas kelurahan meminta foto ktp dan kk",
        "rapat koordinasi ketemu di hotel grand jam 9",
        "wudhu agar gugur dosa",
        "sakit itu supaya gugur dosa dosa kita",
        "bayar fidyah biar gugur kewajiban puasa",
    ],
)
def test_everyday_words_beside_the_new_concepts_raise_nothing(text):
    """Parents, a car battery, a photo of an identity card, a meeting at a hotel, sins that
    fall away: not an old person neglected, not grooming, not self-harm. (The model of round
    12 sent the hotel meeting for a look on its own, 0.31 over 0.27; that of round 13 does
    not.) No concept of the lexicon may raise them."""
    decision = classify(text, DEFAULT_RULES)
    assert not any(r.startswith(("concept.", "urgent.")) for r in decision.rules)
    assert decision.risk == BIASA


@pytest.mark.parametrize(
    "text",
    [
        "Kalawingi wonten berita tipi kasus santri dipun aniaya ngantos seda. Punapa wonten "
        "pitedah milih pondok ingkang aman?",
        "hahaha anakku 4 tahun ikut2 kakaknya main game, teriak2 'bunuh mi bosnya, tikam mi!' 😂 "
        "bagaimana batasi hp untuk balita?",
    ],
)
def test_the_news_of_a_case_on_tv_and_a_games_lines_get_no_crisis_reply(text):
    """Learnt from the eleventh corpora: the news on TV in Javanese krama, a child shouting a
    game's lines."""
    assert classify(text, DEFAULT_RULES).risk != MENDESAK


@pytest.mark.parametrize(
    "text",
    [
        # a review of round 10 found these lowered by its first version: "dulu" meaning
        # "first", "N tahun lalu" meaning "N years old, then", a past harm going on now, a wish
        # to die "taken back" before a farewell letter, "tidak, sampai …" without its comma,
        # a game word beside a father's blows or an employer, the news beside a mother beaten,
        # "sekarang dia menjadi kasar"
        "maaf aku cerita dulu ya kak, suamiku sempat mencekik aku tadi malam",
        "aku 16 tahun lalu aku sempat mau bunuh diri tadi pagi",
        "dulu sempat mau gantung diri, sekarang tali udah aku siapin",
        "pengen mati aja tapi ga lah... udah aku tulis surat pamit buat mama",
        "aku mau mati tapi gak kok, maksudnya gak sekarang, nanti malam aja pas semua tidur",
        "aku bilang tidak, sampe sampe dicekik aku sama dia tadi",
        "gara gara aku main game terus, bapak hajar aku kayak hajar musuh",
        "habis main ff kakakku tikam aku pakai gunting, tikam musuh katanya",
        "aku kerja di warnet game, bos cekik aku tadi, bunuh bos rasanya",
        "tadi nonton berita tv, mamaku langsung dipukul papa sampai pingsan",
        "suami saya pernah selingkuh, sekarang dia menjadi kasar dan sering memukul saya",
        "aku lihat berita tv, aku mau bunuh diri juga malam ini",
        "ayahku pukul pukul aku tiap malam",
    ],
)
def test_the_eleventh_rounds_frames_leave_danger_now_alone(text):
    assert classify(text, DEFAULT_RULES).risk == MENDESAK


@pytest.mark.parametrize(
    "text",
    [
        "saya baru baca berita, remaja di kota saya bunuh diri. bagaimana cara mencegahnya?",
        "ada berita yang bikin saya sedih, anak smp bunuh diri karena dibully",
        "chat terakhir dari suami sudah seminggu tidak dibalas, apa dia selingkuh?",
        "barang barang sudah aku kasih ke panti asuhan, anak2 senang",
        "nenek nginep di kamarne cucu, wajar ta?",
        "anak saya umur 12 punya teman online dari game, gimana cara mengawasinya?",
    ],
)
def test_a_parent_reading_the_news_or_giving_things_to_charity_raises_nothing(text):
    """Also from the review of round 10: a wider gap or a new word must not raise these."""
    assert classify(text, DEFAULT_RULES).risk == BIASA


@pytest.mark.parametrize(
    "text",
    [
        "Kula santri kelas 8. Dalu wau kula dipun gebugi senior ngantos biru",
        "aku diajak ketemuan karo wong sing kenal ning fb, kudu metu seko pondok bengi iki. aku "
        "umur 15",
        "mandor tiange ibi suba ngusud-ngusud awak tiange, tiang takut gati",
        "failed my exams again. wrote notes for my friends and i'm done",
    ],
)
def test_the_krama_passive_a_lure_and_farewell_notes_are_looked_at(text):
    """The krama "dipun gebugi" is read as "digebugi"; a child met online asked out at night;
    Balinese groping; notes written for friends."""
    assert classify(text, DEFAULT_RULES).risk != BIASA


@pytest.mark.parametrize(
    "text",
    [
        # round 11 (the twelfth corpora): a talk, a training, a webinar or a poster whose topic
        # is the danger, the number to report to, a pupil's "mati bosen", a growth card, a
        # question "for knowledge" where nothing has happened, "biar dia gak ngamuk"
        "Yth. Kepala PUSPAGA, kami bermaksud mengundang narasumber untuk materi 'Pencegahan "
        "Bunuh Diri dan Perilaku Menyakiti Diri pada Remaja' bagi 360 siswa baru.",
        "Could someone give a 1-hour talk to our staff on recognising signs of child abuse?",
        "sekolah kami mau bikin webinar 'stop bullying & self harm' buat siswa bulan depan",
        "kita dari BEM mau ngadain kelas 'self-harm & kesehatan mental' buat mahasiswa baru",
        "setelah maraknya pemberitaan tentang remaja yang menyakiti diri sendiri, kami ingin "
        "mengikuti pelatihan",
        "nunggu 3 jam sampe mau mati bosen, sistem antrinya tolong diperbaiki",
        "Punten bu, upami aya tatangga nu disangka KDRT, saha nu kedah dihubungi? Ieu mah naros "
        "wungkul kanggo pangaweruh, da di lingkungan abdi mah teu aya kajadian nanaon.",
        "anak 14 th kecanduan game, gimana ngomongnya biar dia gak ngamuk?",
    ],
)
def test_a_talk_a_report_line_and_idioms_get_no_crisis_reply(text):
    assert classify(text, DEFAULT_RULES).risk != MENDESAK


@pytest.mark.parametrize(
    "text",
    [
        # each of round 11's frames beside danger now, told as people in danger write it
        "habis ikut seminar malah pengen mati",
        "aku kelas 9 mau bunuh diri",
        "kak aku kelas 9, tentang bunuh diri aku udah siapin talinya",
        "sekolah ngadain webinar tentang bunuh diri, tapi aku sendiri pengen bunuh diri malam ini",
        "ini nomor untuk melaporkan kekerasan? suami saya memukul saya sekarang",
        "is this the number for reporting abuse? my dad is beating me right now",
        "kami ditawari pelatihan kerja ke malaysia, paspor ditahan dan dikurung",
        "pemberitaan tentang remaja yang menyakiti diri bikin aku pengen menyakiti diri juga",
        "dia ngamuk bawa parang",
        "suami tidak mengamuk tapi memukul saya tiap malam",
        "i want to kms tonight",
        # a review of round 11 found these lowered by its first version: "talk to", "training
        # on saturday", a report line, "bosen hidup", "curhat dulu ya", a gap holding "tidak
        # terima", "only for knowledge" before a stepfather who comes at night, a Sundanese
        # "nothing happened, says the RT, but …"
        "I need someone to talk to about ending my life tonight",
        "He keeps talking on the phone saying he will kill me tonight",
        "My husband came home from training on saturday night and beat me",
        "Need the number for reporting child abuse, my neighbour is beating his daughter right now",
        "kak minta nomor buat lapor, suami mukul aku barusan",
        "habis liat poster tentang bunuh diri jadi pengen bunuh diri aja",
        "lagi ikut webinar tentang parenting, suami datang mabuk mukul kepala pakai helm",
        "aku bosen hidup, pengen mati aja",
        "Aku wis bosen, pengen mati wae",
        "pengen mati. bosen jadi beban terus",
        "curhat dulu ya kak. semalem sempet kepikiran bundir lagi",
        "aku pamit dulu ya kak, udah sempet kepikiran bundir dari kemarin",
        "suami gak terima, ngamuk lagi sekarang",
        "bapak belum selesai ngamuk, adik masih di dalam",
        "buat pengetahuan aja kak, kalo ayah tiri suka masuk kamar malam malam dan pegang pegang "
        "itu termasuk pelecehan ga?",
        "Punten, ceuk RT teu aya kajadian, tapi budak abdi diperkosa ku bapa tirina, ayeuna masih "
        "di imah",
    ],
)
def test_the_twelfth_rounds_frames_leave_danger_now_alone(text):
    assert classify(text, DEFAULT_RULES).risk == MENDESAK


@pytest.mark.parametrize(
    "text",
    [
        "what's the least painful way. asking for real, not for a story",
        "kauleh la capek bu, rassana la tak aguna odi'. mon kauleh tadha', ana' kauleh biar "
        "erabat bi' embak",
        "Bayi usia 4 bulan dirawat dengan perdarahan intrakranial dan fraktur iga multipel, "
        "anamnesis dari pengasuh tidak konsisten",
        "pacar aku, minggu lalu sampe dijahit 3 di igd. dia bilang malem ini mau dateng",
    ],
)
def test_a_method_question_a_madurese_farewell_and_injuries_that_do_not_fit_are_looked_at(text):
    assert classify(text, DEFAULT_RULES).risk != BIASA


@pytest.mark.parametrize(
    "text",
    [
        "ini pesan terakhir dari anakmu, maafin ya bu",
        "Chat terakhir dari anak saya semalam maafin aku ma, aku capek, sekarang tidak bisa "
        "dihubungi",
    ],
)
def test_a_last_message_from_a_child_is_no_partners_chat(text):
    """The trap for "chat terakhir dari suami" names the partner: a child's last message, or the
    writer naming themself, is a farewell (a review of round 11)."""
    assert classify(text, DEFAULT_RULES).risk != BIASA


def test_a_growth_card_is_not_kill_myself():
    said = classify("berat badan anak di bawah garis merah di KMS", DEFAULT_RULES)
    assert not any("suicide" in rule for rule in said.rules)


# round 12 (the thirteenth corpora): an old person gone missing, in words that say so (a second
# reader found "hilang sejak", "tidak pulang", "is missing" in "nafsu makan nenek hilang sejak
# seminggu", "kakek tidak pulang kampung", "my grandma is missing her friends")
@pytest.mark.parametrize(
    "text",
    [
        "Bu, nenek kaula ta' etemmo dhari lagghu', sateya ampon malem",
        "kakek saya belum ketemu dari pagi, dia pikun, kami sudah cari ke pasar",
        "mbahku durung mulih ket isuk, wis peteng",
        "my grandmother with dementia wandered off this morning and we cannot find her",
    ],
)
def test_an_old_person_missing_is_looked_at(text):
    decision = classify(text, DEFAULT_RULES)
    assert decision.risk != BIASA
    assert any(r.startswith("concept.missing_elder") for r in decision.rules)


def test_a_missing_child_is_not_hidden_by_the_old_persons_longer_words():
    """The longest form at a place wins: "belum pulang sejak" (an old person's) must not hide
    "belum pulang" (a child's), as it did for a day (a nine-year-old missing since yesterday
    went unseen by the lexicon)."""
    for text in [
        "Anak warga kami, perempuan usia 9 tahun, belum pulang sejak kemarin pukul 14.00",
        "anak saya tidak pulang sejak tadi malam, hp tidak aktif",
        "adhiku durung mulih ket wingi",
    ]:
        decision = classify(text, DEFAULT_RULES)
        assert any(r.startswith("concept.missing_child") for r in decision.rules), text
        assert decision.risk != BIASA
    shared = [f for f, found in LEXICON.forms.items() if ("missing_elder", False) in found]
    assert all(("missing_child", False) in LEXICON.forms[f] for f in shared)


@pytest.mark.parametrize(
    "text",
    [
        "nenek saya hilang ingatan, sudah pikun",
        "nafsu makan nenek saya hilang sejak seminggu",
        "kakek tidak pulang kampung lebaran ini",
        "my grandma is missing her old friends",
        "nenek saya menghilangkan noda di baju pakai apa ya",
    ],
)
def test_an_old_person_who_forgets_or_misses_someone_is_not_missing(text):
    assert not any(
        r.startswith("concept.missing_elder") for r in classify(text, DEFAULT_RULES).rules
    )


def test_a_wish_to_die_beside_money_is_the_crisis_reply():
    """A trap for "bunuh diri finansial" (an idiom) was tried in round 12 and dropped: the
    normaliser drops the comma, so it hid "aku pengen bunuh diri, finansial aku hancur"."""
    for text in [
        "aku pengen bunuh diri, finansial aku udah ga ketolong lagi",
        "aku mau bunuh diri, keuangan hancur",
    ]:
        assert classify(text, DEFAULT_RULES).risk == MENDESAK


def test_the_lexicon_finds_what_one_regular_expression_of_its_forms_finds():
    """The automaton takes the leftmost whole-word form, the longest there, none overlapping:
    what one trie expression of its forms did before it (`_trie_pattern`), on every corpus and on
    runs of forms written side by side, where forms overlap most."""
    import random
    from pathlib import Path

    from triage.domain.rules.lexicon import Hit

    body = _trie_pattern(sorted(LEXICON.forms, key=len, reverse=True))
    pattern = re.compile(rf"(?<![a-z0-9])({body})(?![a-z0-9])")

    def expected(text):
        found = [
            Hit(concept, m.group(1), cue, m.start(1), m.end(1))
            for m in pattern.finditer(text)
            for concept, cue in LEXICON.forms[m.group(1)]
        ]
        present = {h.concept for h in found}
        return [
            h
            for h in found
            if not h.concept.startswith("helper.")
            and (h.concept not in LEXICON.needs or LEXICON.needs[h.concept] in present)
        ]

    data = Path(__file__).parents[1] / "data"
    texts = [
        json.loads(line)["text"]
        for corpus in sorted(data.glob("triage_*.jsonl"))
        for line in corpus.read_text(encoding="utf-8").splitlines()
    ]
    forms, rng = sorted(LEXICON.forms), random.Random(1)
    texts += [" ".join(rng.choice(forms) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    for text in texts:
        norm = normalize(text)
        assert LEXICON.hits(norm) == expected(norm), norm


def _trie_pattern(words: list[str]) -> str:
    """One regular expression for many words, shared prefixes factored out: how the lexicon
    searched before its automaton (the reference it is held to)."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return emit(trie)


@pytest.mark.parametrize(
    "text",
    [
        "bojoku nek mendem sok nyekek aku, wingi aku sampe pingsan",
        "suamiku tadi nyekek leherku, aku takut",
        "aku dicekek bojoku mau bengi",
    ],
)
def test_strangling_told_in_javanese_takes_the_crisis_reply(text):
    """Round 14's one miss: "nyekek" (Javanese for strangle)."""
    assert classify(text, DEFAULT_RULES).risk == MENDESAK


def test_fainting_from_period_pain_is_no_beating():
    """ "sampe pingsan" alone is not violence (a review of round 14: a first corpus's question)."""
    said = classify("mens gw sakit bgt sampe pingsan tiap bulan, itu normal gak?", DEFAULT_RULES)
    assert said.risk != MENDESAK


@pytest.mark.parametrize(
    ("text", "framed"),
    [
        ("wingi nonton film horor nang bioskop sing ana adegan wong gantung diri, kepikiran", True),
        ("[Diteruskan] ⚠️WASPADA!! Penculikan anak marak, pelaku menyamar. SEBARKAN!!", True),
        # the writer's own words or words of now end the frame; a likeness or a scene copied
        # is no film; a forward of a child of one's own, a neighbour's or gone today is a report
        ("film itu ada adegan gantung diri, aku pengen gantung diri juga malam ini", False),
        ("rumah tanggaku kayak sinetron, tiap malam ada adegan suami mukul aku", False),
        ("abis nonton film itu dia niru adegannya, tadi dia coba gantung diri", False),
        ("film itu ada adegan itu, tadi dia coba gantung diri di kamar", False),
        ("*Diteruskan dari grup warga* anak saya hilang sejak tadi pagi tolong", False),
        ("[Diteruskan] AWAS!! anak tetangga hilang tadi sore di pasar, tolong bantu cari", False),
        ("[Diteruskan] AWAS anak saya hilang, sebarkan", False),
    ],
)
def test_a_films_scene_and_a_forwarded_warning_are_topics(text, framed):
    """Round 14: perlu_dicek at most, never the crisis reply; what lies past the frame, or a
    forward that reports a child gone, is read as usual."""
    risk = classify(text, DEFAULT_RULES).risk
    assert (risk == PERLU_DICEK) if framed else (risk == MENDESAK)


def test_pushed_until_one_fell_takes_the_crisis_reply():
    """Round 14's leave-one-out found it missed when the model had not seen it."""
    said = classify(
        "sy hamil 5 bln, td spv dorong sy sampe jatuh di lantai produksi. perut sy kenceng2 skrg",
        DEFAULT_RULES,
    )
    assert said.risk == MENDESAK and said.category == "kekerasan"
    assert classify("bantu dorong motor yang mogok ke bengkel", DEFAULT_RULES).risk == BIASA


@pytest.mark.parametrize(
    ("text", "crisis"),
    [
        ("film horor kemarin bikin aku mau mati ketakutan, serem banget", False),
        ("dia pulang mabuk bawa parang, aku mati ketakutan sembunyi di kamar mandi", True),
        ("sehubungan dengan meningkatnya kasus melukai diri sendiri di kalangan pelajar", False),
        ("to be clear, there's no self-harm, she's just lonely", False),
        ("no one picked up. what if someone suicidal had been calling?", False),
        ("kl hp nya disita malah ngambek gk mau makan", False),
        ("my thesis looks at suicide and self-harm reporting in rural districts", False),
        # the words of now beside them are read as usual
        ("there's no self-harm anymore but tonight i want to kill myself", True),
        ("aku ketakutan, dia bawa pisau dan bilang mau bunuh aku sekarang", True),
        ("meningkatnya kasus bunuh diri bikin aku mikir, aku juga mau bunuh diri malam ini", True),
        # a second reading found the first forms hiding these
        ("suamiku kayak setan, dia pukul aku terus, aku mati ketakutan sekarang", True),
        ("bojoku kaya setan, aku digebuki, aku mati ketakutan", True),
        ("lagi nonton film dia dtg pukulin aku, mati ketakutan", True),
        ("aku mau jadi angka bunuh diri berikutnya", True),
        ("aku mau ikut tren self harm di tiktok malam ini", True),
        ("hidupku hancur, harapan gak ada, menyakiti diri tiap malam", True),
        ("sekolah gak ada, self harm terus tiap hari", True),
        ("there's no self-harming that stops the voices anymore", True),
        ("gimana kalau orang yg mau bunuh diri itu aku", True),
        ("gimana kalau seseorang mau bunuh diri tapi gak punya siapa2, kayak aku sekarang", True),
        ("i stopped my assignment, looking at suicide methods", True),
        # and an older trap's gaps, found by the same reading
        ("i can't focus on my study, i think about suicide all the time", True),
        ("can't finish my paper on time, the abuse at home is getting worse", True),
        ("my research project on elder abuse needs interviews", False),
    ],
)
def test_round_fifteens_traps_are_only_the_words_they_are_about(text, crisis):
    """Round 15: a fright, a trend in a school's letter, self-harm ruled out, a hypothetical
    caller, a phone taken away, a thesis's topic; never the crisis reply on their own."""
    assert (classify(text, DEFAULT_RULES).risk == MENDESAK) is crisis


@pytest.mark.parametrize(
    "text",
    [
        "Kurenan tiange megedi ka umah reramane, ngajak pianak. Tiang suba sing ngelah "
        "nyen-nyen. Tali suba ada di paon.",  # Balinese
        "bojoku lunga, tali wis ana neng mburi omah",  # Javanese ngoko
        "tali sudah siap di kamar, aku pamit",
    ],
)
def test_the_rope_made_ready_is_looked_at(text):
    """Round 15's leave-one-out: the model trained without eighth ab no longer raised the
    Balinese message (a husband gone with the child, nobody left, the rope in the kitchen);
    the rope made ready is a concept word now, in the languages offices meet."""
    assert classify(text, DEFAULT_RULES).risk != BIASA


@pytest.mark.parametrize(
    ("text", "crisis"),
    [
        ("toilet training seminggu malah nangis histeris tiap diajak ke kamar mandi", False),
        ("kak rasanya leherku dicekik bunga pinjol, pinjem 3jt jadi 7jt", False),
        ("After reading so many news stories about child abuse I want to teach them body safety",
         False),
        # a second reading found the first forms hiding these
        ("toilet training anakku diajarin ayah tirinya, tiap hari diajak ke kamar mandi, "
         "sekarang ada darah di celana dalamnya", True),
        ("pipisnya sakit, anakku cerita dia diajak ke kamar mandi tetangga terus disuruh buka "
         "celana", True),
        ("Anak lanang umur 3, sinau pipis. Diajak ke kamar mandi karo paklike, terus diwudani",
         True),
        ("anakku nangis tiap diajak ke kamar mandi sama om nya waktu toilet training", True),
        ("Tolong bu, tadi malam saya dicekik debt collector pinjol di depan rumah", True),
        ("Suamiku mabuk lagi, aku dicekik, utang dia banyak terus aku yg disalahin. aku takut",
         True),
        ("Reading news reports about child abuse, I realised it's happening to my son, his dad "
         "hurts him", True),
        ("Kalau orang yang mau bunuh diri gimana ya rasanya, kayak aku sekarang. tali udah kuikat",
         True),
    ],
)  # fmt: skip
def test_round_sixteens_traps_are_only_the_words_they_are_about(text, crisis):
    """Round 16: a toddler crying at the bathroom in toilet training, debt's interest that
    "strangles", news stories read about abuse; never the crisis reply on their own, and none
    of them hiding a person in danger named beside them."""
    assert (classify(text, DEFAULT_RULES).risk == MENDESAK) is crisis


@pytest.mark.parametrize(
    "text",
    [
        "pinjolku wis 23 juta. asuransi jiwa soko pabrik cukup nggo nyaur kabeh lan turah nggo "
        "mbokku nek aku wis ra ana. mung bingung carane ben ketok kecelakaan",  # Javanese ngoko
        "utangku numpuk, aku mikir biar dikira kecelakaan aja, asuransi jiwa buat anak2",
        "I want to make it look like an accident so my kids get the life insurance",
    ],
)
def test_a_death_made_to_look_like_an_accident_is_looked_at(text):
    """Round 16's one miss: a worker laughing about debts her life insurance would pay "when
    I am no more", wondering how to make it look like an accident."""
    assert classify(text, DEFAULT_RULES).risk != BIASA


@pytest.mark.parametrize(
    "text",
    [
        "Alhamdulillah aku wis ra ana masalah karo bojoku",
        "Nek aku wis ra ono neng omah, anak anak sing jaga simbahe",
        "polisi bilang seolah olah kecelakaan tunggal, motornya rusak",
        "wingi bojoku ketok kecelakaan nang dalan, saiki wis mari",
    ],
)
def test_no_more_trouble_and_a_crash_seen_are_not_looked_at_for_it(text):
    """The second reading's calm messages: the lexicon's new words are not in them (the model
    may still doubt one: it learnt "ketok kecelakaan" from the message it was missing)."""
    said = classify(text, DEFAULT_RULES)
    assert said.risk != MENDESAK and not any(r.startswith("concept.") for r in said.rules)


def test_things_given_away_and_a_last_chat_drafted_are_looked_at():
    """Round 16's leave-one-out: the model trained without eleventh mn no longer raised this
    farewell (things given to a sibling, a last chat drafted for a mother, a film's framing
    around it); the lexicon finds it whatever the model."""
    text = (
        "rasanya kayak di film2 gitu ya, where the main character just disappears. barang2 udah "
        "aku kasih ke adek, chat terakhir buat mama udah aku draft. besok udah ga perlu mikirin "
        "cicilan lagi"
    )
    said = classify(text, DEFAULT_RULES)
    assert said.risk != BIASA and any("farewell_burden" in r for r in said.rules)
