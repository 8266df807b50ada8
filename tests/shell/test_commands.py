"""The one registry of staff commands: every command once, its menu and help texts in the
catalogue in both languages, and the menus and /bantuan built from it by role."""

import pytest

from bot.telegram.commands.registered import REGISTRY
from bot.telegram.commands.registry import ADMINS, Command, Registry
from bot.telegram.hotline import STAFF_COMMANDS
from triage.domain.model import Role
from triage.texts.catalog import texts


def test_every_command_has_its_menu_and_help_text_in_both_languages():
    missing = [
        key
        for command in REGISTRY.commands
        for key in (f"cmd.{command.name}", f"cmd.{command.name}.help")
        if set(texts().get(key, {})) != {"id", "en"}
    ]
    assert missing == []


def test_a_name_registered_twice_is_refused():
    async def nothing(request):  # noqa: ANN001
        return None

    with pytest.raises(ValueError, match="/tutup is registered twice"):
        Registry([Command("tutup", nothing, ADMINS), Command("selesai", nothing, ADMINS,
                                                             aliases=("tutup",))])  # fmt: skip


def test_menus_and_help_list_what_each_role_is_shown():
    admin = dict(REGISTRY.menu(Role.ADMIN, "id"))
    counselor = dict(REGISTRY.menu(Role.COUNSELOR, "id"))
    head = dict(REGISTRY.menu(Role.HEAD, "id"))
    assert {"serahkan", "identitas", "bantuan"} <= admin.keys() and "rekam" not in admin
    assert {"ambil", "rekam", "bantuan"} <= counselor.keys() and "laporan" not in counselor
    assert {"laporan", "buka", "hapus"} <= head.keys() and counselor.keys() <= head.keys()
    assert admin["serahkan"] == "Serahkan ke konselor"
    help_text = REGISTRY.help(Role.ADMIN, "en")
    assert help_text.startswith("<b>Admin help</b>")
    assert [line for line in help_text.splitlines() if line.startswith("• /")] == [
        line for line in help_text.splitlines()[3:]
    ]
    assert len(help_text.splitlines()) == 3 + len(admin)


def test_a_client_is_told_that_a_staff_command_is_for_staff_but_may_ask_for_help():
    assert {"serahkan", "tutup", "identitas", "catatan", "kasus", "lepas", "ambil", "gabung",
            "kode", "tingkat", "kategori", "tugaskan", "klien_baru", "janji", "hadir",
            "tidak_hadir", "sesi", "batal_sesi", "tahan_hukum", "lepas_tahan", "nonaktif",
            "aktif", "luar_wewenang", "lembar_disposisi", "laporan_pengaduan",
            "rujukan_diterima", "berkas", "program", "pindah", "terima_pindahan",
            "tolak_pindahan", "batal_pindah"} == STAFF_COMMANDS  # fmt: skip
    assert not {"start", "help", "bantuan", "terima", "selesai"} & STAFF_COMMANDS
