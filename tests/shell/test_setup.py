"""`puspaga setup` as an office runs it: the real command in its own process, its questions
answered on stdin, the people in Telegram played on the local Bot API server (the group's
/daftar_grup, each staff member's /saya), then `check` on what it wrote."""

from __future__ import annotations

import os
import stat
import subprocess
import tomllib

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from bot.cli.setup import parse_day_option, parse_hours
from bot.config.settings import load
from bot.config.writer import Answers, config_document, env_text, read_env
from bot.demo.local_api import ApiState, LocalBotApi
from bot.demo.terminal import PROGRAM, Terminal

GROUP = -1007770001
OLD_GROUP = -1007770002
WAYAN, MADE, KETUT, STRANGER = 1001, 2001, 3001, 9001


def office() -> ApiState:
    state = ApiState()
    state.add_user(WAYAN, "Wayan")
    state.add_user(MADE, "Made", username="made_konselor")
    state.add_user(KETUT, 'Ketut "Tut"', last_name="O'Neil")  # quotes the file must escape
    state.add_user(STRANGER, "Orang", last_name="Lain")
    state.add_group(GROUP, "Staf PUSPAGA", members={WAYAN: "creator"})
    state.add_group(OLD_GROUP, "Grup lama", forum=False, members={WAYAN: "member"})
    return state


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUSPAGA_")}
    return {**env, **extra}


