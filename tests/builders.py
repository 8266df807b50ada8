"""Small builders shared by tests: messages and staff actors with readable defaults."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from triage.domain.model import Actor, Channel, InboundMessage, Role

T0 = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 09.00 WITA on a Tuesday

ADMIN = Actor(staff_id=1001, role=Role.ADMIN, name="Wayan")
COUNSELOR = Actor(staff_id=2001, role=Role.COUNSELOR, name="Made")
COUNSELOR_2 = Actor(staff_id=2002, role=Role.COUNSELOR, name="Nyoman")
HEAD = Actor(staff_id=3001, role=Role.HEAD, name="Ketut")


def inbound(
    n: int = 1,
    *,
    channel: Channel = Channel.HOTLINE,
    sender: str = "client-1",
    name: str = "Ibu Sari",
    text: str = "Selamat pagi, saya ingin konsultasi.",
    at: datetime | None = None,
    **extra: object,
) -> InboundMessage:
    return InboundMessage(
        channel=channel,
        external_id=f"{channel.value}-{sender}-{n}",
        sender_id=sender,
        sender_name=name,
        text=text,
        received_at=at or T0 + timedelta(seconds=n),
        **extra,  # type: ignore[arg-type]
    )


class MovingClock:
    """The service's clock in a test: real time moved by an offset, or held at `at`."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return self.at if self.at is not None else datetime.now(UTC) + self.offset

    def move_to(self, at: datetime) -> None:
        self.offset = at - datetime.now(UTC)


def next_session(uows, conv_id: int, days: int = 30) -> None:  # noqa: ANN001
    """A session scheduled for the case (closing it as Ulang needs one)."""
    from triage.domain.appointments import SCHEDULED, Appointment

    with uows() as uow:
        session = Appointment(None, conv_id, T0 + timedelta(days=days), "Ruang konseling 1",
                              None, SCHEDULED, ADMIN.staff_id, T0)  # fmt: skip
        uow.appointments.add(session)
        uow.commit()
