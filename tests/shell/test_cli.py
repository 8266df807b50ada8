"""The command-line contracts (README.md, Commands), run in-process and once as the installed
script."""

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from bot.demo.local_mail.dovecot import find_dovecot
from storage.migrate import head_revision

runner = CliRunner()


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        'data_dir = "data"\n[office]\nname = "PUSPAGA Uji"\n'
        '[[staff]]\ntelegram_id = 1\nname = "A"\nrole = "admin"\n'
    )
    return path


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def test_demo_then_inbox_json_shows_every_conversation_with_state_and_steps(tmp_path, config):
    code, out = invoke("demo", "--data-dir", tmp_path / "data")
    assert code == 0, out
    assert "8 pesan baru tersimpan" in out and "0 pesan baru (tidak ada duplikat)" in out
    assert "8 dikenali sebagai duplikat" in out and "6 pesan terkirim" in out
    # act 2: the real bot against the local Bot API server, the case walked through Telegram
    assert "Babak 2" in out and "«📞 Rina Wulandari · #1»" in out
    assert "Tentang data Anda (UU 27/2022" in out  # the consent says what it covers
    # the setup act: the wizard as an office runs it, the group and staff taken from Telegram
    assert "Tekan Enter bila semua petugas sudah muncul" in out and "+ Nyoman (ID 2002)" in out
    assert "OK    telegram: bot @puspaga_local_bot di grup «Admin PUSPAGA»" in out
    assert "Pemasangan selesai" in out
    assert "tidak satu pun berisi isi konseling" in out and "Linimasa kasus #1" in out
    # the duty roster, the SLA reminder and escalation, the complaint and psychoeducation
    assert "Jadwal piket konselor" in out and "Eskalasi #4" in out
    assert "Pengaduan selesai" in out and "Permohonan psikoedukasi Anda kami terima" in out
    # a walk-in registered by the admin: a card, an identity form, a register number, notes
    assert "Seorang ibu datang langsung" in out and "klien Ibu Wulan terdaftar" in out
    assert re.search(r"Nomor registrasi: PUSPAGA/\d{4}/\d{2}/\d{4}", out)
    assert "disimpan sebagai catatan: bot tidak mengirim" in out
    flat = " ".join(out.split())  # the console wraps long lines
    assert "hanya bila sesi berikutnya sudah dijadwalkan" in flat and "📅 Sesi kasus #6" in flat
    # the summary act: the group sees no words, the admin opens them privately, audited
    assert "Mode ringkas (pengungkapan minimal" in flat and "log audit (1 kali)" in flat
    # the province act: two offices apart, a case moved between them by their heads, the
    # provincial head's figures, a shared folder refused
    assert "PUSPAGA Kabupaten Gianyar: kotak masuknya hanya berisi kliennya sendiri" in flat
    assert "Jumlah provinsi | 5 | 2 |" in flat and "memakai basis data yang sama" in flat
    # a case moved between the offices by their heads, audited in both
    assert "transfer.offer, transfer.send, transfer.accept, transfer.receive" in flat
    assert "Wayan menjawab «2» dan kedua pesannya masuk ke kotak masuk Gianyar" in flat
    assert "menerima provinsi-" in flat and "dengan bot Badung (report_office)" in flat
    # the email act: the real adapter against Dovecot (installed by make demo / .ci/run)
    if find_dovecot() is not None:
        assert "Email diambil dari kotak surat: 3; diambil lagi: 0" in out
        assert "In-Reply-To <l1@mail.example>" in out and "(3 pesan)" in out
    else:
        assert "Dovecot belum terpasang" in out
    # the Instagram act: instagrapi against the local stand-in
    assert "Pesan Instagram diambil: 3" in out and "diterima: ya" in out
    code, out = invoke("inbox", "--json", "--config", config)
    assert code == 0, out
    conversations = json.loads(out)
    assert len(conversations) == 5
    by_name = {c["client"]["name"]: c for c in conversations}
    rina = by_name["Rina"]
    assert rina["state"] == "closed" and rina["outcome"] == "rujukan"
    assert rina["steps"]["claimed"] is not None and rina["counselor_id"] == 2001
    assert {m["delivery"] for m in rina["messages"] if m["direction"] == "out"} == {"sent"}
    sari = by_name["Sari Dewi"]
    assert sorted(c["channel"] for c in sari["contacts"]) == ["email", "instagram"]
    assert len(sari["messages"]) == 4


