"""Text as the triage rules read it: lower case, letters not stretched ("tolonggg"), slang and
abbreviations written out ("bundir" → "bunuh diri", "gak" → "tidak"), leetspeak undone
("m4ti"), punctuation gone. Words written to slip past a reader are put back: zero-width
characters and soft hyphens dropped, look-alike Cyrillic and Greek letters read as Latin
("рukul"), accents stripped ("matè"), letters spelled apart joined ("b.u.n.u.h"). The
Javanese krama passive written apart is one word, as the ngoko one is ("dipun gebugi" →
"digebugi"). Pure and fast: it runs on every message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

# everyday chat forms → the formal word the rules are written with: "<form> <formal words>"
_SLANG_LINES = """
adek adik
aj saja
aja saja
ak aku
anakku anak aku
aq aku
bapa bapak
belom belum
berantem bertengkar
bgt banget
bkn bukan
blm belum
bngt banget
brp berapa
bojoku suami aku
bokap ayah
bs bisa
bsa bisa
buat untuk
bundir bunuh diri
cape capek
capeek capek
denger dengar
dgn dengan
dibully dirundung
dijodohin dijodohkan
dijual dijual
dikawinin dikawinkan
dikunciin dikunci
dilecehin dilecehkan
dimana di mana
dinikahin dinikahkan
dipukulin dipukul
ditawarin ditawari
ditinggalin ditinggal
dmn di mana
dr dari
drpd daripada
emak ibu
engga tidak
enggak tidak
eyang kakek
ga tidak
gaada tidak ada
gada tidak ada
gak tidak
gapapa tidak apa apa
gimana bagaimana
gk tidak
gmn bagaimana
gmna bagaimana
gpp tidak apa apa
gua saya
gue saya
gugurin menggugurkan
gw saya
hrs harus
idup hidup
ig instagram
ilang hilang
istriku istri aku
jatoh jatuh
jg juga
kagak tidak
kak kakak
kalo kalau
karna karena
kaya seperti
kayak seperti
kdrt kekerasan dalam rumah tangga
kedengeran terdengar
ketemu bertemu
kl kalau
klo kalau
km kamu
knp kenapa
kpn kapan
krn karena
kyk seperti
layanin melayani
lg lagi
lgi lagi
liat lihat
lo kamu
loe kamu
lu kamu
mak ibu
malem malam
males malas
masi masih
mati2an mati matian
mbah kakek
mbak kakak
megang memegang
msh masih
mukul memukul
mukulin memukul
mutusin memutuskan
nampar menampar
nangis menangis
napa kenapa
nda tidak
ndak tidak
nendang menendang
nesu marah
ngabisin menghabisi
ngajak mengajak
ngajarin mengajari
ngamuk mengamuk
ngancam mengancam
ngancem mengancam
ngebully merundung
ngelecehin melecehkan
ngeliat melihat
ngelukain melukai
ngemis mengemis
ngeri takut
ngerokok merokok
ngeroyok mengeroyok
ngevape vape
ngga tidak
nggak tidak
nggebuki memukul
ngilang hilang
ngomong bicara
ngunciin mengunci
ngurus mengurus
nikahin menikahkan
ninggalin meninggalkan
nyakiti menyakiti
nyakitin menyakiti
nyari mencari
nyayat menyayat
nyebar menyebar
nyebarin menyebarkan
nyekik mencekik
nyiapin menyiapkan
nyiksa menyiksa
nyilet menyilet
nyokap ibu
nyuruh menyuruh
ora tidak
org orang
ortu orang tua
ortunya orang tuanya
pakdhe paman
pengen ingin
pengin ingin
pgn ingin
pingin ingin
plis tolong
pls tolong
putusin memutuskan
ra tidak
sayat menyayat
sdg sedang
sdh sudah
siapin menyiapkan
skg sekarang
skrang sekarang
skrg sekarang
sm sama
suamiku suami aku
sy saya
sya saya
tak tidak
takuut takut
tdk tidak
tlg tolong
tolongin tolong
tp tapi
tpi tapi
trs terus
trus terus
taun tahun
thn tahun
udah sudah
udh sudah
utk untuk
wa whatsapp
yg yang
"""
SLANG: Mapping[str, str] = dict(line.split(" ", 1) for line in _SLANG_LINES.strip().splitlines())
LEET = str.maketrans({"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t", "@": "a"})
DIGIT = re.compile(r"[0-9]")
URL = re.compile(r"https?://\S+|www\.\S+")
STRETCH = re.compile(r"([a-z])\1{2,}")  # three or more of a letter: "tolonggg" → "tolong"
TOKEN = re.compile(r"[a-z]+|[0-9]+")  # numbers are kept: "anak 14 tahun" matters
REDUPLICATION = re.compile(r"\b([a-z]{2,})2(nya|in|an|kan|i)?\b")  # "anak2" → "anak anak"
# "17th", "13thn", "40an", "3x": a number glued to its unit is a number, not leetspeak
UNIT = re.compile(r"\b([0-9]+)(th|thn|tahun|taun|an|bln|bulan|hr|hari|x|jt|rb|k)\b")
MIXED = re.compile(r"(?=[a-z0-9@]*[a-z])(?=[a-z0-9@]*[0-9@])[a-z0-9@]+")  # "m4ti", not "2026"


# Cyrillic and Greek letters that look like Latin ones, as used to dodge word lists
_LOOKALIKE = str.maketrans(
    "аеорсухкмтвніјѕԁһӏαεορτυνικμχɑɡɩ",
    "aeopcyxkmtbhijsdhlaeoptunikmxagi",
)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"))
# "b.u.n.u.h", "m-a-t-i", "b u n u h": four or more letters spelled apart
_SPELLED = re.compile(r"\b[a-z](?:[.\-_*][a-z]){3,}\b|\b[a-z](?: [a-z]){3,}\b")
# what every spelled-apart word holds (a separator, a letter, a separator …), searched first:
# it starts only at a separator, where _SPELLED tries every place
_SPELLED_HINT = re.compile(r"[.\-_* ][a-z][.\-_* ][a-z][.\-_* ]")
# emoji that name a means of harm are read as the word (the rest are dropped with punctuation)
_EMOJI = {
    "\U0001f48a": " pil pilemoji ",  # pills: read as the word and as the sign it is at helplines
    "\U0001f52a": " pisau ",
    "\U0001fa78": " darah ",
    "\U0001faa2": " tali ",
    "\U0001f52b": " pistol ",
    "\U0001f5e1": " pisau ",
}
_EMOJI_WORDS = str.maketrans(_EMOJI)


def _as_text(value: int | str | None) -> str:
    return chr(value) if isinstance(value, int) else value or ""


# The three tables in one substitution: their keys differ and no value is another's key, so
# this is the three translates in turn, but touches only the odd characters (a translate looks
# up every character of the text: a third of a non-ASCII message's time went there)
_ODD_TEXT = {
    chr(key): _as_text(value)
    for table in (_INVISIBLE, _LOOKALIKE, _EMOJI_WORDS)
    for key, value in table.items()
}
_ODD = re.compile("[" + "".join(f"\\U{ord(c):08x}" for c in _ODD_TEXT) + "]")


def _plain(match: re.Match[str]) -> str:
    return _ODD_TEXT[match.group(0)]


def _joined(match: re.Match[str]) -> str:
    return re.sub(r"[.\-_* ]", "", match.group(0))


# every combining mark (none lies above U+1FFFF), dropped by one translate in C rather than a
# test per character
_COMBINING = dict.fromkeys(c for c in range(0x20000) if unicodedata.combining(chr(c)))


def _ranges(codes: list[int]) -> str:
    """Code points as the ranges of a character class."""
    out, first = [], codes[0]
    for prev, code in zip(codes, [*codes[1:], -1], strict=True):
        if code != prev + 1:
            out.append(f"\\U{first:08x}-\\U{prev:08x}")
            first = code
    return "".join(out)


# the same marks as a character class: a search skips the unmarked letters in C, where the
# table's translate looked each one up
_MARKS = re.compile(f"[{_ranges(sorted(_COMBINING))}]")


def _unaccented(text: str) -> str:
    """ "matè" → "mate" (Madurese and Balinese are written with and without accents)."""
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def _unleet(match: re.Match[str]) -> str:
    return match.group(0).translate(LEET)


def normalize(text: str, slang: Mapping[str, str] = SLANG) -> str:
    """Lower-case words separated by single spaces; see the module docstring."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not folded.isascii():  # most messages are plain ASCII: skip three passes
        folded = _unaccented(_ODD.sub(_plain, folded))
    if _SPELLED_HINT.search(folded) and _SPELLED.search(folded):
        folded = _SPELLED.sub(_joined, folded)
    if "http" in folded or "www." in folded:
        folded = URL.sub(" ", folded)
    if slang is not SLANG:
        return _passive(" ".join(w for token in _raw(folded) for w in _words(token, slang)))
    words: list[str] = []
    for token in _raw(folded):
        found = _seen.get(token)
        if found is None and token.isascii() and token.isdigit():  # a number is itself (each
            words.append(token)  # phone number, date and amount would fill the memory)
            continue
        if found is None:
            found = _words(token, slang)
            if len(token) <= 40 and len(_seen) < 200_000:  # words repeat; bounded
                _seen[token] = found
        words.extend(found)
    return _passive(" ".join(words))