@pytest.mark.slow
def test_setup_goes_from_a_token_to_a_checked_office(tmp_path):
    state = office()
    state.withheld[(GROUP, state.bot_id)] = {"can_pin_messages"}
    config = tmp_path / "kantor" / "config.toml"
    with LocalBotApi(state) as api:
        term = Terminal(["setup", "--config", str(config), "--telegram-url", api.base_url],
                        clean_env())  # fmt: skip
        term.expect("Langkah 1 dari 5")
        term.expect("Token bot")
        term.type("1:salah")
        term.expect("Telegram menolak token itu")
        term.expect("Token bot")
        term.type(state.token)
        term.expect("Token diterima: bot @puspaga_local_bot")
        term.expect("Menunggu /daftar_grup")
        # first in a plain group without topics, then in the forum while a right is missing
        state.user_writes(WAYAN, OLD_GROUP, "/daftar_grup")
        term.expect("Grup «Grup lama»: Topik belum menyala")
        state.user_writes(WAYAN, GROUP, "/daftar_grup@puspaga_local_bot")
        term.expect("tidak punya hak: Sematkan pesan")
        assert any("Sematkan pesan" in m.get("text", "") for m in state.sent(GROUP))
        state.withheld.clear()  # the admin turns the right on and asks again
        state.user_writes(WAYAN, GROUP, "/daftar_grup")
        term.expect("Pakai grup «Staf PUSPAGA» (ID -1007770001) sebagai grup staf?")
        term.type("y")
        assert state.wait_until(
            lambda: any("siap untuk Puspaga Inbox" in m.get("text", "") for m in state.sent(GROUP))
        )
        term.expect("Tekan Enter bila semua petugas sudah muncul")
        shown = (
            (WAYAN, "+ Wayan (ID 1001)"),
            (MADE, "+ Made (@made_konselor, ID 2001)"),
            (KETUT, '+ Ketut "Tut" O\'Neil (ID 3001)'),
            (STRANGER, "+ Orang Lain (ID 9001)"),
        )
        for user, line in shown:
            state.user_writes(user, None, "/saya")
            term.expect(line)
            if user == MADE:  # a client writes to the hotline meanwhile: left for the service
                state.add_user(4242, "Rina")
                state.user_writes(4242, None, "halo, saya butuh bantuan")
        assert "Tercatat: Made, ID Telegram 2001" in state.sent(MADE)[-1]["text"]
        term.type("")
        term.expect("Peran Wayan (ID 1001)")
        term.type("a")
        term.expect("Peran Made (ID 2001)")
        term.type("x")  # not a role: asked again
        term.expect("Ketik a, k, e, atau l.")
        term.type("k")
        term.expect("Peran Ketut")
        term.type("e")
        term.expect("Peran Orang Lain (ID 9001)")
        term.type("")  # skipped: a stranger who wrote /saya is not staff
        term.expect("Langkah 4 dari 5")
        term.expect("Nama kantor")
        term.type("PUSPAGA Kabupaten Uji")
        term.expect("Zona waktu")
        term.type("wib")
        term.expect("Jam layanan Senin–Kamis")
        term.type("08.00-12.00, 13.00-16.00")  # as Indonesians write it
        term.expect("Jam layanan Jumat")
        term.type("")  # the default
        term.expect("Jam layanan Sabtu")
        term.type("jam 8 sampai 4")
        term.expect("«jam 8 sampai 4» bukan jam layanan")
        term.type("08:00-12:00")
        term.expect("Jam layanan Minggu")
        term.type("")
        term.expect("Nomor telepon kantor")
        term.type("")
        term.expect("Alamat kantor")
        term.type("Jl. Uji No. 1")
        term.expect("Langkah 5 dari 5")
        term.expect("Alamat email kantor")
        term.type("")
        term.expect("Akun Instagram kantor")
        term.type("")
        term.expect("Instagram lewat API resmi Meta")  # none either
        term.type("")
        term.expect("Phone number ID")  # WhatsApp: none
        term.type("")
        term.expect("ID Halaman")  # Messenger: none
        term.type("")
        term.expect("Folder data")
        term.type("")
        term.expect("Pengaturan ditulis ke")
        term.expect("OK    telegram: bot @puspaga_local_bot di grup «Staf PUSPAGA», topik menyala")
        assert term.finish() == 0, term.out
        # what was meant for the setup is acknowledged; from the client's message on, the
        # service reads the updates again (a /saya after it is only answered once more)
        texts = [u["message"]["text"] for u in state.updates]
        assert texts == ["halo, saya butuh bantuan", "/saya", "/saya"]
    assert state.token not in term.out and "Traceback" not in term.out

    written = tomllib.loads(config.read_text())
    assert written["telegram"] == {"admin_chat_id": GROUP, "base_url": api.base_url}
    assert state.token not in config.read_text()  # the token is in env, not in config.toml
    assert [(s["telegram_id"], s["name"], s["role"]) for s in written["staff"]] == [
        (WAYAN, "Wayan", "admin"), (MADE, "Made", "konselor"),
        (KETUT, "Ketut \"Tut\" O'Neil", "ketua"),
    ]  # fmt: skip
    office_ = written["office"]
    assert office_["timezone"] == "Asia/Jakarta" and office_["address"] == "Jl. Uji No. 1"
    assert office_["hours"]["mon"] == office_["hours"]["thu"] == ["08:00-12:00", "13:00-16:00"]
    assert office_["hours"]["fri"] == ["08:00-11:30"] and office_["hours"]["sat"] == ["08:00-12:00"]
    assert "sun" not in office_["hours"]
    env = config.parent / "env"
    assert read_env(env) == {"PUSPAGA_TELEGRAM_TOKEN": state.token}
    assert stat.S_IMODE(env.stat().st_mode) == 0o640
    assert stat.S_IMODE(config.stat().st_mode) == 0o640
    settings = load(config, environ=read_env(env))
    assert settings.data_dir == (config.parent / "data").resolve()


