"""A data subject's requests: `puspaga export` writes everything held about one client (contacts,
conversations, messages, identity form, case file, the psychological record opened) as JSON and
as a readable file; `puspaga forget` erases it; `puspaga purge` applies the retention periods.
Only a head may export or erase, and both are audited."""

import json
from datetime import timedelta

from sqlalchemy import insert
from typer.testing import CliRunner

from bot.cli.main import app as cli
from storage.tables import DeadLetterRow
from tests.builders import ADMIN, COUNSELOR, T0, inbound
from tests.shell.test_jobs import office
from triage.domain.forms.dialogue import FormState
from triage.domain.model import Outcome
from triage.usecases import casework, records, referral
from triage.usecases.ingest import ingest


def test_the_head_exports_everything_held_about_a_client_and_it_is_audited(tmp_path):
    app = office(tmp_path / "office")
    conv = ingest(inbound(1, text="Anak saya sering tantrum"), uow_factory=app.uows,
                  now=T0).conversation_id  # fmt: skip
    ingest(inbound(1, sender="other", text="pesan klien lain"), uow_factory=app.uows, now=T0)
    with app.uows() as uow:
        uow.forms.save(FormState(conv, None, {"nama": "Sari Contoh", "usia": "34"}, "complete"))
        uow.commit()
    casework.hand_off(conv, actor=ADMIN, uow_factory=app.uows, now=T0)
    casework.claim(conv, actor=COUNSELOR, uow_factory=app.uows, now=T0)
    records.write(conv, "Asesmen: stres pengasuhan", actor=COUNSELOR, sealer=app.sealer,
                  uow_factory=app.uows, now=T0)  # fmt: skip
    with app.uows() as uow:
        client_id = uow.conversations.get(conv).client_id
    config = tmp_path / "office" / "config.toml"
    config.write_text(
        f'data_dir = "{tmp_path / "office"}"\n[office]\nname = "PUSPAGA Uji"\n'
        '[[staff]]\ntelegram_id = 3001\nname = "Ketut"\nrole = "ketua"\n'
        '[[staff]]\ntelegram_id = 1001\nname = "Wayan"\nrole = "admin"\n'
    )
    runner, out = CliRunner(), tmp_path / "ekspor"
    common = ["--client", str(client_id), "--out", str(out), "--config", str(config)]
    refused = runner.invoke(cli, ["export", "--by", "1001", *common])
    assert refused.exit_code == 2 and "Hanya ketua" in refused.output
    done = runner.invoke(cli, ["export", "--by", "3001", *common])
    assert done.exit_code == 0, done.output
    data = json.loads((out / f"data-klien-{client_id}.json").read_text(encoding="utf-8"))
    (exported,) = data["conversations"]
    assert exported["identity_form"]["nama"] == "Sari Contoh"
    assert [m["text"] for m in exported["messages"]] == ["Anak saya sering tantrum"]
    assert exported["psychological_record"][0]["parts"] == {"asesmen": "stres pengasuhan"}
    text = (out / f"data-klien-{client_id}.txt").read_text(encoding="utf-8")
    assert "Anak saya sering tantrum" in text and "pesan klien lain" not in text
    with app.uows() as uow:
        actions = [e.action for e in uow.audit.entries()]
    assert actions[-3:] == ["client.export.denied", "record.read", "client.exported"]
    # a referral and a survey's answer are in the export too
    referral.refer(conv, "puskesmas", "periksa tumbuh kembang", actor=COUNSELOR,
                   uow_factory=app.uows, now=T0, survey_question="Nilai 1-4?")  # fmt: skip
    ingest(inbound(5, text="4 3 4 terima kasih"), uow_factory=app.uows, now=T0)
    again = runner.invoke(cli, ["export", "--by", "3001", *common])
    assert again.exit_code == 0, again.output
    data = json.loads((out / f"data-klien-{client_id}.json").read_text(encoding="utf-8"))
    (exported,) = data["conversations"]
    assert exported["referrals"][0]["reason"] == "periksa tumbuh kembang"
    assert exported["surveys"][0]["scores"] == [4, 3, 4]
    text = (out / f"data-klien-{client_id}.txt").read_text(encoding="utf-8")
    assert "alasan: periksa tumbuh kembang" in text and "Survei kepuasan" in text
    app.engine.dispose()


def test_the_head_erases_a_client_and_the_export_then_holds_nothing_personal(tmp_path):
    app = office(tmp_path / "office")
    conv = ingest(inbound(1, text="Anak saya sering tantrum"), uow_factory=app.uows,
                  now=T0).conversation_id  # fmt: skip
    with app.uows() as uow:
        uow.forms.save(FormState(conv, None, {"nama": "Sari Contoh", "usia": "34"}, "complete"))
        client_id = uow.conversations.get(conv).client_id
        uow.commit()
    config = tmp_path / "office" / "config.toml"
    config.write_text(
        f'data_dir = "{tmp_path / "office"}"\n[office]\nname = "PUSPAGA Uji"\n'
        "[retention]\nmessages_days = 1\n"
        '[[staff]]\ntelegram_id = 3001\nname = "Ketut"\nrole = "ketua"\n'
        '[[staff]]\ntelegram_id = 1001\nname = "Wayan"\nrole = "admin"\n'
    )
    runner = CliRunner()
    common = ["--client", str(client_id), "--config", str(config), "--yes"]
    refused = runner.invoke(cli, ["forget", "--by", "1001", *common])
    assert refused.exit_code == 2 and "Hanya ketua" in refused.output
    still_open = runner.invoke(cli, ["forget", "--by", "3001", *common])
    assert still_open.exit_code == 2 and "tutup dulu" in still_open.output
    casework.close(conv, Outcome.TUNTAS, actor=ADMIN, uow_factory=app.uows, now=T0)
    kept_report = tmp_path / "office" / "laporan" / "2026-11" / "laporan-2026-11.xlsx"
    kept_report.parent.mkdir(parents=True)
    kept_report.write_bytes(b"register book naming Sari Contoh")
    done = runner.invoke(cli, ["forget", "--by", "3001", *common])
    assert done.exit_code == 0 and "1 percakapan" in done.output, done.output
    assert not kept_report.exists()  # the report files kept for Telegram named her
    out = tmp_path / "ekspor"
    exported = runner.invoke(cli, ["export", "--by", "3001", "--client", str(client_id),
                                   "--out", str(out), "--config", str(config)])  # fmt: skip
    assert exported.exit_code == 0, exported.output
    text = (out / f"data-klien-{client_id}.txt").read_text(encoding="utf-8")
    assert "tantrum" not in text and "Sari Contoh" not in text and "34" in text
    with app.uows() as uow:
        actions = [e.action for e in uow.audit.entries()]
    assert actions[:3] == ["client.erase.denied", "client.erased", "client.exported"]
    # the retention job on the command line: the erased case counts once, then never again
    with app.engine.begin() as conn:  # an update that could not be handled, long ago
        conn.execute(insert(DeadLetterRow.__table__).values(
            source="telegram", external_id="1", payload="{...}", error="x",
            created_at=T0 - timedelta(days=3)))  # fmt: skip
    purged = runner.invoke(cli, ["purge", "--config", str(config)])
    assert purged.exit_code == 0 and "messages: 0" in purged.output, purged.output
    assert "dead_letters: 1" in purged.output
    app.engine.dispose()
