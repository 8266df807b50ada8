import re
import tomllib
from pathlib import Path

import pytest

from bot.config.settings import (
    SECRET_ENV,
    ConfigError,
    Section,
    Settings,
    from_mapping,
    load,
)

EXAMPLE = Path(__file__).parents[2] / "config.example.toml"
MINIMAL = {"office": {"name": "PUSPAGA Contoh"}}


def problems(raw, environ=None):
    with pytest.raises(ConfigError) as caught:
        from_mapping(raw, environ=environ or {})
    return caught.value.problems


def _keys(model) -> set[str]:
    """Every key of a settings model, sub-sections included."""
    keys = set()
    for name, field in model.model_fields.items():
        keys.add(name)
        for arg in (*getattr(field.annotation, "__args__", ()), field.annotation):
            if isinstance(arg, type) and issubclass(arg, Section):
                keys |= _keys(arg)
            for inner in getattr(arg, "__args__", ()):
                if isinstance(inner, type) and issubclass(inner, Section):
                    keys |= _keys(inner)
    return keys


def test_the_example_config_is_valid_and_documents_every_key():
    settings = load(EXAMPLE, environ={})
    assert settings.office.timezone == "Asia/Makassar" and len(settings.staff) == 3
    source = EXAMPLE.read_text()
    documented = set(re.findall(r"^#?\s*([a-z_]+)\s*=", source, re.M))
    documented |= set(re.findall(r"^#?\s*\[\[?(?:[a-z_]+\.)?([a-z_]+)\]", source, re.M))
    # [instagram] with mode = "graph" is read into Settings.instagram_graph
    assert _keys(Settings) - documented - {"instagram_graph"} == set()


def test_the_english_example_has_the_same_keys_values_and_examples():
    """docs/config.example.en.toml is config.example.toml with English comments: the same
    settings, and the same commented-out examples line for line, so neither drifts."""
    english = EXAMPLE.parent / "docs" / "config.example.en.toml"
    assert tomllib.loads(english.read_text()) == tomllib.loads(EXAMPLE.read_text())
    ours, theirs = EXAMPLE.read_text().splitlines(), english.read_text().splitlines()
    assert len(ours) == len(theirs)
    example = re.compile(r"^#\s*(?:\[[a-z_.]+\]|[a-z_]+ = )")
    for indonesian, translated in zip(ours, theirs, strict=True):
        if example.match(indonesian):  # a commented-out example: the same TOML, its note aside
            assert translated.split("#")[:2] == indonesian.split("#")[:2]
        elif not indonesian.lstrip().startswith("#"):  # a setting: the same, its comment aside
            assert translated.split("#")[0] == indonesian.split("#")[0]


def test_an_unknown_key_is_named_with_its_section():
    (problem,) = problems({**MINIMAL, "email_": 1})
    assert "email_: kunci ini tidak dikenal" in problem
    (problem,) = problems({"office": {"name": "x", "timzone": "Asia/Jakarta"}})
    assert "[office] timzone: kunci ini tidak dikenal" in problem
    assert "Perbaiki: periksa ejaannya" in problem
    (problem,) = problems({"language": "en", "office": {"name": "x", "timzone": "Asia/Jakarta"}})
    assert "[office] timzone: unknown key" in problem and "Fix:" in problem  # as the file asks


def test_a_missing_required_key_says_how_to_provide_it():
    found = problems({**MINIMAL, "telegram": {"admin_chat_id": -100}})
    assert any(
        "[telegram] token: wajib diisi tetapi belum ada" in p and "PUSPAGA_TELEGRAM_TOKEN" in p
        for p in found
    )


def test_a_wrong_type_names_the_key_and_the_value():
    found = problems({**MINIMAL, "outbox": {"max_attempts": "banyak"}})
    assert any("[outbox] max_attempts" in p and '(tertulis "banyak")' in p for p in found)
    found = problems({**MINIMAL, "staff": [{"telegram_id": 1, "name": "A", "role": "boss"}]})
    assert any(p.startswith("- [[staff]] #1 role") for p in found)


