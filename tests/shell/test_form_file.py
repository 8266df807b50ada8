"""An office's own identity form ([triage] form_file): read, used by the dialogue, and a broken
file stops the start naming the field, the key and the fix."""

from typer.testing import CliRunner

from bot.cli.main import app as cli
from bot.config.settings import load
from bot.config.triage import form_setup
from triage.domain.forms.dialogue import answer, begin
from triage.domain.forms.spec import read

FORM = """
[[field]]
name = "persetujuan"
kind = "consent"
prompt_id = "Setuju data dicatat? (ya/tidak)"
prompt_en = "Agree? (yes/no)"

[[field]]
name = "nama"
required = true
personal = true
prompt_id = "Nama:"
prompt_en = "Name:"

[[field]]
name = "sekolah"
kind = "choice"
choices = ["SD", "SMP", "SMA"]
aliases = ["school"]
prompt_id = "Sekolah (SD/SMP/SMA):"
prompt_en = "School (SD/SMP/SMA):"
"""


def office(tmp_path, form: str):
    (tmp_path / "formulir.toml").write_text(form)
    config = tmp_path / "config.toml"
    config.write_text('[office]\nname = "PUSPAGA Uji"\n[triage]\nform_file = "formulir.toml"\n')
    return config


def test_the_office_form_is_read_and_asked(tmp_path):
    setup = form_setup(load(office(tmp_path, FORM), environ={}))
    assert [f.name for f in setup.form.fields] == ["persetujuan", "nama", "sekolah"]
    turn = begin(setup.form, 1, "id", "Mulai.")
    assert turn.say == ["Mulai.", "Nama:"]
    turn = answer(setup.form, turn.state, "Ayu", "id", None, setup.texts)  # type: ignore[arg-type]
    assert turn.say == ["Sekolah (SD/SMP/SMA):"]
    assert read(setup.form.field("sekolah"), "smp negeri 2", None).value == "smp"  # type: ignore[arg-type]


def test_a_broken_form_file_stops_the_start_naming_the_field_and_the_fix(tmp_path):
    broken = FORM.replace('kind = "choice"', 'kind = "pilihan"').replace(
        'name = "persetujuan"', 'name = "setuju"'
    )
    out = CliRunner().invoke(cli, ["check", "--config", str(office(tmp_path, broken))])
    assert out.exit_code == 2
    flat = " ".join(out.output.split())  # in the office's language: Bahasa Indonesia here
    assert "[[field]] 'sekolah' kind: 'pilihan' tidak dikenal. Perbaiki: pakai" in flat
    assert 'name = "persetujuan"' in flat and "Perbaiki:" in flat and "Fix:" not in flat