_DIPUN = re.compile(r"\bdipun (?=[a-z])")


def _passive(text: str) -> str:
    return _DIPUN.sub("di", text) if "dipun " in text else text


# the runs the passes below see: \b's letters (any script, digits, "_") and "@", so each pass
# finds in a run what it finds in the whole text
RAW = re.compile(r"[\w@]+")
# in ASCII text RAW's runs are what is left of [A-Za-z0-9_@] when the rest is a space: a
# bytes translate is one table lookup a byte in C (cheaper than the search, and than a str
# translate, which looks each character up in a dict: 1.5 µs a message less)
_NOT_RAW = bytes(c if re.fullmatch(RAW, chr(c)) else 32 for c in range(128)) + b" " * 128


def _raw(folded: str) -> list[str]:
    if folded.isascii():
        return folded.encode("ascii").translate(_NOT_RAW).decode("ascii").split()
    return RAW.findall(folded)


_seen: dict[str, tuple[str, ...]] = {}


def _words(token: str, slang: Mapping[str, str]) -> tuple[str, ...]:
    """A raw token's words: "anak2" → anak anak, "17th" → 17 th, "m4ti" → mati, "tolonggg" →
    tolong, then slang written out. Each pass stays inside a token, so a token's words are
    the same in every message (normalize remembers them)."""
    if DIGIT.search(token) or "@" in token:
        token = REDUPLICATION.sub(r"\1 \1\2", token)
        token = UNIT.sub(r"\1 \2", token)
        token = MIXED.sub(_unleet, token)
    token = STRETCH.sub(r"\1", token)
    return tuple(slang.get(t, t) for t in TOKEN.findall(token))


_last_words: tuple[str | None, list[str]] = (None, [])


def distinct_words(text: str) -> list[str]:
    """The words of normalised `text` (single spaces), each once, in the order they first occur.
    The last answer is remembered (read once: another thread may replace it): the category
    words and the learned model read the same message one after the other. Not to be changed
    by the caller."""
    global _last_words
    last_text, words = _last_words
    if last_text == text:
        return words
    words = list(dict.fromkeys(text.split()))
    _last_words = (text, words)
    return words