def test_a_proxy_that_is_no_address_is_explained_without_its_password():
    (problem,) = problems({**MINIMAL, "network": {"proxy": "ftp://it:rahasia@proxy"}})
    assert problem.startswith("- [network] proxy: harus alamat proxy http(s)")
    assert "rahasia" not in problem
    settings = from_mapping(MINIMAL, environ={"PUSPAGA_PROXY": "http://it:rahasia@proxy:8080"})
    assert settings.network.proxy == "http://it:rahasia@proxy:8080"  # from the unit's env file


def test_a_database_address_of_another_kind_is_explained_not_a_traceback():
    for url in ("postgres://puspaga:rahasia@db/puspaga", "mysql://u@h/db", "bukan alamat"):
        (problem,) = problems({**MINIMAL, "database": {"url": url}})
        assert problem.startswith("- [database] url: harus alamat basis data SQLite atau")
        assert "postgresql+psycopg://" in problem and "rahasia" not in problem
    found = from_mapping({**MINIMAL, "database": {"url": "postgresql+psycopg://u@/db"}}, environ={})
    assert found.database.url == "postgresql+psycopg://u@/db"


def test_bad_time_zone_hours_and_duplicate_staff_are_explained():
    found = problems(
        {
            "office": {"name": "x", "timezone": "WITA", "hours": {"senin": ["8-12"]}},
            "staff": [
                {"telegram_id": 1, "name": "A", "role": "admin"},
                {"telegram_id": 1, "name": "B", "role": "ketua"},
            ],
        }
    )
    text = "\n".join(found)
    assert "Asia/Makassar (WITA)" in text and "hari 'senin' tidak dikenal" in text
    assert "telegram_id 1 tercantum dua kali" in text


def test_secrets_come_from_the_environment_when_set():
    raw = {**MINIMAL, "telegram": {"admin_chat_id": -100}}
    settings = from_mapping(
        raw,
        environ={
            SECRET_ENV[("telegram", "token")]: "123:abc",
            "PUSPAGA_DATABASE_URL": "postgresql+psycopg://x/y",
        },
    )
    assert settings.telegram.token == "123:abc"
    assert settings.database.url == "postgresql+psycopg://x/y"


def test_file_problems_are_plain(tmp_path):
    with pytest.raises(ConfigError, match="berkas ini tidak ada .dicari: /") as told:
        load(tmp_path / "config.toml", environ={})
    assert "puspaga setup --config" in str(told.value)  # the way to make one
    broken = tmp_path / "broken.toml"
    broken.write_text('[office]\nname = "x\n')
    with pytest.raises(ConfigError, match="bukan TOML yang sah"):
        load(broken, environ={})
    with pytest.raises(ConfigError, match="folder, bukan berkas"):  # --config naming a folder
        load(tmp_path, environ={})


def test_a_file_saved_with_a_byte_order_mark_reads(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes('\ufeff[office]\nname = "PUSPAGA Contoh"\n'.encode())
    assert load(path, environ={}).office.name == "PUSPAGA Contoh"


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        ({"telegram": {"token": "1:a", "admin_chat_id": "-1001234"}}, "harus bilangan bulat"),
        ({"email": {"imap_port": "993"}}, "harus bilangan bulat"),
        ({"email": {"use_ssl": "true"}}, "harus true atau false"),
        ({"sla": {"review_minutes": "2"}}, "harus bilangan bulat"),
        ({"office": {"name": "x", "closed_days": ["25-12-2026"]}}, "harus tanggal"),
    ],
)
def test_a_value_in_quotes_where_a_number_or_a_yes_belongs_is_refused_not_guessed(raw, said):
    """A quoted number used to pass as a number; now the key, the value and the fix are said."""
    merged = {**MINIMAL, **raw}
    if "email" in raw:
        merged["email"] = {
            "imap_host": "h", "username": "u", "password": "p", "smtp_host": "h",
            "from_address": "a@b.id", **raw["email"],
        }  # fmt: skip
    text = "\n".join(problems(merged))
    assert said in text and "Perbaiki:" in text


def test_a_relative_data_dir_is_relative_to_the_config_file(tmp_path):
    path = tmp_path / "etc" / "config.toml"
    path.parent.mkdir()
    path.write_text('data_dir = "data"\n[office]\nname = "x"\n')
    assert load(path, environ={}).data_dir == tmp_path / "etc" / "data"


