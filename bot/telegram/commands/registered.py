"""Every staff command, once: the order here is the order of the menus and of /bantuan."""

from __future__ import annotations

from bot.telegram.commands import (
    appointments,
    assessment,
    cases,
    closing,
    codes,
    guide,
    identity,
    intake,
    programme,
    records,
    report,
    roster,
    transfer,
    workflows,
)
from bot.telegram.commands.registry import Registry

REGISTRY = Registry(
    [
        *cases.COMMANDS,
        *intake.COMMANDS,
        *closing.COMMANDS,
        *transfer.COMMANDS,
        *appointments.COMMANDS,
        *identity.COMMANDS,
        *assessment.COMMANDS,
        *roster.COMMANDS,
        *records.COMMANDS,
        *workflows.COMMANDS,
        *programme.COMMANDS,
        *report.COMMANDS,
        *codes.COMMANDS,
        *guide.COMMANDS,
    ]
)
