"""One mail the database refuses no longer stops the mailbox (against a real Dovecot): it is
tried three times, then set aside whole, the cursor moves on and the urgent mail after it comes
in; staff are told; `puspaga dead-letters` lists it and `--retry` stores it once the cause is
gone. A message with a NUL byte, which PostgreSQL refuses in text, is stored without it."""

from __future__ import annotations

from typer.testing import CliRunner

from bot.cli.main import app as cli
from bot.service import loops as service
from tests.builders import T0, inbound
from tests.email.mailbox import append, build_app, client_mail
from triage.domain.model import Channel
from triage.usecases import inbox
from triage.usecases.ingest import ingest

POISON = (
    "CREATE TRIGGER refuse BEFORE INSERT ON message WHEN NEW.text LIKE '%Kalender RACUN%' "
    "BEGIN SELECT RAISE(ABORT, 'refused'); END"
)


def texts(app) -> list[str]:
    return [m.text for v in inbox.snapshot(app.uows) for m in v.messages]


def test_a_mail_that_cannot_be_stored_is_set_aside_and_the_next_one_comes_in(
    tmp_path, dovecot, smtp_sink
):
    app = build_app(tmp_path, dovecot, smtp_sink)
    key = app.sources[0].cursor_key
    with app.engine.begin() as conn:  # the database refuses one mail, as PostgreSQL a NUL
        conn.exec_driver_sql(POISON)
    append(app, client_mail("Kalender RACUN kegiatan", sender="a@example.com", subject="Info"))
    append(app, client_mail("tolong suami saya memukul saya sekarang", sender="b@example.com"))
    assert service.poll_all(app) == {key: -1}  # a failed store stops the pass: tried again
    assert service.poll_all(app) == {key: -1}
    assert texts(app) == [] and app.dead_letters.all() == []
    assert service.poll_all(app) == {key: 2}  # the third try sets it aside; the next comes in
    assert any("memukul saya sekarang" in t for t in texts(app))
    (letter,) = app.dead_letters.all()
    assert letter.source == key and letter.sender == "email:a@example.com"
    assert service.poll_all(app) == {key: 0}  # the cursor moved past it
    with app.uows() as uow:
        told = [i.text for i in uow.outbox.failed() + uow.outbox.unsent() if "disisihkan" in i.text]
    assert told and f"--retry {letter.id}" in told[0]

    config = tmp_path / "cli.toml"
    config.write_text(f'data_dir = "{tmp_path}"\n[office]\nname = "PUSPAGA Uji"\n')
    listed = CliRunner().invoke(cli, ["dead-letters", "--config", str(config)])
    assert listed.exit_code == 0 and f"#{letter.id}" in listed.output
    refused = CliRunner().invoke(cli, ["dead-letters", "--retry", str(letter.id),
                                       "--config", str(config)])  # fmt: skip
    assert refused.exit_code != 0 and app.dead_letters.get(letter.id) is not None
    with app.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER refuse")
    stored = CliRunner().invoke(cli, ["dead-letters", "--retry", str(letter.id),
                                      "--config", str(config)])  # fmt: skip
    assert stored.exit_code == 0 and "sudah tersimpan" in stored.output
    assert app.dead_letters.all() == []
    assert sum("Kalender RACUN" in t for t in texts(app)) == 1


def test_a_nul_byte_is_dropped_not_fatal(uows):
    """Dovecot hands a NUL over as another byte, other servers do not: on PostgreSQL a NUL in
    text is refused outright, and every try of that mail failed."""
    msg = inbound(1, channel=Channel.EMAIL, text="saya mau\x00 tanya", subject="Jad\x00wal",
                  name="Siti\x00")  # fmt: skip
    stored = ingest(msg, uow_factory=uows, now=T0)
    with uows() as uow:
        (kept,) = uow.messages.for_conversation(stored.conversation_id)
    assert (kept.text, kept.subject) == ("saya mau tanya", "Jadwal")
