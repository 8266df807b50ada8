"""Every staff command, once: the order here is the order of the menus and of /bantuan."""

from __future__ import annotations

from bot.telegram.commands import (
    assessment,
    cases,
    closing,
    codes,
    guide,
    identity,
    records,
    report,
    roster,
    workflows,
)
from bot.telegram.commands.registry import Registry

REGISTRY = Registry(
    [
        *cases.COMMANDS,
        *closing.COMMANDS,
        *identity.COMMANDS,
        *assessment.COMMANDS,
        *roster.COMMANDS,
        *records.COMMANDS,
        *workflows.COMMANDS,
        *report.COMMANDS,
        *codes.COMMANDS,
        *guide.COMMANDS,
    ]
)
