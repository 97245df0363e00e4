"""Keys: the keyring only, never plain text; a real Secret Service test under CI."""

from __future__ import annotations

import os
import uuid

import keyring
import pytest

from studio import secrets


def test_set_get_delete_through_keyring(memory_keyring) -> None:
    secrets.set_key("llamagen", "  sk-test-1234567890abcdef  ")
    assert memory_keyring.store[(secrets.SERVICE, "llamagen")] == "sk-test-1234567890abcdef"
    assert secrets.get_key("llamagen") == "sk-test-1234567890abcdef"
    assert secrets.key_source("llamagen") == "keyring"
    assert secrets.delete_key("llamagen") is True
    assert secrets.get_key("llamagen") is None
    assert secrets.delete_key("llamagen") is False


def test_environment_wins_and_is_reported(memory_keyring, monkeypatch) -> None:
    secrets.set_key("depicta", "dpct_stored")
    monkeypatch.setenv("DEPICTA_API_KEY", "dpct_env")
    assert secrets.get_key("depicta") == "dpct_env"
    assert secrets.key_source("depicta") == "environment"


@pytest.mark.parametrize("bad", ["", "   ", "two words", "ctl\x07char"])
def test_bad_keys_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        secrets.set_key("llamagen", bad)


def test_no_keyring_means_no_plain_text(monkeypatch, tmp_path) -> None:
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    assert not secrets.keyring_usable()
    with pytest.raises(secrets.KeyringUnavailable, match="environment variable"):
        secrets.set_key("llamagen", "sk-abc")
    monkeypatch.setenv("LLAMAGEN_API_KEY", "sk-from-env")
    assert secrets.get_key("llamagen") == "sk-from-env"
    config = os.environ["COMIC_STUDIO_CONFIG_DIR"]
    written = (
        [p for p in tmp_path.parent.rglob("*") if p.is_file()] if os.path.isdir(config) else []
    )
    assert not any(b"sk-abc" in p.read_bytes() for p in written)


@pytest.mark.keyring
@pytest.mark.skipif(
    os.environ.get("COMIC_STUDIO_REAL_KEYRING") != "1",
    reason="needs a throwaway Secret Service (scripts/with-keyring.sh under dbus-run-session)",
)
def test_real_secret_service_roundtrip() -> None:
    backend = keyring.get_keyring()
    inner = getattr(backend, "backends", [backend])
    assert any(type(b).__module__ == "keyring.backends.SecretService" for b in inner), inner
    provider = f"test-{uuid.uuid4().hex[:8]}"
    assert secrets.keyring_usable()
    assert "SecretService" in secrets.backend_name()
    secrets.set_key(provider, "sk-real-keyring-roundtrip")
    try:
        assert keyring.get_password(secrets.SERVICE, provider) == "sk-real-keyring-roundtrip"
        assert secrets.get_key(provider) == "sk-real-keyring-roundtrip"
    finally:
        assert secrets.delete_key(provider)
    assert secrets.get_key(provider) is None
