"""Text as the triage rules read it: lower case, letters not stretched ("tolonggg"), slang and
abbreviations written out ("bundir" → "bunuh diri", "gak" → "tidak"), leetspeak undone
("m4ti"), punctuation gone. Pure and fast: it runs on every message.
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
REDUPLICATION = re.compile(r"\b([a-z]{2,})2(?=nya\b|\b)")  # "anak2" → "anak anak"
# "17th", "13thn", "40an", "3x": a number glued to its unit is a number, not leetspeak
UNIT = re.compile(r"\b([0-9]+)(th|thn|tahun|taun|an|bln|bulan|hr|hari|x|jt|rb|k)\b")
MIXED = re.compile(r"(?=[a-z0-9@]*[a-z])(?=[a-z0-9@]*[0-9@])[a-z0-9@]+")  # "m4ti", not "2026"


def _unleet(match: re.Match[str]) -> str:
    return match.group(0).translate(LEET)


def normalize(text: str, slang: Mapping[str, str] = SLANG) -> str:
    """Lower-case words separated by single spaces; see the module docstring."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if "http" in folded or "www." in folded:
        folded = URL.sub(" ", folded)
    if DIGIT.search(folded) or "@" in folded:  # most messages have neither: skip three passes
        folded = REDUPLICATION.sub(r"\1 \1", folded)
        folded = UNIT.sub(r"\1 \2", folded)
        folded = MIXED.sub(_unleet, folded)
    folded = STRETCH.sub(r"\1", folded)
    words = []
    for token in TOKEN.findall(folded):
        words.append(slang.get(token, token))
    return " ".join(words)
