"""The operator's words in English (`language = "en"`, `--lang en`, PUSPAGA_LANG=en): the
command line's help and mistakes, and the log lines, which the code writes in Bahasa Indonesia
(bot/cli/english.po gives their English)."""

import ast
import io
import logging
import os
import re
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from bot.cli import english
from bot.cli.main import _logging, app
from bot.config.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
LEVELS = {"info", "warning", "error", "exception", "critical"}  # debug is for developers
runner = CliRunner()


def _helps(command, path="puspaga"):
    if command.help:
        yield path, command.help
    for param in command.params:
        if getattr(param, "help", None):
            yield f"{path} --{param.name}", param.help
    for name, sub in getattr(command, "commands", {}).items():
        yield from _helps(sub, f"{path} {name}")


def _log_lines():
    """Every log call of the product whose level an operator reads, with its first argument."""
    for package in ("bot", "channels", "storage", "triage"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in LEVELS
                    and "log" in ast.unparse(node.func.value).lower()
                    and node.args
                ):
                    yield f"{path.relative_to(ROOT)}:{node.lineno}", node.args[0]


def _said():
    """Every message a command writes itself through `said()` (bot/cli/english.py)."""
    for path in sorted((ROOT / "bot" / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "said":
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node.args[0]


def test_every_message_a_command_writes_has_its_english_with_the_same_placeholders():
    said = list(_said())
    assert len(said) > 20
    not_plain = [w for w, arg in said if not isinstance(arg, ast.Constant)]
    assert not not_plain, f"said() takes the Indonesian text itself: {not_plain}"
    for where, arg in said:
        assert arg.value in english.catalogue(), f"no English in bot/cli/english.po for {where}"
        ours = sorted(re.findall(r"{(\w+)}", arg.value))
        assert ours == sorted(re.findall(r"{(\w+)}", english.catalogue()[arg.value])), where


def test_a_command_answers_in_the_offices_language(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('language = "en"\ndata_dir = "data"\n[office]\nname = "PUSPAGA Uji"\n')
    result = runner.invoke(app, ["forget", "--client", "9", "--by", "5", "--config", str(config)])
    said = " ".join(result.output.split())
    assert result.exit_code == 2 and "--by 5: not the telegram_id of any" in said, said
    config.write_text(config.read_text().replace('"en"', '"id"'))
    result = runner.invoke(app, ["forget", "--client", "9", "--by", "5", "--config", str(config)])
    assert "bukan telegram_id salah satu" in " ".join(result.output.split())


def test_every_help_text_has_its_english():
    helps = list(_helps(typer.main.get_command(app)))
    assert len(helps) > 60  # the walk reached the commands and their options
    missing = [where for where, words in helps if english.catalogue().get(words, words) == words]
    assert not missing, f"no English in bot/cli/english.po for: {missing}"


def test_every_log_line_is_a_plain_indonesian_text_with_its_english():
    lines = list(_log_lines())
    assert len(lines) > 40
    not_plain = [w for w, arg in lines if not isinstance(arg, ast.Constant)]
    assert not not_plain, f"a log line's text must be a literal (values as %s): {not_plain}"
    missing = [w for w, arg in lines if arg.value not in english.catalogue()]
    assert not missing, f"no English in bot/cli/english.po for: {missing}"


def test_the_catalogue_has_no_entry_the_code_no_longer_writes():
    written = {words for _, words in _helps(typer.main.get_command(app))}
    written |= {arg.value for _, arg in _log_lines()}
    written |= {arg.value for _, arg in _said()}
    argument_words = {"gangguan", "pulih"}  # the alarm's kind, a log line's argument
    assert set(english.catalogue()) - written - argument_words == set()


def _help(*args, env=None):
    result = runner.invoke(app, [*map(str, args), "--help"], env=env, prog_name="puspaga")
    assert result.exit_code == 0, result.output
    return " ".join(result.output.replace("│", " ").split())


def test_help_is_indonesian_unless_the_office_chose_english(tmp_path, monkeypatch):
    monkeypatch.delenv("PUSPAGA_LANG", raising=False)
    monkeypatch.chdir(tmp_path)
    said = _help("report")
    assert "Pemakaian: puspaga report [OPSI]" in said and "Bulannya, TTTT-BB" in said
    assert "The month" not in said
    said = _help("report", env={"PUSPAGA_LANG": "en"})
    assert "Usage: puspaga report [OPTIONS]" in said and "The month, YYYY-MM" in said
    assert "Show this message and exit." in said and "Bulannya" not in said
    english_office = tmp_path / "kantor.toml"
    english_office.write_text('language = "en"\n[office]\nname = "PUSPAGA Uji"\n')
    assert "The month, YYYY-MM" in _help("report", "--config", english_office)
    assert "The month, YYYY-MM" in _help("report", f"--config={english_office}")
    assert "The month, YYYY-MM" in _help("report", "-c", english_office)
    assert "Bulannya" in _help("report", "--config", tmp_path / "tidak-ada.toml")
    pipe = tmp_path / "pipa"
    os.mkfifo(pipe)  # --config <(…): read by the command, never by the language sniff (no hang)
    assert "Bulannya" in _help("report", "--config", pipe)
    (tmp_path / "config.toml").write_text('\ufefflanguage = "en"\n')  # the default file, a BOM
    assert "Where config.toml is." in _help("check")
    assert "Letak berkas config.toml." in _help("check", env={"PUSPAGA_LANG": "id"})
    (tmp_path / "config.toml").write_text('language = "en\n')  # broken: the command says so
    assert "Letak berkas config.toml." in _help("check")
    assert "The bot token" not in _help("setup", "--lang", "en")  # setup's steps are its own
    assert "Step-by-step setup" in _help("setup", "--lang", "en")


def test_a_mistyped_command_line_is_told_in_english_when_the_office_chose_it(monkeypatch):
    monkeypatch.setenv("PUSPAGA_LANG", "en")
    result = runner.invoke(app, ["report", "--bulan", "2026-11"])
    said = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code == 2 and "No such option: --bulan" in said, said
    assert "Tidak ada opsi" not in said and "Kesalahan" not in said


def test_setup_speaks_the_chosen_language_without_lang(tmp_path, monkeypatch):
    monkeypatch.delenv("PUSPAGA_TELEGRAM_TOKEN", raising=False)
    config = tmp_path / "config.toml"
    for env, said in (
        ({"PUSPAGA_LANG": "en"}, "Step 1 of 5: the Telegram bot"),
        ({}, "Langkah 1 dari 5: bot Telegram"),
    ):
        result = runner.invoke(app, ["setup", "--yes", "--config", str(config)], env=env)
        assert result.exit_code != 0 and said in result.output, result.output


def _logger():
    logger = logging.Logger("uji")
    stream = io.StringIO()
    logger.addHandler(logging.StreamHandler(stream))
    return logger, stream


def test_log_lines_are_english_when_the_office_chose_it():
    logger, stream = _logger()
    english.english_logs(logger)
    english.english_logs(logger)  # twice: one filter, not a second translation
    logger.warning("menarik pesan dari %s gagal (%s)", "email", "TimeoutError")
    logger.warning("ALARM %s: %s sejak %s (%d menit)", "gangguan", "email", "08:00", 5)
    logger.warning("a line not in the catalogue: %s", "pulih")
    assert stream.getvalue().splitlines() == [
        "polling email failed (TimeoutError)",
        "ALARM outage: email since 08:00 (5 minutes)",
        "a line not in the catalogue: recovered",
    ]
    assert len(logger.handlers[0].filters) == 1


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_service_logs_in_the_office_language(tmp_path, language):
    settings = Settings.model_validate(
        {"language": language, "data_dir": str(tmp_path), "office": {"name": "PUSPAGA Uji"}}
    )
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root.addHandler(handler)
    try:
        _logging(settings)
        logging.getLogger("puspaga").warning("berhenti")
    finally:
        root.removeHandler(handler)
        for other in root.handlers:
            for f in [f for f in other.filters if isinstance(f, english.EnglishLogs)]:
                other.removeFilter(f)
    assert stream.getvalue() == ("stopped\n" if language == "en" else "berhenti\n")


def test_a_config_that_cannot_be_read_is_told_in_the_language_asked_for(tmp_path, monkeypatch):
    monkeypatch.setenv("PUSPAGA_LANG", "en")
    result = runner.invoke(app, ["check", "--config", str(tmp_path / "config.toml")])
    assert result.exit_code != 0 and "this file does not exist" in result.output, result.output
    monkeypatch.setenv("PUSPAGA_LANG", "id")
    result = runner.invoke(app, ["check", "--config", str(tmp_path / "config.toml")])
    assert "berkas ini tidak ada" in result.output


def test_a_one_shot_commands_warnings_are_english_too(tmp_path):
    """forget, purge, backup … set up no logging: Python's last-resort handler writes their
    warnings, and speaks English once the office chose it."""
    from bot.cli.common import _settings

    def english_filters():
        return [f for f in logging.lastResort.filters if isinstance(f, english.EnglishLogs)]

    for f in english_filters():
        logging.lastResort.removeFilter(f)
    config = tmp_path / "config.toml"
    config.write_text('data_dir = "data"\n[office]\nname = "PUSPAGA Uji"\n')
    _settings(config)
    assert english_filters() == []
    config.write_text('language = "en"\n' + config.read_text())
    try:
        _settings(config)
        assert len(english_filters()) == 1
        record = logging.LogRecord("uji", logging.WARNING, __file__, 1, "berhenti", None, None)
        assert logging.lastResort.filter(record) and record.getMessage() == "stopped"
    finally:
        for f in english_filters():
            logging.lastResort.removeFilter(f)
