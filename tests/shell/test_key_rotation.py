"""Records sealed at rest with a key outside the database; `puspaga rotate-key` seals them
again with a new key and the old key stops opening them."""

from dataclasses import replace

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import text
from typer.testing import CliRunner

from bot.cli.main import app as cli
from bot.service.secret_box import SecretBox
from tests.builders import ADMIN, COUNSELOR, T0, inbound
from tests.shell.test_jobs import office
from triage.domain.outbox import SEALED_TEXT, OutboxItem, Target
from triage.usecases import casework, records
from triage.usecases.ingest import ingest


def test_rotation_reseals_every_record_and_the_old_key_stops_working(tmp_path, monkeypatch):
    monkeypatch.delenv("PUSPAGA_SECRET_KEY", raising=False)
    app = office(tmp_path)
    box = SecretBox.for_data_dir(tmp_path)
    old_key = (tmp_path / "secret.key").read_bytes().strip()
    conv = ingest(inbound(1), uow_factory=app.uows, now=T0).conversation_id
    casework.hand_off(conv, actor=ADMIN, uow_factory=app.uows, now=T0)
    casework.claim(conv, actor=COUNSELOR, uow_factory=app.uows, now=T0)
    common = {"sealer": box, "uow_factory": app.uows, "now": T0}
    records.write(conv, "Keluhan: cemas berat\nAsesmen: gangguan tidur", actor=COUNSELOR, **common)
    records.write(conv, "Hasil: membaik", actor=COUNSELOR, **common)
    with app.engine.connect() as conn:
        before = conn.execute(text("SELECT sealed FROM psych_record ORDER BY id")).scalars().all()
    assert all("cemas" not in s for s in before)  # the ciphertext does not carry the plaintext

    letter = tmp_path / "rujukan" / str(conv) / "surat-rujukan-1-1-2001-abc.docx.sealed"
    letter.parent.mkdir(parents=True)
    letter.write_text(box.seal(b"PK letter"), encoding="ascii")

    with app.uows() as uow:  # a staff answer waiting sealed (the identity card read back)
        sealed = box.seal(b"Kartu identitas")
        options = {"kind": "info", SEALED_TEXT: "1"}
        item = OutboxItem(None, "answer-1", Target.TELEGRAM, "staff:7", sealed, T0, T0)
        waiting = uow.outbox.add(replace(item, options=options))
        uow.commit()

    from bot.cli.rotate_key import rotate

    assert rotate(app) == 4  # two record versions, the waiting answer and the referral letter
    new_key = (tmp_path / "secret.key").read_bytes().strip()
    assert new_key != old_key and (tmp_path / "secret.key").read_bytes().count(b"\n") == 1
    with app.engine.connect() as conn:
        after = conn.execute(text("SELECT sealed FROM psych_record ORDER BY id")).scalars().all()
    assert after != before
    for sealed in after:
        with pytest.raises(InvalidToken):
            Fernet(old_key).decrypt(sealed.encode())  # the old key opens nothing now
    fresh = SecretBox.for_data_dir(tmp_path)
    with pytest.raises(InvalidToken):
        Fernet(old_key).decrypt(letter.read_bytes())
    assert fresh.open(letter.read_text(encoding="ascii")) == b"PK letter"
    with app.uows() as uow:
        answer = uow.outbox.get(waiting.id).text
    with pytest.raises(InvalidToken):
        Fernet(old_key).decrypt(answer.encode())
    assert fresh.open(answer) == b"Kartu identitas"
    record = records.read(conv, actor=COUNSELOR, sealer=fresh, uow_factory=app.uows, now=T0)
    assert record.parts == {
        "keluhan": "cemas berat",
        "asesmen": "gangguan tidur",
        "hasil": "membaik",
    }
    app.engine.dispose()


def test_the_cli_prints_a_fresh_key_for_the_environment():
    out = CliRunner().invoke(cli, ["rotate-key", "--new-key"])
    assert out.exit_code == 0 and Fernet(out.output.strip().encode())  # a valid Fernet key