def test_migrate_check_and_poll_once_on_a_fresh_install(config):
    code, out = invoke("check", "--config", config)  # before anything made the database
    assert code == 0 and "OK    basis data: basis data baru, tabelnya dibuat" in out, out
    code, out = invoke("--version")
    assert code == 0 and out.startswith("puspaga 0.")
    code, out = invoke("report", "--help")  # help in Bahasa Indonesia
    assert code == 0 and "Pemakaian: " in out and "Opsi" in out
    assert "Tampilkan bantuan ini lalu keluar." in out and "[wajib]" in out
    code, out = invoke("migrate", "--config", config)
    assert code == 0 and f"basis data pada revisi {head_revision()}" in out
    code, out = invoke("check", "--config", config)
    assert code == 0 and "OK    basis data" in out
    assert "OK    formulir resmi (data_dir/formulir): K-0-PPKS, psikoedukasi, R-I-PPKS" in out
    code, out = invoke("poll", "--once", "--config", config)
    assert code == 0 and json.loads(out.splitlines()[-1])["sent"] == 0


def test_check_reports_an_unreachable_service_in_plain_words(config):
    config.write_text(
        config.read_text().replace(
            "[[staff]]",
            '[email]\nimap_host = "127.0.0.1"\nimap_port = 1\nusername = "u"\npassword = "p"\n'
            'smtp_host = "127.0.0.1"\nsmtp_port = 1\nfrom_address = "a@b.c"\n\n[[staff]]',
            1,
        )
    )
    code, out = invoke("check", "--config", config)
    flat = " ".join(out.split())  # the console wraps long lines
    assert code == 1 and "GAGAL surel IMAP: 127.0.0.1 menolak sambungan" in flat, out
    assert "Perbaiki: [email] imap_host, imap_port" in flat
    assert "GAGAL surel SMTP: 127.0.0.1 menolak sambungan" in flat
    code, out = invoke("poll", "--once", "--config", config)  # a timer must see it failed
    assert code == 1 and "kanal tidak terbaca: email" in out, out


def test_a_wrong_config_stops_the_start_naming_the_key(config):
    config.write_text(config.read_text() + "\n[outbox]\nmax_attempts = 'lots'\n")
    code, out = invoke("run", "--config", config)
    flat = " ".join(out.split())  # the console wraps long lines
    assert code == 2 and "[outbox] max_attempts" in flat and "Perbaiki: misalnya" in flat
    assert 'tertulis "lots"' in flat and "Traceback" not in out


def test_a_second_service_on_one_sqlite_is_refused_and_the_report_still_works(config):
    """Two services on one SQLite would poll the same bot and mailbox: the second is told why
    and what to do; the commands beside the service still work."""
    from bot.config.settings import load
    from bot.service.single import only_service

    settings = load(config)
    with only_service(settings):  # the service that runs
        code, out = invoke("run", "--config", config)
        flat = " ".join(out.split())
        assert code == 1 and "sudah berjalan dengan basis data SQLite" in flat, out
        assert f"(proses {os.getpid()})" in flat and "PostgreSQL" in flat
        out_dir = str(config.parent / "laporan")  # never the working directory (the checkout)
        assert invoke("report", "--config", config, "--month", "2026-11", "--out", out_dir)[0] == 0
    with only_service(settings):  # gone with its holder: the next start takes it
        pass


def test_a_data_dir_that_cannot_be_written_stops_the_start_with_its_fix(tmp_path):
    """What a data_dir left at its default meets under the unit's ProtectSystem=strict; here a
    file stands where the folder should be."""
    (tmp_path / "taken").write_text("")
    path = tmp_path / "config.toml"
    path.write_text(f'data_dir = "{tmp_path / "taken"}"\n[office]\nname = "PUSPAGA Uji"\n')
    code, out = invoke("run", "--config", path)
    flat = " ".join(out.split())
    assert code == 2 and f"data_dir {tmp_path / 'taken'} tidak bisa dipakai" in flat, out
    assert 'data_dir = "/var/lib/puspaga-inbox"' in flat and "Traceback" not in out


def test_the_inbox_table_lists_messages_that_failed_to_send(config):
    from datetime import UTC, datetime

    from bot.bootstrap import build
    from bot.config.settings import load
    from triage.domain.outbox import OutboxItem, OutboxStatus, Target

    application = build(load(config, environ={}))
    now = datetime(2026, 11, 24, 1, tzinfo=UTC)
    with application.uows() as uow:
        uow.outbox.add(
            OutboxItem(
                id=None,
                idempotency_key="k",
                target=Target.EMAIL,
                recipient="x@example.org",
                text="Halo",
                created_at=now,
                next_attempt_at=now,
                status=OutboxStatus.FAILED,
                attempts=8,
                last_error="550 mailbox [unavailable]",
            )
        )
        uow.commit()
    code, out = invoke("inbox", "--config", config)
    assert code == 0 and "Pesan keluar yang gagal dikirim" in out
    assert "#1 → email (8×): 550 mailbox [unavailable]" in out


