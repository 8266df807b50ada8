"""The unified inbox as a terminal table (rich) for `puspaga inbox` and the demo."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.table import Table
from rich.text import Text

from triage.domain.model import STEP_NAMES
from triage.texts.catalog import Lang, text
from triage.usecases.inbox import ConversationView


def _clock(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%d/%m %H.%M %Z")


def _steps(view: ConversationView, zone: ZoneInfo, lang: Lang) -> str:
    """Each reached step with its time and the minutes since the message was received."""
    steps = view.conversation.steps
    start = steps.received
    lines = []
    for name in STEP_NAMES:
        at = getattr(steps, name)
        if at is None:
            continue
        since = (
            f" (+{int((at - start).total_seconds() // 60)} mnt)" if start and at != start else ""
        )
        lines.append(f"{_clock(at, zone)}{since} {text(f'step.{name}', lang)}")
    return "\n".join(lines)


def inbox_table(views: list[ConversationView], *, zone: ZoneInfo, lang: Lang = "id") -> Table:
    table = Table(title=text("inbox.title", lang), show_lines=True)
    for key in ("no", "client", "channel", "state", "messages", "last", "steps"):
        table.add_column(text(f"inbox.col.{key}", lang), overflow="fold")
    for view in views:
        conv = view.conversation
        channels = sorted({text(f"channel.{c.channel.value}", lang) for c in view.contacts})
        state = text(f"state.{conv.state.value}", lang)
        if conv.outcome:
            state += f" · {text(f'outcome.{conv.outcome.value}', lang)}"
        last = view.messages[-1].text if view.messages else ""
        table.add_row(
            str(conv.id),
            Text(view.client_name),  # Text(): client-supplied, never rich markup
            ", ".join(channels),
            state,
            str(len(view.messages)),
            Text(last if len(last) <= 60 else last[:57] + "…"),
            _steps(view, zone, lang),
        )
    return table
