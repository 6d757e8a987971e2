import pytest

from coordination.config import ConfigError, load_settings


def test_production_refuses_to_start_without_secret_key_and_names_it(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings(environ={"COORDINATION_ENV": "production", "INSTANCE_PATH": str(tmp_path)})


def test_production_refuses_a_default_secret(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY is set to a default"):
        load_settings(environ={"COORDINATION_ENV": "production", "SECRET_KEY": "changeme"})


def test_production_names_the_missing_encryption_keys(tmp_path):
    env = {"COORDINATION_ENV": "production", "SECRET_KEY": "s" * 40}
    with pytest.raises(ConfigError, match="ENCRYPTION_KEYS"):
        load_settings(environ=env)


def test_development_generates_keys_once_and_reuses_them(tmp_path):
    env = {"COORDINATION_ENV": "development", "INSTANCE_PATH": str(tmp_path)}
    first = load_settings(environ=env)
    second = load_settings(environ=env)
    assert first.secret_key == second.secret_key
    assert first.encryption_keys == second.encryption_keys
    assert (tmp_path / "keys" / "encryption_keys").stat().st_mode & 0o077 == 0
    assert first.database_url.startswith("sqlite:///")


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigError, match="COORDINATION_ENV"):
        load_settings(environ={"COORDINATION_ENV": "staging"})