def test_setup_without_questions_takes_every_answer_from_options(tmp_path, monkeypatch):
    state = office()
    config = tmp_path / "config.toml"
    for name in [k for k in os.environ if k.startswith("PUSPAGA_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("PUSPAGA_EMAIL_PASSWORD", "abcd efgh $ijk #l")  # an app password
    with LocalBotApi(state) as api:
        base = ["setup", "--yes", "--config", str(config), "--telegram-url", api.base_url]
        done = CliRunner().invoke(app, [*base, "--group", str(GROUP), "--office", "P"])
        assert done.exit_code == 2 and "PUSPAGA_TELEGRAM_TOKEN belum diisi" in done.output
        monkeypatch.setenv("PUSPAGA_TELEGRAM_TOKEN", state.token)  # never an option: ps shows
        runner = CliRunner()
        done = runner.invoke(app, [*base, "--group", str(GROUP), "--staff", "1001:admin:Wayan"])
        assert done.exit_code == 2 and "--office belum diisi" in done.output
        assert not config.exists()
        done = runner.invoke(app, [*base, "--group", str(OLD_GROUP), "--office", "P"])
        assert done.exit_code == 2 and "Topik belum menyala" in done.output
        done = runner.invoke(app, [*base, "--group", str(GROUP), "--staff", "1001:bos:W"])
        assert done.exit_code == 2 and "--staff 1001:bos:W: tulis ID:peran:Nama" in done.output
        done = runner.invoke(app, [*base, "--group", str(GROUP), "--staff", "2001:konselor:M",
                                   "--office", "P"])  # fmt: skip
        assert done.exit_code == 2 and "setidaknya satu orang harus admin" in done.output
        options = [*base, "--group", str(GROUP), "--staff", "1001:admin:Wayan", "--staff",
                   "2001:k:Made", "--office", "PUSPAGA Uji", "--timezone", "WIT", "--hours",
                   "mon-fri=07:30-15:00", "--email", "uji@gmail.com", "--no-check"]  # fmt: skip
        done = runner.invoke(app, options)
        assert done.exit_code == 0, done.output
        done = runner.invoke(app, options)  # the file is there: not replaced unasked
        assert done.exit_code == 2 and "sudah ada" in done.output
        # the office added its own keys and secrets since; a later --update keeps them
        with config.open("a") as extra:
            extra.write('\n[security]\n# kunci kantor\nkey_file = "/var/lib/kunci/secret.key"\n')
        with (tmp_path / "env").open("a") as extra:
            extra.write("PUSPAGA_SECRET_KEY='kunci-lama'\n")
        state.add_group(-1007770009, "Grup baru", members={WAYAN: "creator"})
        state.migrated[-4009] = -1007770009  # an old basic group's id, upgraded by Topics
        moved = [*options[: options.index("--group")], "--group", "-4009",
                 *options[options.index("--group") + 2 :], "--update"]  # fmt: skip
        done = runner.invoke(app, moved)
        assert done.exit_code == 0, done.output
    assert "[security]" in config.read_text() and "# kunci kantor" in config.read_text()
    assert tomllib.loads(config.read_text())["telegram"]["admin_chat_id"] == -1007770009
    assert read_env(tmp_path / "env")["PUSPAGA_SECRET_KEY"] == "kunci-lama"
    written = tomllib.loads(config.read_text())
    assert (
        written["email"]["imap_host"] == "imap.gmail.com" and written["email"]["sent_folder"] == ""
    )
    assert written["office"]["hours"] == {
        d: ["07:30-15:00"] for d in ("mon", "tue", "wed", "thu", "fri")
    }
    assert [s["role"] for s in written["staff"]] == ["admin", "konselor"]
    secrets = read_env(tmp_path / "env")
    assert secrets["PUSPAGA_EMAIL_PASSWORD"] == "abcd efgh $ijk #l"  # read back as written
    settings = load(config, environ=secrets)
    assert settings.email is not None and settings.email.password == "abcd efgh $ijk #l"
    assert settings.office.timezone == "Asia/Jayapura"


def test_a_password_the_env_file_cannot_hold_stays_in_the_config_escaped():
    answers = Answers(office='Kantor "Uji"', group_id=GROUP, staff=[(1, "A\nB", "admin")])
    answers.secrets = {
        "PUSPAGA_TELEGRAM_TOKEN": "1:abc",
        "PUSPAGA_PROXY": "http://u:p'q@proxy:8080",
    }
    document = config_document(answers, today=__import__("datetime").date(2026, 12, 6))
    parsed = tomllib.loads(document.as_string())
    assert parsed["office"]["name"] == 'Kantor "Uji"' and parsed["staff"][0]["name"] == "A\nB"
    assert parsed["network"]["proxy"] == "http://u:p'q@proxy:8080"
    assert "PUSPAGA_PROXY" not in env_text(answers) and "1:abc" in env_text(answers)


def test_service_hours_as_offices_write_them():
    assert parse_hours("08.00-16.00") == ["08:00-16:00"]
    assert parse_hours(" 08:00 - 12:00 , 13:00-16:00 ") == ["08:00-12:00", "13:00-16:00"]
    assert parse_hours("Tutup") == [] and parse_hours("") == []
    assert parse_hours("16:00-08:00") is None and parse_hours("jam 8 sampai 4") is None
    # one-digit and whole hours, "sampai" and "s/d" for the dash, as offices write them
    assert parse_hours("8-16") == parse_hours("8 sampai 16") == ["08:00-16:00"]
    assert parse_hours("8.00-11.30, 13 s/d 15.30") == ["08:00-11:30", "13:00-15:30"]
    assert parse_hours("25:00-26:00") is None
    assert parse_day_option("sat=tutup") == {"sat": []}
    assert list(parse_day_option("wed-fri=08:00-12:00")) == ["wed", "thu", "fri"]


@pytest.mark.slow
def test_every_command_reads_the_secrets_beside_the_config(tmp_path):
    """The env file setup writes is read by `check` too (the unit reads it as systemd's
    EnvironmentFile); a variable set in the environment wins."""
    state = office()
    with LocalBotApi(state) as api:
        config = tmp_path / "config.toml"
        config.write_text(
            f'data_dir = "data"\n[office]\nname = "P"\n[telegram]\nbase_url = "{api.base_url}"\n'
            f"admin_chat_id = {GROUP}\n"
        )
        (tmp_path / "env").write_text(f"# rahasia\nPUSPAGA_TELEGRAM_TOKEN='{state.token}'\n")
        run = [*PROGRAM, "check", "--config", str(config)]
        done = subprocess.run(run, env=clean_env(), capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "«Staf PUSPAGA»" in done.stdout, done.stdout + done.stderr
        env = clean_env(PUSPAGA_TELEGRAM_TOKEN="1:lain")
        done = subprocess.run(run, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 1 and "token bot ditolak" in done.stdout


@pytest.mark.slow
def test_another_program_reading_the_bot_stops_the_setup_in_plain_words(tmp_path):
    """Telegram answers 409 Conflict while the service (or a second setup) polls the bot."""
    state = office()
    config = tmp_path / "config.toml"
    with LocalBotApi(state) as api:
        env = clean_env(PUSPAGA_TELEGRAM_TOKEN=state.token)
        term = Terminal(["setup", "--config", str(config), "--telegram-url", api.base_url], env)
        term.expect("Token diterima")
        state.other_poller = True
        term.expect("Bot ini sedang dipakai oleh program lain")
        term.expect("sudo systemctl stop puspaga-inbox")
        assert term.finish() == 2
    assert "Traceback" not in term.out and not config.exists()


@pytest.mark.slow
def test_running_setup_again_offers_what_the_office_has(tmp_path, monkeypatch):
    """Enter on every question keeps the office as it is: the token, the Bot API address, the
    group, the staff with their specialties, each day's hours (Tuesday differs: asked on its
    own), a zone of its own (Asia/Pontianak), the data folder in use."""
    state = office()
    config = tmp_path / "config.toml"
    with LocalBotApi(state) as api:
        monkeypatch.setenv("PUSPAGA_TELEGRAM_TOKEN", state.token)
        first = ["setup", "--yes", "--config", str(config), "--telegram-url", api.base_url,
                 "--group", str(GROUP), "--staff", "1001:admin:Wayan", "--staff",
                 "2001:konselor:Made", "--office", "PUSPAGA Uji", "--timezone", "Asia/Pontianak",
                 "--hours", "mon-thu=08:00-12:00,13:00-16:00", "--hours", "tue=08:00-12:00",
                 "--data-dir", "/srv/puspaga", "--no-check"]  # fmt: skip
        assert CliRunner().invoke(app, first).exit_code == 0
        made = 'role = "konselor"\n'
        config.write_text(config.read_text().replace(made, made + 'specialties = ["kekerasan"]\n'))
        before = tomllib.loads(config.read_text())
        term = Terminal(["setup", "--config", str(config), "--no-check"], clean_env())
        term.expect("Perbarui isinya?")
        term.type("")
        term.expect("Enter: tetap memakai token yang tersimpan")
        term.type("")
        term.expect("Tetap memakai grup staf «Staf PUSPAGA»")
        term.type("")
        term.expect("Petugas: Wayan (admin), Made (konselor)")
        term.expect("Tambah petugas baru")
        term.type("")
        questions = (
            "Nama kantor", "Zona waktu", "Jam layanan Senin", "Jam layanan Selasa",
            "Jam layanan Rabu", "Jam layanan Kamis", "Jam layanan Jumat", "Jam layanan Sabtu",
            "Jam layanan Minggu", "Nomor telepon", "Alamat kantor", "Alamat email",
            "Akun Instagram", "Instagram lewat API resmi Meta", "Phone number ID", "ID Halaman",
            "Folder data",
        )  # fmt: skip
        for question in questions:
            term.expect(question)
            term.type("")
        term.expect("Pengaturan ditulis ke")
        assert term.finish() == 0, term.out
    assert "[08:00-12:00, 13:00-16:00]" in term.out and "[/srv/puspaga]" in term.out
    assert "[Asia/Pontianak]" in term.out
    assert tomllib.loads(config.read_text()) == before
    assert read_env(tmp_path / "env") == {"PUSPAGA_TELEGRAM_TOKEN": state.token}
    with LocalBotApi(state) as api:  # the dialogue's language is not the clients'
        again = [*first[:5], api.base_url, *first[6:], "--update"]
        said = CliRunner().invoke(app, again, env={"PUSPAGA_LANG": "en"})
        assert said.exit_code == 0 and "Step 1 of 5" in said.output, said.output
        assert tomllib.loads(config.read_text())["language"] == "id"
        assert CliRunner().invoke(app, [*again, "--lang", "en"]).exit_code == 0
        assert tomllib.loads(config.read_text())["language"] == "en"


def test_a_token_pasted_with_botfathers_words_is_found():
    from bot.cli.setup_answers import token_in

    said = "Use this token to access the HTTP API:\n123456789:AAF-x_yZ0123456789abcdef"
    assert token_in(said) == "123456789:AAF-x_yZ0123456789abcdef"
    assert token_in("  7000000001:LOCAL-TEST-TOKEN ") == "7000000001:LOCAL-TEST-TOKEN"
    assert token_in("salah") == "salah"


@pytest.mark.slow
def test_setup_beside_a_running_service_is_stopped_by_telegrams_conflict(tmp_path):
    """Two programs polling one bot: Telegram ends one's wait with 409; the setup says to stop
    the service instead of waiting forever while the service answers every /saya."""
    from tests.support.telegram_office import running_office

    with running_office(tmp_path) as running:
        env = clean_env(PUSPAGA_TELEGRAM_TOKEN=running.state.token)
        args = ["setup", "--config", str(tmp_path / "baru.toml"), "--telegram-url",
                running.api.base_url]  # fmt: skip
        term = Terminal(args, env)
        term.expect("Token diterima")
        term.expect("Bot ini sedang dipakai oleh program lain")
        assert term.finish() == 2
    assert "Traceback" not in term.out and not (tmp_path / "baru.toml").exists()


@pytest.mark.slow
def test_the_guides_example_without_questions_works_as_written(tmp_path):
    """docs/panduan-operator.md's `setup --yes` line, run as printed: only the stand-in's
    address is added and the example token is the stand-in's."""
    import shlex
    from pathlib import Path

    from tests.support.deploy import shell_block

    guide = (Path(__file__).resolve().parents[2] / "docs/panduan-operator.md").read_text()
    [line] = [c for c in shell_block(guide, "Untuk pemasangan otomatis") if "--yes" in c]
    variables, _, command = line.partition(" puspaga ")
    state = office()
    state.add_group(-1001234567890, "Grup contoh", members={WAYAN: "creator"})
    with LocalBotApi(state) as api:
        assert variables.startswith("PUSPAGA_TELEGRAM_TOKEN=")  # the token: a variable
        env = clean_env(PUSPAGA_TELEGRAM_TOKEN=state.token)  # the stand-in's, for '123:abc'
        args = [*shlex.split(command), "--config", str(tmp_path / "config.toml"),
                "--telegram-url", api.base_url, "--no-check"]  # fmt: skip
        done = subprocess.run([*PROGRAM, *args], env=env, cwd=tmp_path, capture_output=True,
                              text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    written = tomllib.loads((tmp_path / "config.toml").read_text())
    assert written["telegram"]["admin_chat_id"] == -1001234567890
    assert written["office"]["hours"]["fri"] == ["08:00-11:30"]


def test_update_changes_only_the_days_named_and_a_folder_setup_cannot_use_is_said_first(
    tmp_path, monkeypatch
):
    state = office()
    config = tmp_path / "config.toml"
    monkeypatch.setenv("PUSPAGA_TELEGRAM_TOKEN", state.token)
    runner = CliRunner()
    with LocalBotApi(state) as api:
        base = ["setup", "--yes", "--config", str(config), "--telegram-url", api.base_url,
                "--group", str(GROUP), "--staff", "1001:admin:Wayan", "--office", "P",
                "--no-check"]  # fmt: skip
        assert runner.invoke(app, [*base, "--hours", "mon-fri=08:00-15:00"]).exit_code == 0
        done = runner.invoke(app, [*base, "--update", "--hours", "sat=09:00-12:00"])
        assert done.exit_code == 0, done.output
        hours = tomllib.loads(config.read_text())["office"]["hours"]
        assert hours["fri"] == ["08:00-15:00"] and hours["sat"] == ["09:00-12:00"]
        assert runner.invoke(app, [*base, "--update", "--hours", "fri=tutup"]).exit_code == 0
        assert "fri" not in tomllib.loads(config.read_text())["office"]["hours"]
        (tmp_path / "a-file").write_text("")
        elsewhere = str(tmp_path / "a-file" / "config.toml")
        done = runner.invoke(app, [*base[:3], elsewhere, *base[4:]])
    assert done.exit_code == 2 and "Setup tidak bisa menulis di" in done.output
    assert "Token diterima" not in done.output  # said before anything was asked


def _unattended(monkeypatch, state, config, api, *more: str) -> list[str]:  # noqa: ANN001
    """`puspaga setup --yes` for a one-admin office, with only the bot's token in the
    environment (a test's own variables set after)."""
    for name in [k for k in os.environ if k.startswith("PUSPAGA_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("PUSPAGA_TELEGRAM_TOKEN", state.token)
    return ["setup", "--yes", "--config", str(config), "--telegram-url", api.base_url,
            "--group", str(GROUP), "--staff", "1001:admin:Wayan", "--office", "P", *more,
            "--no-check"]  # fmt: skip


def test_setup_connects_whatsapp_and_makes_the_verify_token(tmp_path, monkeypatch):
    state = office()
    config = tmp_path / "config.toml"
    with LocalBotApi(state) as api:
        options = _unattended(monkeypatch, state, config, api, "--whatsapp", "106540352242922")
        done = CliRunner().invoke(app, options)
        assert done.exit_code == 2 and "PUSPAGA_WHATSAPP_TOKEN" in done.output  # asked, not given
        monkeypatch.setenv("PUSPAGA_WHATSAPP_TOKEN", "EAAG-token-of-the-system-user")
        monkeypatch.setenv("PUSPAGA_META_APP_SECRET", "app-secret-of-the-office")
        done = CliRunner().invoke(app, options)
        assert done.exit_code == 0, done.output
    written = tomllib.loads(config.read_text())
    assert written["whatsapp"] == {"phone_number_id": "106540352242922"}
    assert "webhook" in written  # the receiver on its defaults
    secrets = read_env(tmp_path / "env")
    verify = secrets["PUSPAGA_META_VERIFY_TOKEN"]
    assert len(verify) >= 16 and verify in done.output  # shown, to be typed into the Meta app
    assert "EAAG-token" not in config.read_text()  # secrets stay in env
    settings = load(config, environ=secrets)
    assert settings.whatsapp is not None and settings.whatsapp.access_token.startswith("EAAG")
    assert settings.webhook is not None and settings.webhook.verify_token == verify


def test_setup_connects_the_page_and_instagram_by_the_messaging_api(tmp_path, monkeypatch):
    state = office()
    config = tmp_path / "config.toml"
    with LocalBotApi(state) as api:
        options = _unattended(monkeypatch, state, config, api, "--messenger", "104729381256001",
                              "--instagram-graph", "17841400000000001")  # fmt: skip
        monkeypatch.setenv("PUSPAGA_MESSENGER_TOKEN", "EAAG-page-token")
        monkeypatch.setenv("PUSPAGA_INSTAGRAM_TOKEN", "IGAA-login-token")
        monkeypatch.setenv("PUSPAGA_META_APP_SECRET", "app-secret-of-the-office")
        done = CliRunner().invoke(app, options)
        assert done.exit_code == 0, done.output
    written = tomllib.loads(config.read_text())
    assert written["messenger"] == {"page_id": "104729381256001"}
    assert written["instagram"] == {"mode": "graph", "account_id": "17841400000000001"}
    assert "webhook" in written and "whatsapp" not in written
    secrets = read_env(tmp_path / "env")
    assert "EAAG-page-token" not in config.read_text() and "IGAA" not in config.read_text()
    settings = load(config, environ=secrets)
    assert settings.instagram is None and settings.instagram_graph is not None
    assert settings.instagram_graph.access_token == "IGAA-login-token"
    assert settings.messenger is not None and settings.messenger.access_token == "EAAG-page-token"
    assert settings.webhook is not None and len(settings.webhook.verify_token) >= 16


def test_setup_switches_instagram_between_the_password_and_the_messaging_api(tmp_path, monkeypatch):
    """Each way, the other route's keys and secret go: what is left would be refused, or a
    password kept on a server that no longer needs it."""
    state = office()
    config = tmp_path / "config.toml"
    with LocalBotApi(state) as api:
        first = _unattended(monkeypatch, state, config, api, "--instagram", "puspaga.uji")
        monkeypatch.setenv("PUSPAGA_INSTAGRAM_PASSWORD", "sandi-lama-instagram")
        assert CliRunner().invoke(app, first).exit_code == 0
        assert read_env(tmp_path / "env")["PUSPAGA_INSTAGRAM_PASSWORD"] == "sandi-lama-instagram"
        monkeypatch.delenv("PUSPAGA_INSTAGRAM_PASSWORD")

        monkeypatch.setenv("PUSPAGA_INSTAGRAM_TOKEN", "EAAG-page-token-for-instagram")
        monkeypatch.setenv("PUSPAGA_META_APP_SECRET", "app-secret-of-the-office")
        to_graph = [*first[:-1], "--update", "--instagram-graph", "17841400000000001",
                    "--no-check"]  # fmt: skip
        to_graph.remove("--instagram")
        to_graph.remove("puspaga.uji")
        done = CliRunner().invoke(app, to_graph)
        assert done.exit_code == 0, done.output
        assert tomllib.loads(config.read_text())["instagram"] == {
            "mode": "graph", "account_id": "17841400000000001"
        }  # fmt: skip
        secrets = read_env(tmp_path / "env")
        assert "PUSPAGA_INSTAGRAM_PASSWORD" not in secrets
        settings = load(config, environ=secrets)
        assert settings.instagram is None and settings.instagram_graph is not None

        for name in ("PUSPAGA_INSTAGRAM_TOKEN", "PUSPAGA_META_APP_SECRET"):
            monkeypatch.delenv(name)
        monkeypatch.setenv("PUSPAGA_INSTAGRAM_PASSWORD", "sandi-baru-instagram")
        back = [*first[:-1], "--update", "--no-check"]
        back[back.index("puspaga.uji")] = "puspaga.baru"
        done = CliRunner().invoke(app, back)
        assert done.exit_code == 0, done.output
    assert tomllib.loads(config.read_text())["instagram"] == {"username": "puspaga.baru"}
    secrets = read_env(tmp_path / "env")
    assert "PUSPAGA_INSTAGRAM_TOKEN" not in secrets
    settings = load(config, environ=secrets)
    assert settings.instagram is not None and settings.instagram.password == "sandi-baru-instagram"
