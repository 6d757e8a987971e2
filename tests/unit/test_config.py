import pytest

from coordination.config import ConfigError, _sen2_header, _Source, load_settings


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


def test_the_instance_folder_comes_from_the_environment_given_not_the_process(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "from-the-process"))
    monkeypatch.chdir(tmp_path)
    given = load_settings(environ={"COORDINATION_ENV": "development", "INSTANCE_PATH": str(tmp_path / "given")})
    assert given.instance_path == tmp_path / "given"
    unset = load_settings(environ={"COORDINATION_ENV": "development"})
    assert unset.instance_path == tmp_path / "instance"
    assert (tmp_path / "instance" / "keys" / "secret_key").exists()
    assert not (tmp_path / "from-the-process").exists()


def test_every_setting_is_read_from_the_environment_given(tmp_path):
    settings = load_settings(environ={
        "COORDINATION_ENV": "development", "INSTANCE_PATH": str(tmp_path), "OUTBOX_QUEUE": "outbox-2",
        "PUBLIC_BASE_URL": "https://help.eastmere.example/", "MAIL_SENDER": "smtp",
        "MAIL_SMTP_HOST": "smtp.eastmere.example", "MAIL_SMTP_PORT": "2525", "MAIL_FROM": "help@eastmere.example",
        "DEMO_PASSWORD": "a-demo-password",
    })
    assert (settings.outbox_queue, settings.public_base_url) == ("outbox-2", "https://help.eastmere.example")
    assert (settings.mail_sender, settings.mail_smtp_host, settings.mail_smtp_port) == (
        "smtp", "smtp.eastmere.example", 2525)
    assert (settings.mail_from, settings.demo_password) == ("help@eastmere.example", "a-demo-password")
    assert settings.ratelimit_enabled


def test_defaults_without_those_variables(tmp_path):
    settings = load_settings(environ={"COORDINATION_ENV": "development", "INSTANCE_PATH": str(tmp_path)})
    assert (settings.outbox_queue, settings.public_base_url) == ("default", "http://localhost:5000")
    assert (settings.mail_sender, settings.mail_smtp_port, settings.mail_from) == ("log", 587, "no-reply@localhost")
    assert settings.mail_log == tmp_path / "mail.log" and settings.demo_password is None


@pytest.mark.parametrize(("name", "value"), [("MAIL_SENDER", "pigeon"), ("MAIL_SMTP_PORT", "twenty-five")])
def test_a_mail_setting_that_cannot_work_is_refused_and_named(tmp_path, name, value):
    with pytest.raises(ConfigError, match=name):
        load_settings(environ={"COORDINATION_ENV": "development", "INSTANCE_PATH": str(tmp_path), name: value})


def test_an_override_that_is_not_a_setting_is_refused():
    with pytest.raises(TypeError, match="base_url"):
        load_settings(environ={}, env="test", base_url="http://localhost")


def test_production_names_a_missing_audit_chain_key(tmp_path):
    env = {"COORDINATION_ENV": "production", "SECRET_KEY": "s" * 40, "ENCRYPTION_KEYS": "k1:" + "A" * 43,
           "BLIND_INDEX_KEY": "B" * 44, "AUDIT_SIGNING_KEY": "C" * 43, "DATABASE_URL": "postgresql://db/x",
           "REDIS_URL": "redis://r/0"}
    with pytest.raises(ConfigError, match="AUDIT_CHAIN_KEY is not set"):
        load_settings(environ=env)
    with pytest.raises(ConfigError, match="AUDIT_CHAIN_KEY must be base64 of at least 32 bytes"):
        load_settings(environ={**env, "AUDIT_CHAIN_KEY": "c2hvcnQ="})
    (tmp_path / "chain").write_text("D" * 44 + "\n")
    assert len(load_settings(environ={**env, "AUDIT_CHAIN_KEY_FILE": str(tmp_path / "chain")}).audit_chain_key) == 33


def test_development_generates_the_audit_chain_key_once(tmp_path):
    env = {"COORDINATION_ENV": "development", "INSTANCE_PATH": str(tmp_path)}
    assert load_settings(environ=env).audit_chain_key == load_settings(environ=env).audit_chain_key
    assert (tmp_path / "keys" / "audit_chain_key").stat().st_mode & 0o077 == 0


def test_the_council_name_is_read_from_council_name_and_is_eastmere_for_development(tmp_path):
    env = {"COORDINATION_ENV": "development", "INSTANCE_PATH": str(tmp_path)}
    assert load_settings(environ=env).council_name == "Eastmere"
    assert load_settings(environ={**env, "COUNCIL_NAME": " Northbrook "}).council_name == "Northbrook"


def test_sen2_header_items_are_y_n_or_r_the_demos_y_outside_production(tmp_path):
    base = {"COORDINATION_ENV": "development", "INSTANCE_PATH": str(tmp_path)}
    demo = load_settings(environ=base)
    assert (demo.sen2_dmo, demo.sen2_dco) == ("Y", "Y")
    given = load_settings(environ={**base, "SEN2_DMO": "r", "SEN2_DCO": "N"})
    assert (given.sen2_dmo, given.sen2_dco) == ("R", "N")
    with pytest.raises(ConfigError, match="SEN2_DCO must be Y, N or R"):
        load_settings(environ={**base, "SEN2_DCO": "yes"})
    assert _sen2_header(_Source({}, {}), "production", "sen2_dmo", "SEN2_DMO") is None