def test_a_secret_is_never_echoed_and_a_bad_url_is_explained():
    found = problems(
        {
            **MINIMAL,
            "telegram": {
                "token": 123456,
                "admin_chat_id": -1,
                "base_url": "https://api.telegram.org:bad/bot",
            },
        }
    )
    text = "\n".join(found)
    assert "[telegram] token" in text and "123456" not in text
    assert "[telegram] base_url: harus alamat http(s)" in text


def test_a_letterhead_template_must_be_an_existing_word_file(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[office]\nname = "X"\n[referral]\ntemplate_file = "kop.docx"\n')
    with pytest.raises(ConfigError, match=r"\[referral\] template_file: .*kop.docx bukan berkas"):
        load(config)
    from docx import Document

    Document().save(tmp_path / "kop.docx")
    assert load(config).referral.template_file == str(tmp_path / "kop.docx")


def test_an_alarm_without_mail_or_with_a_wrong_address_is_explained():
    found = problems({**MINIMAL, "alarm": {"emails": ["kepala@dinas.go.id"]}})
    assert any("[alarm] emails" in p and "atur juga bagian [email]" in p for p in found)
    found = problems({**MINIMAL, "alarm": {"emails": ["Kepala <kepala@dinas.go.id>"]}})
    assert any("[alarm] emails" in p and "kepala@dinas.go.id" in p for p in found)


def test_a_section_written_as_one_value_never_shows_the_secret_it_holds():
    found = problems({**MINIMAL, "database": "postgresql+psycopg://puspaga:S3cretPW@db/puspaga"})
    text = "\n".join(found)
    assert "[database]: harus sebuah bagian" in text and "S3cretPW" not in text


def test_sections_tables_choices_and_bounds_are_said_as_the_file_writes_them():
    text = "\n".join(problems({}))
    assert "[office]: bagian ini wajib ada" in text
    found = problems({**MINIMAL, "staff": [1001]})
    assert any("harus tabel [[staff]]" in p for p in found)
    found = problems({**MINIMAL, "staff": [{"telegram_id": 1, "name": "A", "role": "Konselor"}]})
    assert any("admin, konselor, ketua" in p and " or " not in p for p in found)
    found = problems({**MINIMAL, "sla": {"review_minutes": 0}})
    assert any("harus lebih dari 0" in p and "misalnya review_minutes = 2" in p for p in found)
    found = problems({**MINIMAL, "outbox": {"max_attempts": 8.0}})
    assert any("harus bilangan bulat (tertulis 8.0)" in p for p in found)  # no quotes to blame
    found = problems({**MINIMAL, "office": {"name": "x", "closed_days": [0]}})
    assert any("0 bukan tanggal" in p for p in found)  # not 1970-01-01


def test_a_file_that_cannot_be_read_is_said_without_a_traceback(tmp_path, monkeypatch):
    """A config in a folder of root's, read by another user (root here reads everything, so
    the refusal is the operating system's answer played back)."""
    path = tmp_path / "config.toml"
    path.write_text('[office]\nname = "x"\n')

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", refuse)
    with pytest.raises(ConfigError, match="tidak bisa dibaca .Permission denied."):
        load(path, environ={})


def test_instagrams_two_routes_take_only_their_own_secrets_and_login_tokens_their_host():
    base = {"office": {"name": "P"}, "webhook": {"verify_token": "v" * 16, "app_secret": "s"}}
    both = {"PUSPAGA_INSTAGRAM_PASSWORD": "sandi", "PUSPAGA_INSTAGRAM_TOKEN": "IGAAtoken"}
    graph = from_mapping({**base, "instagram": {"mode": "graph", "account_id": "178"}},
                         environ=both)  # fmt: skip
    assert graph.instagram_graph is not None and graph.instagram_graph.access_token == "IGAAtoken"
    assert graph.instagram_graph.graph_url == "https://graph.instagram.com"  # Instagram Login's
    password = from_mapping({**base, "instagram": {"username": "puspaga.uji"}}, environ=both)
    assert password.instagram is not None and password.instagram.password == "sandi"
    page_token = from_mapping(
        {**base, "instagram": {"mode": "graph", "account_id": "178", "access_token": "EAAG"}},
        environ={},
    )
    assert page_token.instagram_graph.graph_url == "https://graph.facebook.com"  # type: ignore[union-attr]
