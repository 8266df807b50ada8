"""The office's key: outside the database, created once with mode 0600, the same for every
process; a sealed value opens only with its key."""

import stat

import pytest
from cryptography.fernet import Fernet

from bot.service.secret_box import SecretBox


def test_the_key_file_is_made_once_private_and_shared(tmp_path):
    first = SecretBox.for_data_dir(tmp_path, environ={})
    sealed = first.seal(b"sessionid=abc")
    assert b"abc" not in sealed.encode()
    key_file = tmp_path / "secret.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert SecretBox.for_data_dir(tmp_path, environ={}).open(sealed) == b"sessionid=abc"
    assert [p.name for p in tmp_path.iterdir()] == ["secret.key"]  # no draft left behind


def test_the_environment_key_wins_and_another_key_cannot_open(tmp_path):
    key = Fernet.generate_key().decode()
    box = SecretBox.for_data_dir(tmp_path, environ={"PUSPAGA_SECRET_KEY": key})
    assert not (tmp_path / "secret.key").exists()
    sealed = box.seal(b"x")
    with pytest.raises(ValueError, match="another key"):
        SecretBox.for_data_dir(tmp_path, environ={}).open(sealed)
