"""The office's triage as the core takes it: the rules (the product's and the office's own
file), the identity form, the information answers and the after-hours reply, built from the
settings. The stemmer (Sastrawi, which reads its dictionary when created) is made here and
handed to the pure core with a cache: clients repeat their words, so most stems are hits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config.calendar import after_hours
from bot.config.form_file import load_form
from bot.config.rules_file import load_rules
from bot.config.settings import WEEKDAYS, Settings
from bot.telegram.greeting import DAY_NAMES, ZONES, hours_phrase, privacy_notice
from triage.domain.forms.spec import DEFAULT_FORM
from triage.domain.rules.classify import RuleSet, classify
from triage.domain.rules.defaults import DEFAULT_RULES
from triage.domain.rules.faq import OfficeFacts
from triage.domain.schedule.roster import Roster
from triage.domain.workflow import WorkflowSetup
from triage.effects.assess import RelaySetup
from triage.effects.form_prompts import TEXT_KEYS, FormSetup
from triage.texts.catalog import Lang, text


def stemmer() -> Callable[[str], str]:
    """Sastrawi's stemmer, cached. Sastrawi keeps its 30,000 root words in a list and asks it
    dozens of times a word, scanning the list each time: 16 ms a word on the median, half a
    second for an unusual one (docs/BENCHMARKS.md, Triage). The same words in a set give the
    same stems (tests/unit/test_stemmer.py) in microseconds."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    cached = StemmerFactory().create_stemmer()
    dictionary = cached.delegatedStemmer.dictionary
    dictionary.words = frozenset(dictionary.words)  # only `word in words` is ever asked
    return lru_cache(maxsize=200_000)(cached.stem)


def office_triage(
    settings: Settings,
    alert_to: Sequence[int],
    *,
    roster: Roster | None = None,
    heads: Sequence[int] = (),
    workflows: WorkflowSetup | None = None,
) -> RelaySetup:
    """The triage the service runs in its relay: the default rules, the cached stemmer, the
    office's crisis reply (its own phone number with the national help numbers)."""
    stem = stemmer()
    office = settings.office
    lang = settings.language
    reply = text("crisis.reply", lang, office=office.name, phone=office.phone or "-")
    rules = office_rules(settings)

    return RelaySetup(
        lambda t: classify(t, rules, stem),
        reply,
        tuple(alert_to),
        office_facts(settings),
        form_setup(settings),
        after_hours(settings, date.today()) if office.after_hours_reply else None,
        roster=roster,
        heads=tuple(heads),
        workflows=workflows,
    )


def form_setup(settings: Settings) -> FormSetup:
    """The office's identity form (`[triage] form_file`), else the product's."""
    lang = settings.language
    form = DEFAULT_FORM
    if settings.triage.form_file:
        form = load_form(Path(settings.triage.form_file), settings.language)
    return FormSetup(
        form=form,
        lang=lang,
        consent_text=text("hotline.consent_given", lang),
        refused_text=text("hotline.consent_refused", lang),
        mask_before_consent=settings.consent.mask_before,
        minors=settings.consent.minors,
        texts={key: text(key, lang, **_filled(key, settings)) for key in TEXT_KEYS},
        register_template=settings.office.register_format,
        register_start=settings.office.register_start,
        zone=ZoneInfo(settings.office.timezone),
    )


def _filled(key: str, settings: Settings) -> dict[str, str]:
    """The values a form text needs: the consent texts say what happens to the client's data."""
    return {"privacy": privacy_notice(settings)} if "{privacy}" in text(key, "id") else {}


def office_rules(settings: Settings) -> RuleSet:
    """The product's rules with the office's additions, if it has a rules file."""
    if not settings.triage.rules_file:
        return DEFAULT_RULES

    return load_rules(Path(settings.triage.rules_file), DEFAULT_RULES, settings.language)


def office_facts(settings: Settings) -> OfficeFacts:
    """The answers to information questions, from the office's configuration."""

    lang, office = settings.language, settings.office
    answers = {
        "hours": text(
            "faq.hours",
            lang,
            hours=hours_phrase(office.hours, lang),
            zone=ZONES.get(office.timezone, office.timezone),
        ),
        "address": text("faq.address", lang, address=office.address) if office.address else "",
        "cost": office.answers.cost.strip() or text("faq.cost", lang, office=office.name),
        "requirements": office.answers.requirements.strip() or text("faq.requirements", lang),
        "services": office.answers.services.strip() or text("faq.services", lang),
        "themes": themes_phrase(office.weekday_themes, lang),
    }
    return OfficeFacts(answers, text("faq.closing", lang))


def themes_phrase(themes: dict[str, str], lang: Lang) -> str:
    """The weekday themes as one answer ("" when the office has none: not answered)."""

    days = [f"{DAY_NAMES[lang][i]}: {themes[d]}" for i, d in enumerate(WEEKDAYS) if d in themes]
    return text("faq.themes", lang, days="; ".join(days)) if days else ""
