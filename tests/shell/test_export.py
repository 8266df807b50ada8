"""A data subject's request: `puspaga export` writes everything held about one client (contacts,
conversations, messages, identity form, case file, the psychological record opened) as JSON and
as a readable file; only a head may, and the export is audited."""

import json

from typer.testing import CliRunner

from bot.cli import app as cli
from tests.builders import ADMIN, COUNSELOR, T0, inbound
from tests.shell.test_jobs import office
from triage import casework, records
from triage.form_dialogue import FormState
from triage.ingest import ingest


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
    assert refused.exit_code == 2 and "Only a head" in refused.output
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
    app.engine.dispose()
