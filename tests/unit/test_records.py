"""The psychological record: written in parts by the case's counselor, versioned, sealed before
storage; read only by that counselor and the head; every read, write and refusal audited."""

import pytest

from tests.builders import ADMIN, COUNSELOR, COUNSELOR_2, HEAD, T0, inbound
from tests.fakes import FakeSealer as Box
from tests.fakes import FakeUnitOfWorkFactory
from triage.domain.errors import AccessDenied
from triage.usecases import casework, records
from triage.usecases.ingest import ingest


@pytest.fixture
def case():
    uows = FakeUnitOfWorkFactory()
    conv = ingest(inbound(1), uow_factory=uows, now=T0).conversation_id
    casework.hand_off(conv, actor=ADMIN, counselors=[COUNSELOR.staff_id], uow_factory=uows, now=T0)
    casework.claim(conv, actor=COUNSELOR, uow_factory=uows, now=T0)
    return uows, conv


def test_the_counselor_writes_versions_and_the_plaintext_never_reaches_storage(case):
    uows, conv = case
    box = Box()
    common = {"sealer": box, "uow_factory": uows, "now": T0}
    version, parts = records.write(
        conv, "Keluhan: anak tantrum parah\nAsesmen: stres pengasuhan", actor=COUNSELOR, **common
    )
    assert (version, parts) == (1, ["keluhan", "asesmen"])
    version, _ = records.write(conv, "Rencana: sesi kedua minggu depan", actor=COUNSELOR, **common)
    assert version == 2
    stored = list(uows.db.records.values())
    assert len(stored) == 2 and all("tantrum" not in r.sealed for r in stored)
    record = records.read(conv, actor=COUNSELOR, **common)
    assert record.version == 2 and record.parts == {
        "keluhan": "anak tantrum parah",
        "asesmen": "stres pengasuhan",
        "rencana": "sesi kedua minggu depan",
    }
    assert records.read(conv, actor=HEAD, **common).parts["rencana"].startswith("sesi")


def test_an_admin_and_another_counselor_can_neither_read_nor_write_and_it_is_audited(case):
    uows, conv = case
    box = Box()
    common = {"sealer": box, "uow_factory": uows, "now": T0}
    records.write(conv, "Keluhan: cemas berat", actor=COUNSELOR, **common)
    for outsider in (ADMIN, COUNSELOR_2):
        with pytest.raises(AccessDenied):
            records.read(conv, actor=outsider, **common)
        with pytest.raises(AccessDenied):
            records.write(conv, "Hasil: x", actor=outsider, **common)
    records.read(conv, actor=HEAD, **common)
    log = [(e.staff_id, e.action) for e in uows.db.audit]
    assert log == [
        (COUNSELOR.staff_id, "record.write"),
        (ADMIN.staff_id, "record.read.denied"),
        (ADMIN.staff_id, "record.write.denied"),
        (COUNSELOR_2.staff_id, "record.read.denied"),
        (COUNSELOR_2.staff_id, "record.write.denied"),
        (HEAD.staff_id, "record.read"),
    ]
    assert all("cemas" not in (e.detail or "") for e in uows.db.audit)


def test_the_counselor_who_wrote_still_reads_after_the_case_is_released(case):
    uows, conv = case
    box = Box()
    common = {"sealer": box, "uow_factory": uows, "now": T0}
    records.write(conv, "Keluhan: x", actor=COUNSELOR, **common)
    casework.release(conv, actor=COUNSELOR, uow_factory=uows, now=T0)
    assert records.read(conv, actor=COUNSELOR, **common).parts == {"keluhan": "x"}
    with pytest.raises(AccessDenied):  # but no longer writes: the case is not theirs
        records.write(conv, "Hasil: y", actor=COUNSELOR, **common)


def test_only_the_head_opens_a_case_to_another_staff_member_who_then_reads_it(case):
    uows, conv = case
    box = Box()
    common = {"sealer": box, "uow_factory": uows, "now": T0}
    records.write(conv, "Keluhan: cemas berat", actor=COUNSELOR, **common)
    with pytest.raises(AccessDenied):
        records.open_case(conv, COUNSELOR_2.staff_id, actor=ADMIN, uow_factory=uows, now=T0)
    with pytest.raises(AccessDenied):
        records.read(conv, actor=COUNSELOR_2, **common)
    records.open_case(conv, COUNSELOR_2.staff_id, actor=HEAD, uow_factory=uows, now=T0)
    assert records.read(conv, actor=COUNSELOR_2, **common).parts == {"keluhan": "cemas berat"}
    sent = [o for o in uows.db.outbox.values() if o.recipient == f"staff:{COUNSELOR_2.staff_id}"]
    assert any("Selamat pagi" in o.text for o in sent)  # the conversation so far
    actions = [e.action for e in uows.db.audit]
    assert actions[-4:] == ["case.open.denied", "record.read.denied", "case.opened", "record.read"]


def test_a_part_written_over_many_lines_is_kept_whole_and_what_is_not_kept_is_named(case):
    from bot.telegram.parsing import unread
    from triage.domain.forms.spec import read_lines
    from triage.domain.records import RECORD_FORM

    uows, conv = case
    common = {"sealer": Box(), "uow_factory": uows, "now": T0}
    long_story = " ".join(["kata"] * 900)  # 4,499 characters: over the part's 4,000
    lines = (
        "Keluhan: anak tantrum parah\nsetiap malam sejak ayahnya pergi\nPukul: 21.00 biasanya\n"
        f"Asesmen: stres pengasuhan\nCatatan rahasia: jangan dibagikan\nHasil: {long_story}"
    )
    records.write(conv, lines, actor=COUNSELOR, **common)
    parts = records.read(conv, actor=COUNSELOR, **common).parts
    # the lines after a label belong to it (before: only the first line, 500 characters)
    assert (
        parts["keluhan"]
        == "anak tantrum parah setiap malam sejak ayahnya pergi Pukul: 21.00 biasanya"
    )
    assert parts["asesmen"].startswith("stres pengasuhan Catatan rahasia")
    assert len(parts["hasil"]) == 4000
    reading = read_lines(RECORD_FORM, "Catatan: x\nKeluhan: y\nKesimpulan: z", T0.date())
    assert reading.unknown == ("Catatan",) and reading.cut == ()  # "Kesimpulan" continues Keluhan
    said = unread(lines, RECORD_FORM, "id", T0.date()) + unread("Catatan: x", RECORD_FORM, "id",
                                                               T0.date())  # fmt: skip
    assert any("4000" in s and "Hasil" in s for s in said)
    assert any("Catatan" in s and "tidak dikenal" in s for s in said)