def test_check_reaches_the_bot_api_and_says_what_to_fix(tmp_path):
    from bot.demo.local_api import LocalBotApi
    from tests.support.office import GROUP, people

    state = people()
    state.add_group(-1009, "Grup tanpa bot admin")
    state.members.pop((-1009, state.bot_id))
    with LocalBotApi(state) as api:

        def config_with(token: str, chat: int) -> Path:
            path = tmp_path / f"c{chat}{len(token)}.toml"
            path.write_text(
                'data_dir = "data"\n[office]\nname = "PUSPAGA Uji"\n'
                f'[telegram]\ntoken = "{token}"\nbase_url = "{api.base_url}"\n'
                f"admin_chat_id = {chat}\n"
            )
            return path

        good = config_with(state.token, GROUP)
        assert invoke("migrate", "--config", good)[0] == 0
        code, out = invoke("check", "--config", good)
        # the bot and the group it checked, by name
        expected = "OK    telegram: bot @puspaga_local_bot di grup «Admin PUSPAGA», topik menyala"
        assert code == 0 and expected in out, out
        assert "PERINGATAN" not in out  # only the bot administers the group
        state.withheld[(GROUP, state.bot_id)] = {"can_pin_messages", "can_manage_topics"}
        code, out = invoke("check", "--config", good)
        assert code == 1 and "tidak punya hak: Sematkan pesan, Kelola topik" in out, out
        state.withheld.clear()
        state.add_group(-1010, "Grup biasa", forum=False)
        code, out = invoke("check", "--config", config_with(state.token, -1010))
        assert code == 0 and "«Grup biasa», PERHATIAN: topik belum menyala" in out, out
        state.members[(GROUP, 9999)] = "administrator"  # someone not in [[staff]] made admin
        state.add_user(9999, "Admin", last_name="Lain")
        code, out = invoke("check", "--config", good)
        assert code == 0 and "PERINGATAN admin grup bukan staf terdaftar: Admin Lain (9999)" in out
        code, out = invoke("check", "--config", config_with("1:wrong", GROUP))
        assert code == 1 and "token bot ditolak" in out and "[telegram] token" in out
        assert "1:wrong" not in out  # a secret is never echoed
        code, out = invoke("check", "--config", config_with(state.token, -4242))
        assert code == 1 and "admin_chat_id" in out
        code, out = invoke("check", "--config", config_with(state.token, -1009))
        assert code == 1 and "bot bukan administrator" in out


def test_a_mistyped_command_line_is_told_in_indonesian():
    for args, said in (
        (["report"], "Opsi '--month' wajib diisi."),
        (["report", "--bulan", "2026-11"], "Tidak ada opsi --bulan."),
        (["export", "--client", "dua", "--by", "1"], "'--client' harus bilangan bulat."),
        (["laporan"], "Tidak ada perintah 'laporan'."),
        (["latihn"], "Tidak ada perintah 'latihn'. Mungkin maksud Anda 'latihan'?"),
        (["setup", "--lang"], "Opsi '--lang' memerlukan nilai sesudahnya."),
    ):
        code, out = invoke(*args)
        assert code == 2 and said in " ".join(out.replace("│", " ").split()), out
        assert "Missing" not in out and "No such" not in out and "Invalid" not in out
        assert "Did you mean" not in out


def test_a_key_file_that_cannot_be_made_stops_the_start_with_its_fix(tmp_path):
    """Found at the start, not at the first record sealed; nothing is made meanwhile."""
    (tmp_path / "a-file").write_text("")
    path = tmp_path / "config.toml"
    path.write_text(
        f'data_dir = "data"\n[office]\nname = "PUSPAGA Uji"\n[security]\n'
        f'key_file = "{tmp_path / "a-file" / "kunci" / "secret.key"}"\n'
    )
    code, out = invoke("check", "--config", path)
    flat = " ".join(out.split())
    assert code == 2 and "Kunci kantor" in flat and "bagian jalurnya bukan folder" in flat, out
    path.write_text(path.read_text().replace("a-file/kunci", "kunci-baru"))
    code, out = invoke("check", "--config", path)
    assert code == 0, out
    assert not (tmp_path / "kunci-baru").exists()  # the key is made at its first use only


@pytest.mark.skipif(os.geteuid() != 0, reason="what root may do to the service's data")
def test_root_is_refused_on_the_service_users_data(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    os.chown(data, 65534, 65534)  # the service's own user (here: nobody)
    path = tmp_path / "config.toml"
    path.write_text(f'data_dir = "{data}"\n[office]\nname = "PUSPAGA Uji"\n')
    code, out = invoke("check", "--config", path)
    flat = " ".join(out.split())
    assert code == 2 and "berjalan sebagai root" in flat and "sudo -u nobody" in flat, out
    assert list(data.iterdir()) == []  # nothing made there as root
