"""The demo's possible danger, before consent: a client who never answered the data-protection
notice hints at danger in Javanese. No crisis reply; the counselors on duty and the admins are
alerted and the case tops the board, but the admins see a placeholder, not her words, until
she taps "Setuju"; then they read it and set level and category (/tingkat, /kategori), and
record that she must not be written to first (/kontak)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from rich.markup import escape

from bot.demo.local_api.scripted import DemoFailed, Stage, crisis_words
from triage.domain.forms.spec import DEFAULT_FORM
from triage.texts.catalog import Lang, text

GROUP = -1001234567890
ADMIN = 1001
WORRIED = 4646  # writes in Javanese of feeling a burden: possible danger (perlu_dicek)
WORDS = "mbak, aku wes kesel banget, rasane aku mung dadi beban keluarga"
OWN = "dadi beban"  # her own words (staff's texts say "beban" too: a counselor's workload)


def possible_danger(stage: Stage, lang: Lang, say: Callable[..., None]) -> None:
    state = stage.state
    group = "Bot → grup admin:" if lang == "id" else "Bot → admin group:"

    def line(key: str, **values: object) -> None:
        say(escape(text(key, lang, **values)))

    state.user_writes(WORRIED, text=WORDS)
    stage.wait(lambda: stage.app.telegram.maps.topic(5), "a topic for conversation #5")
    thread = stage.app.telegram.maps.topic(5).thread_id  # type: ignore[union-attr]
    alert = stage.post(GROUP, "🔶", thread)
    line("demo.tg.review")
    say(f"    [dim]{escape(group)}[/dim] {escape(alert.get('text', '').splitlines()[0])}")
    if any(crisis_words(lang) in m.get("text", "") for m in state.sent(WORRIED)):
        raise DemoFailed("possible danger must not get the crisis reply")
    card = stage.post(GROUP, text("tg.masked_body", lang), thread)
    asked = stage.post(WORRIED, text("form.chat.consent", lang)[:20])
    if any(OWN in m.get("text", "") for m in state.sent(GROUP)):
        raise DemoFailed("a client's words reached the admins before her consent")
    line("demo.tg.masked")
    say(f"    [dim]{escape(group)}[/dim] {escape(_line(card, text('tg.masked_body', lang)))}")
    state.user_presses(WORRIED, asked, "consent:yes")
    shown = stage.post(GROUP, OWN, thread)
    line("demo.tg.revealed")
    say(f"    [dim]{escape(group)}[/dim] {escape(_line(shown, OWN))}")
    stage.post(WORRIED, DEFAULT_FORM.field("nama").prompt[lang])  # type: ignore[union-attr]
    state.user_writes(WORRIED, text="Sekar")
    stage.post(WORRIED, DEFAULT_FORM.field("usia").prompt[lang])  # type: ignore[union-attr]
    state.user_writes(WORRIED, text="16")
    minor = stage.post(GROUP, "👧", thread)
    line("demo.tg.minor")
    say(f"    [dim]{escape(group)}[/dim] {escape(minor.get('text', '').split('.')[0])}.")
    state.user_writes(ADMIN, GROUP, "/tingkat perlu_dicek", thread_id=thread)
    stage.post(GROUP, "#5: perlu_dicek", thread)
    state.user_writes(ADMIN, GROUP, "/kategori keluarga_harmonis", thread_id=thread)
    stage.post(GROUP, "#5: keluarga_harmonis", thread)
    line("demo.tg.review_set")


def _line(post: dict, words: str) -> str:
    return next((ln for ln in post.get("text", "").splitlines() if words in ln), "")


def withdraws(stage: Stage, lang: Lang, say: Callable[..., None]) -> None:
    """The same client takes her consent back: BERHENTI, confirmed with a button; the bot
    closes her case and tells the admins (triage.effects.withdrawal)."""
    state = stage.state
    group = "Bot → grup admin:" if lang == "id" else "Bot → admin group:"
    thread = stage.app.telegram.maps.topic(5).thread_id  # type: ignore[union-attr]
    state.user_writes(WORRIED, text="/berhenti")
    asked = stage.post(WORRIED, text("consent.withdraw_ask", lang)[:30])
    state.user_presses(WORRIED, asked, "withdraw:yes")
    stage.post(WORRIED, text("consent.withdrawn", lang)[:30])
    told = stage.post(GROUP, "🛑", thread)
    stage.wait(lambda: state.topics[(GROUP, thread)]["closed"], "case #5's topic closed")
    say(escape(text("demo.tg.withdrawn", lang)))
    say(f"    [dim]{escape(group)}[/dim] {escape(told.get('text', '').split('.')[0])}.")


def safe_contact(stage: Stage, lang: Lang, say: Callable[..., None]) -> None:
    """Her phone is read at home: the admin records /kontak tidak samar; an hour later a reply
    the admin writes is not sent, and the topic says why (triage.domain.privacy.safe_contact).
    She agrees by phone to be written to again: /kontak bebas."""
    state, app = stage.state, stage.app
    group = "Bot → grup admin:" if lang == "id" else "Bot → admin group:"
    thread = app.telegram.maps.topic(5).thread_id  # type: ignore[union-attr]
    state.user_writes(ADMIN, GROUP, "/kontak tidak samar", thread_id=thread)
    said = stage.post(GROUP, "🛡️", thread)
    say(escape(text("demo.tg.safe_contact", lang)))
    say(f"    [dim]{escape(group)}[/dim] {escape(said.get('text', '').split('(')[0].strip())}")
    app.clock.move_to(app.clock() + timedelta(hours=1))  # type: ignore[attr-defined]
    state.user_writes(ADMIN, GROUP, "Mbak, besok bisa datang ke kantor?", thread_id=thread)
    refused = stage.post(GROUP, text("staff.contact_not_first", lang, conv=5)[:30], thread)
    if any("besok bisa datang" in m.get("text", "") for m in state.sent(WORRIED)):
        raise DemoFailed("a reply reached a client who asked not to be written to first")
    say(escape(text("demo.tg.safe_contact_refused", lang)))
    say(f"    [dim]{escape(group)}[/dim] {escape(refused.get('text', '').split(':')[0])}.")
    state.user_writes(ADMIN, GROUP, "/kontak bebas", thread_id=thread)  # she agreed by phone
    stage.post(GROUP, text("staff.contact_free", lang, conv=5)[:20], thread)
    say(escape(text("demo.tg.safe_contact_lifted", lang)))
